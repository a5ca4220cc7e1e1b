"""Score actor resolution against third-party gold files (read in place from ``../shared/eval``).

Two files are supported: NGEC's actor-resolution expectations (``ngec_actor_resolution.jsonl``: actor
string, optional date and context -> ISO3 country and PLOVER sector) and PETRARCH-2's noun-phrase
cases (``petrarch2_pytest_cases.jsonl``, kinds ``actor_phrase`` and ``actor_phrase_dated``: phrase -> CAMEO
code).

Scoring conventions, stated so the figures can be read:

- country accuracy counts a record right when the resolved country equals the gold one ("" = no country);
  gold ``EUR`` and ``UNO`` (PLOVER's codes for EU and UN bodies) count as our ``IGO``;
- country+sector accuracy is over the records whose gold asserts a sector; our ``DIP`` counts as ``GOV``
  (docs/architecture.md);
- a PETRARCH code is split into a country block and, when the next block is a PLOVER sector, a sector block
  ("USAMIL" -> USA, MIL); "IGOWSTNAT" only asserts the country IGO. A compound phrase ("A and B") is resolved
  part by part and compared as a set.

Run: ``python -m detente.coding.actors.evaluation ../shared/eval/ngec_actor_resolution.jsonl
../shared/eval/petrarch2_pytest_cases.jsonl [--split dev|test] [--misses]``

``--split`` keeps the records of one part of the coder's own split (``detente.coding.evaluate.split_of``:
30% of record ids, chosen by hash, are held out as ``test``), so work on the dictionaries can look at the
``dev`` misses only and report the held-out figure beside it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from detente.coding.actors._data import SECTORS
from detente.coding.actors._lexicon import Actor, ActorLexicon
from detente.countries import to_iso3
from detente.errors import InputError

__all__ = ["ActorScore", "evaluate_file", "main"]

_GOLD_IGO = {"IGO", "EUR", "UNO"}
_SPLITS = ("all", "dev", "test")


@dataclass
class ActorScore:
    """Counts for one gold file; ``misses`` keeps (id, text, gold, got) for reading the errors."""

    name: str
    records: int = 0
    country_right: int = 0
    with_sector: int = 0
    sector_right: int = 0
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def country_accuracy(self) -> float:
        return self.country_right / self.records if self.records else 0.0

    @property
    def country_sector_accuracy(self) -> float:
        return self.sector_right / self.with_sector if self.with_sector else 0.0

    def summary(self) -> str:
        return (
            f"{self.name}: {self.records} records, country {self.country_accuracy:.1%} "
            f"({self.country_right}/{self.records}), country+sector {self.country_sector_accuracy:.1%} "
            f"({self.sector_right}/{self.with_sector})"
        )


def _records(path: Path) -> Iterator[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read gold file ({exc})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not a JSON object ({exc.msg})") from exc


def _gold_date(text: str | None) -> date | None:
    """NGEC writes dates as "2022-01-10", "10 May 2015", "1 july 2021" or "today"."""
    if not text or text.strip().lower() == "today":
        return None
    for pattern in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y"):
        try:
            return datetime.strptime(
                text.strip().title() if "%B" in pattern else text.strip(), pattern
            ).date()
        except ValueError:
            continue
    return None


def _same_country(got: str | None, gold: str | None) -> bool:
    got, gold = got or "", gold or ""
    if gold in _GOLD_IGO:
        return got == "IGO"
    return got == gold


def _scored_sector(sector: str) -> str:
    return "GOV" if sector == "DIP" else sector


def _score_ngec(lexicon: ActorLexicon, records: Iterable[dict], score: ActorScore) -> None:
    for record in records:
        if record.get("skip") or record.get("expected_country") is None:
            continue
        actor = lexicon.resolve(record["text"], _gold_date(record.get("date")))
        country = actor.country if actor else None
        # The caller may know where the story is set; NGEC passes it as context or known_country.
        if country is None:
            country = to_iso3(record.get("known_country")) or to_iso3(record.get("context"))
        sector = _scored_sector(actor.sector) if actor else ""
        gold_country, gold_sector = record["expected_country"], record.get("expected_sector")
        score.records += 1
        country_ok = _same_country(country, gold_country)
        score.country_right += country_ok
        sector_ok = True
        if gold_sector is not None:
            score.with_sector += 1
            sector_ok = country_ok and sector == gold_sector
            score.sector_right += sector_ok
        if not (country_ok and sector_ok):
            score.misses.append(
                (record["id"], record["text"], f"{gold_country} {gold_sector or ''}", f"{country} {sector}")
            )


def _split_code(code: str) -> tuple[str, str | None]:
    country = code[:3]
    block = code[3:6]
    return country, (block if block in SECTORS else None)


def _score_petrarch(lexicon: ActorLexicon, records: Iterable[dict], score: ActorScore) -> None:
    for record in records:
        if record.get("kind") not in ("actor_phrase", "actor_phrase_dated"):
            continue
        day = date.fromisoformat(record["date"]) if record.get("date") else None
        gold = [_split_code(code) for code in record["expected_actor_codes"]]
        parts = re.split(r"\s+and\s+", record["text"]) if len(gold) > 1 else [record["text"]]
        actors: list[Actor | None] = [lexicon.resolve(part, day) for part in parts]
        got = [(a.country or "", _scored_sector(a.sector)) if a else ("", "") for a in actors]
        score.records += 1
        countries_ok = sorted(_gold_country_key(c) for c, _ in gold) == sorted(c for c, _ in got)
        score.country_right += countries_ok
        if all(sector is not None for _, sector in gold):
            score.with_sector += 1
            score.sector_right += countries_ok and sorted(
                (_gold_country_key(c), s) for c, s in gold
            ) == sorted(got)
        if not countries_ok or sorted((_gold_country_key(c), s or "") for c, s in gold) != sorted(got):
            score.misses.append(
                (record["id"], record["text"], " ".join(record["expected_actor_codes"]), str(got))
            )


def _gold_country_key(country: str) -> str:
    return "IGO" if country in _GOLD_IGO else country


def evaluate_file(path: Path, lexicon: ActorLexicon | None = None, split: str = "all") -> ActorScore:
    """Score one gold file (``split``: all, dev or test); the format is recognised from its records."""
    if split not in _SPLITS:
        raise InputError(f"split {split!r}: expected one of {', '.join(_SPLITS)}")
    from detente.coding.evaluate import split_of

    lexicon = lexicon or ActorLexicon.load()
    records = [
        record for record in _records(path) if split == "all" or split_of(str(record.get("id", ""))) == split
    ]
    score = ActorScore(name=path.name if split == "all" else f"{path.name} [{split}]")
    if any("expected_actor_codes" in record for record in records):
        _score_petrarch(lexicon, records, score)
    elif any("expected_country" in record for record in records):
        _score_ngec(lexicon, records, score)
    else:
        raise InputError(f"{path}: neither NGEC actor records nor PETRARCH actor cases")
    return score


def main(argv: list[str] | None = None) -> int:
    args = list(argv if argv is not None else sys.argv[1:])
    usage = (
        "usage: python -m detente.coding.actors.evaluation GOLD.jsonl... [--split all|dev|test] [--misses]"
    )
    split = "all"
    if "--split" in args:
        at = args.index("--split")
        if at + 1 >= len(args) or args[at + 1] not in _SPLITS:
            print(f"error: --split needs one of {', '.join(_SPLITS)}\n{usage}", file=sys.stderr)
            return 2
        split = args[at + 1]
        del args[at : at + 2]
    show_misses = "--misses" in args
    paths = [Path(arg) for arg in args if arg != "--misses"]
    if not paths:
        print(usage, file=sys.stderr)
        return 2
    lexicon = ActorLexicon.load()
    for path in paths:
        try:
            score = evaluate_file(path, lexicon, split)
        except InputError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(score.summary())
        if show_misses:
            for miss in score.misses:
                print("   ", " | ".join(miss))
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except BrokenPipeError:
        # the reader closed the pipe (`| head`): stop quietly, as the detente CLI does
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0) from None
