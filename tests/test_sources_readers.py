"""Each reader on well-formed input: text, HTML (with dates from metadata), JSONL, feeds, folders, stdin."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from detente.record import Document
from detente.sources import ReadReport, read_feed, read_paths

ARTICLE = (
    "Pakistan and Iran agreed on Monday that their ambassadors would return to their posts by the end of "
    "the week, the foreign ministries of the two countries said in a joint statement. The announcement "
    "followed a week of strikes across their shared border and telephone calls between the two foreign "
    "ministers."
)


def read(paths: list[str | Path], **kwargs: object) -> tuple[list[Document], ReadReport]:
    report = ReadReport()
    documents = list(read_paths(paths, on_error=report, **kwargs))  # type: ignore[arg-type]
    return documents, report


def test_text_file_uses_stem_as_id_and_first_line_as_title(tmp_path: Path) -> None:
    path = tmp_path / "iran-pakistan.txt"
    path.write_text(f"Ambassadors to return\n\n{ARTICLE}\n", encoding="utf-8")
    [doc], report = read([path])
    assert report.problems == []
    assert doc.doc_id == "iran-pakistan"
    assert doc.title == "Ambassadors to return"
    assert doc.text == ARTICLE
    assert doc.published is None
    assert doc.origin == str(path)


def test_text_file_without_headline_keeps_first_line_in_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE + "\n\nA second paragraph.\n", encoding="utf-8")
    [doc], _ = read([path])
    assert doc.title is None
    assert doc.text.startswith("Pakistan and Iran agreed")


def test_text_published_header_beats_fallback_and_fallback_fills_gaps(tmp_path: Path) -> None:
    dated = tmp_path / "dated.txt"
    dated.write_text(f"Published: 2024-01-22\n{ARTICLE}\n", encoding="utf-8")
    undated = tmp_path / "undated.txt"
    undated.write_text(ARTICLE, encoding="utf-8")
    docs, report = read([dated, undated], published=dt.date(2024, 1, 30))
    assert report.problems == []
    assert [d.published for d in docs] == [dt.date(2024, 1, 22), dt.date(2024, 1, 30)]
    assert "Published" not in docs[0].text


def test_text_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace(". ", ".\r\n").encode())
    [doc], _ = read([path])
    assert not doc.text.startswith("\ufeff")
    assert "\r" not in doc.text


HTML_PAGE = f"""<!DOCTYPE html><html><head><title>World | Example News</title>
<meta property="article:published_time" content="2024-01-22T09:30:00+05:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Iran and Pakistan restore ambassadors</h1>
<p>{ARTICLE}</p>
<p>Officials in Islamabad and Tehran said further talks would follow later in the month.</p>
</article>
<footer>Copyright 2019 Example News. All rights reserved.</footer>
</body></html>"""


def test_html_article_text_title_and_meta_date(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    [doc], report = read([path], published=dt.date(2000, 1, 1))
    assert report.problems == []
    assert doc.doc_id == "page"
    assert doc.title == "Iran and Pakistan restore ambassadors"
    assert doc.text.startswith("Pakistan and Iran agreed")
    assert "Home" not in doc.text and "Copyright" not in doc.text
    assert doc.published == dt.date(2024, 1, 22)


@pytest.mark.parametrize(
    ("head", "body_extra", "expected"),
    [
        (
            '<script type="application/ld+json">'
            '{"@type": "NewsArticle", "datePublished": "2016-01-03"}</script>',
            "",
            dt.date(2016, 1, 3),
        ),
        ("", '<time datetime="2019-02-27">27 February</time>', dt.date(2019, 2, 27)),
        ('<meta name="date" content="2015-11-24">', "", dt.date(2015, 11, 24)),
        # No date in the metadata: a copyright year must not be taken for a publication date.
        ("", "", None),
    ],
)
def test_html_dates_come_from_metadata_only(
    tmp_path: Path, head: str, body_extra: str, expected: dt.date | None
) -> None:
    page = (
        f"<html><head>{head}</head><body><article>{body_extra}<p>{ARTICLE}</p></article>"
        "<footer>Copyright 2023</footer></body></html>"
    )
    path = tmp_path / "p.htm"
    path.write_text(page, encoding="utf-8")
    [doc], _ = read([path])
    assert doc.published == expected


def test_jsonl_fields_and_fallback_date(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    lines = [
        {
            "id": "a1",
            "text": ARTICLE,
            "published": "2024-01-22",
            "title": "T",
            "url": "https://example.org/a1",
        },
        {"id": 7, "text": ARTICLE},
        {"text": ARTICLE, "published": "2024-01-29T08:00:00Z"},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")
    docs, report = read([path], published=dt.date(2024, 2, 1))
    assert report.problems == []
    assert [d.doc_id for d in docs] == ["a1", "7", "corpus-3"]
    assert [d.published for d in docs] == [dt.date(2024, 1, 22), dt.date(2024, 2, 1), dt.date(2024, 1, 29)]
    assert docs[0].title == "T" and docs[0].url == "https://example.org/a1"
    assert docs[1].title is None and docs[1].url is None


def test_jsonl_bad_published_keeps_document_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(
        json.dumps({"id": "x", "text": ARTICLE, "published": "22/01/2024"}) + "\n", encoding="utf-8"
    )
    [doc], report = read([path])
    assert doc.published is None
    [problem] = report.problems
    assert problem.input == f"{path}:1" and not problem.skipped
    assert "not a date" in problem.problem


def test_duplicate_ids_are_disambiguated_and_reported(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b" / "story.txt").write_text(ARTICLE, encoding="utf-8")
    docs, report = read([tmp_path])
    assert [d.doc_id for d in docs] == ["story", "story~2"]
    assert len(report.problems) == 1 and not report.problems[0].skipped


def test_directory_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub" / "c.html").write_text(HTML_PAGE, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".git" / "d.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    docs, report = read([tmp_path])
    assert [d.doc_id for d in docs] == ["a", "b", "c"]
    assert [p.input for p in report.problems] == [str(tmp_path / "notes.pdf")]
    assert "not a supported kind of file" in report.problems[0].problem


def test_explicit_file_with_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    page = tmp_path / "saved.page"
    page.write_text(HTML_PAGE, encoding="utf-8")
    lines = tmp_path / "dump.data"
    lines.write_text(json.dumps({"id": "z", "text": ARTICLE}) + "\n", encoding="utf-8")
    docs, report = read([page, lines])
    assert report.problems == []
    assert [d.doc_id for d in docs] == ["saved", "z"]
    assert docs[0].published == dt.date(2024, 1, 22)


@pytest.mark.parametrize(
    ("payload", "expected_ids"),
    [
        (ARTICLE.encode(), ["stdin"]),
        (HTML_PAGE.encode(), ["stdin"]),
        (
            (
                json.dumps({"id": "s1", "text": ARTICLE}) + "\n" + json.dumps({"id": "s2", "text": ARTICLE})
            ).encode(),
            ["s1", "s2"],
        ),
    ],
)
def test_stdin_is_sniffed(payload: bytes, expected_ids: list[str]) -> None:
    docs, report = read(["-"], stdin=io.BytesIO(payload))
    assert report.problems == []
    assert [d.doc_id for d in docs] == expected_ids


RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example World News</title><link>https://example.org/</link>
<description>World news</description>
<item><title>Ambassadors to return</title><link>https://example.org/1</link><guid>urn:example:1</guid>
<pubDate>Mon, 22 Jan 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;{ARTICLE}&lt;/p&gt;</description></item>
<item><title>Undated item</title><link>https://example.org/2</link>
<description>{ARTICLE}</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Example Atom</title><id>urn:example:feed</id>
<updated>2024-01-30T00:00:00Z</updated>
<entry><title>Minister visits Islamabad</title><id>urn:example:atom:1</id>
<link href="https://example.org/atom/1"/><published>2024-01-29T12:00:00Z</published>
<updated>2024-01-30T08:00:00Z</updated>
<summary>short summary</summary>
<content type="html">&lt;p&gt;{ARTICLE}&lt;/p&gt;
&lt;p&gt;Second paragraph of the story.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_feed_entries(tmp_path: Path) -> None:
    path = tmp_path / "world.rss"
    path.write_text(RSS, encoding="utf-8")
    docs, report = read([path], published=dt.date(2024, 1, 25))
    assert report.problems == []
    assert [d.doc_id for d in docs] == ["urn:example:1", "https://example.org/2"]
    assert docs[0].title == "Ambassadors to return"
    assert docs[0].url == "https://example.org/1"
    assert docs[0].text == ARTICLE
    assert docs[0].published == dt.date(2024, 1, 22)
    assert docs[1].published == dt.date(2024, 1, 25)  # no pubDate: the fallback


def test_atom_feed_prefers_content_and_published_date(tmp_path: Path) -> None:
    path = tmp_path / "feed.atom"
    path.write_text(ATOM, encoding="utf-8")
    [doc] = list(read_feed(path))
    assert doc.doc_id == "urn:example:atom:1"
    assert doc.text == ARTICLE + "\nSecond paragraph of the story."
    assert doc.published == dt.date(2024, 1, 29)
    assert doc.url == "https://example.org/atom/1"


def test_html_in_a_declared_legacy_charset_is_decoded(tmp_path: Path) -> None:
    body = "<p>" + "Iran’s foreign minister said the café in Zürich would reopen. " * 4 + "</p>"
    page = f'<html><head><meta charset="windows-1252"></head><body><article>{body}</article></body></html>'
    path = tmp_path / "legacy.html"
    path.write_bytes(page.encode("cp1252"))
    [doc], report = read([path])
    assert report.problems == []
    assert doc.text.startswith("Iran’s foreign minister said the café in Zürich")


def test_jsonl_published_in_the_future_falls_back_and_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    path.write_text(json.dumps({"id": "x", "text": ARTICLE, "published": future}) + "\n", encoding="utf-8")
    [doc], report = read([path], published=dt.date(2024, 1, 22))
    assert doc.published == dt.date(2024, 1, 22)
    [problem] = report.problems
    assert (
        problem.problem == f"'published' {future} is in the future; using 2024-01-22" and not problem.skipped
    )


def test_gzipped_text_html_and_jsonl(tmp_path: Path) -> None:
    import gzip

    (tmp_path / "story.txt.gz").write_bytes(gzip.compress(f"Headline\n\n{ARTICLE}".encode()))
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(HTML_PAGE.encode()))
    lines = "".join(json.dumps({"id": f"z{n}", "text": ARTICLE}) + "\n" for n in range(3))
    (tmp_path / "corpus.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    (tmp_path / "archive.tar.gz").write_bytes(gzip.compress(b"not news"))
    docs, report = read([tmp_path])
    assert [d.doc_id for d in docs] == ["z0", "z1", "z2", "page", "story"]
    assert docs[4].title == "Headline" and docs[4].text == ARTICLE
    assert docs[3].published == dt.date(2024, 1, 22)
    assert [(p.input, p.problem) for p in report.problems] == [
        (str(tmp_path / "archive.tar.gz"), "not a supported kind of file (.tar.gz)")
    ]


def test_named_pipe_is_read_like_stdin(tmp_path: Path) -> None:
    import os
    import threading

    pipe = tmp_path / "incoming"
    os.mkfifo(pipe)

    def write() -> None:
        with pipe.open("wb") as handle:
            handle.write(HTML_PAGE.encode())

    writer = threading.Thread(target=write)
    writer.start()
    [doc], report = read([pipe])
    writer.join(timeout=10)
    assert report.problems == []
    assert doc.doc_id == "incoming" and doc.published == dt.date(2024, 1, 22)
