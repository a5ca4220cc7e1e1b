"""Cut the inputs of a run into partitions that workers read and code on their own.

A partition is either a group of whole inputs (files, URLs: read on the worker with ``read_paths``), a
range of lines of one large JSONL file (found by counting newlines on the client, without decoding or
keeping anything), or documents the client had to read itself (standard input). The client never holds
the corpus: it holds the plan, a few numbers per partition.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from detente.record import Document
from detente.sources import MAX_DOCUMENT_BYTES, SUFFIX_KINDS, ReadProblem, read_paths
from detente.sources.web import DEFAULT_TIMEOUT, is_url

__all__ = ["JsonlRange", "Partition", "ReadOptions", "plan_partitions", "read_partition"]

_STDIN = "-"
_BLOCK = 1 << 20
_GZIP_ERRORS = (gzip.BadGzipFile, EOFError, zlib.error, OSError)


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read: the same meaning as the arguments of ``detente.sources.read_paths``."""

    published: dt.date | None = None
    fetch_links: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = MAX_DOCUMENT_BYTES


@dataclass(frozen=True, slots=True)
class JsonlRange:
    """Lines ``first_line`` .. ``first_line + lines - 1`` (1-based) of a JSONL file.

    ``offset`` is the byte where the first line starts (-1 for a gzipped file, which a worker
    decompresses from the start and skips to its first line: gzip has no random access).
    """

    path: str
    first_line: int
    lines: int
    offset: int


@dataclass(frozen=True, slots=True)
class Partition:
    """One unit of work: exactly one of ``inputs``, ``jsonl`` or ``documents`` is set."""

    index: int
    inputs: tuple[str, ...] = ()
    jsonl: JsonlRange | None = None
    documents: tuple[Document, ...] = field(default=())

    @property
    def label(self) -> str:
        if self.jsonl is not None:
            end = self.jsonl.first_line + self.jsonl.lines - 1
            return f"{self.jsonl.path}:{self.jsonl.first_line}-{end}"
        if self.inputs:
            return self.inputs[0] if len(self.inputs) == 1 else f"{self.inputs[0]} (+{len(self.inputs) - 1})"
        return "<stdin>"


def _is_gzip(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def _kind(path: Path) -> str | None:
    inner = Path(path.stem) if _is_gzip(path) else path
    return SUFFIX_KINDS.get(inner.suffix.lower())


def _stem(path: Path) -> str:
    return Path(path.stem).stem if _is_gzip(path) else path.stem


def _expand(item: str, on_error: Callable[[ReadProblem], None]) -> Iterator[str]:
    """A directory's files in the order and with the rules of ``read_paths``; other inputs as they are."""
    if item == _STDIN or is_url(item) or not Path(item).is_dir():
        yield item
        return
    found = False
    for dirpath, dirnames, filenames in os.walk(item):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath, name)
            if _kind(path) is None:
                suffixes = "".join(path.suffixes[-2:]) if _is_gzip(path) else path.suffix
                on_error(ReadProblem(str(path), f"not a supported kind of file ({suffixes or 'no suffix'})"))
                continue
            found = True
            yield str(path)
    if not found:
        on_error(ReadProblem(item, "directory holds no .txt, .html, .jsonl or feed files"))


def _splittable_jsonl(item: str) -> Path | None:
    if item == _STDIN or is_url(item):
        return None
    path = Path(item)
    if not path.is_file() or _kind(path) != "jsonl":
        return None
    try:
        opener = gzip.open if _is_gzip(path) else open
        with opener(path, "rb") as handle:
            head = handle.read(8192)
    except _GZIP_ERRORS:
        return None
    # Empty, blank or binary files go whole to one worker, whose read_paths says what is wrong.
    if not head.strip() or b"\x00" in head:
        return None
    return path


def _line_starts(path: Path, every: int) -> Iterator[tuple[int, int, int]]:
    """(first line, line count, byte offset) of consecutive runs of ``every`` lines."""
    compressed = _is_gzip(path)
    opener = gzip.open if compressed else open
    with opener(path, "rb") as handle:
        line = 1  # the line the current run starts on
        start = 0
        position = 0
        in_run = 0
        pending = False  # bytes after the last newline (a last line without one)
        while block := handle.read(_BLOCK):
            cursor = 0
            while True:
                found = block.find(b"\n", cursor)
                if found < 0:
                    pending = cursor < len(block) or pending
                    break
                pending = False
                in_run += 1
                cursor = found + 1
                if in_run == every:
                    yield line, in_run, -1 if compressed else start
                    line += in_run
                    start = position + cursor
                    in_run = 0
            position += len(block)
        if pending:
            in_run += 1
        if in_run:
            yield line, in_run, -1 if compressed else start


