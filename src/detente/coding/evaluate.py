"""Scoring the coder against gold event files (the JSONL formats of ``../shared/eval/README.md``).

Supported gold sets, recognised by their record ids:

- ``petr2-gsr:`` PETRARCH-2 GSR validation and ``petr2-pytest:`` sentence cases: CAMEO events with
  Phoenix actor codes (``USAGOV`` -> USA, ``IGOUNO`` -> IGO, ``---LEG`` -> no country);
- PLOVER GSR records (``PLOVER-GSR``): PLOVER event categories with ISO3 actors; scored on the
  PLOVER category our CAMEO code maps to. A joint event of two or more parties with no recipient
  (PLOVER's ``SRC/TAR``, "A and B agreed") is scored as CAMEO codes it: A->B and B->A;
- ``cameo-example:`` one CAMEO-manual sentence per code, no actors: scored on the root alone;
- ``conflibert-cameo:`` 5-way penta class: the class of the most confident event of the sentence.

Every score is per event triple (source country, target country, CAMEO root or PLOVER category),
matched as multisets per record; then the same with modality and date where the gold has them.
Held-out part: ConfliBERT keeps its own train/test split; every other set is cut 70/30 by a hash of
the record id (``split_of``), so that the held-out 30% is never looked at while developing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.errors import InputError
from detente.record import Document, Event

__all__ = [
    "EvalReport",
    "GoldRecord",
    "evaluate",
    "evaluate_file",
    "penta_class",
    "phoenix_country",
    "read_gold",
    "split_of",
]

HELD_OUT_PERCENT = 30
NO_ACTOR = "-"
# country codes the PLOVER gold kept from before its move to ISO 3166 (its README: "a few leftovers such
# as JAP"); read as the ISO code they stand for, so that a right answer is not scored wrong
_LEGACY_CODES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


@dataclass(frozen=True, slots=True)
class GoldEvent:
    source: str  # ISO3, IGO/IMG..., or "-" when the gold names no country
    target: str
    label: str  # CAMEO root, PLOVER category, or penta class
    modality: str | None = None
    date: str | None = None


@dataclass(slots=True)
class GoldRecord:
    record_id: str
    text: str
    published: dt.date | None
    events: list[GoldEvent]
    scheme: str  # cameo | plover | cameo-code-only | penta
    split: str  # dev | test
    penta: int | None = None


def split_of(record_id: str) -> str:
    """``test`` for a deterministic 30% of ids, ``dev`` for the rest."""
    bucket = int(hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "test" if bucket < HELD_OUT_PERCENT else "dev"


def phoenix_country(code: str | None) -> str:
    """Country block of a Phoenix/CAMEO actor code: ``USAGOV`` -> USA, ``IGOUNO`` -> IGO, ``---LEG`` -> -."""
    if not code:
        return NO_ACTOR
    code = code.strip().strip('"').upper()
    if len(code) < 3 or code.startswith("---"):
        return NO_ACTOR
    from detente.countries import to_iso3

    head = code[:3]
    return to_iso3(head) or head


def penta_class(root: str) -> int:
    """Phoenix penta class of a CAMEO root (ConfliBERT's labels): 16 is verbal conflict."""
    number = int(root)
    if number <= 2:
        return 0
    if number <= 5:
        return 1
    if number <= 8:
        return 2
    if number <= 13 or number == 16:
        return 3
    return 4


def _date(value: Any, where: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _record(raw: dict[str, Any], where: str) -> GoldRecord | None:
    record_id = str(raw.get("id", ""))
    text = raw.get("text")
    if not record_id or not isinstance(text, str):
        raise InputError(f"{where}: a gold record needs 'id' and 'text'")
    if raw.get("skip"):
        return None
    published = None if raw.get("date_is_placeholder") else _date(raw.get("date"), where)
    if record_id.startswith("conflibert-cameo:"):
        if "penta_class" not in raw:
            raise InputError(f"{where}: ConfliBERT record without 'penta_class'")
        split = "test" if raw.get("split") == "test" else "dev"
        return GoldRecord(record_id, text, None, [], "penta", split, int(raw["penta_class"]))
    if record_id.startswith("cameo-example:"):
        code = str(raw.get("expected_code") or "")
        return GoldRecord(
            record_id,
            text,
            published,
            [GoldEvent(NO_ACTOR, NO_ACTOR, code[:2])],
            "cameo-code-only",
            split_of(record_id),
        )
    if "plover_event_2021" in raw:
        category = str(raw["plover_event_2021"])
        from detente.countries import to_iso3

        def country(code: Any) -> str:
            code = _LEGACY_CODES.get(str(code or "").upper(), code)
            return to_iso3(code) or (code or NO_ACTOR)

        events = [
            GoldEvent(country(e.get("source")), country(e.get("target")), category)
            for e in raw.get("expected_events", [])
        ]
        sources = sorted({e.source for e in events if e.source != NO_ACTOR})
        if len(sources) >= 2 and all(e.target == NO_ACTOR for e in events):
            # PLOVER keeps a joint or reciprocal event ("A and B agreed") as one event of both parties with no
            # recipient; a CAMEO coder codes it both ways, A->B and B->A, and is scored that way
            events = [GoldEvent(a, b, category) for a in sources for b in sources if a != b]
        return GoldRecord(record_id, text, published, events, "plover", split_of(record_id))
    if raw.get("kind") not in (None, "sentence"):
        return None  # petrarch2 pytest actor-phrase cases: scored by the actor lexicon's own tests
    events = []
    for e in raw.get("expected_events") or []:
        code = str(e.get("code") or "")
        if not code[:2].isdigit():
            continue
        events.append(
            GoldEvent(
                phoenix_country(e.get("source")),
                phoenix_country(e.get("target")),
                code[:2],
                e.get("modality"),
                e.get("date"),
            )
        )
    return GoldRecord(record_id, text, published, events, "cameo", split_of(record_id))


def read_gold(path: str | Path) -> list[GoldRecord]:
    """The scoreable records of a gold JSONL file; InputError naming the file and line when unreadable."""
    source = Path(path)
    if not source.is_file():
        raise InputError(f"{source}: gold file does not exist")
    records: list[GoldRecord] = []
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise InputError(f"{source}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{where}: not valid JSON ({error.msg})") from None
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected a JSON object")
        record = _record(raw, where)
        if record is not None:
            records.append(record)
    if not records:
        raise InputError(f"{source}: no scoreable gold records")
    return records


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
        }  # fmt: skip


@dataclass(slots=True)
class EvalReport:
    gold: str
    split: str
    scheme: str
    records: int = 0
    records_exact: int = 0
    triples: Counts = field(default_factory=Counts)
    dyads: Counts = field(default_factory=Counts)
    labels_only: Counts = field(default_factory=Counts)
    with_modality: Counts | None = None
    with_date: Counts | None = None
    per_label: dict[str, Counts] = field(default_factory=dict)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    penta: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "gold": self.gold,
            "split": self.split,
            "scheme": self.scheme,
            "records": self.records,
            "records_exact_match": self.records_exact,
            "triples": self.triples.as_dict(),
            "dyads": self.dyads.as_dict(),
            "labels_only": self.labels_only.as_dict(),
            "with_modality": self.with_modality.as_dict() if self.with_modality else None,
            "with_date": self.with_date.as_dict() if self.with_date else None,
            "per_label": {k: v.as_dict() for k, v in sorted(self.per_label.items())},
            "confusions": [
                {"gold": g, "coded": c, "count": n} for (g, c), n in self.confusions.most_common()
            ],
        }
        if self.penta is not None:
            result["penta"] = self.penta
        return result


