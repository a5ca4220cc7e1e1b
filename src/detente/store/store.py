"""The DuckDB event store: open with lock handling, write in batches, query events as DataFrames.

DuckDB allows one process to open a database file for writing, or any number of processes to open it
read-only, never both at once. The store therefore never holds the file longer than it must:

* a writer (``read_only=False``) holds the file while it writes and lets go with ``release()``; the
  importers and ``ingest`` release it after every committed batch so readers get their turn;
* a reader (``read_only=True``) opens the file for each query and closes it straight after;
* whoever finds the file locked retries with back-off for ``lock_timeout`` seconds (default 30,
  ``DETENTE_LOCK_TIMEOUT``) and then raises ``StoreError`` naming the file;
* a waiting reader leaves a marker in ``<db>.readers/`` and a releasing writer waits for marked readers
  to get in before it reopens, so a long import cannot starve them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import duckdb
import pandas as pd
import pyarrow as pa

from detente.errors import InputError, StoreError
from detente.record import EVENT_FIELDS, Document, Event

__all__ = [
    "DEDUP_WINDOW_DAYS",
    "DEFAULT_DB",
    "EVENT_COLUMNS",
    "BatchResult",
    "Store",
    "normalize_root",
    "resolve_path",
    "sort_events_by_dyad",
    "text_hash",
]

DEFAULT_DB = "detente.duckdb"
# Reports of one real event are usually dated within a day or two of each other (time zones, "yesterday",
# follow-ups); a wider window starts merging distinct clashes of a running conflict.
DEDUP_WINDOW_DAYS = 2

_EXTRA_EVENT_COLUMNS = (
    "dataset",
    "original_id",
    "num_sources",
    "batch_id",
    "source_code",
    "target_code",
    "reported",
    "num_articles",
    "avg_tone",
    "source_url",
)
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "dataset",
    "original_id",
    *[name for name in EVENT_FIELDS if name != "event_id"],
    *[name for name in _EXTRA_EVENT_COLUMNS if name not in ("dataset", "original_id")],
)

_EITHER_DIRECTION = (
    "((source_country = ? AND target_country = ?) OR (source_country = ? AND target_country = ?))"
)
# How long a writer between batches waits for announced readers to get the file, and when a
# reader's marker counts as left behind by a dead process.
_READER_TURN_SECONDS = 2.0
_STALE_MARKER_SECONDS = 120.0
_LOCK_MARKERS = ("lock", "Conflicting", "being used by another process")


def resolve_path(path: str | os.PathLike[str] | None = None) -> Path:
    """The database file: the argument, else ``DETENTE_DB``, else ``./detente.duckdb``."""
    if path is not None and str(path) != "":
        return Path(path)
    env = os.environ.get("DETENTE_DB")
    return Path(env) if env else Path(DEFAULT_DB)


def text_hash(text: str) -> str:
    """Hash of a report's text with whitespace normalised, so a re-fetched copy is recognised."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def normalize_root(root: str | int) -> str:
    """A CAMEO root as stored ("01".."20") from what a user types (1, "1", "01", "19")."""
    text = str(root).strip()
    if not text.isdigit() or not 1 <= int(text) <= 20:
        raise InputError(f"CAMEO root {root!r}: expected a number from 01 to 20")
    return f"{int(text):02d}"


def _outlet(doc: Document) -> str | None:
    if doc.url:
        host = urlparse(doc.url).hostname or ""
        return host.removeprefix("www.") or None
    return doc.origin


@dataclass(slots=True)
class BatchResult:
    """What one write did: the batch id and how many rows of each kind it stored or skipped."""

    batch_id: int
    documents_added: int = 0
    documents_skipped: int = 0
    events_added: int = 0
    events_merged: int = 0
    mentions_added: int = 0


