"""Turn paths, URLs, feeds and stdin into ``Document``s, reporting each unreadable input on the way."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import stat
import sys
import urllib.parse
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO, Literal, Protocol

from detente.errors import InputError
from detente.record import Document
from detente.sources.feeds import FeedEntry, looks_like_feed, parse_feed
from detente.sources.html import parse_html
from detente.sources.problems import (
    MAX_DOCUMENT_BYTES,
    MAX_FEED_BYTES,
    OnError,
    ReadProblem,
    raise_problem,
)
from detente.sources.text import (
    BadInput,
    dateline_date,
    decode_text,
    english_problem,
    file_size_problem,
    human_size,
    looks_binary,
    parse_date,
    split_title,
    strip_date_header,
)
from detente.sources.web import DEFAULT_TIMEOUT, Fetched, fetch, is_url

__all__ = ["SUFFIX_KINDS", "read_feed", "read_paths", "read_url"]

Kind = Literal["text", "html", "jsonl", "feed"]

SUFFIX_KINDS: dict[str, Kind] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}
_STDIN = "-"
# Parallel page fetches for a feed read with fetch_links: enough to hide network latency, few enough
# not to hammer one news site.
_FETCH_WORKERS = 8
_STDIN_LABEL = "<stdin>"


def read_paths(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    published: dt.date | None = None,
    on_error: OnError | None = None,
    *,
    fetch_links: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    stdin: BinaryIO | None = None,
) -> Iterator[Document]:
    """Every document in ``paths``: files, directories (recursively), ``http(s)://`` URLs, ``-``.

    Files are read by suffix (.txt, .html/.htm, .jsonl, .xml/.rss/.atom, each optionally .gz); a
    file with another suffix named explicitly is recognised by its content, while inside a
    directory it is reported and skipped; hidden files and folders are skipped. A document's own
    date wins; ``published`` is the fallback. Each input that cannot be read is passed to
    ``on_error`` as a ``ReadProblem`` and reading goes on; without ``on_error`` the first problem
    raises ``InputError``.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    reader = _Reader(
        published=published,
        on_error=on_error or raise_problem,
        fetch_links=fetch_links,
        timeout=timeout,
        max_bytes=max_bytes,
        stdin=stdin,
    )
    for item in paths:
        yield from reader.read(os.fspath(item))


def _missing(item: str, path: Path) -> str:
    if path.is_symlink():
        return "broken symbolic link"
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", item)
    if scheme:
        # "ftp://host/x" is not a local path that happens to be missing: say what would work.
        return f"{scheme.group(1)}:// URLs are not supported (only http:// and https://)"
    return "no such file or directory"


