"""A token introspection endpoint (RFC 7662) on 127.0.0.1, so Dovecot's oauth2 passdb accepts XOAUTH2.

Owns `Introspection`: a small HTTP server on its own thread that answers Dovecot's
`GET ?token=T` with `{"active": true, "username": U}` for the stack's tokens and
`{"active": false}` for anything else, as an identity provider's endpoint would.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .stack import HOST


class Introspection:
    """Answers for `owner_of(token)` (an address, or None); `url` is what Dovecot calls."""

    def __init__(self, owner_of: Callable[[str], str | None]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                owner = owner_of(query.get("token", [""])[0])
                answer = {"active": True, "username": owner} if owner else {"active": False}
                body = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the request line carries the token

        self._server = ThreadingHTTPServer((HOST, 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        # Dovecot appends "&client_id=&client_secret=" to the URL: the token must be a parameter.
        self.url = f"http://{HOST}:{self._server.server_address[1]}/introspect?token="

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
