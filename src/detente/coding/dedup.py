"""Within-document deduplication: one event told several times in one report becomes one record.

Two coded events are the same event when they have the same directed dyad (source and target
country), the same CAMEO root (for a planned event, the root of what is planned), the same modality
and compatible dates. Dates are compatible when either is only the publication date (the report gave
none), or when they agree at the coarser of their two precisions (a day inside a month, a month
inside a year); a day stated one way and resolved from a relative expression another ("on January
17" / "within 24 hours") may differ by one day. The merged record keeps the best-dated telling
(stated before relative before publication, then finer precision, then higher confidence), the most
specific CAMEO code of the root, the first non-empty sector on each side, and counts the tellings in
``mentions``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable

from detente import cameo
from detente.record import Event

__all__ = ["compatible_dates", "merge_mentions"]

_BASIS_RANK = {"stated": 3, "relative": 2, "publication": 1}
_PRECISION_RANK = {"day": 3, "month": 2, "year": 1}


def _date(event: Event) -> dt.date | None:
    return dt.date.fromisoformat(event.date) if event.date else None


_RECENT_DAYS = 31


def _weak(event: Event) -> bool:
    return event.date is None or event.date_basis == "publication"


def compatible_dates(a: Event, b: Event) -> bool:
    """Whether two tellings can be of one event, as far as their dates go."""
    if _weak(a) and _weak(b):
        return True
    if _weak(a) or _weak(b):
        # a telling dated only by its publication is of something recent: one stated months earlier is
        # another occurrence ("signed agreements during the visit" vs "restored relations in January")
        weak, firm = (a, b) if _weak(a) else (b, a)
        weak_day, firm_day = _date(weak), _date(firm)
        if weak_day is None or firm_day is None:
            return True
        return (weak_day - firm_day).days <= _RECENT_DAYS
    day_a, day_b = _date(a), _date(b)
    assert day_a is not None and day_b is not None
    precisions = {a.date_precision, b.date_precision}
    if "year" in precisions:
        return day_a.year == day_b.year
    if "month" in precisions:
        return (day_a.year, day_a.month) == (day_b.year, day_b.month)
    slack = 1 if "relative" in (a.date_basis, b.date_basis) else 0
    return abs((day_a - day_b).days) <= slack


def _date_rank(event: Event) -> tuple[int, int, float]:
    if event.date is None:
        return (0, 0, event.confidence)
    return (
        _BASIS_RANK.get(event.date_basis or "", 0),
        _PRECISION_RANK.get(event.date_precision or "", 0),
        event.confidence,
    )


def _code_rank(code: str) -> tuple[int, int]:
    """Longer codes are more specific; a residual code ("190") is the least specific of its length."""
    return (len(code), 0 if code.endswith("0") else 1)


def _merge(group: list[Event]) -> Event:
    best = max(group, key=_date_rank)
    code = max((e.cameo for e in group), key=_code_rank)
    entry = cameo.lookup(code)
    source_sector = best.source_sector or next((e.source_sector for e in group if e.source_sector), "")
    target_sector = best.target_sector or next((e.target_sector for e in group if e.target_sector), "")
    coded_by = next(e for e in group if e.cameo == code)
    extra = dict(best.extra)
    extra["tellings"] = sorted(
        {tuple(t) for e in group for t in e.extra.get("tellings", [[e.char_start, e.char_end]])}
    )
    return dataclasses.replace(
        best,
        cameo=entry.code,
        cameo_root=entry.root,
        cameo_label=entry.label,
        plover=entry.plover,
        goldstein=entry.goldstein,
        quad_class=entry.quad_class,
        rule=best.rule if coded_by is best else f"{coded_by.rule}; dated by {best.rule}",
        source_sector=source_sector,
        target_sector=target_sector,
        confidence=max(e.confidence for e in group),
        mentions=sum(e.mentions for e in group),
        extra=extra,
    )


def merge_mentions(events: Iterable[Event]) -> list[Event]:
    """Merge the tellings of one event inside one document; keeps document order of first tellings."""
    clusters: list[list[Event]] = []
    by_key: dict[tuple[object, ...], list[list[Event]]] = {}
    for event in events:
        # a planned event carries its CAMEO intent code (03x); its own root keeps a planned visit apart from
        # planned military cooperation
        root = str(event.extra.get("planned_code", event.cameo))[:2]
        key = (event.doc_id, event.source_country, event.target_country, root, event.modality)
        for cluster in by_key.get(key, []):
            if all(compatible_dates(event, other) for other in cluster):
                cluster.append(event)
                break
        else:
            cluster = [event]
            by_key.setdefault(key, []).append(cluster)
            clusters.append(cluster)
    merged = [cluster[0] if len(cluster) == 1 else _merge(cluster) for cluster in clusters]
    return _fold_undirected(merged)


def _undirected(event: Event) -> bool:
    return event.target_country is None and event.extra.get("target_how") == "none"


def _fold_undirected(events: list[Event]) -> list[Event]:
    """An event told once with its target and once without ("accused Rwanda of making accusations") is
    one event: the telling without a target is counted as a mention of the one with it."""
    if not any(_undirected(e) for e in events):
        return events
    kept: list[Event] = []
    for event in events:
        if not _undirected(event):
            kept.append(event)
            continue
        root = str(event.extra.get("planned_code", event.cameo))[:2]
        host = next(
            (
                i
                for i, other in enumerate(kept)
                if not _undirected(other)
                and other.source_country == event.source_country
                and str(other.extra.get("planned_code", other.cameo))[:2] == root
                and other.modality == event.modality
                and compatible_dates(other, event)
            ),
            None,
        )
        if host is None:
            kept.append(event)
            continue
        other = kept[host]
        extra = dict(other.extra)
        extra["tellings"] = sorted(
            {tuple(t) for e in (other, event) for t in e.extra.get("tellings", [[e.char_start, e.char_end]])}
        )
        kept[host] = dataclasses.replace(other, mentions=other.mentions + event.mentions, extra=extra)
    return kept
