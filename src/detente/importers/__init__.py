"""Stage 3 importers: existing event datasets (GDELT 1.0/2.0, ICEWS, POLECAT) into the event store.

``import_files`` reads local files (plain, gzipped or zipped) with DuckDB's CSV reader; ``download``
fetches GDELT's published files (resumable, MD5-checked). The field mappings are in docs/store.md.
"""

from detente.importers.bulk import KINDS, FileReport, ImportReport, Reject, import_files

__all__ = ["KINDS", "FileReport", "ImportReport", "Reject", "download", "import_files"]


def __getattr__(name: str) -> object:
    # The downloader pulls in httpx; load it only when asked for.
    if name == "download":
        from detente.importers.download import download

        return download
    raise AttributeError(name)
