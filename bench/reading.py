"""Benchmark: the cost of classifying one message, by body size and shape.

Prints a table of `classify` time for a reply whose answer ("Yes, count me in.") sits on top of a
large body: plain text, HTML, quoted-printable and base64 text, and a message of many small parts,
from 100 KB to 5 MB. Each figure is the best of `--repeat` runs, in milliseconds. Reading only the
top of the first text part (mailer.quotes.TEXT_LIMIT / HTML_LIMIT) keeps the cost near the cost of
parsing the bytes, which is linear in size.

Run: .venv/bin/python bench/reading.py [--repeat 3] [--sizes 100,500,1000,2000,5000]
Aim: under a second at 5 MB for every shape.
"""

from __future__ import annotations

import argparse
import base64
import quopri
import time
from collections.abc import Callable

from mailer.reading.classify import classify

_HEAD = (
    "From: Ann Lee <ann@example.org>\r\nTo: rsvp@roundtable.example.org\r\n"
    "Subject: Re: Roundtable on 10 December\r\nMessage-ID: <bench@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
)
_LINE = "Some long line of a pasted log or a forwarded report, with words and numbers 12345.\r\n"
_PARA = "<p>Some paragraph of a long newsletter, <b>bold</b> and <a href='#'>a link</a>.</p>\r\n"


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def text(size: int) -> bytes:
    body = "Yes, count me in.\r\n\r\n" + _fill(_LINE, size)
    return (_HEAD + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()


def html(size: int) -> bytes:
    body = "<html><body><div>Yes, count me in.</div>" + _fill(_PARA, size) + "</body></html>"
    return (_HEAD + "Content-Type: text/html; charset=utf-8\r\n\r\n" + body).encode()


def quoted_printable(size: int) -> bytes:
    body = quopri.encodestring(("Yes, count me in.\r\n\r\n" + _fill(_LINE, size)).encode())
    head = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable"
    return (_HEAD + head + "\r\n\r\n").encode() + body


def base64_text(size: int) -> bytes:
    body = base64.encodebytes(("Yes, count me in.\r\n\r\n" + _fill(_LINE, size)).encode())
    head = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64"
    return (_HEAD + head + "\r\n\r\n").encode() + body


def many_parts(size: int) -> bytes:
    """A multipart/mixed message of 2 KB text parts, the answer in the first."""
    parts = ["Yes, count me in."] + [_fill(_LINE, 2000) for _ in range(size // 2000)]
    chunks = [f"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{part}\r\n" for part in parts]
    head = 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
    return (_HEAD + head + "".join(chunks) + "--b--\r\n").encode()


SHAPES: dict[str, Callable[[int], bytes]] = {
    "text": text,
    "html": html,
    "quoted-printable": quoted_printable,
    "base64": base64_text,
    "many parts": many_parts,
}


def best_ms(raw: bytes, repeat: int) -> float:
    """The best of `repeat` classify runs, in milliseconds; the answer must still be read."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        reply = classify(raw)
        best = min(best, time.perf_counter() - start)
        assert reply.intent is not None and reply.intent.value == "yes", reply.reason
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="100,500,1000,2000,5000", help="sizes in KB")
    args = parser.parse_args()
    sizes = [int(kb) * 1000 for kb in args.sizes.split(",")]
    classify(text(1000))  # imports and regex compilation out of the figures
    print(
        f"{'shape':18}" + "".join(f"{kb // 1000:>8} KB" for kb in sizes) + "   (ms, best of runs)"
    )
    for name, make in SHAPES.items():
        cells = "".join(f"{best_ms(make(size), args.repeat):11.0f}" for size in sizes)
        print(f"{name:18}{cells}")


if __name__ == "__main__":
    main()
