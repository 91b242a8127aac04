"""A minimal logged-in browser for the load bench: cookies, CSRF tokens, redirects not followed.

Two transports behind one interface, so the same set-up (log in, start a quiz, find a
module) serves the load bench against gunicorn and the in-process profiler alike:
`HttpBrowser` talks HTTP to a running server, `FlaskBrowser` wraps a Flask test client.
"""

from __future__ import annotations

import http.client
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@dataclass
class Answer:
    status: int
    text: str
    location: str = ""


def csrf_token_in(page: str) -> str:
    """The CSRF token a page carries (hidden input or meta tag); ValueError if it has none."""
    match = CSRF_INPUT.search(page) or CSRF_META.search(page)
    if match is None:
        raise ValueError("the page has no CSRF token")
    return match.group(1)


class HttpBrowser:
    """HTTP/1.1 to a server on this machine, one connection per request (gunicorn's sync
    workers close it anyway). Cookies are kept by name, Secure or not: the bench talks
    plain HTTP to a server configured for production."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method: str, path: str, *, form: dict | None = None, json_body=None,
                headers: dict | None = None) -> Answer:
        headers = dict(headers or {})
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return Answer(response.status, text, response.getheader("Location") or "")
        finally:
            conn.close()

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, **kwargs) -> Answer:
        return self.request("POST", path, **kwargs)


class FlaskBrowser:
    """The same interface over a Flask test client (for profiling in-process)."""

    def __init__(self, client):
        self.client = client

    def cookie_header(self) -> str:
        return "; ".join(f"{c.key}={c.value}" for c in self.client._cookies.values())

    def request(self, method: str, path: str, *, form: dict | None = None, json_body=None,
                headers: dict | None = None) -> Answer:
        # https: the app runs with production settings, whose cookies are Secure; over
        # https Flask-WTF also wants a same-origin Referer on every post.
        headers = {"Referer": "https://localhost/", **(headers or {})}
        kwargs = {"headers": headers, "base_url": "https://localhost"}
        if form is not None:
            kwargs["data"] = form
        elif json_body is not None:
            kwargs["json"] = json_body
        response = self.client.open(path, method=method, **kwargs)
        return Answer(response.status_code, response.get_data(as_text=True),
                      response.headers.get("Location", ""))

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, **kwargs) -> Answer:
        return self.request("POST", path, **kwargs)
