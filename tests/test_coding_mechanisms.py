"""Role, direction, modality and date mechanisms, each on sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.coding import Coder
from detente.record import Event

PUBLISHED = dt.date(2024, 3, 10)


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder()


def _code(coder: Coder, text: str) -> list[Event]:
    return coder.code_text(text, published=PUBLISHED, doc_id="m")


def _dyads(events: list[Event], root: str | None = None) -> set[tuple[str, str]]:
    return {(e.source_country, e.target_country) for e in events if root in (None, e.cameo_root)}


def test_support_verb_seen_through_a_verb_misparse_of_a_noun_modifier(coder: Coder) -> None:
    # the parser reads "drone" as a verb conjoined to "fired", with "strikes" as its object
    events = _code(coder, "Turkey fired rocket and drone strikes on Syrian territory.")
    assert ("TUR", "SYR") in _dyads(events, "19")


@pytest.mark.parametrize("measure", ["a wave of", "a series of", "a barrage of"])
def test_measure_noun_is_looked_through(coder: Coder, measure: str) -> None:
    events = _code(coder, f"Russia launched {measure} air strikes against Ukraine.")
    assert ("RUS", "UKR") in _dyads(events, "19")


def test_whoever_says_another_will_face_consequences_threatens_it(coder: Coder) -> None:
    events = _code(coder, "Egypt said Ethiopia would face grave consequences.")
    threat = [e for e in events if e.cameo_root == "13"]
    assert {(e.source_country, e.target_country) for e in threat} == {("EGY", "ETH")}
    assert threat[0].modality == "asserted"


def test_pronoun_subject_of_a_reported_clause_is_the_speaker(coder: Coder) -> None:
    text = (
        "Chile criticised Peru. "
        "Chile also said it stood in solidarity with the government and people of Bolivia."
    )
    events = [e for e in _code(coder, text) if e.cameo_root == "05"]
    assert events and {e.source_country for e in events} == {"CHL"}
    assert {e.target_country for e in events} == {"BOL"}


def test_speech_act_conjoined_to_a_reported_clause_belongs_to_the_speaker(coder: Coder) -> None:
    text = "Greece said the Turkish jets had violated its airspace and warned Turkey of further measures."
    threats = [e for e in _code(coder, text) if e.cameo_root == "13"]
    assert _dyads(threats) == {("GRC", "TUR")}


def test_negation_inside_the_trigger_does_not_cancel_it(coder: Coder) -> None:
    events = _code(coder, "Peru said it will not tolerate any incursion into its waters by Chile.")
    threat = [e for e in events if e.cameo_root == "13"]
    assert _dyads(threat) == {("PER", "CHL")}
    assert threat[0].modality == "asserted"


def test_plain_negation_still_cancels(coder: Coder) -> None:
    assert not [e for e in _code(coder, "Peru did not attack Chile.") if e.cameo_root == "19"]


def test_whom_a_warning_is_about_is_its_target(coder: Coder) -> None:
    events = _code(coder, "Kenya warned that Somalia would pay dearly.")
    assert ("KEN", "SOM") in _dyads(events, "13")


def test_condemning_an_act_is_aimed_at_its_author_in_the_document(coder: Coder) -> None:
    text = "Armenia shelled Azerbaijani villages on Monday. Georgia condemned the shelling."
    events = _code(coder, text)
    assert ("ARM", "AZE") in _dyads(events, "19")
    assert ("GEO", "ARM") in _dyads(events, "11")


def test_visits_between_the_pair_are_aimed_at_the_other_side(coder: Coder) -> None:
    text = "Peru attacked Chile on Friday. Chile suspended all official visits between the two countries."
    assert ("CHL", "PER") in _dyads(_code(coder, text), "16")


def test_exchanging_an_attack_goes_both_ways(coder: Coder) -> None:
    text = "Sudan accused Chad of arming rebels. The two neighbours exchanged fire along the border."
    assert {("SDN", "TCD"), ("TCD", "SDN")} <= _dyads(_code(coder, text), "19")


def test_their_envoys_under_a_compound_subject_belong_to_each(coder: Coder) -> None:
    text = (
        "Chile recalled its ambassador from Peru. "
        "Chile and Peru agreed on Friday that their ambassadors would return to their posts."
    )
    returns = [e for e in _code(coder, text) if e.extra.get("planned_code", e.cameo).startswith("05")]
    assert {("CHL", "PER"), ("PER", "CHL")} <= _dyads(returns)
    assert all(e.modality == "planned" for e in returns)
    # the date hangs on "agreed": it is the agreement's Friday, before publication, not a future one
    assert {e.date for e in returns} == {"2024-03-08"}


def test_envoys_of_the_two_countries_are_each_sides(coder: Coder) -> None:
    text = (
        "Chile recalled its ambassador from Peru. "
        "The ambassadors of the two countries returned to their posts."
    )
    assert {("CHL", "PER"), ("PER", "CHL")} <= _dyads(_code(coder, text), "05")


def test_a_joint_statement_is_not_an_event_between_its_authors(coder: Coder) -> None:
    text = "Chile's president and Peru's president said their countries would expand trade."
    events = _code(coder, text)
    assert not [e for e in events if e.cameo_root == "01"]
    cooperation = [e for e in events if e.extra.get("planned_code", e.cameo).startswith("06")]
    assert {("CHL", "PER"), ("PER", "CHL")} <= _dyads(cooperation)
    assert all(e.modality == "planned" for e in cooperation)


def test_hosts_of_rounds_of_talks_mediate_between_the_pair(coder: Coder) -> None:
    text = "Norway and Cuba hosted several rounds of talks between Colombian and Venezuelan officials."
    events = _code(coder, text)
    hosted = _dyads(events, "04")
    assert {("NOR", "COL"), ("NOR", "VEN"), ("COL", "VEN"), ("VEN", "COL")} <= hosted
    assert ("NOR", "CUB") not in hosted and ("CUB", "NOR") not in hosted


def test_a_decree_speaks_for_whoever_signed_it(coder: Coder) -> None:
    events = _code(coder, "Egypt issued a decree imposing sanctions on Libya.")
    assert ("EGY", "LBY") in _dyads(events, "16")


def test_a_letter_speaks_for_its_sender_to_its_addressee(coder: Coder) -> None:
    text = "The Kenyan president sent the Somali president a letter expressing regret and apologising."
    assert _dyads(_code(coder, text), "05") == {("KEN", "SOM")}


def test_the_receiver_in_a_relative_clause_on_the_object_is_the_target(coder: Coder) -> None:
    events = _code(coder, "Chile revoked the trade privileges it had granted Bolivia.")
    assert ("CHL", "BOL") in _dyads(events, "16")


def test_a_group_stands_for_the_members_it_names(coder: Coder) -> None:
    text = "Several governments, including those of France and Germany, urged Serbia to show restraint."
    events = _code(coder, text)
    assert {("FRA", "SRB"), ("DEU", "SRB")} <= _dyads(events, "02")


def test_the_object_chooses_between_two_readings_of_a_strike(coder: Coder) -> None:
    assert ("IRQ", "SYR") in _dyads(_code(coder, "Iraq launched a strike on Syria."), "19")
    assert ("IRQ", "SYR") in _dyads(_code(coder, "Iraq struck Syria."), "19")
    labour = _code(coder, "Syrian teachers launched a strike over pay.")
    assert not [e for e in labour if e.cameo_root == "19"]


def test_a_goal_date_inside_a_complement_does_not_date_the_main_event(coder: Coder) -> None:
    text = "Chile and Peru signed four agreements on Friday and set a goal of doubling trade by 2030."
    signed = [e for e in _code(coder, text) if e.cameo_root == "05"]
    assert signed and {e.date for e in signed} == {"2024-03-08"}
    assert all(e.modality == "asserted" for e in signed)


def test_a_cancelled_round_of_talks_is_not_coded(coder: Coder) -> None:
    text = "A new round of talks between Chile and Peru, planned for next week, was called off."
    assert not [e for e in _code(coder, text) if e.cameo_root in ("03", "04")]


def test_discussing_a_war_between_others_is_not_aimed_at_them(coder: Coder) -> None:
    events = _code(coder, "Chile and Peru discussed the war between Russia and Ukraine.")
    assert not {("CHL", "RUS"), ("CHL", "UKR"), ("PER", "RUS")} & _dyads(events)


def test_a_clause_conjoined_to_a_dated_one_shares_its_date(coder: Coder) -> None:
    text = "On 2 March 2024, Chile condemned the coup in Peru and said it stood in solidarity with Bolivia."
    solidarity = [e for e in _code(coder, text) if e.cameo_root == "05"]
    assert solidarity and {e.date for e in solidarity} == {"2024-03-02"}
