"""Claim detection, signed blocs and balance, directed indices, the realignment scan."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from detente.analysis import alliance_network, check_claims, dyad_index, position_change, scan_realignments
from detente.analysis.claims import detect_claims
from detente.analysis.network import balance_counts, signed_blocs
from detente.cameo import lookup
from detente.record import Document, Event
from test_analysis_synthetic import D0, background, crisis, make_store


def event(day: dt.date, source: str, target: str, cameo: str, i: int = 0) -> Event:
    code = lookup(cameo)
    return Event(
        event_id=f"a{i}",
        doc_id="article",
        date=day.isoformat(),
        date_precision="day",
        date_basis="stated",
        source_country=source,
        source_sector="GOV",
        source_text=source,
        target_country=target,
        target_sector="GOV",
        target_text=target,
        cameo=cameo,
        cameo_root=code.root,
        cameo_label=code.label,
        plover=code.plover,
        goldstein=code.goldstein,
        quad_class=code.quad_class,
        modality="asserted",
        sentence=f"{source} {code.label} {target}.",
        char_start=0,
        char_end=1,
        rule="test",
        confidence=1.0,
    )


def test_signed_blocs_and_balance_on_a_known_graph() -> None:
    graph = nx.Graph()
    for a, b in (("A", "B"), ("B", "C"), ("A", "C"), ("D", "E")):
        graph.add_edge(a, b, sign=1, weight=0.5)
    for a, b in (("A", "D"), ("C", "E"), ("B", "D")):
        graph.add_edge(a, b, sign=-1, weight=-0.5)
    blocs, frustration = signed_blocs(graph)
    assert blocs == [["A", "B", "C"], ["D", "E"]] and frustration == 0
    counts = balance_counts(graph)
    # Triangles: ABC (+++), ABD (+,-,-), and no other closed triad.
    assert counts == {"+++": 1, "++-": 0, "+--": 1, "---": 0, "balanced": 2, "unbalanced": 0, "total": 2}
    graph.add_edge("A", "C", sign=-1, weight=-0.5)  # now ABC is ++- : unbalanced
    assert balance_counts(graph)["unbalanced"] == 1


def test_network_and_position_change() -> None:
    early = background("PAK", "IRN", D0, 100, every=2) + background("PAK", "USA", D0, 100, every=2)
    late_start = D0 + dt.timedelta(days=200)
    late = [(late_start + dt.timedelta(days=d), "PAK", "IRN", "161") for d in range(0, 100, 2)]
    late += background("PAK", "USA", late_start, 100, every=2)
    store = make_store(early + late)
    before = alliance_network(store, end=D0 + dt.timedelta(days=100))
    after = alliance_network(store, start=late_start)
    change = position_change(before, after, "PAK")
    assert change["allies_lost"] == ["IRN"] and change["adversaries_gained"] == ["IRN"]
    assert "IRN" not in change["bloc_after"] and "USA" in change["bloc_after"]


def test_directed_index_keeps_directions_apart() -> None:
    rows = [(D0 + dt.timedelta(days=d), "IRN", "PAK", "195") for d in range(3)]
    rows += [(D0 + dt.timedelta(days=d), "PAK", "IRN", "057") for d in range(3)]
    index = dyad_index(make_store(rows), "IRN", "PAK", freq="D", directed=True)
    last = index.daily.groupby("direction")["state"].last()
    assert last["IRN->PAK"] < -3 < 3 < last["PAK->IRN"]


def test_claims_are_found_from_events_and_cues() -> None:
    text = (
        "Pakistan is distancing itself from Iran while its army chief meets the US president. "
        "Days after the strikes, the two restored their ambassadors."
    )
    events = [
        event(D0, "IRN", "PAK", "195", 1),
        event(D0 + dt.timedelta(days=5), "PAK", "IRN", "054", 2),
        event(D0 + dt.timedelta(days=6), "PAK", "USA", "057", 3),
        event(D0, "PAK", "IRN", "161", 4),
    ]
    claims = detect_claims(text, events, D0 + dt.timedelta(days=7))
    kinds = {(c.kind, c.countries) for c in claims}
    assert ("turnaround", ("IRN", "PAK")) in kinds
    assert ("realignment", ("PAK", "IRN", "USA")) in kinds
    assert detect_claims("The weather was fine.", [], D0) == []


def test_claim_check_verdicts_against_the_store() -> None:
    day0 = D0 + dt.timedelta(days=100)
    store = make_store(
        background("IRN", "PAK", D0, 300) + crisis("IRN", "PAK", day0, [2, 2, 4], repair_day=6)
    )
    article = Document("a1", "Iran and Pakistan restored ambassadors after the strikes.", published=day0)
    events = [event(day0, "IRN", "PAK", "195", 1), event(day0 + dt.timedelta(days=6), "PAK", "IRN", "054", 2)]
    report = check_claims(store, article, events=events)
    (verdict,) = report.verdicts
    assert verdict.status == "supported"
    assert "IRN-PAK: nadir" in verdict.summary and "4 days" in verdict.summary
    assert "fastest of 1" in verdict.summary
    quiet = make_store(background("IRN", "PAK", D0, 300))
    (verdict,) = check_claims(quiet, article, events=events).verdicts
    assert verdict.status == "not supported"


def test_realignment_scan_finds_the_planted_shift() -> None:
    shift = D0 + dt.timedelta(days=210)
    rows = background("PAK", "IRN", D0, 210, every=3) + background("PAK", "USA", D0, 420, every=20)
    rows += [(shift + dt.timedelta(days=d), "PAK", "IRN", "161") for d in range(0, 60, 4)]
    rows += [(shift + dt.timedelta(days=d), "PAK", "USA", "057") for d in range(0, 200, 3)]
    found = scan_realignments(make_store(rows), actor="PAK")
    assert [(r.actor, r.away_from, r.toward) for r in found] == [("PAK", "IRN", "USA")]


def test_realignment_named_in_the_text() -> None:
    text = "Pakistan pivots away from Iran and toward Washington, analysts say."
    events = [event(D0, "PAK", "USA", "057", 1), event(D0, "USA", "PAK", "043", 2)]
    claims = detect_claims(text, events, D0)
    assert [(c.kind, c.countries) for c in claims] == [("realignment", ("PAK", "IRN", "USA"))]