def read_url(
    url: str,
    timeout: float = DEFAULT_TIMEOUT,
    published: dt.date | None = None,
    *,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Document:
    """The article at ``url`` (HTML or plain text); ``InputError`` naming the URL if it cannot be read.

    For a feed's URL use ``read_feed``, which gives one document per entry.
    """
    try:
        fetched = fetch(url, timeout=timeout, max_bytes=max_bytes)
        if _kind_of_fetched(fetched) == "feed":
            raise BadInput("this is a feed, not an article (read it with read_feed)")
        return _document_from_page(fetched, published)
    except BadInput as error:
        raise InputError(f"{url}: {error}") from None


def read_feed(
    url_or_path: str | os.PathLike[str],
    published: dt.date | None = None,
    on_error: OnError | None = None,
    *,
    fetch_links: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[Document]:
    """One document per entry of an RSS/Atom feed (a URL or a file).

    With ``fetch_links`` each entry's linked page is fetched and its article text replaces the
    feed's summary (the summary is kept, with a reported problem, when the page cannot be read).
    """
    reader = _Reader(
        published=published,
        on_error=on_error or raise_problem,
        fetch_links=fetch_links,
        timeout=timeout,
        max_bytes=MAX_DOCUMENT_BYTES,
        stdin=None,
    )
    label = os.fspath(url_or_path)
    try:
        if is_url(label):
            data = fetch(label, timeout=timeout, max_bytes=MAX_FEED_BYTES).body
        else:
            path = Path(label)
            _check_file(path, MAX_FEED_BYTES)
            data = path.read_bytes()
    except BadInput as error:
        reader.problem(label, str(error))
        return
    except OSError as error:
        reader.problem(label, _os_reason(error))
        return
    yield from reader.feed(label, data)


def _check_file(path: Path, limit: int) -> None:
    if not path.exists():
        raise BadInput("no such file or directory")
    if not path.is_file():
        raise BadInput("not a regular file")
    reason = file_size_problem(path, limit)
    if reason:
        raise BadInput(reason)


def _os_reason(error: OSError) -> str:
    return error.strerror.lower() if error.strerror else str(error)


def _sniff(data: bytes) -> Kind:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"<"):
        return "feed" if looks_like_feed(head) else "html"
    return "text"


def _kind_of_fetched(fetched: Fetched) -> Kind:
    content_type = fetched.content_type
    if content_type in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return "feed"
    if content_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if content_type in ("application/jsonl", "application/x-ndjson", "application/x-jsonlines"):
        return "jsonl"
    if content_type == "text/plain":
        return "text"
    return _sniff(fetched.body)


def _document_from_page(fetched: Fetched, published: dt.date | None) -> Document:
    kind = _kind_of_fetched(fetched)
    if kind == "text":
        text, date = strip_date_header(decode_text(fetched.body))
        title, text = split_title(text)
        date = date or dateline_date(text)
    elif kind == "html":
        title, text, date = parse_html(fetched.body, url=fetched.url)
    else:
        raise BadInput(f"cannot read {fetched.content_type or 'this content'} as an article")
    _check_language(text)
    return Document(
        doc_id=fetched.url,
        text=text,
        published=date or published,
        title=title,
        url=fetched.url,
        origin=fetched.url,
    )


def _check_language(text: str) -> None:
    reason = english_problem(text)
    if reason:
        raise BadInput(reason)


class _Reader:
    """State of one batch: the fallback date, the callback, and the ids handed out so far."""

    def __init__(
        self,
        *,
        published: dt.date | None,
        on_error: OnError,
        fetch_links: bool,
        timeout: float,
        max_bytes: int,
        stdin: BinaryIO | None,
    ) -> None:
        self.published = published
        self.on_error = on_error
        self.fetch_links = fetch_links
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.stdin = stdin
        self.seen_ids: set[str] = set()

    def problem(self, where: str, what: str, *, skipped: bool = True) -> None:
        self.on_error(ReadProblem(where, what, skipped))

    def unique(self, doc: Document, where: str) -> Document:
        # Two inputs with one id (the same stem in two folders, a repeated JSONL id) would merge in
        # the store; the later one gets a suffix, and the user is told.
        if doc.doc_id in self.seen_ids:
            number = 2
            while f"{doc.doc_id}~{number}" in self.seen_ids:
                number += 1
            new_id = f"{doc.doc_id}~{number}"
            message = f"doc_id {doc.doc_id!r} already used; this document is {new_id!r}"
            self.problem(where, message, skipped=False)
            doc.doc_id = new_id
        self.seen_ids.add(doc.doc_id)
        return doc

    # --- dispatch ---------------------------------------------------------------------------

    def read(self, item: str) -> Iterator[Document]:
        if item == _STDIN:
            yield from self.from_stdin()
        elif is_url(item):
            yield from self.from_url(item)
        else:
            path = Path(item)
            if path.is_dir():
                yield from self.from_directory(path)
            elif not path.exists():
                self.problem(item, _missing(item, path))
            else:
                yield from self.from_file(path, _kind_of_path(path))

    def from_directory(self, root: Path) -> Iterator[Document]:
        found = False
        for dirpath, dirnames, filenames in os.walk(root):
            # Hidden folders (.git, .cache) and files (.DS_Store) are never news.
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath, name)
                kind = _kind_of_path(path)
                if kind is None:
                    suffixes = "".join(path.suffixes[-2:]) if _is_gzip(path) else path.suffix
                    self.problem(str(path), f"not a supported kind of file ({suffixes or 'no suffix'})")
                    continue
                found = True
                yield from self.from_file(path, kind)
        if not found:
            self.problem(str(root), "directory holds no .txt, .html, .jsonl or feed files")

    def from_file(self, path: Path, kind: Kind | None) -> Iterator[Document]:
        where = str(path)
        compressed = _is_gzip(path)
        stem = _stem(path)
        try:
            limit = MAX_FEED_BYTES if kind == "feed" else self.max_bytes
            if not path.is_file():
                if path.is_symlink() and not path.exists():
                    raise BadInput("broken symbolic link")
                if not _is_stream(path):
                    raise BadInput("not a regular file")
                # A pipe or terminal, as from the shell's <(command): read like stdin, bounded.
                with path.open("rb") as stream:
                    data = stream.read(limit + 1)
                if len(data) > limit:
                    raise BadInput(f"input is larger than the {human_size(limit)} limit")
                if not data:
                    raise BadInput("empty input")
            elif kind == "jsonl":
                yield from self.jsonl(path, compressed)
                return
            elif compressed:
                data = _read_gzip(path, limit)
            else:
                reason = file_size_problem(path, limit)
                if reason:
                    raise BadInput(reason)
                data = path.read_bytes()
        except BadInput as error:
            self.problem(where, str(error))
            return
        except OSError as error:
            self.problem(where, _os_reason(error))
            return
        if kind is None:
            kind = _sniff(data)
        if kind == "feed":
            yield from self.feed(where, data)
        elif kind == "jsonl":
            yield from self.jsonl_lines(where, stem, _lines_of(data))
        else:
            doc = self.single(where, stem, data, kind)
            if doc is not None:
                yield self.unique(doc, where)

    def from_stdin(self) -> Iterator[Document]:
        stream = self.stdin if self.stdin is not None else sys.stdin.buffer
        data = stream.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            self.problem(_STDIN_LABEL, f"input is larger than the {human_size(self.max_bytes)} limit")
            return
        if not data:
            self.problem(_STDIN_LABEL, "empty input")
            return
        kind = _sniff(data)
        if kind == "feed":
            yield from self.feed(_STDIN_LABEL, data)
        elif kind == "jsonl":
            yield from self.jsonl_lines(_STDIN_LABEL, "stdin", _lines_of(data))
        else:
            doc = self.single(_STDIN_LABEL, "stdin", data, kind)
            if doc is not None:
                yield self.unique(doc, _STDIN_LABEL)

    def from_url(self, url: str) -> Iterator[Document]:
        try:
            fetched = fetch(url, timeout=self.timeout, max_bytes=MAX_FEED_BYTES)
        except BadInput as error:
            self.problem(url, str(error))
            return
        kind = _kind_of_fetched(fetched)
        if kind == "feed":
            yield from self.feed(url, fetched.body)
            return
        if kind == "jsonl":
            # A corpus served over HTTP: held to the feed limit, as it is fetched whole.
            stem = Path(urllib.parse.urlsplit(url).path).stem or "url"
            yield from self.jsonl_lines(url, stem, _lines_of(fetched.body))
            return
        try:
            if len(fetched.body) > self.max_bytes:
                raise BadInput(f"page is larger than the {human_size(self.max_bytes)} limit")
            doc = _document_from_page(fetched, self.published)
        except BadInput as error:
            self.problem(url, str(error))
            return
        yield self.unique(doc, url)

    # --- formats ----------------------------------------------------------------------------

    def single(self, where: str, stem: str, data: bytes, kind: Kind) -> Document | None:
        """One .txt or .html document, or None after reporting why not."""
        try:
            if kind == "html":
                title, text, date = parse_html(data)
            else:
                text, date = strip_date_header(decode_text(data))
                title, text = split_title(text)
                date = date or dateline_date(text)
                if not text.strip():
                    raise BadInput("no text (only whitespace)")
            _check_language(text)
        except BadInput as error:
            self.problem(where, str(error))
            return None
        return Document(doc_id=stem, text=text, published=date or self.published, title=title, origin=where)

    def feed(self, where: str, data: bytes) -> Iterator[Document]:
        try:
            _feed_title, entries = parse_feed(data)
        except BadInput as error:
            self.problem(where, str(error))
            return
        numbered = list(enumerate(entries, start=1))
        if not self.fetch_links:
            for number, entry in numbered:
                yield from self.feed_entry(where, entry, number, None)
            return
        # Linked pages are fetched a window at a time in parallel (network waits, not CPU), and
        # entries still come out in feed order; the window bounds the pages held in memory.
        window = 2 * _FETCH_WORKERS
        with ThreadPoolExecutor(max_workers=_FETCH_WORKERS, thread_name_prefix="detente-fetch") as pool:
            for start in range(0, len(numbered), window):
                batch = numbered[start : start + window]
                pages = list(pool.map(self.linked_page, [entry.link for _, entry in batch]))
                for (number, entry), page in zip(batch, pages, strict=True):
                    yield from self.feed_entry(where, entry, number, page)

    def linked_page(self, link: str | None) -> Document | BadInput | None:
        """The article behind a feed entry's link, or the reason it cannot be read (as a value)."""
        if not link:
            return None
        try:
            return _document_from_page(fetch(link, timeout=self.timeout, max_bytes=self.max_bytes), None)
        except BadInput as error:
            return error

    def feed_entry(
        self, feed_label: str, entry: FeedEntry, number: int, page: Document | BadInput | None
    ) -> Iterator[Document]:
        where = f"{feed_label}#{number}"
        text, date, title = entry.text, entry.published, entry.title
        if isinstance(page, BadInput):
            if not text.strip():
                self.problem(where, f"linked page {entry.link}: {page}; the entry has no text of its own")
                return
            message = f"linked page {entry.link}: {page}; keeping the feed's summary"
            self.problem(where, message, skipped=False)
        elif page is not None:
            text = page.text
            date = date or page.published
            title = title or page.title
        if not text.strip():
            self.problem(where, "entry has no text")
            return
        try:
            _check_language(text)
        except BadInput as error:
            self.problem(where, str(error))
            return
        doc_id = entry.entry_id or entry.link or f"{Path(feed_label).stem or 'feed'}#{number}"
        document = Document(
            doc_id=doc_id,
            text=text,
            published=date or self.published,
            title=title,
            url=entry.link,
            origin=feed_label,
        )
        yield self.unique(document, where)

    def jsonl(self, path: Path, compressed: bool) -> Iterator[Document]:
        where = str(path)
        if path.stat().st_size == 0:
            self.problem(where, "empty file")
            return
        opener = gzip.open if compressed else open
        with opener(path, "rb") as handle:
            try:
                head = handle.read(8192)
            except _GZIP_ERRORS as error:
                self.problem(where, _gzip_reason(error))
                return
            if not head.strip():
                self.problem(where, "empty file" if not head else "no text (only whitespace)")
                return
            if looks_binary(head):
                self.problem(where, "binary file, not JSONL")
                return
            handle.seek(0)
            lines = _bounded_lines(handle, self.max_bytes)
            yield from self.jsonl_lines(where, _stem(path), _stop_at_gzip_error(lines, self, where))

    def jsonl_lines(self, where: str, stem: str, lines: Iterable[bytes | None]) -> Iterator[Document]:
        found = False
        for number, raw in enumerate(lines, start=1):
            line_where = f"{where}:{number}"
            if raw is None:
                self.problem(line_where, f"line longer than the {human_size(self.max_bytes)} limit")
                continue
            if not raw.strip():
                continue
            doc = self.jsonl_record(line_where, raw, f"{stem}-{number}")
            if doc is not None:
                found = True
                yield self.unique(doc, line_where)
        if not found:
            self.problem(where, "no readable documents in the JSONL file")

    def jsonl_record(self, where: str, raw: bytes, default_id: str) -> Document | None:
        try:
            line = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.problem(where, f"not valid UTF-8 (byte 0x{raw[error.start : error.start + 1].hex()})")
            return None
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            self.problem(where, f"not valid JSON ({error.msg} at column {error.colno})")
            return None
        if not isinstance(record, dict):
            self.problem(where, f"expected a JSON object, found {type(record).__name__}")
            return None
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            self.problem(where, "no 'text' field" if text is None else "'text' is empty or not a string")
            return None
        reason = english_problem(text)
        if reason:
            self.problem(where, reason)
            return None
        raw_id = record.get("id", record.get("doc_id"))
        doc_id = str(raw_id) if isinstance(raw_id, (str, int)) and str(raw_id).strip() else default_id
        date = None
        raw_date = record.get("published", record.get("date"))
        if raw_date not in (None, ""):
            fallback = self.published.isoformat() if self.published else "unknown"
            try:
                date = parse_date(raw_date)
            except ValueError as error:
                self.problem(where, f"'published' {error}; using {fallback}", skipped=False)
            else:
                if date > dt.date.today() + dt.timedelta(days=1):
                    # A report cannot be published in the future: a typo or a swapped field, and
                    # every relative date in the text would resolve against it.
                    message = f"'published' {date.isoformat()} is in the future; using {fallback}"
                    self.problem(where, message, skipped=False)
                    date = None
        title = record.get("title")
        url = record.get("url")
        return Document(
            doc_id=doc_id,
            text=text.replace("\r\n", "\n"),
            published=date or self.published,
            title=title if isinstance(title, str) and title.strip() else None,
            url=url if isinstance(url, str) and url.strip() else None,
            origin=where.rsplit(":", 1)[0],
        )