def plan_partitions(
    paths: Iterable[str | os.PathLike[str]],
    *,
    partition_size: int,
    options: ReadOptions,
    on_error: Callable[[ReadProblem], None],
    stdin: BinaryIO | None = None,
) -> Iterator[Partition]:
    """Partitions of ``paths`` in input order: ``partition_size`` inputs, or JSONL lines, per partition."""
    size = max(1, partition_size)
    index = 0
    group: list[str] = []

    def flush() -> Iterator[Partition]:
        nonlocal index, group
        if group:
            yield Partition(index, inputs=tuple(group))
            index += 1
            group = []

    for raw in paths:
        for item in _expand(os.fspath(raw), on_error):
            if item == _STDIN:
                yield from flush()
                documents = read_paths(
                    [_STDIN],
                    published=options.published,
                    on_error=on_error,
                    fetch_links=options.fetch_links,
                    timeout=options.timeout,
                    max_bytes=options.max_bytes,
                    stdin=stdin,
                )
                while chunk := tuple(islice(documents, size)):
                    yield Partition(index, documents=chunk)
                    index += 1
                continue
            jsonl = _splittable_jsonl(item)
            try:
                runs = list(_line_starts(jsonl, size)) if jsonl is not None else []
            except _GZIP_ERRORS:
                runs = []  # damaged past its head: one worker reads it whole and says how, as read_paths
            if len(runs) <= 1:
                group.append(item)
                if len(group) >= size:
                    yield from flush()
                continue
            yield from flush()
            for first_line, lines, offset in runs:
                yield Partition(index, jsonl=JsonlRange(item, first_line, lines, offset))
                index += 1
    yield from flush()


# -- reading on the worker -------------------------------------------------------------------------


def read_partition(
    partition: Partition, options: ReadOptions, on_error: Callable[[ReadProblem], None]
) -> Iterator[tuple[Document, str]]:
    """The documents of one partition, as ``read_paths`` reads them, each with where it was read.

    Ids repeated across inputs are left as they are: the client renames them in input order over the
    whole run (``read_paths`` would rename them here, per partition, and the client again). The place
    is the file and line for a JSONL range, else the document's origin (``read_paths`` does not say
    which line of a whole file or which entry of a feed a document came from).
    """
    if partition.documents:
        for document in partition.documents:
            yield document, document.origin or partition.label
    elif partition.jsonl is not None:
        yield from _read_jsonl_range(partition.jsonl, options, on_error)
    else:
        for item in partition.inputs:
            documents = read_paths(
                [item],
                published=options.published,
                on_error=on_error,
                fetch_links=options.fetch_links,
                timeout=options.timeout,
                max_bytes=options.max_bytes,
            )
            for document in documents:
                yield document, document.origin or item


def _read_jsonl_range(
    part: JsonlRange, options: ReadOptions, on_error: Callable[[ReadProblem], None]
) -> Iterator[tuple[Document, str]]:
    # The record rules (ids, dates, language, problems) are read_paths' own, reached through its
    # reader: a range must give exactly the documents the whole file gives. (detente.sources has no
    # public entry point for one record; see docs/scale.md.)
    from detente.sources.reader import _bounded_lines, _Reader
    from detente.sources.text import human_size

    path = Path(part.path)
    reader = _Reader(
        published=options.published,
        on_error=on_error,
        fetch_links=False,
        timeout=options.timeout,
        max_bytes=options.max_bytes,
        stdin=None,
    )
    stem = _stem(path)
    compressed = part.offset < 0
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as handle:
            lines = _bounded_lines(handle, options.max_bytes)
            if compressed:
                for _ in islice(lines, part.first_line - 1):
                    pass
            else:
                handle.seek(part.offset)
            for number, raw in enumerate(islice(lines, part.lines), start=part.first_line):
                where = f"{part.path}:{number}"
                if raw is None:
                    reader.problem(where, f"line longer than the {human_size(options.max_bytes)} limit")
                    continue
                if not raw.strip():
                    continue
                document = reader.jsonl_record(where, raw, f"{stem}-{number}")
                if document is not None:
                    yield document, where  # repeated ids: renamed by the client, over the whole file
    except _GZIP_ERRORS as error:
        on_error(ReadProblem(part.path, f"cannot read lines {part.first_line}+: {error}"))