def _label(event: Event, scheme: str) -> str:
    if scheme == "plover":
        return event.plover or "-"
    return event.cameo_root


def _add(counts: Counts, gold: Counter[Any], coded: Counter[Any]) -> None:
    hit = sum((gold & coded).values())
    counts.tp += hit
    counts.fp += sum(coded.values()) - hit
    counts.fn += sum(gold.values()) - hit


def _add_matched(
    counts: Counts,
    gold: list[GoldEvent],
    coded: list[tuple[str, str, str, Event]],
    agrees: Callable[[GoldEvent, Event], bool],
) -> None:
    """Greedy one-to-one matching on (source, target, label) plus ``agrees``."""
    free = list(coded)
    for g in gold:
        match = next(
            (c for c in free if (c[0], c[1], c[2]) == (g.source, g.target, g.label) and agrees(g, c[3])), None
        )
        if match is not None:
            free.remove(match)
            counts.tp += 1
        else:
            counts.fn += 1
    counts.fp += len(free)


def _score_record(report: EvalReport, record: GoldRecord, events: list[Event]) -> None:
    scheme = record.scheme
    report.records += 1
    coded = [
        (e.source_country or NO_ACTOR, e.target_country or NO_ACTOR, _label(e, scheme), e) for e in events
    ]
    # the threatened act ("threatened to impose sanctions": 163, modality threatened) is told beside the
    # threat (13x): CAMEO, PLOVER and PETRARCH code only the threat, so only the threat is scored
    coded = [c for c in coded if c[3].modality != "threatened"]
    if scheme == "plover":
        # PLOVER has no category for CAMEO 01 (statements) and 02 (appeals): its gold never holds them, and a
        # PLOVER coder would not emit them, so they are outside what this gold set can score
        coded = [c for c in coded if c[2] != NO_ACTOR]
    if scheme == "cameo-code-only":
        gold_labels = Counter(g.label for g in record.events)
        coded_labels = Counter({label for _s, _t, label, _e in coded})
        _add(report.labels_only, gold_labels, coded_labels)
        _add(report.triples, gold_labels, coded_labels)
        if gold_labels == Counter(coded_labels) or (not coded_labels and not gold_labels):
            report.records_exact += 1
        for g in record.events:
            per = report.per_label.setdefault(g.label, Counts())
            if g.label in coded_labels:
                per.tp += 1
            else:
                per.fn += 1
                best = max(coded, key=lambda c: c[3].confidence, default=None)
                report.confusions[(g.label, best[2] if best else "none")] += 1
        for label in coded_labels:
            if label not in gold_labels:
                report.per_label.setdefault(label, Counts()).fp += 1
        return
    gold_triples = Counter((g.source, g.target, g.label) for g in record.events)
    coded_triples = Counter((s, t, label) for s, t, label, _e in coded)
    _add(report.triples, gold_triples, coded_triples)
    _add(
        report.dyads,
        Counter((g.source, g.target) for g in record.events),
        Counter((s, t) for s, t, _l, _e in coded),
    )
    _add(
        report.labels_only,
        Counter(g.label for g in record.events),
        Counter(label for _s, _t, label, _e in coded),
    )
    if gold_triples == coded_triples:
        report.records_exact += 1
    if any(g.modality for g in record.events):
        report.with_modality = report.with_modality or Counts()
        _add_matched(
            report.with_modality, record.events, coded, lambda g, e: e.modality == (g.modality or "asserted")
        )
    if any(g.date for g in record.events):
        report.with_date = report.with_date or Counts()
        # a gold date may be a year, a month or a day: the coded date is compared at the gold's precision
        _add_matched(
            report.with_date,
            record.events,
            coded,
            lambda g, e: bool(g.date) and (e.date or "").startswith(g.date or "-"),
        )
    remaining = Counter(coded_triples)
    for triple, count in gold_triples.items():
        per = report.per_label.setdefault(triple[2], Counts())
        hit = min(count, remaining[triple])
        per.tp += hit
        per.fn += count - hit
        remaining[triple] -= hit
        for _ in range(count - hit):
            same_dyad = [c for c in coded if (c[0], c[1]) == triple[:2]]
            report.confusions[(triple[2], same_dyad[0][2] if same_dyad else "none")] += 1
    for triple, count in remaining.items():
        if count > 0:
            report.per_label.setdefault(triple[2], Counts()).fp += count
            if not any((g.source, g.target) == triple[:2] for g in record.events):
                report.confusions[("none", triple[2])] += count


