"""A stand-in for Crossref's REST API and NCBI's E-utilities, replaying recorded answers.

Run it as a script (``tests.fakes.RemoteAPI`` does, for the tests)::

    python tests/fakes/remote_api.py tests/references/recorded

It listens on 127.0.0.1, on a port the system chooses, prints ``listening on http://127.0.0.1:PORT``
and serves until it is killed. Nothing here imports Django: it is a separate process, as the
real services are, so the code under test makes real HTTP requests through its real client.

The services, as they answer (headers included):

``GET /crossref/works/{doi}``
    ``RECORDINGS/crossref/{doi with "/" as %2F}.json`` (DOIs compared in lower case), or a 404
    with the text "Resource not found.".
``GET /pubmed/efetch.fcgi?db=pubmed&id={pmid}&retmode=xml``
    ``RECORDINGS/pubmed/efetch-{pmid}.xml``, or, as NCBI answers an unknown PMID, an empty
    ``<PubmedArticleSet>`` with status 200.

Controls, for the tests:

``POST /_fake/mode`` with a JSON object:
    ``{"mode": "slow", "seconds": 3}``: wait that long before each answer;
    ``{"mode": "failing", "status": 503, "times": 1, "retry_after": "1"}``: answer the next
    ``times`` requests with that status (and Retry-After, if given), then as usual;
    ``{"mode": "garbage"}``: answer 200 with an HTML maintenance page;
    ``{"mode": "normal"}``.
``GET /_fake/requests``
    The requests answered so far (method, path, query, headers), as JSON.
``POST /_fake/reset``
    Normal mode, and no requests seen.
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

EMPTY_SET = (
    b'<?xml version="1.0" ?>\n'
    b'<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
    b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet></PubmedArticleSet>\n"
)
MAINTENANCE = b"<html><head><title>Down for maintenance</title></head><body><p>Back soon.</p></body></html>"
CROSSREF_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Link",
    "X-Rate-Limit-Limit": "50",
    "X-Rate-Limit-Interval": "1s",
}
PUBMED_HEADERS = {"Cache-Control": "private", "Content-Security-Policy": "upgrade-insecure-requests"}


class State:
    """What the tests set (the mode) and what the fake saw (the requests), shared by all threads."""

    def __init__(self, recordings):
        self.recordings = Path(recordings)
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.mode, self.seen = {"mode": "normal"}, []

    def take_failure(self):
        """The status to fail this request with, if the mode says so (counting it down)."""
        with self.lock:
            if self.mode["mode"] != "failing" or self.mode.get("times", 1) <= 0:
                return None
            self.mode["times"] = self.mode.get("times", 1) - 1
            return self.mode

    def crossref_file(self, doi):
        doi = doi.lower()
        for path in (self.recordings / "crossref").glob("*.json"):
            if unquote(path.stem).lower() == doi:
                return path
        return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeRemoteAPI/1.0"
    state = None  # set by main()

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/_fake/requests":
            with self.state.lock:
                return self.answer(200, json.dumps(self.state.seen).encode(), "application/json")
        with self.state.lock:
            self.state.seen.append(
                {
                    "method": "GET",
                    "path": unquote(url.path),
                    "query": parse_qs(url.query),
                    "headers": dict(self.headers),
                }
            )
        try:
            self.serve(url)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as it should when the fake is slow

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path == "/_fake/reset":
            self.state.reset()
        elif self.path == "/_fake/mode":
            with self.state.lock:
                self.state.mode = body
        else:
            return self.answer(404, b"No such control.", "text/plain")
        self.answer(204, b"", "text/plain")

    def serve(self, url):
        mode = self.state.mode
        if mode["mode"] == "slow":
            time.sleep(float(mode.get("seconds", 10)))
        if failure := self.state.take_failure():
            retry_after = {"Retry-After": str(failure["retry_after"])} if failure.get("retry_after") else {}
            return self.answer(int(failure.get("status", 503)), b"Service unavailable.", "text/plain", retry_after)
        if mode["mode"] == "garbage":
            return self.answer(200, MAINTENANCE, "text/html; charset=UTF-8")
        if url.path.startswith("/crossref/works/"):
            return self.crossref(unquote(url.path.removeprefix("/crossref/works/")))
        if url.path == "/pubmed/efetch.fcgi":
            return self.efetch(parse_qs(url.query))
        self.answer(404, b"Not found.", "text/plain")

    def crossref(self, doi):
        path = self.state.crossref_file(doi)
        if path is None:
            return self.answer(404, b"Resource not found.", "text/plain", CROSSREF_HEADERS)
        polite = "mailto:" in self.headers.get("User-Agent", "")
        headers = {**CROSSREF_HEADERS, "X-Api-Pool": "polite" if polite else "public"}
        self.answer(200, path.read_bytes(), "application/json", headers)

    def efetch(self, query):
        if query.get("db") != ["pubmed"] or not query.get("id"):
            return self.answer(400, b'{"error":"Invalid db name specified: "}', "application/json")
        path = self.state.recordings / "pubmed" / f"efetch-{query['id'][0]}.xml"
        body = path.read_bytes() if path.is_file() else EMPTY_SET
        self.answer(200, body, "text/xml; charset=UTF-8", PUBMED_HEADERS)

    def answer(self, status, body, content_type, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in dict(headers).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # quiet: pytest shows what matters


def main(recordings):
    Handler.state = State(recordings)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(f"listening on http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
