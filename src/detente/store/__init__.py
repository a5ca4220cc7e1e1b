"""Stage 3: the DuckDB event store (schema in ``schema.sql``; locking rules in ``store.py``)."""

from detente.store.ingest import IngestReport, ingest
from detente.store.store import (
    DEDUP_WINDOW_DAYS,
    DEFAULT_DB,
    EVENT_COLUMNS,
    BatchResult,
    Store,
    normalize_root,
    resolve_path,
    text_hash,
)

__all__ = [
    "DEDUP_WINDOW_DAYS",
    "DEFAULT_DB",
    "EVENT_COLUMNS",
    "BatchResult",
    "IngestReport",
    "Store",
    "ingest",
    "normalize_root",
    "resolve_path",
    "text_hash",
]
