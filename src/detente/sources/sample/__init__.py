"""The bundled sample corpus: short news-style articles written by the detente authors.

They state real, dated events (see README.md beside this file) so that the demo and the tests
have a corpus with known turnarounds and a known realignment to find.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from detente.record import Document
from detente.sources.problems import ReadReport

__all__ = ["sample_documents", "sample_path"]

_SAMPLE_FILE = "articles.jsonl"


def sample_path() -> Path:
    """Where the sample's JSONL file is installed (so that commands can be shown running on it)."""
    return Path(str(resources.files(__name__).joinpath(_SAMPLE_FILE)))


def sample_documents() -> list[Document]:
    """Every article of the sample, in file order, each with its publication date."""
    from detente.sources.reader import read_paths

    report = ReadReport()
    documents = list(read_paths([sample_path()], on_error=report))
    if report.problems:
        # The sample ships with the package; a problem here is a packaging bug, not user input.
        raise RuntimeError("bundled sample is damaged: " + "; ".join(report.lines()))
    return documents
