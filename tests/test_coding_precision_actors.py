"""A group whose role changed with time (the Taliban: insurgents until 15 August 2021, Afghanistan's
government since) resolves by the event's date, by the publication date for an undated event, and, in a
document with no date at all, in the role that keeps it apart from its country's other actors in the
sentence. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.coding import Coder, default_coder
from detente.coding.actors import ActorLexicon
from detente.record import Event


@pytest.fixture(scope="session")
def coder() -> Coder:
    return default_coder()


def _sources(events: list[Event]) -> set[tuple[str | None, str]]:
    return {(e.source_country, e.source_sector) for e in events}


def test_the_lexicon_gives_a_groups_role_on_a_date() -> None:
    lexicon = ActorLexicon.load()
    day = dt.timedelta(days=1)
    assert lexicon.role_on("group:taliban", dt.date(2010, 5, 3), dt.date(2010, 5, 3) + day) == ("AFG", "REB")
    assert lexicon.role_on("group:taliban", dt.date(2022, 5, 3), dt.date(2022, 5, 3) + day) == ("AFG", "GOV")
    assert lexicon.role_on("state:PAK", dt.date(2022, 5, 3), dt.date(2022, 5, 3) + day) is None


@pytest.mark.parametrize(
    ("published", "sector"), [(dt.date(2024, 1, 10), "REB"), (dt.date(2010, 5, 4), "REB")]
)
def test_a_dated_event_resolves_the_group_on_its_own_date(
    coder: Coder, published: dt.date, sector: str
) -> None:
    events = coder.code_text(
        "The Taliban attacked Afghan troops in Kandahar on 3 May 2010.", published=published, doc_id="a"
    )
    assert ("AFG", sector) in _sources(events)


@pytest.mark.parametrize(
    ("published", "sector"), [(dt.date(2015, 6, 1), "REB"), (dt.date(2022, 6, 1), "GOV")]
)
def test_an_undated_event_resolves_the_group_on_the_publication_date(
    coder: Coder, published: dt.date, sector: str
) -> None:
    events = coder.code_text(
        "The Taliban detained two Pakistani journalists.", published=published, doc_id="a"
    )
    assert _sources(events) == {("AFG", sector)}


def test_with_no_date_at_all_the_group_is_not_its_own_countrys_government(coder: Coder) -> None:
    events = coder.code_text(
        "The Taliban rejected talks with the Afghan government.", published=None, doc_id="a"
    )
    assert {(e.source_country, e.source_sector, e.target_country, e.target_sector) for e in events} == {
        ("AFG", "REB", "AFG", "GOV")
    }