def _score_penta(report: EvalReport, results: list[tuple[GoldRecord, list[Event]]]) -> None:
    gold: list[int] = []
    predicted: list[int | None] = []
    for record, events in results:
        report.records += 1
        # as in _score_record: a threatened act is scored through its threat (13x)
        best = max(
            (e for e in events if e.modality != "threatened"), key=lambda e: e.confidence, default=None
        )
        guess = penta_class(best.cameo_root) if best is not None else None
        gold.append(record.penta if record.penta is not None else -1)
        predicted.append(guess)
        if guess == record.penta:
            report.records_exact += 1
        report.confusions[(str(record.penta), "none" if guess is None else str(guess))] += 1
    f1s = []
    for label in range(5):
        counts = Counts()
        for g, p in zip(gold, predicted, strict=True):
            if p == label and g == label:
                counts.tp += 1
            elif p == label:
                counts.fp += 1
            elif g == label:
                counts.fn += 1
        report.per_label[str(label)] = counts
        f1s.append(counts.f1)
    covered = [(g, p) for g, p in zip(gold, predicted, strict=True) if p is not None]
    report.penta = {
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold), 4)
        if gold
        else 0.0,
        "macro_f1": round(sum(f1s) / 5, 4),
        "coverage": round(len(covered) / len(gold), 4) if gold else 0.0,
        "accuracy_when_coded": round(sum(g == p for g, p in covered) / len(covered), 4) if covered else 0.0,
    }


def evaluate(
    records: Iterable[GoldRecord],
    code: Callable[[Iterable[Document]], Iterator[Event]],
    *,
    gold_name: str = "gold",
    split: str = "all",
) -> EvalReport:
    """Code every record (its date as publication date) and score it; ``split`` is dev, test or all."""
    chosen = [r for r in records if split == "all" or r.split == split]
    if not chosen:
        raise InputError(f"{gold_name}: no records in split {split!r}")
    scheme = chosen[0].scheme
    report = EvalReport(gold=gold_name, split=split, scheme=scheme)
    by_id: dict[str, list[Event]] = {r.record_id: [] for r in chosen}
    documents = (Document(doc_id=r.record_id, text=r.text, published=r.published) for r in chosen)
    for event in code(documents):
        by_id[event.doc_id].append(event)
    if scheme == "penta":
        _score_penta(report, [(r, by_id[r.record_id]) for r in chosen])
        return report
    for record in chosen:
        _score_record(report, record, by_id[record.record_id])
    return report


def evaluate_file(path: str | Path, *, split: str = "all", model: str | None = None) -> EvalReport:
    """Score the default coder (or one on ``model``) against the gold file at ``path``."""
    from detente.coding import Coder, default_coder

    coder = default_coder() if model is None else Coder(model=model)
    return evaluate(read_gold(path), coder.code_documents, gold_name=Path(path).name, split=split)
