// The archive's search: plain JavaScript over window.ARCHIVE_INDEX (search-index.js), no
// network, so it works from file:// too. Every word must match the start of a word in a
// takeaway, its topic, its author or its meeting's theme; more and exact matches rank higher.
(function () {
  "use strict";
  var WORD = /[\p{L}\p{N}_]+/gu;
  var words = function (text) { return (text || "").toLowerCase().match(WORD) || []; };
  var entries = (window.ARCHIVE_INDEX || []).map(function (entry) {
    return { entry: entry, words: words([entry.text, entry.topic, entry.author, entry.theme].join(" ")) };
  });
  var input = document.getElementById("q");
  var status = document.getElementById("status");
  var results = document.getElementById("results");

  function score(have, terms) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var hits = 0;
      for (var j = 0; j < have.length; j++) {
        if (have[j] === terms[i]) hits += 2;
        else if (have[j].indexOf(terms[i]) === 0) hits += 1;
      }
      if (!hits) return 0;
      total += hits;
    }
    return total;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;  // text, never markup
    return node;
  }

  function show(query) {
    var terms = words(query);
    results.textContent = "";
    if (!terms.length) {
      status.textContent = "Type a word: every word must match, the start of a word is enough.";
      return;
    }
    var found = entries
      .map(function (item, order) { return { item: item, order: order, score: score(item.words, terms) }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    status.textContent = found.length
      ? found.length + (found.length === 1 ? " takeaway matches " : " takeaways match ") + "\u201c" + query.trim() + "\u201d"
      : "No takeaway matches \u201c" + query.trim() + "\u201d";
    found.forEach(function (hit) {
      var entry = hit.item.entry;
      var li = element("li", "result");
      li.appendChild(element("p", "text", entry.text));
      var by = element("p", "by", "\u2014 " + entry.author + " \u00b7 ");
      var link = element("a", "", (entry.topic ? entry.topic + ", " : "") + entry.date + ": " + entry.theme);
      link.href = entry.page;
      by.appendChild(link);
      li.appendChild(by);
      results.appendChild(li);
    });
  }

  function fromLocation() {
    var hash = /[#&]q=([^&]*)/.exec(location.hash);
    var search = /[?&]q=([^&]*)/.exec(location.search);
    var raw = hash ? hash[1] : search ? search[1] : "";
    try { return decodeURIComponent(raw.replace(/\+/g, " ")); } catch (e) { return raw; }
  }

  input.addEventListener("input", function () {
    show(input.value);
    try { history.replaceState(null, "", "#q=" + encodeURIComponent(input.value)); } catch (e) { /* file:// in some browsers */ }
  });
  input.form.addEventListener("submit", function (event) { event.preventDefault(); show(input.value); });
  window.addEventListener("hashchange", function () { input.value = fromLocation(); show(input.value); });
  input.value = fromLocation();
  show(input.value);
})();
