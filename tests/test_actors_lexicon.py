"""Actor lexicon: one test per entry family, plus the matching rules the coder relies on."""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from spacy.language import Language

from detente.coding.actors import Actor, ActorLexicon, ActorMention


@pytest.fixture(scope="module")
def lexicon() -> ActorLexicon:
    return ActorLexicon.load()


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.blank("en")


def mentions(lexicon: ActorLexicon, nlp: Language, text: str, day: str | None = None) -> list[ActorMention]:
    return lexicon.match(nlp.make_doc(text), date.fromisoformat(day) if day else None)


def codes(lexicon: ActorLexicon, nlp: Language, text: str, day: str | None = None) -> list[tuple]:
    return [(m.text, m.country, m.sector) for m in mentions(lexicon, nlp, text, day)]


def resolved(lexicon: ActorLexicon, phrase: str, day: str | None = None) -> tuple[str | None, str] | None:
    actor = lexicon.resolve(phrase, date.fromisoformat(day) if day else None)
    return None if actor is None else (actor.country, actor.sector)


# ---------------------------------------------------------------- states and aliases
@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Pakistan", "PAK"),
        ("the United States", "USA"),
        ("the U.S.", "USA"),
        ("America", "USA"),
        ("Britain", "GBR"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Cote d'Ivoire", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("the Democratic Republic of the Congo", "COD"),
        ("Republic of the Congo", "COG"),
        ("Bosnia and Herzegovina", "BIH"),
        ("North Korea", "PRK"),
        ("South Korea", "KOR"),
        ("Vanuatu", "VUT"),
    ],
)
def test_state_names_and_aliases(lexicon: ActorLexicon, nlp: Language, text: str, country: str) -> None:
    found = mentions(lexicon, nlp, text)
    assert [(m.country, m.sector) for m in found] == [(country, "")]
    assert found[0].kind == "state"


def test_every_pycountry_state_is_matched_by_its_name(lexicon: ActorLexicon, nlp: Language) -> None:
    import pycountry

    # The one deliberate override: news that writes plain "Congo" means the DRC (states.csv says so).
    overrides = {"Congo": "COD"}
    for country in pycountry.countries:
        name = getattr(country, "common_name", None) or country.name
        if "," in name or "(" in name:
            continue
        found = mentions(lexicon, nlp, name)
        assert [m.country for m in found] == [overrides.get(name, country.alpha_3)], name


def test_metonyms_of_seats_of_power(lexicon: ActorLexicon, nlp: Language) -> None:
    assert codes(lexicon, nlp, "the Kremlin said") == [("Kremlin", "RUS", "GOV")]
    assert codes(lexicon, nlp, "The White House and Downing Street") == [
        ("White House", "USA", "GOV"),
        ("Downing Street", "GBR", "GOV"),
    ]
    assert codes(lexicon, nlp, "the Pentagon") == [("Pentagon", "USA", "MIL")]
    assert codes(lexicon, nlp, "Iran's Revolutionary Guard Corps") == [
        ("Iran", "IRN", ""),
        ("Revolutionary Guard Corps", "IRN", "MIL"),
    ]


def test_lowercase_words_are_not_acronyms_or_names(lexicon: ActorLexicon, nlp: Language) -> None:
    # "us", "un", "chad", "turkey" in lower case are words, not the United States, UN, Chad or Turkey.
    assert codes(lexicon, nlp, "they told us the turkey was for chad") == []
    assert [m.country for m in mentions(lexicon, nlp, "the US and the UN")] == ["USA", "IGO"]


def test_non_actor_phrases_are_consumed(lexicon: ActorLexicon, nlp: Language) -> None:
    assert codes(lexicon, nlp, "ships in the South China Sea") == []
    assert codes(lexicon, nlp, "at a press conference in Latin America") == []


