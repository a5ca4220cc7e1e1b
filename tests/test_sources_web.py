"""URLs and feeds over HTTP, against a local server on 127.0.0.1 started by the test (no internet)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from detente.errors import InputError
from detente.sources import ReadReport, read_feed, read_paths, read_url

pytestmark = pytest.mark.network

ARTICLE = (
    "Saudi Arabia and Iran agreed on Friday to restore diplomatic relations and to reopen their embassies "
    "within two months, seven years after the kingdom cut its ties with Iran. The agreement was announced in "
    "Beijing after several days of talks hosted by China."
)

PAGE = f"""<html><head><meta property="article:published_time" content="2023-03-10T12:00:00Z">
<title>Deal in Beijing</title></head><body><nav>Home World Sport</nav>
<article><h1>Saudi Arabia and Iran agree to restore ties</h1><p>{ARTICLE}</p></article></body></html>"""

UNDATED_PAGE = f"<html><body><article><h1>Later</h1><p>{ARTICLE}</p></article></body></html>"

Route = tuple[int, str, bytes]


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Route]] = {}
    lock = threading.Lock()
    in_flight = 0
    most_in_flight = 0

    def do_GET(self) -> None:
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path.startswith("/parallel/"):
            with _Handler.lock:
                _Handler.in_flight += 1
                _Handler.most_in_flight = max(_Handler.most_in_flight, _Handler.in_flight)
            time.sleep(0.2)
            with _Handler.lock:
                _Handler.in_flight -= 1
            self.path = "/article"
        status, content_type, body = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
<item><title>Deal</title><link>{base}/article</link><guid>g1</guid>
<pubDate>Sat, 11 Mar 2023 06:00:00 GMT</pubDate><description>Short teaser only.</description></item>
<item><title>Later</title><link>{base}/undated</link><guid>g2</guid>
<description>Another teaser.</description></item>
<item><title>Gone</title><link>{base}/missing</link><guid>g3</guid>
<description>Teaser of a lost page.</description></item>
<item><title>Bare</title><link>{base}/missing-too</link><guid>g4</guid></item>
</channel></rss>"""
    parallel_items = "".join(
        f"<item><title>P{n}</title><link>{base}/parallel/{n}</link><guid>p{n}</guid></item>" for n in range(8)
    )
    parallel = f'<rss version="2.0"><channel><title>P</title>{parallel_items}</channel></rss>'

    _Handler.routes = {
        "/article": (200, "text/html; charset=utf-8", PAGE.encode()),
        "/undated": (200, "text/html", UNDATED_PAGE.encode()),
        "/plain": (200, "text/plain; charset=utf-8", ARTICLE.encode()),
        "/feed": (200, "application/rss+xml", rss.encode()),
        "/feed-as-xml": (200, "text/xml", rss.encode()),
        "/parallel-feed": (200, "application/rss+xml", parallel.encode()),
        "/menu": (200, "text/html", b"<html><body><nav>Home</nav></body></html>"),
        "/huge": (200, "text/html", b"<p>" + b"x" * (2 * 1024 * 1024) + b"</p>"),
        "/error": (500, "text/plain", b"boom"),
        "/corpus.jsonl": (
            200,
            "application/x-ndjson",
            (json.dumps({"id": "j1", "text": ARTICLE}) + "\nnot json\n").encode(),
        ),
        "/slow": (200, "text/plain", ARTICLE.encode()),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/article"


def test_read_url_html_with_date(server: str) -> None:
    doc = read_url(f"{server}/article")
    assert doc.doc_id == doc.url == doc.origin == f"{server}/article"
    assert doc.title == "Saudi Arabia and Iran agree to restore ties"
    assert doc.text == ARTICLE
    assert doc.published == dt.date(2023, 3, 10)


def test_read_url_plain_text_uses_fallback_date(server: str) -> None:
    doc = read_url(f"{server}/plain", published=dt.date(2023, 3, 11))
    assert doc.text == ARTICLE and doc.published == dt.date(2023, 3, 11)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404 Not Found"),
        ("/error", "HTTP 500 Internal Server Error"),
        ("/menu", "no article text found"),
        ("/feed", "this is a feed, not an article"),
    ],
)
def test_read_url_problems_raise_input_error_naming_the_url(server: str, path: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_url(f"{server}{path}")
    assert str(caught.value).startswith(f"{server}{path}: {message}")


def test_unreachable_url_is_reported_and_batch_goes_on(server: str) -> None:
    dead = closed_port_url()
    report = ReadReport()
    docs = list(read_paths([dead, f"{server}/article"], on_error=report))
    assert [d.doc_id for d in docs] == [f"{server}/article"]
    [problem] = report.problems
    assert problem.input == dead and problem.problem.startswith("cannot connect")


def test_timeout_and_size_limit(server: str) -> None:
    report = ReadReport()
    docs = list(
        read_paths([f"{server}/slow", f"{server}/huge"], on_error=report, timeout=0.3, max_bytes=1024 * 1024)
    )
    assert docs == []
    assert [p.problem for p in report.problems] == [
        "no answer within 0.3 s",
        "page is larger than the 1.0 MB limit",
    ]


@pytest.mark.parametrize("path", ["/feed", "/feed-as-xml"])
def test_feed_url_in_read_paths_gives_one_document_per_entry(server: str, path: str) -> None:
    report = ReadReport()
    docs = list(read_paths([f"{server}{path}"], on_error=report, published=dt.date(2023, 3, 12)))
    assert [d.doc_id for d in docs] == ["g1", "g2", "g3"]
    assert docs[0].text == "Short teaser only."
    assert [d.published for d in docs] == [dt.date(2023, 3, 11), dt.date(2023, 3, 12), dt.date(2023, 3, 12)]
    assert [(p.input, p.problem) for p in report.problems] == [(f"{server}{path}#4", "entry has no text")]


def test_read_feed_fetch_links_replaces_teasers_and_keeps_them_on_failure(server: str) -> None:
    report = ReadReport()
    docs = list(read_feed(f"{server}/feed", on_error=report, fetch_links=True))
    assert [d.doc_id for d in docs] == ["g1", "g2", "g3"]
    assert docs[0].text == ARTICLE and docs[1].text == ARTICLE
    # The entry's own date wins over the page's; an undated entry and page stay unknown.
    assert docs[0].published == dt.date(2023, 3, 11)
    assert docs[1].published is None
    assert docs[2].text == "Teaser of a lost page."
    kept, lost = report.problems
    assert kept.input == f"{server}/feed#3" and not kept.skipped
    assert "HTTP 404" in kept.problem and "keeping the feed's summary" in kept.problem
    assert lost.input == f"{server}/feed#4" and lost.skipped
    assert lost.problem.endswith("HTTP 404 Not Found; the entry has no text of its own")


def test_linked_pages_are_fetched_in_parallel_and_kept_in_feed_order(server: str) -> None:
    _Handler.most_in_flight = 0
    docs = list(read_feed(f"{server}/parallel-feed", fetch_links=True))
    assert [d.doc_id for d in docs] == [f"p{n}" for n in range(8)]
    assert all(d.text == ARTICLE for d in docs)
    assert _Handler.most_in_flight > 1


def test_read_feed_that_is_not_a_feed(server: str) -> None:
    report = ReadReport()
    assert list(read_feed(f"{server}/article", on_error=report)) == []
    [problem] = report.problems
    assert problem.input == f"{server}/article" and problem.problem.startswith("not an RSS or Atom feed")


def test_jsonl_over_http_reports_bad_lines_by_url_and_line(server: str) -> None:
    report = ReadReport()
    docs = list(read_paths([f"{server}/corpus.jsonl"], on_error=report))
    assert [d.doc_id for d in docs] == ["j1"]
    assert [p.input for p in report.problems] == [f"{server}/corpus.jsonl:2"]
