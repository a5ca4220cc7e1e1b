"""Stage 1, ingest: news in any common form becomes ``detente.record.Document``s.

- ``read_paths(paths, published=None, on_error=None)``: files (.txt, .html/.htm, .jsonl,
  .xml/.rss/.atom feeds, each optionally gzipped), directories (recursively, sorted, hidden files skipped), ``http(s)://``
  URLs and ``-`` for stdin, in one stream of documents.
- ``read_url(url)``: one article fetched over HTTP(S); ``read_feed(url_or_path)``: one document
  per feed entry, optionally with each linked page fetched.
- ``sample_documents()``: the bundled sample corpus, written by the detente authors.

Each unreadable input (missing, empty, binary, not UTF-8, too large, not English, HTML without an
article, a malformed JSONL line, an unreachable URL, a feed that is no feed) becomes one
``ReadProblem`` passed to ``on_error`` and the batch goes on; ``ReadReport`` collects them.
Publication dates: the document's own (HTML metadata via htmldate, feed entry dates, JSONL
``published``, a ``Published: YYYY-MM-DD`` line atop a .txt), else ``published``, else None.
"""

from __future__ import annotations

from detente.sources.problems import (
    MAX_DOCUMENT_BYTES,
    MAX_FEED_BYTES,
    OnError,
    ReadProblem,
    ReadReport,
)
from detente.sources.reader import SUFFIX_KINDS, read_feed, read_paths, read_url
from detente.sources.sample import sample_documents, sample_path

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_FEED_BYTES",
    "SUFFIX_KINDS",
    "OnError",
    "ReadProblem",
    "ReadReport",
    "read_feed",
    "read_paths",
    "read_url",
    "sample_documents",
    "sample_path",
]