# ---------------------------------------------------------------- places (cities, provinces)
@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Karachi", "PAK"),
        ("Balochistan", "PAK"),
        ("Sistan-Baluchestan", "IRN"),
        ("Kharkiv", "UKR"),
        ("Aleppo", "SYR"),
        ("Xinjiang", "CHN"),
        ("Texas", "USA"),
        ("Bavaria", "DEU"),
    ],
)
def test_places_give_a_country(lexicon: ActorLexicon, nlp: Language, text: str, country: str) -> None:
    found = mentions(lexicon, nlp, text)
    assert [(m.country, m.sector, m.kind) for m in found] == [(country, "", "place")]


def test_place_words_that_are_common_words_are_not_places(lexicon: ActorLexicon, nlp: Language) -> None:
    # "Delta" (a Nigerian state), "Victoria" (an Australian state), "Batman" (a Turkish province)
    assert codes(lexicon, nlp, "Delta flew Victoria to see Batman") == []
    assert [(m.country, m.sector) for m in lexicon.match(nlp.make_doc("Karachi police"), compose=True)] == [
        ("PAK", "COP")
    ]


# ---------------------------------------------------------------- demonyms
@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Iranian", "IRN"),
        ("Pakistani", "PAK"),
        ("Pakistanis", "PAK"),
        ("American", "USA"),
        ("Americans", "USA"),
        ("Chinese", "CHN"),
        ("British", "GBR"),
        ("Saudi", "SAU"),
        ("North Korean", "PRK"),
        ("Emirati", "ARE"),
    ],
)
def test_demonyms(lexicon: ActorLexicon, nlp: Language, text: str, country: str) -> None:
    found = mentions(lexicon, nlp, text)
    assert [(m.country, m.sector, m.kind) for m in found] == [(country, "", "demonym")]


# ---------------------------------------------------------------- capitals
@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Tehran said", "IRN"),
        ("Islamabad", "PAK"),
        ("Beijing", "CHN"),
        ("Washington", "USA"),
        ("Moscow", "RUS"),
        ("Kyiv", "UKR"),
        ("Kiev", "UKR"),
        ("New Delhi", "IND"),
        ("Riyadh", "SAU"),
    ],
)
def test_capitals_stand_for_governments(
    lexicon: ActorLexicon, nlp: Language, text: str, country: str
) -> None:
    found = mentions(lexicon, nlp, text)
    assert [(m.country, m.sector, m.kind) for m in found] == [(country, "GOV", "capital")]


# ---------------------------------------------------------------- sector nouns
@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("the government", "GOV"),
        ("the president", "GOV"),
        ("foreign minister", "DIP"),
        ("the foreign ministry", "DIP"),
        ("army", "MIL"),
        ("troops", "MIL"),
        ("army chief", "MIL"),
        ("spy agency", "SPY"),
        ("police", "COP"),
        ("lawmakers", "LEG"),
        ("parliament", "LEG"),
        ("the judiciary", "JUD"),
        ("the opposition", "OPP"),
        ("rebels", "REB"),
        ("militants", "REB"),
        ("insurgents", "REB"),
        ("companies", "BUS"),
        ("journalists", "JRN"),
        ("protesters", "CVL"),
        ("civilians", "CVL"),
        ("refugees", "REF"),
        ("clerics", "REL"),
    ],
)
def test_sector_nouns(lexicon: ActorLexicon, nlp: Language, text: str, sector: str) -> None:
    found = mentions(lexicon, nlp, text)
    assert len(found) == 1
    assert (found[0].country, found[0].sector, found[0].kind) == (None, sector, "sector")


def test_sector_heads_combine(lexicon: ActorLexicon, nlp: Language) -> None:
    assert codes(lexicon, nlp, "the army spokesman") == [("army spokesman", None, "MIL")]
    assert codes(lexicon, nlp, "a rebel commander") == [("rebel commander", None, "REB")]
    assert codes(lexicon, nlp, "government troops") == [("government troops", None, "MIL")]
    assert codes(lexicon, nlp, "intelligence officials") == [("intelligence officials", None, "SPY")]
    assert codes(lexicon, nlp, "the IRGC commander") == [("IRGC commander", "IRN", "MIL")]
    assert codes(lexicon, nlp, "the former president") == [("former president", None, "ELI")]