_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error)


def _is_stream(path: Path) -> bool:
    mode = path.stat().st_mode
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _is_gzip(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def _stem(path: Path) -> str:
    """The document id a file gives: ``story`` for story.txt and for story.txt.gz."""
    return Path(path.stem).stem if _is_gzip(path) else path.stem


def _kind_of_path(path: Path) -> Kind | None:
    inner = Path(path.stem) if _is_gzip(path) else path
    return SUFFIX_KINDS.get(inner.suffix.lower())


def _gzip_reason(error: BaseException) -> str:
    if isinstance(error, EOFError):
        return "gzip file is truncated"
    return f"not a valid gzip file ({error})"


def _read_gzip(path: Path, limit: int) -> bytes:
    """The decompressed content, read no further than ``limit`` bytes (a small file can inflate hugely)."""
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except _GZIP_ERRORS as error:
        raise BadInput(_gzip_reason(error)) from None
    if len(data) > limit:
        raise BadInput(f"decompressed content is above the {human_size(limit)} limit for one document")
    return data


def _stop_at_gzip_error(lines: Iterator[bytes | None], reader: _Reader, where: str) -> Iterator[bytes | None]:
    # A corrupt or truncated archive ends the file, not the batch; the lines before it are kept.
    try:
        yield from lines
    except _GZIP_ERRORS as error:
        reader.problem(where, _gzip_reason(error) + "; the lines before the damage were read", skipped=True)


def _lines_of(data: bytes) -> Iterator[bytes | None]:
    yield from data.splitlines()


class _LineSource(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


def _bounded_lines(handle: _LineSource, limit: int) -> Iterator[bytes | None]:
    """Lines of a stream, never holding more than ``limit`` bytes: an overlong line yields None."""
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            # Skip the rest of the overlong line in bounded chunks.
            while True:
                rest = handle.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line
