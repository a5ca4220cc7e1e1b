"""Stage 6, scale: code news on many cores or machines with Dask, store it from one writer.

- ``code_distributed(paths, scheduler=..., workers=N)``: read and code on Dask workers; batches of
  (documents, events) come back in input order, identical to single-process coding.
- ``ingest_distributed(paths, db, ...)``: the same, written through ``detente.store.ingest`` in committed
  batches (one writer, crash-safe, idempotent, deduplicated across reports).
- ``dyad_series(parquet_folder)``: dyad-day series of a ``detente export`` Parquet folder with
  dask.dataframe, out of core; ``write_series`` writes it for ``detente import dyad-series``.
- ``Cluster(scheduler, workers)``: "processes", "threads", "synchronous" or a ``dask.distributed``
  address ("tcp://host:8786"); open one to reuse warm workers across calls.

See docs/scale.md.
"""

from detente.scale.cluster import LOCAL_SCHEDULERS, Cluster
from detente.scale.pipeline import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_PARTITION_SIZE,
    CodedBatch,
    ScaleReport,
    code_distributed,
    ingest_distributed,
)
from detente.scale.series import dyad_series, write_series

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_PARTITION_SIZE",
    "LOCAL_SCHEDULERS",
    "Cluster",
    "CodedBatch",
    "ScaleReport",
    "code_distributed",
    "dyad_series",
    "ingest_distributed",
    "write_series",
]
