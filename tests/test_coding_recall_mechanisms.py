"""Recall mechanisms of the coder (undirected events, domestic events, announced threats, recipients,
partitives), each on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.coding import Coder, default_coder
from detente.record import Event

PUBLISHED = dt.date(2023, 6, 12)


@pytest.fixture(scope="session")
def coder() -> Coder:
    return default_coder()


def _code(coder: Coder, text: str) -> list[Event]:
    return coder.code_text(text, published=PUBLISHED, doc_id="r")


def _triples(events: list[Event]) -> set[tuple[str | None, str | None, str]]:
    return {(e.source_country, e.target_country, e.cameo_root) for e in events}


# ------------------------------------------------------------------ events that need no addressee
@pytest.mark.parametrize(
    ("text", "source", "root"),
    [
        ("Norway expressed deep concern over the violence.", "NOR", "01"),
        ("Ukraine claimed responsibility for the drone strike.", "UKR", "01"),
        ("Portugal condemned the bombing in strong terms.", "PRT", "11"),
    ],
)
def test_event_with_no_addressee_is_coded_with_its_source_alone(
    coder: Coder, text: str, source: str, root: str
) -> None:
    events = _code(coder, text)
    assert (source, None, root) in _triples(events)
    event = next(e for e in events if e.cameo_root == root)
    assert event.target_sector == "" and event.target_text == "" and event.extra["target_how"] == "none"


def test_a_bare_said_is_no_event_of_its_own(coder: Coder) -> None:
    assert _code(coder, "Finland said the harvest had been poor this year.") == []


def test_an_actor_noun_is_no_protest_event(coder: Coder) -> None:
    # "demonstrators" names who received the ministers; nobody demonstrated in this sentence
    events = _code(coder, "Peruvian demonstrators received ministers from the Peruvian government.")
    assert "14" not in {e.cameo_root for e in events}


def test_a_noun_that_another_event_acts_on_is_no_event_of_its_own(coder: Coder) -> None:
    events = _code(coder, "Kazakhstan turned down a Kyrgyz appeal for help.")
    assert not any(e.source_country == "KGZ" and e.target_country is None for e in events)


def test_targetless_telling_folds_into_the_directed_event_of_the_same_root(coder: Coder) -> None:
    events = _code(coder, "Japan accused China of spreading false accusations about its fishing fleet.")
    assert ("JPN", "CHN", "11") in _triples(events)
    assert ("JPN", None, "11") not in _triples(events)


def test_accused_party_in_a_that_clause_is_the_target(coder: Coder) -> None:
    events = _code(coder, "Lithuania alleged that Belarus had flown drones over its border.")
    assert ("LTU", "BLR", "11") in _triples(events)


# --------------------------------------------------------------------------------- domestic events
def test_protest_with_no_target_is_aimed_at_the_protesters_own_government(coder: Coder) -> None:
    events = _code(coder, "Thousands of Chilean students demonstrated in Santiago on Sunday.")
    protest = next(e for e in events if e.cameo_root == "14")
    assert (protest.source_country, protest.target_country, protest.target_sector) == ("CHL", "CHL", "GOV")


def test_a_state_protesting_keeps_no_target(coder: Coder) -> None:
    events = _code(coder, "Argentina protested strongly on Monday.")
    assert all(e.target_country is None for e in events if e.cameo_root == "14")


def test_actor_known_by_sector_takes_the_one_country_the_sentence_names(coder: Coder) -> None:
    events = _code(coder, "Kenyan police detained dozens of protesters on Friday.")
    arrest = next(e for e in events if e.cameo_root == "17")
    assert (arrest.source_country, arrest.target_country) == ("KEN", "KEN")
    assert (arrest.source_sector, arrest.target_sector) == ("COP", "CVL")
    assert arrest.target_text == "protesters"  # read through "dozens of"


def test_actor_known_by_sector_stays_countryless_when_two_countries_are_named(coder: Coder) -> None:
    events = _code(coder, "Kenyan police detained protesters after a Ugandan delegation left.")
    assert not any(e.target_country == "KEN" and e.target_sector == "CVL" for e in events)


def test_partitive_reads_through_to_the_actor(coder: Coder) -> None:
    events = _code(coder, "Ghana expelled members of the Togolese delegation.")
    assert any(e.source_country == "GHA" and e.target_country == "TGO" for e in events)


def test_conjoined_sector_only_actor_beside_a_country_adds_no_party(coder: Coder) -> None:
    events = _code(
        coder, "The Spanish prime minister and a group of deputies held talks with Moroccan officials."
    )
    assert ("ESP", "MAR", "04") in _triples(events)
    assert all(e.source_country and e.target_country for e in events)


# ------------------------------------------------------------------------------ announced threats
def test_conditional_sanctions_announced_are_a_threat(coder: Coder) -> None:
    events = _code(coder, "Canada said it would impose sanctions on Venezuela if the vote went ahead.")
    threat = next(e for e in events if e.cameo_root == "13")
    assert (threat.source_country, threat.target_country, threat.modality) == ("CAN", "VEN", "asserted")
    act = next(e for e in events if e.cameo_root == "16")
    assert act.modality == "threatened"


def test_future_expulsion_is_a_threat(coder: Coder) -> None:
    events = _code(coder, "Chile will expel Peruvian diplomats unless the border crossing is reopened.")
    assert ("CHL", "PER", "13") in _triples(events)


def test_requested_coercion_is_no_threat(coder: Coder) -> None:
    events = _code(coder, "Sweden urged Denmark to impose sanctions on Russia.")
    assert not any(e.cameo_root == "13" for e in events)
    assert all(e.modality != "threatened" for e in events)


def test_speculation_is_no_threat(coder: Coder) -> None:
    events = _code(coder, "Serbia could attack Kosovo if the talks failed.")
    assert all(e.modality == "hypothetical" for e in events if e.cameo_root == "19")
    assert not any(e.cameo_root == "13" for e in events)


def test_planned_cooperation_is_still_an_intent(coder: Coder) -> None:
    events = _code(coder, "Japan will send food aid to Bangladesh.")
    assert any(e.cameo_root == "03" and e.modality == "planned" for e in events)


# ------------------------------------------------------------------- recipients and carrier nouns
def test_support_verbs_recipient_is_the_target(coder: Coder) -> None:
    events = _code(coder, "The Turkish president gave Sweden a stern warning.")
    assert ("TUR", "SWE", "13") in _triples(events)


def test_event_noun_carried_by_a_message(coder: Coder) -> None:
    events = _code(coder, "Egypt sent a condolence message to Morocco after the earthquake.")
    assert ("EGY", "MAR", "01") in _triples(events)


# ------------------------------------------------------------------------ lists, places, lemmas
def test_list_the_parser_reads_as_appositions_gives_every_country(coder: Coder) -> None:
    events = _code(coder, "Peru, Chile, and Bolivia met in Lima yesterday.")
    assert {("PER", "CHL"), ("CHL", "BOL"), ("BOL", "PER")} <= {
        (e.source_country, e.target_country) for e in events if e.cameo_root == "04"
    }


def test_apposition_renaming_one_actor_stays_one_actor(coder: Coder) -> None:
    events = _code(coder, "Ilham Aliyev, the Azerbaijani president, visited Georgia.")
    assert {(e.source_country, e.target_country) for e in events} == {("AZE", "GEO")}


def test_protest_held_in_another_countrys_capital_is_aimed_at_that_country(coder: Coder) -> None:
    # "staged" is also a check that the support verb is recognised whatever lemma the model gives it
    events = _code(coder, "Danish activists staged a noisy protest in Moscow on Friday.")
    assert ("DNK", "RUS", "14") in _triples(events)


def test_freeing_prisoners_is_a_release(coder: Coder) -> None:
    events = _code(coder, "Iran freed three Swedish prisoners on Monday.")
    assert ("IRN", "SWE", "08") in _triples(events)
    talks = _code(coder, "Free trade talks between Peru and Chile resumed.")
    assert talks and all(e.cameo_root != "08" for e in talks)  # "free" the adjective is no release


# --------------------------------------------------------------------- refusals and wanted force
def test_cooperation_announced_as_not_forthcoming_is_a_refusal(coder: Coder) -> None:
    events = _code(coder, "Austria said it would not send weapons to Ukraine.")
    refusal = next(e for e in events if e.source_country == "AUT")
    assert (refusal.target_country, refusal.cameo_root, refusal.modality) == ("UKR", "12", "asserted")


def test_cooperation_that_did_not_happen_is_no_event(coder: Coder) -> None:
    assert _code(coder, "Austria did not send weapons to Ukraine.") == []


def test_wanting_to_use_force_is_a_threat(coder: Coder) -> None:
    events = _code(coder, "Azerbaijan wants to attack Armenia.")
    assert ("AZE", "ARM", "13") in _triples(events)


def test_an_actor_noun_in_an_agent_phrase_is_no_event(coder: Coder) -> None:
    events = _code(coder, "The Serbian embassy was attacked by a Kosovar demonstrator.")
    assert events and all(e.target_country == "SRB" for e in events)  # no targetless "demonstrate" event


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        ("Tunisia demanded that Libya close the border crossing.", ("TUN", "LBY", "10")),
        ("Canada urged that Haiti hold elections soon.", ("CAN", "HTI", "02")),
    ],
)
def test_the_one_a_demand_or_appeal_is_about_is_its_target(
    coder: Coder, text: str, triple: tuple[str, str, str]
) -> None:
    assert triple in _triples(_code(coder, text))


def test_stating_what_another_must_do_is_a_demand(coder: Coder) -> None:
    events = _code(coder, "Finland said Russia must return the seized cargo ship.")
    demand = next(e for e in events if e.cameo_root == "10")
    assert (demand.source_country, demand.target_country, demand.modality) == ("FIN", "RUS", "asserted")


def test_an_obligation_nobody_states_is_no_demand(coder: Coder) -> None:
    assert not any(e.cameo_root == "10" for e in _code(coder, "Russia must return the seized cargo ship."))


def test_a_decision_taken_is_the_act_not_an_intent(coder: Coder) -> None:
    events = _code(coder, "Japan decided on Thursday to ease sanctions on North Korea.")
    assert any(e.cameo_root == "08" and e.modality == "asserted" for e in events)


def test_named_actor_of_the_same_country_acted_on_is_a_target(coder: Coder) -> None:
    events = _code(coder, "The Kenyan government has lifted a ban on Kenyan opposition parties.")
    lifted = next(e for e in events if e.cameo_root == "08")
    assert (lifted.source_country, lifted.target_country, lifted.target_sector) == ("KEN", "KEN", "OPP")


def test_ones_own_troops_withdrawn_are_no_target(coder: Coder) -> None:
    events = _code(coder, "Pakistan withdrew its troops from the border.")
    assert all(e.target_country is None for e in events)  # a withdrawal with no one named to withdraw from


@pytest.mark.parametrize(
    ("text", "triple"),
    [
        ("The African Union withdrew its peacekeepers from Burundi.", ("IGO", "BDI", "16")),
        ("Belgium has cut humanitarian aid deliveries for Congo.", ("BEL", "COD", "16")),
        ("China has strengthened its forces near Taiwan.", ("CHN", "TWN", "15")),
    ],
)
def test_where_troops_or_aid_are_withdrawn_from_or_sent_is_the_target(
    coder: Coder, text: str, triple: tuple[str, str, str]
) -> None:
    assert triple in _triples(_code(coder, text))


def test_a_states_concession_with_no_target_is_made_to_its_own_population(coder: Coder) -> None:
    events = _code(coder, "The Ecuadorian government lifted the nightly curfew on Sunday.")
    eased = next(e for e in events if e.cameo_root == "08")
    assert (eased.source_country, eased.target_country, eased.target_sector) == ("ECU", "ECU", "CVL")


def test_a_resignation_has_no_target(coder: Coder) -> None:
    events = _code(coder, "The Peruvian prime minister resigned on Friday.")
    assert any(e.cameo_root == "08" and e.target_country is None for e in events)


def test_the_states_coercion_in_its_own_country_is_aimed_at_its_population(coder: Coder) -> None:
    events = _code(coder, "Bolivian police arrested dozens in La Paz.")
    arrest = next(e for e in events if e.cameo_root == "17")
    assert (arrest.source_country, arrest.target_country, arrest.target_sector) == ("BOL", "BOL", "CVL")


def test_a_place_abroad_is_still_the_target_of_violence(coder: Coder) -> None:
    events = _code(coder, "Turkish jets bombed villages in northern Iraq.")
    assert any(e.source_country == "TUR" and e.target_country == "IRQ" for e in events)


def test_a_curfew_lifted_in_another_country_is_aimed_at_it(coder: Coder) -> None:
    assert ("SRB", "MNE", "08") in _triples(_code(coder, "Serbia lifted a night curfew in Montenegro."))


def test_a_place_in_the_sources_own_country_is_no_party(coder: Coder) -> None:
    events = _code(coder, "The Sudanese government lifted the state of emergency in West Darfur.")
    eased = next(e for e in events if e.cameo_root == "08")
    assert (eased.target_country, eased.target_sector) == ("SDN", "CVL")
