"""The records that flow between stages: a Document goes into the coder, Events come out.

Every stage speaks these names: the coder's JSONL keys and CSV columns, the store's ``events``
columns and the importers' output are all ``EVENT_FIELDS`` (the store adds ``STORE_EXTRA_FIELDS``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

Modality = Literal["asserted", "planned", "threatened", "denied", "hypothetical"]
DatePrecision = Literal["day", "month", "year"]
DateBasis = Literal["stated", "relative", "publication"]

MODALITIES: tuple[str, ...] = ("asserted", "planned", "threatened", "denied", "hypothetical")


@dataclass(slots=True)
class Document:
    """One news report: the unit the coder reads and the store deduplicates."""

    doc_id: str
    text: str
    published: dt.date | None = None
    title: str | None = None
    url: str | None = None
    origin: str | None = None  # the file, URL or feed it was read from


@dataclass(slots=True)
class Event:
    """Who did what to whom, when, with the evidence that says so."""

    event_id: str
    doc_id: str
    date: str | None  # YYYY-MM-DD; None when neither the text nor the document gives one
    date_precision: DatePrecision | None
    date_basis: DateBasis | None
    source_country: str | None  # ISO3, or IGO / a group code for non-state actors
    source_sector: str | None
    source_text: str
    target_country: str | None
    target_sector: str | None
    target_text: str
    cameo: str
    cameo_root: str
    cameo_label: str
    plover: str
    goldstein: float
    quad_class: int
    modality: Modality
    sentence: str
    char_start: int
    char_end: int
    rule: str
    confidence: float
    mentions: int = 1
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        record.pop("extra")
        return record


EVENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Event) if f.name != "extra")
# Columns the store keeps beside the coder's record.
STORE_EXTRA_FIELDS: tuple[str, ...] = ("dataset", "original_id", "num_sources", "batch_id")