def test_composition_with_a_country(lexicon: ActorLexicon, nlp: Language) -> None:
    doc = nlp.make_doc("Pakistan's army chief met the Iranian foreign minister")
    found = lexicon.match(doc, date(2024, 1, 1), compose=True)
    assert [(m.country, m.sector) for m in found] == [("PAK", "MIL"), ("IRN", "DIP")]
    # Without compose the coder gets the parts and joins them through the parse.
    assert [(m.country, m.sector) for m in lexicon.match(doc, date(2024, 1, 1))] == [
        ("PAK", ""),
        (None, "MIL"),
        ("IRN", ""),
        (None, "DIP"),
    ]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("The US commander in Iraq", ("USA", "MIL")),
        ("The rebels from Syria", ("SYR", "REB")),
        ("Pakistan's army chief", ("PAK", "MIL")),
        ("the Iranian foreign minister", ("IRN", "DIP")),
        ("Russia's ambassador to Poland", ("RUS", "DIP")),
        ("Tehran", ("IRN", "GOV")),
        ("Chinese state media", ("CHN", "JRN")),
        ("the weather", None),
    ],
)
def test_resolve_phrase(lexicon: ActorLexicon, phrase: str, expected: tuple | None) -> None:
    assert resolved(lexicon, phrase, "2024-06-01") == expected


def test_resolve_returns_actor(lexicon: ActorLexicon) -> None:
    actor = lexicon.resolve("Iran's Revolutionary Guards")
    assert isinstance(actor, Actor)
    assert (actor.country, actor.sector, actor.kind) == ("IRN", "MIL", "alias")


# ---------------------------------------------------------------- people and tenures
def test_trump_by_date(lexicon: ActorLexicon) -> None:
    assert resolved(lexicon, "Donald Trump", "2018-03-01") == ("USA", "GOV")
    assert resolved(lexicon, "Donald Trump", "2022-06-01") == ("USA", "ELI")
    assert resolved(lexicon, "Donald Trump", "2025-06-18") == ("USA", "GOV")
    # Tenure ends are exclusive: inauguration day belongs to the incoming president.
    assert resolved(lexicon, "Trump", "2021-01-19") == ("USA", "GOV")
    assert resolved(lexicon, "Trump", "2021-01-20") == ("USA", "ELI")
    assert resolved(lexicon, "Trump", "2025-01-20") == ("USA", "GOV")


def test_people_offices(lexicon: ActorLexicon) -> None:
    assert resolved(lexicon, "Asim Munir", "2025-06-18") == ("PAK", "MIL")
    assert resolved(lexicon, "Asim Munir", "2022-11-28") == ("PAK", "ELI")
    assert resolved(lexicon, "Abbas Araghchi", "2024-09-01") == ("IRN", "DIP")
    assert resolved(lexicon, "Hossein Amir-Abdollahian", "2024-01-17") == ("IRN", "DIP")
    assert resolved(lexicon, "Hossein Amir-Abdollahian", "2024-06-01") == ("IRN", "ELI")
    assert resolved(lexicon, "Vladimir Putin", "2005-01-01") == ("RUS", "GOV")


def test_titles_do_not_break_names(lexicon: ActorLexicon, nlp: Language) -> None:
    found = mentions(
        lexicon, nlp, "General Asim Munir met President Putin and Ayatollah Khamenei", "2024-03-01"
    )
    assert [(m.text, m.country, m.sector) for m in found] == [
        ("General Asim Munir", "PAK", "MIL"),
        ("President Putin", "RUS", "GOV"),
        ("Ayatollah Khamenei", "IRN", "GOV"),
    ]
    found = mentions(lexicon, nlp, "Iranian Foreign Minister Abbas Araghchi", "2025-01-01")
    assert [(m.text, m.sector, m.office) for m in found] == [
        ("Iranian Foreign Minister Abbas Araghchi", "DIP", "foreign minister")
    ]


def test_surnames_resolve_by_date(lexicon: ActorLexicon, nlp: Language) -> None:
    assert codes(lexicon, nlp, "Putin and Khamenei", "2024-01-01") == [
        ("Putin", "RUS", "GOV"),
        ("Khamenei", "IRN", "GOV"),
    ]


