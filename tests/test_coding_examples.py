"""The coder on the two real articles of ../shared/examples: what a careful reader sees (their README)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from detente.coding import Coder
from detente.record import Document, Event

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def coded(shared_dir: Path) -> dict[str, list[Event]]:
    documents = []
    for line in (shared_dir / "examples" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        raw = json.loads(line)
        documents.append(
            Document(raw["id"], raw["text"], dt.date.fromisoformat(raw["published"]), raw.get("title"))
        )
    events: dict[str, list[Event]] = {d.doc_id: [] for d in documents}
    for event in Coder().code_documents(documents):
        events[event.doc_id].append(event)
    return events


def _dyad(events: list[Event], source: str, target: str) -> list[Event]:
    return [e for e in events if e.source_country == source and e.target_country == target]


def _root(event: Event) -> str:
    return str(event.extra.get("planned_code", event.cameo))[:2]


def test_iran_strike_on_pakistan(coded: dict[str, list[Event]]) -> None:
    strikes = [
        e for e in _dyad(coded["pakistan-iran-turnaround-2024"], "IRN", "PAK") if e.plover == "ASSAULT"
    ]
    assert len(strikes) == 1, "the strike is told several times: one record"
    strike = strikes[0]
    assert strike.cameo_root == "19" and strike.modality == "asserted"
    assert "2024-01-16" <= (strike.date or "") <= "2024-01-18" and strike.date_basis == "stated"
    assert strike.mentions >= 3


def test_pakistan_retaliation(coded: dict[str, list[Event]]) -> None:
    retaliation = [
        e for e in _dyad(coded["pakistan-iran-turnaround-2024"], "PAK", "IRN") if e.cameo_root == "19"
    ]
    asserted = [e for e in retaliation if e.modality == "asserted"]
    assert asserted
    assert "2024-01-16" <= (asserted[0].date or "") <= "2024-01-19"


def test_ties_restored_both_ways_on_22_january(coded: dict[str, list[Event]]) -> None:
    events = coded["pakistan-iran-turnaround-2024"]
    for source, target in (("PAK", "IRN"), ("IRN", "PAK")):
        restored = [
            e for e in _dyad(events, source, target)
            if e.date == "2024-01-22" and e.quad_class in (1, 2) and e.modality == "asserted"
        ]  # fmt: skip
        assert restored, f"{source}->{target} cooperation on 22 January"


def test_planned_foreign_minister_visit(coded: dict[str, list[Event]]) -> None:
    visits = [
        e for e in _dyad(coded["pakistan-iran-turnaround-2024"], "IRN", "PAK")
        if e.modality == "planned" and (e.cameo == "036" or _root(e) == "04")
    ]  # fmt: skip
    assert visits
    assert any(e.source_sector == "DIP" and "2024-01-24" <= (e.date or "") <= "2024-01-29" for e in visits)


def test_planned_border_mechanisms(coded: dict[str, list[Event]]) -> None:
    events = coded["pakistan-iran-turnaround-2024"]
    for source, target in (("PAK", "IRN"), ("IRN", "PAK")):
        mechanisms = [
            e for e in _dyad(events, source, target) if e.modality == "planned" and _root(e) == "06"
        ]
        assert mechanisms, f"{source}->{target} planned cooperation mechanisms"


def test_august_2023_visit_keeps_its_month(coded: dict[str, list[Event]]) -> None:
    visits = [
        e for e in _dyad(coded["pakistan-iran-turnaround-2024"], "IRN", "PAK") if e.date == "2023-08-01"
    ]
    assert visits and visits[0].date_precision == "month" and visits[0].cameo_root == "04"


def test_nothing_is_dated_after_the_planned_visit(coded: dict[str, list[Event]]) -> None:
    for event in coded["pakistan-iran-turnaround-2024"]:
        assert event.date is None or event.date <= "2024-01-29"
        if event.date and event.date > "2024-01-24":
            assert event.modality != "asserted"


def test_army_chief_meets_us_president(coded: dict[str, list[Event]]) -> None:
    meetings = [
        e for e in _dyad(coded["pakistan-iran-us-realignment-2025"], "PAK", "USA") if e.cameo_root == "04"
    ]
    assert meetings and meetings[0].source_sector == "MIL" and meetings[0].target_sector == "GOV"


def test_pakistan_distances_itself_from_iran(coded: dict[str, list[Event]]) -> None:
    distancing = [
        e for e in _dyad(coded["pakistan-iran-us-realignment-2025"], "PAK", "IRN") if _root(e) in ("08", "16")
    ]
    assert distancing
