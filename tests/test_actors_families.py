"""Entry families added to the actor dictionaries: communities, the new armed groups and sector nouns, and
the defence, military and intelligence posts of the newsworthy states (resolved by date)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from detente.coding.actors import ActorLexicon
from detente.coding.actors._data import read_named, read_people

# The states the issue asks people for (tests/test_actors_data.py checks their heads of state/government).
NEWSWORTHY = [
    "USA",
    "CHN",
    "RUS",
    "GBR",
    "FRA",
    "DEU",
    "JPN",
    "IND",
    "PAK",
    "IRN",
    "ISR",
    "SAU",
    "TUR",
    "UKR",
    "KOR",
    "PRK",
    "BRA",
    "EGY",
    "IRQ",
    "SYR",
    "AFG",
    "QAT",
    "ARE",
    "ITA",
    "ESP",
    "CAN",
    "AUS",
    "IDN",
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
]


@pytest.fixture(scope="module")
def lexicon() -> ActorLexicon:
    return ActorLexicon.load()


# ------------------------------------------------------------------------------------------ communities
def test_every_community_resolves_alone_to_its_country_as_civilians(lexicon: ActorLexicon) -> None:
    communities = read_named("communities.csv", "community")
    assert len(communities) >= 25
    wrong = []
    for entry in communities:
        (period,) = entry.periods
        for name in entry.names:
            actor = lexicon.resolve(name, date(2024, 1, 1))
            if actor is None or (actor.country, actor.sector) != (period.country, period.sector):
                wrong.append((name, period.country, actor))
    assert wrong == []


@pytest.mark.parametrize(
    ("phrase", "country", "sector"),
    [
        ("Rohingya refugees", "MMR", "REF"),
        ("Uyghur activists", "CHN", "CVL"),
        ("Chechen fighters", "RUS", "REB"),
        ("Crimean Tatar leaders", "UKR", "GOV"),
        ("Yazidi survivors", "IRQ", "CVL"),
        ("Catalan separatists", "ESP", "REB"),
    ],
)
def test_a_sector_noun_after_a_community_takes_its_country(
    lexicon: ActorLexicon, phrase: str, country: str, sector: str
) -> None:
    actor = lexicon.resolve(phrase, date(2024, 1, 1))
    assert actor is not None and (actor.country, actor.sector) == (country, sector), actor


@pytest.mark.parametrize("phrase", ["Kurds", "Kurdish fighters", "Baloch militants", "Pashtuns", "Druze"])
def test_communities_across_borders_give_no_country(lexicon: ActorLexicon, phrase: str) -> None:
    # a name alone would pick a side; the sentence has to say which state
    actor = lexicon.resolve(phrase, date(2024, 1, 1))
    assert actor is None or actor.country is None, actor


def test_community_names_do_not_shadow_states_or_groups(lexicon: ActorLexicon) -> None:
    groups = {name.lower() for e in read_named("groups.csv", "group") for name in e.names}
    for entry in read_named("communities.csv", "community"):
        for name in entry.names:
            assert name.lower() not in groups, name


# ------------------------------------------------------------------------------------ groups and sectors
@pytest.mark.parametrize(
    ("phrase", "day", "country", "sector"),
    [
        ("ARSA", date(2017, 8, 25), "MMR", "REB"),
        ("Naxalites", date(2021, 4, 3), "IND", "REB"),
        ("Kataib Hezbollah", date(2024, 1, 28), "IRQ", "PRM"),
        ("Asaib Ahl al-Haq", date(2020, 1, 5), "IRQ", "PRM"),
        ("Fatemiyoun Division", date(2016, 5, 1), "IRN", "PRM"),
        ("Al-Aqsa Martyrs Brigades", date(2023, 10, 7), "PSE", "REB"),
        ("Israeli settlers", date(2024, 1, 1), "ISR", "CVL"),
        ("Pakistan's election commission", date(2024, 2, 8), "PAK", "GOV"),
        ("Syrian state news agency", date(2024, 1, 1), "SYR", "JRN"),
        ("Iranian federal prosecutors", date(2024, 1, 1), "IRN", "JUD"),
        ("Nepal's Maoists", date(2005, 1, 1), "NPL", "REB"),
    ],
)
def test_new_groups_and_sector_nouns(
    lexicon: ActorLexicon, phrase: str, day: date, country: str, sector: str
) -> None:
    actor = lexicon.resolve(phrase, day)
    assert actor is not None and (actor.country, actor.sector) == (country, sector), actor


# --------------------------------------------------------------------------------------- people by date
@pytest.mark.parametrize(
    ("name", "inside", "outside", "country", "sector"),
    [
        ("Kim Kwan-jin", date(2012, 5, 1), date(2016, 5, 1), "KOR", "GOV"),
        ("Han Min-koo", date(2016, 1, 1), date(2018, 1, 1), "KOR", "GOV"),
        ("Guo Boxiong", date(2008, 1, 1), date(2014, 1, 1), "CHN", "MIL"),
        ("Hazim al-Shaalan", date(2004, 12, 1), date(2007, 1, 1), "IRQ", "GOV"),
        ("Abdul Rahim Wardak", date(2008, 1, 1), date(2013, 1, 1), "AFG", "GOV"),
        ("Amrullah Saleh", date(2008, 1, 1), date(2011, 1, 1), "AFG", "SPY"),
        ("Yevhen Marchuk", date(2004, 1, 1), date(2006, 1, 1), "UKR", "GOV"),
        ("Andriy Zagorodnyuk", date(2019, 12, 1), date(2020, 6, 1), "UKR", "GOV"),
        ("Elias Murr", date(2008, 1, 1), date(2012, 1, 1), "LBN", "GOV"),
        ("Jean Kahwaji", date(2012, 1, 1), date(2018, 1, 1), "LBN", "MIL"),
        ("Bashir Salihi Magashi", date(2021, 1, 1), date(2024, 1, 1), "NGA", "GOV"),
        ("Feng Shih-kuan", date(2017, 1, 1), date(2019, 1, 1), "TWN", "GOV"),
        ("Gitanas Nausėda", date(2020, 1, 1), date(2018, 1, 1), "LTU", "GOV"),
        ("Ukhnaagiin Khurelsukh", date(2022, 1, 1), date(2016, 1, 1), "MNG", "GOV"),
        ("Albin Kurti", date(2022, 1, 1), date(2020, 10, 1), "XKX", "GOV"),
        ("Boyko Borisov", date(2019, 1, 1), date(2022, 1, 1), "BGR", "GOV"),
    ],
)
def test_a_person_resolves_by_date_and_not_outside_the_tenure(
    lexicon: ActorLexicon, name: str, inside: date, outside: date, country: str, sector: str
) -> None:
    during = lexicon.resolve(name, inside)
    after = lexicon.resolve(name, outside)
    assert during is not None and (during.country, during.sector) == (country, sector), during
    assert after is not None and (after.country, after.sector) == (country, "ELI"), after


def test_person_in_office_asks_the_middle_of_a_period(lexicon: ActorLexicon) -> None:
    # Trump left office on 2021-01-20: in office for a day in January 2021, not for "2021" as a whole
    assert lexicon.person_in_office("person:trump", date(2021, 1, 10), date(2021, 1, 11)) == ("USA", "GOV")
    assert lexicon.person_in_office("person:trump", date(2021, 1, 1), date(2022, 1, 1)) is None
    assert lexicon.person_in_office("state:USA", date(2021, 1, 1), date(2022, 1, 1)) is None
    assert lexicon.person_in_office("person:no_such_key", date(2021, 1, 1), date(2022, 1, 1)) is None


def _coverage(role: str) -> float:
    """Share of quarter-days from 2000 to mid-2025 on which someone holds ``role``, over NEWSWORTHY."""
    days = [date(2000, 1, 1) + timedelta(days=91 * i) for i in range(102)]
    tenures = [p for person in read_people() for p in person.periods if p.role == role]
    by_state = {iso3: [p for p in tenures if p.country == iso3] for iso3 in NEWSWORTHY}
    covered = sum(any(p.covers(day) for p in by_state[iso3]) for iso3 in NEWSWORTHY for day in days)
    return covered / (len(NEWSWORTHY) * len(days))


@pytest.mark.parametrize(("role", "floor"), [("FM", 0.93), ("DM", 0.73), ("MIL", 0.46), ("INTEL", 0.40)])
def test_offices_of_the_newsworthy_states_are_covered(role: str, floor: float) -> None:
    # floors just under what the file holds, so that a lost block of rows fails here
    assert _coverage(role) >= floor


# ------------------------------------------------------------------------------------------------ places
@pytest.mark.parametrize(
    ("phrase", "country", "sector"),
    [
        ("Balakot", "PAK", ""),
        ("police in Dera Ismail Khan", "PAK", "COP"),
        ("Sistan-Baluchestan", "IRN", ""),
        ("Gaza", "PSE", ""),
        ("East Jerusalem", "PSE", ""),
        ("Jerusalem", "ISR", "GOV"),
        ("Crimea", "UKR", ""),
        ("residents of Kramatorsk", "UKR", "CVL"),
        ("Bahir Dar", "ETH", ""),
        ("Amhara", "ETH", ""),
        ("North Kivu", "COD", ""),
    ],
)
def test_places_give_their_country(lexicon: ActorLexicon, phrase: str, country: str, sector: str) -> None:
    actor = lexicon.resolve(phrase, date(2024, 1, 1))
    assert actor is not None and (actor.country, actor.sector or "") == (country, sector), actor


@pytest.mark.parametrize("phrase", ["Kashmir", "Golan Heights", "South China Sea", "Strait of Hormuz"])
def test_disputed_or_shared_places_give_no_country(lexicon: ActorLexicon, phrase: str) -> None:
    actor = lexicon.resolve(phrase, date(2024, 1, 1))
    assert actor is None or actor.country is None, actor


# ------------------------------------------------------------------------------------- parties, religion
@pytest.mark.parametrize(
    ("phrase", "country", "sector"),
    [
        ("the PRI", "MEX", "PTY"),
        ("Likud", "ISR", "PTY"),
        ("the Tories", "GBR", "PTY"),
        ("Lebanese Forces", "LBN", "PTY"),
        ("Lebanese forces", "LBN", "MIL"),
        ("Britain's Labour Party", "GBR", "PTY"),
        ("Muslim leaders in France", "FRA", "REL"),
        ("Likud lawmakers", "ISR", "LEG"),
        ("Hezbollah lawmakers", "LBN", "LEG"),
        ("IRGC commanders", "IRN", "MIL"),
        ("Sunni militants in Iraq", "IRQ", "REB"),
    ],
)
def test_parties_and_religious_bodies(lexicon: ActorLexicon, phrase: str, country: str, sector: str) -> None:
    actor = lexicon.resolve(phrase, date(2024, 1, 1))
    assert actor is not None and (actor.country, actor.sector) == (country, sector), actor


@pytest.mark.parametrize("phrase", ["Labour Party", "Conservative Party", "Socialist Party", "Greens"])
def test_party_names_many_states_share_give_no_country(lexicon: ActorLexicon, phrase: str) -> None:
    actor = lexicon.resolve(phrase, date(2024, 1, 1))
    assert actor is None or actor.country is None, actor


@pytest.mark.parametrize(
    ("phrase", "day", "country", "entry"),
    [
        ("Jordan's King Abdullah", date(2010, 1, 1), "JOR", "person:abdullah_ii"),
        ("Saudi King Abdullah", date(2010, 1, 1), "SAU", "person:king_abdullah_sau"),
        ("President Bush", date(1990, 6, 1), "USA", "person:bush_ghw"),
        ("President Bush", date(2003, 6, 1), "USA", "person:bush_gw"),
        ("President Aliyev", date(2002, 1, 1), "AZE", "person:heydar_aliyev"),
        ("President Aliyev", date(2010, 1, 1), "AZE", "person:ilham_aliyev"),
    ],
)
def test_a_shared_name_goes_to_the_bearer_of_the_named_country_or_in_office(
    lexicon: ActorLexicon, phrase: str, day: date, country: str, entry: str
) -> None:
    actor = lexicon.resolve(phrase, day)
    assert actor is not None and (actor.country, actor.sector, actor.entry_id) == (country, "GOV", entry), (
        actor
    )


@pytest.mark.parametrize(
    ("phrase", "country", "sector"),
    [
        ("the Hamas-run health ministry", "PSE", "GOV"),
        ("Saudi-led coalition forces", "SAU", "MIL"),
        ("Russian-backed separatists", None, "REB"),
        ("Turkish-backed rebels", None, "REB"),
        ("Pakistan's energy ministry", "PAK", "GOV"),
        ("the Indian commerce minister", "IND", "GOV"),
        ("Qatari mediators", "QAT", "DIP"),
    ],
)
def test_hyphen_modifiers_and_named_ministries(
    lexicon: ActorLexicon, phrase: str, country: str | None, sector: str
) -> None:
    # "-run", "-led" give the body's country; "-backed" names a backer, not the actor's country
    actor = lexicon.resolve(phrase, date(2024, 6, 1))
    assert actor is not None and (actor.country, actor.sector) == (country, sector), actor