# ---------------------------------------------------------------- international organisations
@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("the United Nations", "UN"),
        ("the UN Security Council", "UNSC"),
        ("NATO", "NATO"),
        ("Nato", "NATO"),
        ("the European Union", "EU"),
        ("the African Union", "AU"),
        ("ASEAN", "ASEAN"),
        ("the IAEA", "IAEA"),
        ("the International Monetary Fund", "IMF"),
        ("the World Bank", "WB"),
        ("the Arab League", "ARABLEAGUE"),
        ("the Shanghai Cooperation Organisation", "SCO"),
        ("the Gulf Cooperation Council", "GCC"),
        ("the OIC", "OIC"),
    ],
)
def test_international_organisations(lexicon: ActorLexicon, nlp: Language, text: str, org: str) -> None:
    found = mentions(lexicon, nlp, text)
    assert [(m.country, m.kind, m.org) for m in found] == [("IGO", "org", org)]


def test_who_the_pronoun_is_not_the_health_body(lexicon: ActorLexicon, nlp: Language) -> None:
    assert codes(lexicon, nlp, "leaders WHO met") == [("leaders", None, "GOV")]


# ---------------------------------------------------------------- armed groups
@pytest.mark.parametrize(
    ("text", "country", "sector"),
    [
        ("TTP", "PAK", "REB"),
        ("Jaish al-Adl", "IRN", "REB"),
        ("the Baloch Liberation Army", "PAK", "REB"),
        ("Hezbollah", "LBN", "REB"),
        ("Hamas", "PSE", "REB"),
        ("the Houthis", "YEM", "REB"),
        ("Ansar Allah", "YEM", "REB"),
        ("ISIS", "IMG", "REB"),
        ("the Islamic State", "IMG", "REB"),
        ("al-Qaeda", "IMG", "REB"),
        ("al-Shabaab", "SOM", "REB"),
        ("Boko Haram", "NGA", "REB"),
        ("the PKK", "TUR", "REB"),
        ("Jaish-e-Mohammed", "PAK", "REB"),
        ("Lashkar-e-Taiba", "PAK", "REB"),
        ("the Wagner Group", "RUS", "PRM"),
    ],
)
def test_armed_groups(lexicon: ActorLexicon, nlp: Language, text: str, country: str, sector: str) -> None:
    found = mentions(lexicon, nlp, text, "2024-01-01")
    assert [(m.country, m.sector, m.kind) for m in found] == [(country, sector, "group")]


def test_groups_change_status_by_date(lexicon: ActorLexicon) -> None:
    assert resolved(lexicon, "the Taliban", "2020-06-01") == ("AFG", "REB")
    assert resolved(lexicon, "the Taliban", "2021-08-14") == ("AFG", "REB")
    assert resolved(lexicon, "the Taliban", "2021-08-15") == ("AFG", "GOV")
    assert resolved(lexicon, "the Taliban", "2022-01-01") == ("AFG", "GOV")
    assert resolved(lexicon, "HTS", "2023-01-01") == ("SYR", "REB")
    assert resolved(lexicon, "HTS", "2025-01-01") == ("SYR", "GOV")


def test_has_actor_prefilter(lexicon: ActorLexicon, nlp: Language) -> None:
    assert lexicon.has_actor(nlp.make_doc("Tehran recalled its envoy."))
    assert not lexicon.has_actor(nlp.make_doc("It rained all day in the hills."))


# ---------------------------------------------------------------- rules that combine families
def test_former_marks_elites(lexicon: ActorLexicon) -> None:
    assert resolved(lexicon, "a former CIA official", "2024-01-01") == ("USA", "ELI")
    assert resolved(lexicon, "the former US ambassador", "2024-01-01") == ("USA", "ELI")
    assert resolved(lexicon, "ex-army chief Qamar Javed Bajwa", "2020-01-01") == ("PAK", "ELI")


