"""detente: measure how relations between countries move, from the news.

Python API (imports are lazy so that ``import detente`` stays fast):

- ``code_text(text, published=None, doc_id="doc")`` -> list[Event]
- ``code_documents(documents)`` -> iterator of Event
- ``Store(path)``: the DuckDB event store
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from detente.record import Document, Event

__version__ = "0.1.0"
__all__ = ["Document", "Event", "Store", "__version__", "code_documents", "code_text"]

if TYPE_CHECKING:
    from detente.coding import code_documents, code_text
    from detente.store import Store


def __getattr__(name: str) -> Any:
    if name in ("code_text", "code_documents"):
        from detente import coding

        return getattr(coding, name)
    if name == "Store":
        from detente.store import Store

        return Store
    raise AttributeError(f"module 'detente' has no attribute {name!r}")
