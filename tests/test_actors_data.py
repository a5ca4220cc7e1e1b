"""Integrity of the actor dictionaries: codes, sectors, tenures and names that resolve to their own entry."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise

import pytest
import spacy
from spacy.language import Language

from detente.coding.actors import SECTORS, ActorLexicon
from detente.coding.actors._data import (
    DataError,
    Period,
    parse_date,
    read_named,
    read_organisations,
    read_people,
    read_places,
    read_sectors,
    read_states,
)
from detente.countries import is_iso3


@pytest.fixture(scope="module")
def lexicon() -> ActorLexicon:
    return ActorLexicon.load()


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.blank("en")


def test_every_country_code_and_sector_is_valid(lexicon: ActorLexicon) -> None:
    for entry_id, _kind, periods in lexicon.entries():
        for period in periods:
            assert period.country == "" or is_iso3(period.country), (entry_id, period.country)
            assert period.sector == "" or period.sector in SECTORS, (entry_id, period.sector)


def test_plover_sectors_are_all_allowed(shared_dir) -> None:
    import csv

    with (shared_dir / "eval" / "reference" / "plover_sectors.csv").open(encoding="utf-8") as handle:
        plover = {row["sector_code"] for row in csv.DictReader(handle)}
    assert plover | {"DIP"} == SECTORS


def test_tenures_are_ordered() -> None:
    for person in read_people():
        for period in person.periods:
            assert period.start is not None, person.entry_id
            assert period.end is None or period.start < period.end, (person.entry_id, period.start_text)


def _month_overlap_only(first: Period, second: Period) -> bool:
    """Tenures overlapping by under a month, where one boundary is known only to the month, are no conflict
    (a month-precision end counts the whole month)."""
    if len(first.end_text) != 7 and len(second.start_text) != 7:
        return False
    assert first.end is not None and second.start is not None
    return (first.end - second.start).days <= 31


def test_single_holder_offices_never_overlap() -> None:
    """One head of state, one foreign minister, ... per country and role at any time."""
    by_office: dict[tuple[str, str], list[tuple[Period, str]]] = defaultdict(list)
    for person in read_people():
        for period in person.periods:
            by_office[(period.country, period.role)].append((period, person.entry_id))
    problems = []
    for office, tenures in by_office.items():
        tenures.sort(key=lambda item: item[0].start or date.min)
        for (first, first_id), (second, second_id) in pairwise(tenures):
            if first_id == second_id:
                continue
            end = first.end or date.max
            assert second.start is not None
            if second.start < end and not _month_overlap_only(first, second):
                problems.append(
                    f"{office}: {first_id} until {first.end_text or 'open'} / {second_id} from "
                    f"{second.start_text}"
                )
    assert problems == [], "\n".join(problems)


def test_people_cover_the_newsworthy_states() -> None:
    """Heads of state or government from 2000 to today for the states the issue names."""
    required = [
        *("USA", "CHN", "RUS", "GBR", "FRA", "DEU", "JPN", "IND", "PAK", "IRN", "ISR", "SAU", "TUR", "UKR"),
        *("KOR", "PRK", "BRA", "EGY", "IRQ", "SYR", "AFG", "QAT", "ARE", "ITA", "ESP", "CAN", "AUS", "IDN"),
        *(
            "NGA",
            "ZAF",
            "MEX",
            "VEN",
            "POL",
            "BLR",
            "AZE",
            "ARM",
            "ETH",
            "BGD",
            "LBN",
            "JOR",
            "PSE",
            "YEM",
            "TWN",
        ),
    ]
    people = read_people()
    for iso3 in required:
        leaders = [
            p for person in people for p in person.periods if p.country == iso3 and p.role in ("HOS", "HOG")
        ]
        assert leaders, iso3
        for year in range(2000, 2026):
            day = date(year, 7, 1)
            # Interregnums and caretaker gaps of weeks exist; a whole year without a leader is a hole.
            covered = any(
                p.covers(day) or p.covers(date(year, 3, 1)) or p.covers(date(year, 11, 1)) for p in leaders
            )
            assert covered, (iso3, year)


def test_every_name_resolves_to_its_own_entry(lexicon: ActorLexicon, nlp: Language) -> None:
    """Each name in the data, matched alone, gives its own entry (or one of equal standing on that date)."""
    named = [
        *(("alias", e) for e in read_named("institutions.csv", "alias")),
        *(("group", e) for e in read_named("groups.csv", "group")),
        *(("community", e) for e in read_named("communities.csv", "community")),
        *(("alias", e) for e in read_named("parties.csv", "alias")),
        *(("org", e) for e in read_organisations()),
    ]
    failures = []
    for _kind, entry in named:
        for name in entry.names:
            found = lexicon.match(nlp.make_doc(name), date(2024, 1, 1))
            if [m.entry_id for m in found] != [entry.entry_id]:
                failures.append((name, entry.entry_id, [(m.text, m.entry_id) for m in found]))
    for person in read_people():
        day = person.periods[-1].start
        for name in person.names:
            found = lexicon.match(nlp.make_doc(name), day)
            ids = [m.entry_id for m in found]
            # Shared names ("King Abdullah") may stay unresolved on a day both bearers hold office.
            if ids not in ([person.entry_id], []):
                failures.append((name, person.entry_id, ids))
    for iso3, names, demonyms, capitals in read_states():
        for group, kind in ((names, "state"), (demonyms, "demonym"), (capitals, "capital")):
            for name in group:
                found = lexicon.match(nlp.make_doc(name), date(2024, 1, 1))
                if [(m.country, m.kind) for m in found] != [(iso3, kind)] and not (
                    name == "Congo" and iso3 == "COG"
                ):
                    failures.append((name, iso3, [(m.text, m.country, m.kind) for m in found]))
    for name, iso3 in read_places():
        found = lexicon.match(nlp.make_doc(name), date(2024, 1, 1))
        # A state, capital or demonym spelt the same outranks a province ("Niger", "Georgia", "Zaire").
        if [m.country for m in found] != [iso3] and not (
            found and found[0].kind in ("state", "capital", "demonym")
        ):
            failures.append((name, iso3, [(m.text, m.country, m.kind) for m in found]))
    assert failures == []


def test_sector_nouns_are_unique() -> None:
    seen: dict[str, str] = {}
    for noun in read_sectors():
        for form in noun.forms:
            assert form.lower() not in seen, (form, seen.get(form.lower()), noun.sector)
            seen[form.lower()] = noun.sector


def test_month_precision_dates() -> None:
    assert parse_date("2024-08", is_end=False, where="t") == date(2024, 8, 1)
    assert parse_date("2024-08", is_end=True, where="t") == date(2024, 9, 1)
    assert parse_date("2024-12", is_end=True, where="t") == date(2025, 1, 1)
    assert parse_date("", is_end=True, where="t") is None
    with pytest.raises(DataError, match="t: bad date"):
        parse_date("2024/08/01", is_end=False, where="t")
    with pytest.raises(DataError, match="t: bad date"):
        parse_date("2024-13-01", is_end=False, where="t")


def test_load_is_cached(lexicon: ActorLexicon) -> None:
    assert ActorLexicon.load() is lexicon