def test_a_stated_title_outweighs_a_default_date(lexicon: ActorLexicon) -> None:
    # Out of office on the given date, but the text names the post it is written about.
    assert resolved(lexicon, "Foreign Minister Hossein Amir-Abdollahian", "2025-01-01") == ("IRN", "DIP")
    assert resolved(lexicon, "Hossein Amir-Abdollahian", "2025-01-01") == ("IRN", "ELI")
    assert resolved(lexicon, "Hamas leader Yahya Sinwar", "2024-10-17") == ("PSE", "REB")


def test_a_post_of_a_body_takes_the_body_sector(lexicon: ActorLexicon) -> None:
    assert resolved(lexicon, "the leader of the opposition", "2024-01-01") == (None, "OPP")
    assert resolved(lexicon, "the president of the Knesset", "2024-01-01") == ("ISR", "LEG")
    assert resolved(lexicon, "President of the United States", "2024-01-01") == ("USA", "GOV")


def test_common_word_surnames_need_a_title(lexicon: ActorLexicon, nlp: Language) -> None:
    assert codes(lexicon, nlp, "May said she would resign.", "2019-05-24") == []
    assert codes(lexicon, nlp, "Prime Minister May said she would resign.", "2019-05-24") == [
        ("Prime Minister May", "GBR", "GOV")
    ]
    assert codes(lexicon, nlp, "President Moon met Chairman Kim", "2018-04-27") == [
        ("President Moon", "KOR", "GOV"),
        ("Chairman Kim", "PRK", "GOV"),
    ]


def test_shared_names_resolve_by_who_held_office(lexicon: ActorLexicon, nlp: Language) -> None:
    assert codes(lexicon, nlp, "Sharif", "2015-12-25") == [("Sharif", "PAK", "GOV")]
    assert mentions(lexicon, nlp, "Sharif", "2024-06-01")[0].entry_id == "person:shehbaz"
    assert mentions(lexicon, nlp, "Sharif", "2015-12-25")[0].entry_id == "person:nawaz"
    assert mentions(lexicon, nlp, "Aoun", "2020-01-01")[0].entry_id == "person:aoun_michel"
    assert mentions(lexicon, nlp, "Aoun", "2025-03-01")[0].entry_id == "person:aoun_joseph"
    # Both kings named Abdullah reigned from 2005 to 2015: the name alone is left unresolved then.
    assert codes(lexicon, nlp, "King Abdullah", "2010-01-01") == []
    assert codes(lexicon, nlp, "King Abdullah", "2020-01-01") == [("King Abdullah", "JOR", "GOV")]


def test_hyphenated_prefix_inside_one_token(lexicon: ActorLexicon, nlp: Language) -> None:
    assert codes(lexicon, nlp, "U.S.-led forces") == [("U.S.-led", "USA", ""), ("forces", None, "MIL")]


def test_curly_apostrophes_and_accents(lexicon: ActorLexicon, nlp: Language) -> None:
    assert codes(lexicon, nlp, "Recep Tayyip Erdoğan", "2020-01-01") == [
        ("Recep Tayyip Erdoğan", "TUR", "GOV")
    ]
    assert codes(lexicon, nlp, "Binali Yıldırım", "2017-01-01") == [("Binali Yıldırım", "TUR", "GOV")]
    found = lexicon.match(nlp.make_doc("Iran’s foreign ministry"), compose=True)
    assert [(m.country, m.sector) for m in found] == [("IRN", "DIP")]


def test_ambiguous_acronyms_are_left_out(lexicon: ActorLexicon, nlp: Language) -> None:
    # IRA is also a US law, CCTV a camera, PPP a kind of financing, CAR a car in a headline.
    assert codes(lexicon, nlp, "IRA tax credits and CCTV footage of a PPP scheme") == []
    assert codes(lexicon, nlp, "CAR BOMB KILLS SIX") == []


def test_a_datetime_counts_by_its_day(lexicon: ActorLexicon, nlp: Language) -> None:
    from datetime import datetime

    found = lexicon.match(nlp.make_doc("Donald Trump"), datetime(2022, 6, 1, 12, 30))
    assert [(m.country, m.sector) for m in found] == [("USA", "ELI")]
    assert lexicon.resolve("", date(2024, 1, 1)) is None
