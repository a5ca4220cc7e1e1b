"""How often the trigger lexicon proposes the right event type: candidate recall on gold sentences.

This measures the lexicon alone (no parse, no actors): for each gold sentence, is the gold CAMEO root
(and exact code) among the candidates ``TriggerLexicon.match`` returns, and is it the top-priority
candidate? Recall of the candidate set bounds what the event engine can reach; the top-priority figure
shows how far priorities alone go before the parse resolves overlaps. The "framed" figures add the
frame recoding of ``frames.yaml`` (an act shortly after "threatened to"/"agreed to"/"urged" ...).

Gold sets are split deterministically by a hash of the record id into a development part (70%, used
while writing entries) and a held-out part (30%, never read while writing them)::

    python -m detente.coding.triggers.coverage ../shared/eval/cameo_manual_examples.jsonl
    python -m detente.coding.triggers.coverage --penta ../shared/eval/conflibert_cameo_penta.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy

from detente.errors import InputError

from ._lexicon import TriggerLexicon, TriggerMatch

__all__ = [
    "CoverageReport",
    "code_coverage",
    "framed_codes",
    "main",
    "penta_class",
    "penta_coverage",
    "split_of",
]

DEV_SHARE = 70  # percent of records in the development part


def split_of(record_id: str) -> str:
    """``"dev"`` or ``"heldout"``: a stable 70/30 split by a hash of the record id."""
    bucket = int(hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "dev" if bucket < DEV_SHARE else "heldout"


def penta_class(code: str) -> int:
    """ConfliBERT/Phoenix 5-way class of a CAMEO code: 01-02, 03-05, 06-08, 09-13 and 16, 14-15 and 17-20."""
    root = int(code[:2])
    if root <= 2:
        return 0
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 13 or root == 16:
        return 3
    return 4


@dataclass
class CoverageReport:
    """Counts for one part of one gold set."""

    part: str
    records: int = 0
    with_candidates: int = 0
    hits: dict[str, int] = field(default_factory=dict)  # measure name -> records where it holds
    misses: list[str] = field(default_factory=list)  # ids of records whose gold root/class was not proposed

    def add(self, measures: dict[str, bool], has_candidates: bool, record_id: str, miss_key: str) -> None:
        self.records += 1
        self.with_candidates += has_candidates
        for name, value in measures.items():
            self.hits[name] = self.hits.get(name, 0) + int(value)
        if not measures[miss_key]:
            self.misses.append(record_id)

    def rate(self, name: str) -> float:
        return self.hits.get(name, 0) / self.records if self.records else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "records": self.records,
            "with_candidates": self.with_candidates,
            **{name: round(self.rate(name), 3) for name in sorted(self.hits)},
        }


def _top(matches: Sequence[TriggerMatch]) -> TriggerMatch | None:
    return max(matches, key=lambda m: m.priority) if matches else None


FRAME_REACH = 15  # tokens after a frame trigger in which an act may be its complement


def framed_codes(lexicon: TriggerLexicon, matches: Sequence[TriggerMatch]) -> set[str]:
    """Codes of the candidates plus the frame codes of acts that follow a frame trigger closely.

    A stand-in for what the engine does with the parse ("threatened to impose sanctions" -> 1312): here
    any act starting within ``FRAME_REACH`` tokens after a frame trigger counts as governed by it.
    """
    codes = {m.code for m in matches}
    for frame_match in matches:
        frame = lexicon.frame_of(frame_match.code)
        if frame is None:
            continue
        for act in matches:
            if frame_match.end <= act.start < frame_match.end + FRAME_REACH:
                framed = lexicon.frame_code(frame, act.code)
                if framed is not None:
                    codes.add(framed)
    return codes


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise InputError(f"{path} line {number}: not valid JSON ({error.msg})") from None
    return records


def code_coverage(
    records: Iterable[dict[str, Any]], lexicon: TriggerLexicon | None = None
) -> dict[str, CoverageReport]:
    """Candidate recall for records with ``id``, ``text`` and ``expected_code`` (the CAMEO-manual file)."""
    lexicon = lexicon or TriggerLexicon.load()
    nlp = spacy.blank("en")
    reports = {part: CoverageReport(part) for part in ("dev", "heldout")}
    for record in records:
        code = str(record.get("expected_code") or "")
        if len(code) < 3:
            continue  # a bare root is not a codable event type
        matches = lexicon.match(nlp.make_doc(record["text"]))
        top = _top(matches)
        codes = {m.code for m in matches}
        framed = framed_codes(lexicon, matches)
        measures = {
            "root_in_candidates": code[:2] in {c[:2] for c in codes},
            "code_in_candidates": code in codes,
            "root_in_framed": code[:2] in {c[:2] for c in framed},
            "code_in_framed": code in framed,
            "top_root": top is not None and top.code[:2] == code[:2],
            "top_code": top is not None and top.code == code,
        }
        reports[split_of(record["id"])].add(measures, bool(matches), record["id"], "root_in_candidates")
    return reports


def penta_coverage(
    records: Iterable[dict[str, Any]], lexicon: TriggerLexicon | None = None, split: str = "train"
) -> dict[str, CoverageReport]:
    """Candidate recall of the 5-way class on one split of the ConfliBERT penta file."""
    lexicon = lexicon or TriggerLexicon.load()
    nlp = spacy.blank("en")
    reports = {split: CoverageReport(split)}
    for record in records:
        if record.get("split") != split:
            continue
        gold = int(record["penta_class"])
        matches = lexicon.match(nlp.make_doc(record["text"]))
        top = _top(matches)
        measures = {
            "class_in_candidates": gold in {penta_class(m.code) for m in matches},
            "class_in_framed": gold in {penta_class(c) for c in framed_codes(lexicon, matches)},
            "top_class": top is not None and penta_class(top.code) == gold,
        }
        reports[split].add(measures, bool(matches), record["id"], "class_in_candidates")
    return reports


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m detente.coding.triggers.coverage",
        description="Candidate recall of the CAMEO trigger lexicon on a gold file.",
    )
    parser.add_argument("gold", type=Path, help="cameo_manual_examples.jsonl, or the penta file with --penta")
    parser.add_argument("--penta", action="store_true", help="score the 5-way class (ConfliBERT file)")
    parser.add_argument("--split", default="train", help="penta split to score (default: train)")
    parser.add_argument("--show-misses", choices=("dev", "train"), help="list the missed ids of that part")
    args = parser.parse_args(argv)
    try:
        records = _read_jsonl(args.gold)
        reports = penta_coverage(records, split=args.split) if args.penta else code_coverage(records)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        for report in reports.values():
            print(json.dumps(report.as_dict()))
        if args.show_misses and args.show_misses in reports:
            # Only the development part is ever listed, so held-out sentences stay unseen.
            for record_id in reports[args.show_misses].misses:
                print(record_id)
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into head: the reader has what it wanted
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
