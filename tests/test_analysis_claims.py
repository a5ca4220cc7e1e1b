"""Claim detection follows what an article says: its cue words, the countries named beside them, and
the events coded from it; an undated article is not checked against a guessed date.

Every article here is written for the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from detente.analysis import check_claims
from detente.analysis.claims import detect_claims
from detente.errors import InputError
from detente.record import Document, Event
from test_analysis_methods import event
from test_analysis_synthetic import D0, background, crisis, make_store
from test_qa_cli_errors import one_error_line, run

JUNE = dt.date(2025, 6, 16)


def undated(e: Event) -> Event:
    e.date, e.date_precision, e.date_basis = None, None, None
    return e


def kinds(claims: list) -> set[tuple[str, tuple[str, ...]]]:
    return {(c.kind, c.countries) for c in claims}


def test_realignment_from_an_away_cue_with_the_partner_the_events_warm_to() -> None:
    text = (
        "The war between Israel and Iran has entered its second week. "
        "Pakistan is quietly disengaging itself from Tehran, diplomats in Islamabad say. "
        "Its army chief was received at the White House, and the two governments agreed to expand "
        "cooperation. Analysts expect Pakistan to restore its old relationship with the US."
    )
    events = [
        event(JUNE, "ISR", "IRN", "190", 1),
        event(JUNE, "IRN", "ISR", "190", 2),
        event(JUNE, "USA", "PAK", "043", 3),
        event(JUNE, "PAK", "USA", "057", 4),
    ]
    claims = detect_claims(text, events, JUNE)
    # Israel-Iran fighting with a repair cue about Pakistan and the US is no Israel-Iran turnaround.
    assert kinds(claims) == {("realignment", ("PAK", "IRN", "USA"))}
    (claim,) = claims
    assert claim.around == JUNE
    assert "disengaging itself from" in claim.cue


def test_the_actor_is_the_country_that_moves_not_the_most_mentioned() -> None:
    text = (
        "Iran and Iraq traded accusations all week. Kabul is drifting away from Iran and closer to Beijing."
    )
    events = [
        event(JUNE, "IRN", "IRQ", "112", 1),
        event(JUNE, "IRQ", "IRN", "112", 2),
        event(JUNE, "IRN", "IRQ", "111", 3),
        event(JUNE, "AFG", "CHN", "057", 4),
    ]
    assert kinds(detect_claims(text, events, JUNE)) == {("realignment", ("AFG", "IRN", "CHN"))}


def test_a_turnaround_needs_repair_between_the_same_two() -> None:
    hostile = [event(JUNE, "IRN", "ISR", "195", 1), event(JUNE, "ISR", "IRN", "195", 2)]
    elsewhere = (
        "Israel and Iran kept exchanging strikes. Meanwhile Egypt and Turkey restored their ambassadors."
    )
    assert detect_claims(elsewhere, hostile, JUNE) == []
    named = "Israel and Iran kept exchanging strikes. Within days Iran and Israel agreed to de-escalate."
    assert kinds(detect_claims(named, hostile, JUNE)) == {("turnaround", ("IRN", "ISR"))}
    one_side = (
        "Israel and Iran kept exchanging strikes. Iran's foreign ministry said it was ready to de-escalate."
    )
    assert kinds(detect_claims(one_side, hostile, JUNE)) == {("turnaround", ("IRN", "ISR"))}
    # Repair told by an event between the two is enough, whatever the wording.
    repaired = [*hostile, event(JUNE + dt.timedelta(days=6), "IRN", "ISR", "0871", 3)]
    claims = detect_claims("Fighting, then a truce.", repaired, JUNE)
    assert kinds(claims) == {("turnaround", ("IRN", "ISR"))} and claims[0].around == JUNE


def test_no_turnaround_from_a_negated_return_or_a_hypothetical_repair() -> None:
    text = (
        "Pakistan recalled its ambassador from Tehran and said that Iran's ambassador, who was away, "
        "would not return for now. Pakistan then struck targets inside Iran."
    )
    hostile = [event(JUNE, "PAK", "IRN", "161", 1), event(JUNE, "PAK", "IRN", "190", 2)]
    maybe = event(JUNE + dt.timedelta(days=2), "PAK", "IRN", "060", 3)
    maybe.modality = "hypothetical"  # "the two would cooperate if the attacks stopped"
    assert detect_claims(text, [*hostile, maybe], JUNE) == []
    maybe.modality = "planned"  # "the two agreed to cooperate": a repair the article claims
    assert kinds(detect_claims(text, [*hostile, maybe], JUNE)) == {("turnaround", ("IRN", "PAK"))}


def test_isolation_is_about_the_country_the_sentence_names() -> None:
    text = "Russia struck Ukrainian cities again on Monday. Belarus is increasingly isolated in Europe."
    events = [event(JUNE, "RUS", "UKR", "195", i) for i in range(3)]  # Ukraine is the most targeted
    claims = [c for c in detect_claims(text, events, JUNE) if c.kind == "isolation"]
    assert [c.countries for c in claims] == [("BLR",)]


def test_no_claim_from_cue_words_without_countries() -> None:
    text = "The thaw came early this year, and farmers moved away from wheat toward maize."
    assert detect_claims(text, [], JUNE) == []


def test_year_dated_events_do_not_date_a_claim() -> None:
    text = "Iran and Pakistan restored ties after the strikes, recalling their 2001 trade agreement."
    events = [event(JUNE, "IRN", "PAK", "195", 1), event(dt.date(2001, 1, 1), "IRN", "PAK", "057", 2)]
    events[1].date_precision = "year"
    (claim,) = detect_claims(text, events, None)
    assert claim.around == JUNE  # the strike's stated day, not 1 January 2001


def test_undated_article_asks_for_a_publication_date() -> None:
    store = make_store(
        background("IRN", "PAK", D0, 300) + crisis("IRN", "PAK", D0 + dt.timedelta(days=100), [3, 4], 5)
    )
    text = "Iran struck Pakistan on Tuesday. By the weekend the two had restored their ambassadors."
    events = [undated(event(JUNE, "IRN", "PAK", "195", 1)), undated(event(JUNE, "PAK", "IRN", "054", 2))]
    with pytest.raises(
        InputError, match=r"a1: no publication date.*turnaround IRN-PAK.*--published YYYY-MM-DD"
    ):
        check_claims(store, Document("a1", text), events=events)
    # With the date the same article is checked.
    day = D0 + dt.timedelta(days=100)
    report = check_claims(store, Document("a1", text), events=events, published=day)
    assert [v.claim.around for v in report.verdicts] == [day] and report.published == day
    # Full dates stated in the text are enough without a publication date.
    stated = [event(day, "IRN", "PAK", "195", 1), event(day + dt.timedelta(days=5), "PAK", "IRN", "054", 2)]
    (verdict,) = check_claims(store, Document("a1", text), events=stated).verdicts
    assert verdict.status == "supported"


def test_check_command_on_an_undated_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    memory = make_store(background("IRN", "PAK", D0, 300))
    db = tmp_path / "store.duckdb"
    memory.execute(f"ATTACH '{db}' AS disk")
    memory.execute("COPY FROM DATABASE memory TO disk")
    memory.execute("DETACH disk")
    article = tmp_path / "undated.txt"
    article.write_text(
        "Iran fired missiles at targets in Pakistan on Tuesday, and Pakistan struck back the next day. "
        "On Monday the two foreign ministers agreed that their ambassadors would return, "
        "a remarkable thaw.\n",
        encoding="utf-8",
    )
    code, out, err = run(["check", str(article), "--db", str(db)], capsys, monkeypatch)
    assert code == 2, out + err
    one_error_line(err, str(article), "--published YYYY-MM-DD")
    code, out, _ = run(
        ["check", str(article), "--db", str(db), "--published", "2024-04-20"], capsys, monkeypatch
    )
    assert code == 0 and "turnaround" in out


@pytest.mark.parametrize(
    ("name", "published", "expected"),
    [
        ("pakistan-iran-turnaround-2024", "2024-01-24", {("turnaround", ("IRN", "PAK"))}),
        (
            "pakistan-iran-us-realignment-2025",
            "2025-06-21",
            {("realignment", ("PAK", "IRN", "USA")), ("isolation", ("IRN",))},
        ),
    ],
)
def test_the_claims_of_the_two_real_examples(
    shared_dir: Path, name: str, published: str, expected: set[tuple[str, tuple[str, ...]]]
) -> None:
    """Read from ../shared (never copied): what each article claims, and nothing it does not."""
    from detente.coding import code_documents

    day = dt.date.fromisoformat(published)
    text = (shared_dir / "examples" / "articles" / f"{name}.txt").read_text(encoding="utf-8")
    document = Document(name, text, published=day)
    assert kinds(detect_claims(text, list(code_documents([document])), day)) == expected