class Store:
    """An event store in one DuckDB file (see the module docstring for the locking rules)."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        read_only: bool = False,
        *,
        lock_timeout: float | None = None,
        dedup_window_days: int = DEDUP_WINDOW_DAYS,
    ) -> None:
        self.path = resolve_path(path)
        self.read_only = read_only
        self.lock_timeout = (
            float(os.environ.get("DETENTE_LOCK_TIMEOUT", "30")) if lock_timeout is None else lock_timeout
        )
        self.dedup_window_days = dedup_window_days
        self._conn: duckdb.DuckDBPyConnection | None = None
        if read_only:
            if not self.path.exists():
                raise StoreError(
                    f"{self.path}: no event store there (create one with `detente ingest` or `import`)"
                )
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.session() as conn:
                conn.execute(_schema_sql())
                _add_missing_columns(conn)
            # Opening a store to write later must not lock readers out meanwhile.
            self.close()

    # -- connections -------------------------------------------------------------------------------

    def connect(self) -> duckdb.DuckDBPyConnection:
        """The open connection (opened on first use, waiting for a lock held by another process)."""
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        return self.connect()

    def release(self) -> None:
        """Close the file so another process can open it; the next call reopens it.

        A writer that releases gives waiting readers their turn first (see ``_readers_waiting``):
        without that, a writer reopening at once would starve them for a whole import.
        """
        if self._conn is None:
            return
        with contextlib.suppress(duckdb.Error):
            self._conn.close()
        self._conn = None
        if not self.read_only:
            deadline = time.monotonic() + _READER_TURN_SECONDS
            while self._readers_waiting() and time.monotonic() < deadline:
                time.sleep(0.005)

    def close(self) -> None:
        """Close the file (no waiting: the store is done with)."""
        if self._conn is not None:
            with contextlib.suppress(duckdb.Error):
                self._conn.close()
            self._conn = None

    @property
    def _waiting_dir(self) -> Path:
        return self.path.with_name(self.path.name + ".readers")

    def _readers_waiting(self) -> bool:
        """Readers announce themselves with a marker file while they wait for the lock; markers of
        readers that died (older than their longest possible wait) are ignored."""
        try:
            markers = list(self._waiting_dir.iterdir())
        except OSError:
            return False
        now = time.time()
        fresh = False
        for marker in markers:
            with contextlib.suppress(OSError):
                if now - marker.stat().st_mtime < _STALE_MARKER_SECONDS:
                    fresh = True
                else:
                    marker.unlink()
        return fresh

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def session(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection for a few statements; a reader's file is closed again afterwards."""
        held = self._conn is not None
        conn = self.connect()
        try:
            yield conn
        finally:
            if self.read_only and not held:
                self.release()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing writes: a crash or an error inside leaves the store as it was."""
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only, cannot write")
        conn = self.connect()
        conn.execute("BEGIN TRANSACTION")
        try:
            yield conn
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def _open(self) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.005
        marker: Path | None = None
        try:
            while True:
                try:
                    return duckdb.connect(str(self.path), read_only=self.read_only)
                except duckdb.ConnectionException as error:
                    # The same process already has the file open read-write (e.g. a server that also
                    # ingests): DuckDB shares that instance, so read through it.
                    if self.read_only and "different configuration" in str(error):
                        return duckdb.connect(str(self.path))
                    # A reader of this same process is mid-query: wait for it like for a lock.
                    if "different configuration" in str(error) and time.monotonic() < deadline:
                        time.sleep(delay)
                        continue
                    raise StoreError(
                        f"{self.path}: cannot open the event store: {_first_line(error)}"
                    ) from None
                except duckdb.IOException as error:
                    if not any(text in str(error) for text in _LOCK_MARKERS):
                        raise StoreError(
                            f"{self.path}: cannot open the event store: {_first_line(error)}"
                        ) from None
                    if time.monotonic() >= deadline:
                        raise StoreError(
                            f"{self.path}: locked by another process writing to it "
                            f"(waited {self.lock_timeout:g} s; DuckDB allows one writer or many readers)"
                        ) from None
                    if self.read_only and marker is None:
                        marker = self._announce()
                    time.sleep(delay * (1 + random.random()))
                    delay = min(delay * 2, 0.2)
                except duckdb.Error as error:
                    raise StoreError(
                        f"{self.path}: not a detente event store: {_first_line(error)}"
                    ) from None
        finally:
            if marker is not None:
                with contextlib.suppress(OSError):
                    marker.unlink()

    def _announce(self) -> Path | None:
        """Leave a marker so a writer between batches lets this reader in (best effort)."""
        try:
            self._waiting_dir.mkdir(exist_ok=True)
            marker = self._waiting_dir / f"{os.getpid()}-{random.getrandbits(32):08x}"
            marker.touch()
            return marker
        except OSError:
            return None

    # -- writing -----------------------------------------------------------------------------------

    def new_batch(
        self,
        kind: str,
        location: str,
        dataset: str,
        *,
        version: str | None = None,
        content_hash: str | None = None,
        status: str = "running",
    ) -> int:
        """Register a batch in ``sources`` (inside the caller's transaction) and return its id."""
        conn = self.connect()
        row = conn.execute("SELECT nextval('batch_ids')").fetchone()
        assert row is not None
        batch_id = int(row[0])
        conn.execute(
            "INSERT INTO sources (batch_id, kind, location, dataset, version, content_hash,"
            " imported_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [batch_id, kind, location, dataset, version, content_hash, _now(), status],
        )
        return batch_id

    def finish_batch(
        self,
        batch_id: int,
        *,
        status: str = "done",
        rows_read: int | None = None,
        rows_stored: int | None = None,
        rows_rejected: int | None = None,
        message: str | None = None,
    ) -> None:
        self.connect().execute(
            "UPDATE sources SET status = ?, rows_read = ?, rows_stored = ?, rows_rejected = ?,"
            " finished_at = ?, message = ? WHERE batch_id = ?",
            [status, rows_read, rows_stored, rows_rejected, _now(), message, batch_id],
        )

    def known_documents(self, docs: Sequence[Document]) -> set[str]:
        """Ids of ``docs`` already stored, by id or by the hash of their text."""
        if not docs:
            return set()
        frame = pd.DataFrame(
            {"doc_id": [d.doc_id for d in docs], "text_hash": [text_hash(d.text) for d in docs]}
        )
        with self.session() as conn:
            conn.register("_incoming_docs", frame)
            try:
                rows = conn.execute(
                    "SELECT i.doc_id FROM _incoming_docs i WHERE EXISTS"
                    " (SELECT 1 FROM documents d WHERE d.doc_id = i.doc_id OR d.text_hash = i.text_hash)"
                ).fetchall()
            finally:
                conn.unregister("_incoming_docs")
        return {row[0] for row in rows}

    def add_documents(self, docs: Iterable[Document], batch: int | None = None) -> BatchResult:
        """Store reports not seen before (same id or same text hash are skipped)."""
        docs = list(docs)
        own = batch is None
        with self._maybe_transaction(own):
            batch_id = batch if batch is not None else self.new_batch("ingest", "api", "detente")
            result = self._add_documents(docs, batch_id)
            if own:
                self.finish_batch(batch_id, rows_read=len(docs), rows_stored=result.documents_added)
        return result

    def _add_documents(self, docs: list[Document], batch_id: int) -> BatchResult:
        result = BatchResult(batch_id)
        known = self.known_documents(docs)
        seen: set[str] = set()
        fresh: list[Document] = []
        hashes: set[str] = set()
        for doc in docs:
            digest = text_hash(doc.text)
            if doc.doc_id in known or doc.doc_id in seen or digest in hashes:
                result.documents_skipped += 1
                continue
            seen.add(doc.doc_id)
            hashes.add(digest)
            fresh.append(doc)
        if fresh:
            frame = pd.DataFrame(
                {
                    "doc_id": [d.doc_id for d in fresh],
                    "text_hash": [text_hash(d.text) for d in fresh],
                    "title": [d.title for d in fresh],
                    "url": [d.url for d in fresh],
                    "published": pd.Series([d.published for d in fresh], dtype=object),
                    "origin": [d.origin for d in fresh],
                    "batch_id": batch_id,
                    "text": [d.text for d in fresh],
                    "outlet": [_outlet(d) for d in fresh],
                }
            )
            self._insert_frame("documents", frame)
        result.documents_added = len(fresh)
        return result

    def add_events(
        self,
        events: Iterable[Event] | pd.DataFrame,
        dataset: str = "detente",
        batch: int | None = None,
        *,
        dedup: bool | None = None,
    ) -> BatchResult:
        """Store events; with ``dedup`` (the default for coded events) reports of one event merge.

        An incoming event merges into a stored one of the same dataset, directed dyad (country, or the
        actor text when there is no country), CAMEO root and modality whose date lies within
        ``dedup_window_days``: the stored event gains a mention carrying the new report's sentence.
        """
        frame = _events_frame(events, dataset)
        do_dedup = (dataset == "detente") if dedup is None else dedup
        own = batch is None
        with self._maybe_transaction(own):
            batch_id = batch if batch is not None else self.new_batch("ingest", "api", dataset)
            frame["batch_id"] = batch_id
            result = BatchResult(batch_id)
            if do_dedup:
                self._add_deduplicated(frame, dataset, result)
            else:
                self._insert_events(frame, with_mentions=dataset == "detente")
                result.events_added = len(frame)
                result.mentions_added = len(frame) if dataset == "detente" else 0
            if own:
                self.finish_batch(batch_id, rows_read=len(frame), rows_stored=result.events_added)
        return result

    def add_coded(
        self, docs: Sequence[Document], events: Iterable[Event], kind: str = "ingest", location: str = "api"
    ) -> BatchResult:
        """Documents and the events coded from them in one transaction (one ``ingest`` batch)."""
        event_list = [e for e in events]
        with self.transaction():
            batch_id = self.new_batch(kind, location, "detente")
            result = self._add_documents(list(docs), batch_id)
            stored_ids = self._documents_of_batch(batch_id)
            kept = [e for e in event_list if e.doc_id in stored_ids]
            if kept:
                frame = _events_frame(kept, "detente")
                frame["batch_id"] = batch_id
                self._add_deduplicated(frame, "detente", result)
            self.finish_batch(batch_id, rows_read=len(docs), rows_stored=result.documents_added)
        return result

    def _documents_of_batch(self, batch_id: int) -> set[str]:
        rows = (
            self.connect().execute("SELECT doc_id FROM documents WHERE batch_id = ?", [batch_id]).fetchall()
        )
        return {row[0] for row in rows}

    @contextlib.contextmanager
    def _maybe_transaction(self, own: bool) -> Iterator[None]:
        if own:
            with self.transaction():
                yield
        else:
            yield

    def _insert_frame(self, table: str, frame: pd.DataFrame | pa.Table) -> None:
        conn = self.connect()
        name = f"_incoming_{table}"
        conn.register(name, frame)
        try:
            conn.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
        finally:
            conn.unregister(name)

    def _insert_events(self, frame: pd.DataFrame, *, with_mentions: bool) -> None:
        self._insert_frame("events", frame)
        if with_mentions:
            mentions = frame[["event_id", "doc_id", "sentence", "char_start", "char_end", "date", "batch_id"]]
            self._insert_frame("mentions", mentions)
        self._aggregate_days(frame)

    def _aggregate_days(self, frame: pd.DataFrame, *, mentions_only: bool = False) -> None:
        """Add the frame's events to ``event_days`` (additive rows, see schema.sql)."""
        conn = self.connect()
        conn.register("_day_rows", frame)
        try:
            events_expr = "0" if mentions_only else "count(*)"
            goldstein_expr = "0.0" if mentions_only else "coalesce(sum(goldstein), 0.0)"
            mentions_expr = "count(*)" if mentions_only else "coalesce(sum(mentions), count(*))"
            conn.execute(
                "INSERT INTO event_days SELECT dataset, source_country, target_country, CAST(date AS DATE),"
                f" quad_class, {events_expr}, {mentions_expr}, {goldstein_expr}, any_value(batch_id)"
                " FROM _day_rows WHERE source_country IS NOT NULL AND target_country IS NOT NULL"
                " AND date IS NOT NULL AND quad_class IS NOT NULL"
                " GROUP BY ALL"
            )
        finally:
            conn.unregister("_day_rows")

    def _add_deduplicated(self, frame: pd.DataFrame, dataset: str, result: BatchResult) -> None:
        if frame.empty:
            return
        window = dt.timedelta(days=self.dedup_window_days)
        dates = pd.to_datetime(frame["date"], errors="coerce")
        candidates = self._dedup_candidates(dataset, frame, dates, window)
        by_key: dict[tuple[Any, ...], list[tuple[dt.date, str]]] = {}
        for row in candidates.itertuples(index=False):
            by_key.setdefault(_dedup_key(row), []).append((_to_date(row.date), str(row.event_id)))
        new_rows: list[int] = []
        mention_rows: list[dict[str, Any]] = []
        merged_ids: set[str] = set()
        for position, row in enumerate(frame.itertuples(index=False)):
            when = dates.iloc[position]
            match: str | None = None
            key = _dedup_key(row)
            if not pd.isna(when):
                day = when.date()
                best: tuple[int, str] | None = None
                for other_day, other_id in by_key.get(key, ()):
                    gap = abs((other_day - day).days)
                    if gap <= window.days and (best is None or gap < best[0]):
                        best = (gap, other_id)
                if best is not None:
                    match = best[1]
                else:
                    by_key.setdefault(key, []).append((day, str(row.event_id)))
            if match is None:
                new_rows.append(position)
            else:
                merged_ids.add(match)
                mention_rows.append(
                    {
                        "event_id": match,
                        "doc_id": row.doc_id,
                        "sentence": row.sentence,
                        "char_start": row.char_start,
                        "char_end": row.char_end,
                        "date": row.date,
                        "batch_id": row.batch_id,
                    }
                )
        fresh = frame.iloc[new_rows].copy()
        if not fresh.empty:
            self._insert_events(fresh, with_mentions=True)
        if mention_rows:
            mentions = pd.DataFrame(mention_rows)
            self._insert_frame("mentions", mentions)
            # The day aggregate counts a merged report as one more mention of an event already counted.
            merged_targets = pd.DataFrame({"event_id": [m["event_id"] for m in mention_rows]})
            conn = self.connect()
            conn.register("_merged_targets", merged_targets)
            try:
                days = conn.execute(
                    "SELECT e.dataset, e.source_country, e.target_country, e.date, e.quad_class, e.batch_id"
                    " FROM _merged_targets m JOIN events e ON e.event_id = m.event_id"
                ).df()
            finally:
                conn.unregister("_merged_targets")
            self._aggregate_days(days, mentions_only=True)
        touched = set(fresh["event_id"]) | merged_ids
        self._refresh_counts(touched)
        result.events_added += len(fresh)
        result.events_merged += len(mention_rows)
        result.mentions_added += len(fresh) + len(mention_rows)

    def _dedup_candidates(
        self, dataset: str, frame: pd.DataFrame, dates: pd.Series, window: dt.timedelta
    ) -> pd.DataFrame:
        valid = dates.dropna()
        columns = (
            "event_id, source_country, target_country, source_text, target_text, cameo_root, modality, date"
        )
        if valid.empty:
            return pd.DataFrame(columns=columns.split(", "))
        low = (valid.min() - window).date()
        high = (valid.max() + window).date()
        roots = sorted({str(r) for r in frame["cameo_root"].dropna()})
        return (
            self.connect()
            .execute(
                f"SELECT {columns} FROM events WHERE dataset = ? AND date BETWEEN ? AND ?"
                " AND list_contains(?, cameo_root)",
                [dataset, low, high, roots],
            )
            .df()
        )

    def _refresh_counts(self, event_ids: set[str]) -> None:
        if not event_ids:
            return
        conn = self.connect()
        conn.execute(
            "UPDATE events SET mentions = c.n, num_sources = c.sources FROM ("
            " SELECT m.event_id, count(*) AS n,"
            " count(DISTINCT coalesce(d.outlet, m.doc_id)) AS sources"
            " FROM mentions m LEFT JOIN documents d ON d.doc_id = m.doc_id"
            " WHERE list_contains(?, m.event_id) GROUP BY m.event_id) c"
            " WHERE events.event_id = c.event_id",
            [sorted(event_ids)],
        )

    # -- reading -----------------------------------------------------------------------------------

    def events(
        self,
        dyad: tuple[str, str] | Sequence[str] | None = None,
        actor: str | None = None,
        start: str | dt.date | None = None,
        end: str | dt.date | None = None,
        root: str | int | None = None,
        dataset: str | None = None,
        *,
        directed: bool = False,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """Events matching every filter given, ordered by date, as a pandas DataFrame.

        ``dyad=(A, B)`` returns both directions unless ``directed``; ``actor`` matches either side;
        ``start``/``end`` are inclusive ISO dates; ``root`` is a CAMEO root (19 or "19").
        """
        sql, params = self._events_query(dyad, actor, start, end, root, dataset, directed, limit)
        with self.session() as conn:
            return conn.execute(sql, params).df()

    def events_arrow(
        self,
        dyad: tuple[str, str] | Sequence[str] | None = None,
        actor: str | None = None,
        start: str | dt.date | None = None,
        end: str | dt.date | None = None,
        root: str | int | None = None,
        dataset: str | None = None,
        *,
        directed: bool = False,
        limit: int | None = None,
    ) -> pa.Table:
        """Like ``events`` but as an Arrow table (no copy into pandas)."""
        sql, params = self._events_query(dyad, actor, start, end, root, dataset, directed, limit)
        with self.session() as conn:
            relation = conn.sql(sql, params=params)
            assert relation is not None
            table: pa.Table = relation.to_arrow_table()
            return table

    def mentions(self, event_id: str) -> pd.DataFrame:
        """The reports that told one event, with each report's sentence."""
        with self.session() as conn:
            return conn.execute(
                "SELECT m.*, d.title, d.url, d.outlet, d.published FROM mentions m"
                " LEFT JOIN documents d ON d.doc_id = m.doc_id"
                " WHERE m.event_id = ? ORDER BY m.date, m.doc_id",
                [event_id],
            ).df()

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        """Run read SQL against the store and return a DataFrame."""
        with self.session() as conn:
            return conn.execute(sql, list(params or [])).df()

    def _events_query(
        self,
        dyad: tuple[str, str] | Sequence[str] | None,
        actor: str | None,
        start: str | dt.date | None,
        end: str | dt.date | None,
        root: str | int | None,
        dataset: str | None,
        directed: bool,
        limit: int | None,
    ) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if dyad is not None:
            if len(dyad) != 2:
                raise InputError(f"dyad {dyad!r}: expected two country codes")
            a, b = (str(code).upper() for code in dyad)
            if directed:
                where.append("source_country = ? AND target_country = ?")
                params += [a, b]
            else:
                where.append(_EITHER_DIRECTION)
                params += [a, b, b, a]
        if actor is not None:
            where.append("(source_country = ? OR target_country = ?)")
            params += [actor.upper(), actor.upper()]
        if start is not None:
            where.append("date >= ?")
            params.append(_as_date(start, "start"))
        if end is not None:
            where.append("date <= ?")
            params.append(_as_date(end, "end"))
        if root is not None:
            where.append("cameo_root = ?")
            params.append(normalize_root(root))
        if dataset is not None:
            where.append("dataset = ?")
            params.append(dataset)
        sql = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date, event_id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return sql, params

    def dyad_daily(
        self,
        a: str,
        b: str,
        *,
        directed: bool = True,
        dataset: str | None = None,
        start: str | dt.date | None = None,
        end: str | dt.date | None = None,
    ) -> pd.DataFrame:
        """Daily Goldstein sum and event counts by quad class for one dyad, read from ``event_days``."""
        where = ["source_country = ? AND target_country = ?"]
        params: list[Any] = [a.upper(), b.upper()]
        if not directed:
            where = [_EITHER_DIRECTION]
            params = [a.upper(), b.upper(), b.upper(), a.upper()]
        if dataset is not None:
            where.append("dataset = ?")
            params.append(dataset)
        if start is not None:
            where.append("date >= ?")
            params.append(_as_date(start, "start"))
        if end is not None:
            where.append("date <= ?")
            params.append(_as_date(end, "end"))
        sql = (
            "SELECT date, sum(goldstein_sum) AS goldstein, sum(events) AS events,"
            " sum(events) FILTER (quad_class = 1) AS quad1, sum(events) FILTER (quad_class = 2) AS quad2,"
            " sum(events) FILTER (quad_class = 3) AS quad3, sum(events) FILTER (quad_class = 4) AS quad4,"
            " sum(mentions) AS mentions"
            f" FROM event_days WHERE {' AND '.join(where)} GROUP BY date ORDER BY date"
        )
        with self.session() as conn:
            frame = conn.execute(sql, params).df()
        for column in ("events", "quad1", "quad2", "quad3", "quad4", "mentions"):
            frame[column] = frame[column].fillna(0).astype("int64")
        return frame

    def stats(self) -> dict[str, Any]:
        """Counts per dataset, date range, documents, mentions, rejected rows, file size."""
        with self.session() as conn:
            per_dataset = conn.execute(
                "SELECT dataset, count(*) AS events, min(date) AS first, max(date) AS last,"
                " count(DISTINCT source_country || '>' || target_country) AS dyads"
                " FROM events GROUP BY dataset ORDER BY dataset"
            ).df()
            totals = conn.execute(
                "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM mentions),"
                " (SELECT count(*) FROM sources WHERE status = 'done'), (SELECT count(*) FROM rejects),"
                " (SELECT count(*) FROM dyad_days)"
            ).fetchone()
        assert totals is not None
        return {
            "path": str(self.path),
            "bytes": self.path.stat().st_size if self.path.exists() else 0,
            "datasets": per_dataset,
            "documents": int(totals[0]),
            "mentions": int(totals[1]),
            "batches": int(totals[2]),
            "rejected_rows": int(totals[3]),
            "dyad_days": int(totals[4]),
        }

    def optimize(self, sort_events: bool | None = None) -> int:
        """Merge the additive ``event_days`` rows and sort them by dyad so dyad queries prune row groups;
        sort ``events`` by (source, target, date) too, so one dyad's events (the evidence sentences of a
        report) are read from a few row groups instead of the whole table.

        ``sort_events``: True always, False never, None (default) when the rows appended since the
        last sort exceed a tenth of those sorted: an unsorted tail that small costs a dyad query little,
        and re-sorting a big table after every import would cost minutes.
        Returns the number of rows left in ``event_days``."""
        with self.transaction() as conn:
            conn.execute(
                "CREATE OR REPLACE TEMP TABLE _merged_days AS SELECT dataset, source_country, target_country,"
                " date, quad_class, sum(events) AS events, sum(mentions) AS mentions,"
                " sum(goldstein_sum) AS goldstein_sum, max(batch_id) AS batch_id FROM event_days GROUP BY ALL"
            )
            conn.execute("DELETE FROM event_days")
            conn.execute(
                "INSERT INTO event_days SELECT * FROM _merged_days"
                " ORDER BY source_country, target_country, dataset, date, quad_class"
            )
            conn.execute("DROP TABLE _merged_days")
            if _events_need_sort(conn, sort_events):
                sort_events_by_dyad(conn)
        conn = self.connect()
        conn.execute("CHECKPOINT")
        row = conn.execute("SELECT count(*) FROM event_days").fetchone()
        return int(row[0]) if row else 0


# Re-sort ``events`` once the unsorted tail exceeds this share of the sorted rows.
SORT_TAIL_SHARE = 0.1


def _events_need_sort(conn: duckdb.DuckDBPyConnection, requested: bool | None) -> bool:
    if requested is not None:
        return requested
    row = conn.execute("SELECT count(*) FROM events").fetchone()
    total = int(row[0]) if row else 0
    found = conn.execute("SELECT value FROM store_meta WHERE key = 'events_sorted_rows'").fetchone()
    done = int(found[0]) if found else 0
    tail = total - done
    return tail > 0 and (done == 0 or tail > SORT_TAIL_SHARE * done)


def sort_events_by_dyad(conn: duckdb.DuckDBPyConnection) -> None:
    """Rewrite ``events`` ordered by (source_country, target_country, date), inside the caller's
    transaction. DuckDB keeps min/max per row group and column, so a filter on one directed dyad
    (either direction: DuckDB pushes the OR of both) then skips every row group but the dyad's own.
    A per-dyad table of event ids was the alternative; fetching the chosen events by id would still
    scan the whole ``event_id`` column, which is what this avoids."""
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE _sorted_events AS SELECT * FROM events"
        " ORDER BY source_country, target_country, date, event_id"
    )
    conn.execute("DELETE FROM events")
    conn.execute("INSERT INTO events SELECT * FROM _sorted_events")
    conn.execute("DROP TABLE _sorted_events")
    conn.execute(
        "INSERT OR REPLACE INTO store_meta"
        " VALUES ('events_sorted_rows', (SELECT count(*) FROM events)::VARCHAR)"
    )


def _dedup_key(row: Any) -> tuple[Any, ...]:
    def side(country: Any, text: Any) -> str:
        if isinstance(country, str) and country:
            return country
        return "text:" + " ".join(str(text or "").lower().split())

    return (
        side(row.source_country, row.source_text),
        side(row.target_country, row.target_text),
        row.cameo_root,
        row.modality,
    )


def _events_frame(events: Iterable[Event] | pd.DataFrame, dataset: str) -> pd.DataFrame:
    if isinstance(events, pd.DataFrame):
        frame = events.copy()
    else:
        frame = pd.DataFrame([e.to_dict() for e in events], columns=list(EVENT_FIELDS))
    unknown = set(frame.columns) - set(EVENT_COLUMNS)
    if unknown:
        raise InputError(f"events: unknown columns {sorted(unknown)}")
    if "event_id" not in frame.columns:
        raise InputError("events: an event_id column is required")
    frame["dataset"] = dataset
    for column in EVENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce").dt.date
    frame["date"] = frame["date"].astype(object).where(frame["date"].notna(), None)
    return frame[list(EVENT_COLUMNS)]


def _to_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[no-any-return]


def _as_date(value: str | dt.date, what: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{what} date {value!r}: expected YYYY-MM-DD") from None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


@cache
def _schema_columns() -> dict[str, list[tuple[str, str]]]:
    """Table -> (column, type) as schema.sql declares them, read from an in-memory copy."""
    scratch = duckdb.connect()
    try:
        scratch.execute(_schema_sql())
        rows = scratch.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " ORDER BY table_name, ordinal_position"
        ).fetchall()
    finally:
        scratch.close()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, data_type))
    return tables


def _add_missing_columns(conn: duckdb.DuckDBPyConnection) -> None:
    """A store made by an earlier detente gains the columns added since (NULL in old rows)."""
    present = {
        (table, column)
        for table, column in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
        ).fetchall()
    }
    for table, columns in _schema_columns().items():
        for column, data_type in columns:
            if (table, column) not in present:
                conn.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" {data_type}')


def _schema_sql() -> str:
    return resources.files("detente.store").joinpath("schema.sql").read_text(encoding="utf-8")
