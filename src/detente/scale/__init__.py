"""Stage 6, scale: code news on many cores or machines with Dask, store it from one writer.

- ``code_distributed(paths, scheduler=..., workers=N)``: read and code on Dask workers; batches of
  (documents, events) come back in input order, identical to single-process coding.
- ``ingest_distributed(paths, db, ...)``: the same, written through ``detente.store.ingest`` in committed
  batches (one writer, crash-safe, idempotent, deduplicated across reports).
- ``Cluster(scheduler, workers)``: "processes", "threads", "synchronous" or a ``dask.distributed``
  address ("tcp://host:8786"); open one to reuse warm workers across calls.

See docs/scale.md.
"""

from detente.scale.cluster import LOCAL_SCHEDULERS, Cluster
from detente.scale.pipeline import (
    DEFAULT_PARTITION_SIZE,
    CodedBatch,
    ScaleReport,
    code_distributed,
    ingest_distributed,
)

__all__ = [
    "DEFAULT_PARTITION_SIZE",
    "LOCAL_SCHEDULERS",
    "Cluster",
    "CodedBatch",
    "ScaleReport",
    "code_distributed",
    "ingest_distributed",
]
