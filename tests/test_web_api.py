"""The REST API (detente.web) on a small store built here: every endpoint, its figures against the
analysis functions called directly, and the bad-input answers (one-line JSON ``detail``, never a 500)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from detente.analysis import (
    alliance_network,
    dyad_index,
    find_turnarounds,
    isolation,
    position_change,
    realign,
    scan_realignments,
)
from detente.cameo import lookup
from detente.store import Store
from detente.web import create_app

D0 = dt.date(2023, 9, 4)
CRISIS = dt.date(2024, 1, 16)

# Sentences we wrote for the crisis and its repair; the quiet background gets generated sentences.
CRISIS_EVENTS: list[tuple[int, str, str, str, str, str]] = [
    (
        0,
        "IRN",
        "PAK",
        "195",
        "asserted",
        "Iranian missiles struck two villages in Balochistan, Pakistan said.",
    ),
    (
        0,
        "PAK",
        "IRN",
        "111",
        "asserted",
        "Islamabad condemned the Iranian strike as a violation of its airspace.",
    ),
    (1, "PAK", "IRN", "161", "asserted", "Pakistan recalled its ambassador from Tehran the next morning."),
    (
        2,
        "PAK",
        "IRN",
        "195",
        "asserted",
        "Pakistani jets hit militant hideouts inside Iran's Sistan province.",
    ),
    (2, "IRN", "PAK", "195", "asserted", "Iran answered with drone strikes near the Panjgur border post."),
    (3, "IRN", "PAK", "138", "threatened", "Tehran warned it would strike again if provoked."),
    (
        5,
        "IRN",
        "PAK",
        "036",
        "asserted",
        "Iran's foreign minister called his Pakistani counterpart to calm tensions.",
    ),
    (
        6,
        "PAK",
        "IRN",
        "054",
        "asserted",
        "Pakistan and Iran agreed to return their ambassadors to their posts.",
    ),
    (9, "IRN", "PAK", "042", "asserted", "The Iranian foreign minister flew to Islamabad for talks."),
    (11, "PAK", "IRN", "057", "asserted", "The two governments signed a border security agreement."),
]


def _row(
    i: int, day: dt.date, source: str, target: str, cameo: str, modality: str, sentence: str
) -> dict[str, Any]:
    code = lookup(cameo)
    return {
        "event_id": f"w{i:04d}",
        "doc_id": f"doc{i:04d}",
        "date": day.isoformat(),
        "date_precision": "day",
        "source_country": source,
        "target_country": target,
        "cameo": cameo,
        "cameo_root": code.root,
        "cameo_label": code.label,
        "plover": code.plover,
        "goldstein": code.goldstein,
        "quad_class": code.quad_class,
        "modality": modality,
        "sentence": sentence,
        "rule": "test",
    }


def store_rows() -> list[dict[str, Any]]:
    """Quiet weekly consultations for four dyads, the Iran–Pakistan crisis of January 2024, and a
    Pakistan–US warming after it (so a realignment of Pakistan from Iran toward the US exists)."""
    rows: list[dict[str, Any]] = []
    quiet = [("IRN", "PAK", 0), ("PAK", "CHN", 1), ("USA", "PAK", 2), ("IRN", "IRQ", 3), ("USA", "CHN", 4)]
    for source, target, shift in quiet:
        for week in range(0, 40):
            day = D0 + dt.timedelta(days=7 * week + shift)
            if source == "IRN" and target == "PAK" and CRISIS - dt.timedelta(days=14) < day:
                continue
            cameo = "040" if week % 2 else "042"
            sentence = f"Officials of {source} and {target} met in week {week} to discuss trade."
            rows.append(_row(len(rows), day, source, target, cameo, "asserted", sentence))
    for offset, source, target, cameo, modality, sentence in CRISIS_EVENTS:
        rows.append(
            _row(len(rows), CRISIS + dt.timedelta(days=offset), source, target, cameo, modality, sentence)
        )
    for k in range(8):
        day = CRISIS + dt.timedelta(days=14 + 3 * k)
        cameo = ("057", "061", "051", "043")[k % 4]
        sentence = f"Washington and Islamabad deepened cooperation, step {k + 1}."
        rows.append(_row(len(rows), day, "USA", "PAK", cameo, "asserted", sentence))
    return rows


def build_store(path: Path) -> Path:
    """A store file holding ``store_rows()`` (no spaCy: events go in through the Store API)."""
    store = Store(path)
    store.add_events(pd.DataFrame(store_rows()), dataset="test", dedup=False)
    store.close()
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "events.duckdb")


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    # raise_server_exceptions=False: a 500 must show up as a response the test can see, not a raise.
    return TestClient(create_app(db), raise_server_exceptions=False)


@pytest.fixture()
def store(db: Path) -> Any:
    with Store(db, read_only=True) as opened:
        yield opened


def detail(response: Any) -> str:
    body = response.json()
    assert set(body) == {"detail"}, body
    assert isinstance(body["detail"], str) and "\n" not in body["detail"]
    return str(body["detail"])


# -- store endpoints ----------------------------------------------------------------------------------


def test_stats_counts_the_store(client: TestClient) -> None:
    body = client.get("/api/stats").json()
    assert body["events"] == len(store_rows())
    assert body["datasets"][0]["dataset"] == "test"
    assert body["datasets"][0]["first"] == D0.isoformat()


def test_countries_fill_the_dashboard_selects(client: TestClient) -> None:
    rows = client.get("/api/countries").json()["countries"]
    codes = [r["code"] for r in rows]
    assert codes[0] == "PAK"  # the most active country comes first
    assert set(codes) == {"IRN", "PAK", "CHN", "USA", "IRQ"}
    assert next(r for r in rows if r["code"] == "IRN")["name"].startswith("Iran")


def test_events_filters_paging_and_sort(client: TestClient) -> None:
    crisis = {
        "dyad": "PAK-IRN",
        "from": CRISIS.isoformat(),
        "to": (CRISIS + dt.timedelta(days=20)).isoformat(),
    }
    body = client.get("/api/events", params=crisis).json()
    assert body["total"] == len(CRISIS_EVENTS)
    assert [e["sentence"] for e in body["events"]] == [c[5] for c in CRISIS_EVENTS]
    directed = client.get("/api/events", params={**crisis, "directed": "true"}).json()
    assert directed["total"] == sum(1 for c in CRISIS_EVENTS if c[1] == "PAK")
    assert client.get("/api/events", params={**crisis, "root": "19"}).json()["total"] == 3
    assert client.get("/api/events", params={**crisis, "cameo": "19"}).json()["total"] == 3
    conflict = client.get("/api/events", params={**crisis, "quad_class": 4}).json()
    assert conflict["total"] == 4  # three strikes and the recall of the ambassador
    threats = client.get("/api/events", params={**crisis, "modality": "threatened"}).json()
    assert [e["cameo"] for e in threats["events"]] == ["138"]
    worst = client.get("/api/events", params={**crisis, "sort": "goldstein", "limit": 2}).json()
    assert [e["goldstein"] for e in worst["events"]] == [-10.0, -10.0]
    latest = client.get("/api/events", params={**crisis, "sort": "-date", "limit": 1}).json()
    assert latest["events"][0]["sentence"] == CRISIS_EVENTS[-1][5]
    page1 = client.get("/api/events", params={"actor": "irq", "limit": 15}).json()
    page2 = client.get("/api/events", params={"actor": "IRQ", "limit": 15, "offset": 15}).json()
    assert page1["total"] == page2["total"] == 40
    ids = [e["event_id"] for e in page1["events"] + page2["events"]]
    assert len(set(ids)) == 30


def test_events_as_csv(client: TestClient) -> None:
    import io

    response = client.get("/api/events", params={"dyad": "IRN-PAK", "root": "19", "format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(response.text), dtype=str)
    assert response.headers["x-total-count"] == str(len(frame)) == "3"
    assert frame["sentence"].tolist() == [c[5] for c in CRISIS_EVENTS if c[3] == "195"]
    assert frame["cameo"].tolist() == ["195"] * 3  # codes keep their leading zeros and stay text
    assert frame["date"].tolist()[0] == CRISIS.isoformat()


def test_large_answers_are_compressed(client: TestClient) -> None:
    response = client.get("/api/dyads/IRN/PAK/index", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"
    assert response.json()["dyad"] == "IRN-PAK"


def test_mentions_of_an_unknown_event_is_404(client: TestClient) -> None:
    response = client.get("/api/events/nope/mentions")
    assert response.status_code == 404
    assert "event_id 'nope'" in detail(response)


# -- analysis endpoints equal the analysis functions ----------------------------------------------------


def test_index_equals_dyad_index(client: TestClient, store: Any) -> None:
    body = client.get("/api/dyads/irn/PAK/index", params={"freq": "W"}).json()
    direct = dyad_index(store, "IRN", "PAK", freq="W")
    assert body["dyad"] == "IRN-PAK"
    assert len(body["periods"]) == len(direct.frame)
    assert [p["state"] for p in body["periods"]] == pytest.approx(direct.frame["state"].tolist())
    assert [p["n_events"] for p in body["periods"]] == direct.frame["n_events"].tolist()
    crisis_week = next(p for p in body["periods"] if p["period"] == "2024-01-15")
    assert crisis_week["period_end"] == "2024-01-21"  # the Sunday its state is measured on
    assert body["periods"][-1]["period_end"] <= body["end"]
    assert [e["event_id"] for e in body["evidence"]] == direct.evidence["event_id"].tolist()
    strike = next(e for e in body["evidence"] if e["sentence"] == CRISIS_EVENTS[0][5])
    assert strike["period"] == "2024-01-15"  # the Monday of its week
    day_state = direct.daily.set_index("date")["state"][pd.Timestamp(CRISIS)]
    assert strike["state"] == pytest.approx(day_state)
    assert min(p["state"] for p in body["periods"]) < -3  # the crisis shows


def test_index_directed_monthly(client: TestClient, store: Any) -> None:
    body = client.get("/api/dyads/IRN/PAK/index", params={"freq": "m", "directed": "true"}).json()
    direct = dyad_index(store, "IRN", "PAK", freq="M", directed=True)
    assert {p["direction"] for p in body["periods"]} == {"IRN->PAK", "PAK->IRN"}
    assert [p["state"] for p in body["periods"]] == pytest.approx(direct.frame["state"].tolist())


def test_turnarounds_equal_find_turnarounds(client: TestClient, store: Any) -> None:
    body = client.get("/api/turnarounds", params={"dyad": "PAK-IRN", "top": 5}).json()
    direct = find_turnarounds(store)
    assert body["episodes_ranked"] == len(direct.ranked)
    assert [e["dyad"] for e in body["ranked"]] == [e.dyad for e in direct.ranked[:5]]
    mine = direct.for_dyad("IRN", "PAK")
    assert mine, "the crisis must be found"
    assert body["dyad"] == "IRN-PAK"
    assert [e["nadir"] for e in body["dyad_episodes"]] == [e.nadir.isoformat() for e in mine]
    assert [e["depth"] for e in body["dyad_episodes"]] == [round(e.depth, 3) for e in mine]
    deep = client.get("/api/turnarounds", params={"min_depth": 8.9}).json()
    assert deep["episodes_ranked"] == len(find_turnarounds(store, min_depth=8.9).ranked)


def test_realign_equals_realign(client: TestClient, store: Any) -> None:
    params = {"actor": "PAK", "away_from": "IRN", "toward": "USA"}
    body = client.get("/api/realign", params=params).json()
    direct = realign(store, "PAK", "IRN", "USA")
    assert body["found"] == direct.found
    assert [s["date"] for s in body["change_points"]] == [s.date.isoformat() for s in direct.change_points]
    assert len(body["series"]) == len(direct.series)
    scan = client.get("/api/realign/scan", params={"actor": "PAK"}).json()
    direct_scan = scan_realignments(store, actor="PAK")
    assert [(r["away_from"], r["toward"]) for r in scan["results"]] == [
        (r.away_from, r.toward) for r in direct_scan
    ]


def test_isolation_equals_isolation(client: TestClient, store: Any) -> None:
    body = client.get("/api/isolation/PAK", params={"freq": "M"}).json()
    direct = isolation(store, "PAK", freq="M")
    assert body["partners"] == direct.partners
    assert [p["isolation"] for p in body["periods"]] == pytest.approx(
        direct.frame["isolation"].round(3).tolist()
    )
    assert body["trend"] == pytest.approx(round(direct.trend, 3))


def test_network_equals_alliance_network(client: TestClient, store: Any) -> None:
    window = {"from": "2023-10-01", "to": "2023-12-31"}
    body = client.get("/api/network", params=window).json()
    direct = alliance_network(store, start=dt.date(2023, 10, 1), end=dt.date(2023, 12, 31))
    assert body["blocs"] == direct.blocs
    assert body["edges"] == direct.graph.number_of_edges() == len(body["edge_list"])
    assert {n["code"] for n in body["node_list"]} == set(direct.graph.nodes)
    pak = next(n for n in body["node_list"] if n["code"] == "PAK")
    assert pak["degree"] == direct.graph.degree("PAK")


def test_network_position_change_equals_position_change(client: TestClient, store: Any) -> None:
    crisis = {"from": "2024-01-14", "to": "2024-01-25"}
    body = client.get(
        "/api/network",
        params={
            **crisis,
            "actor": "PAK",
            "compare_from": "2023-10-01",
            "compare_to": "2023-12-31",
            "min_days": 1,
        },
    ).json()
    before = alliance_network(store, start=dt.date(2023, 10, 1), end=dt.date(2023, 12, 31), min_days=1)
    after = alliance_network(store, start=dt.date(2024, 1, 14), end=dt.date(2024, 1, 25), min_days=1)
    direct = position_change(before, after, "PAK")
    change = body["position_change"]
    for key in ("allies_gained", "allies_lost", "adversaries_gained", "adversaries_lost"):
        assert change[key] == direct[key], key
    assert "IRN" in change["adversaries_gained"]  # the crisis turned Iran from partner to adversary
    lonely = client.get("/api/network", params={"compare_from": "2023-10-01"})
    assert lonely.status_code == 422 and "actor" in detail(lonely)


# -- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "status", "words"),
    [
        ("/api/dyads/IRAN/PAK/index", {}, 422, ["a:", "'IRAN'", "IRN"]),
        ("/api/dyads/IRN/PAK/index", {"freq": "Q"}, 422, ["freq", "'Q'"]),
        ("/api/dyads/IRN/IRN/index", {}, 422, ["two different countries"]),
        ("/api/dyads/IRN/PAK/index", {"from": "2030-01-01"}, 422, ["dates out of range"]),
        ("/api/dyads/IRN/PAK/index", {"from": "16/01/2024"}, 422, ["from", "not a date"]),
        ("/api/dyads/IRN/FRA/index", {}, 404, ["no events between IRN and FRA"]),
        ("/api/events", {"dyad": "IRN"}, 422, ["dyad", "two country codes"]),
        ("/api/events", {"actor": "Pakistan"}, 422, ["actor:", "PAK"]),
        ("/api/events", {"root": "21"}, 422, ["root", "01 to 20"]),
        ("/api/events", {"quad_class": 5}, 422, ["quad_class"]),
        ("/api/events", {"limit": "many"}, 422, ["limit", "integer"]),
        ("/api/events", {"sort": "size"}, 422, ["sort", "'size'"]),
        ("/api/events", {"modality": "rumoured"}, 422, ["modality"]),
        ("/api/events", {"format": "xml"}, 422, ["format", "'xml'"]),
        ("/api/events", {"from": "2024-02-01", "to": "2024-01-01"}, 422, ["after"]),
        ("/api/turnarounds", {"min_depth": 12}, 422, ["min_depth", "between 0 and 9"]),
        ("/api/turnarounds", {"rule": "fast"}, 422, ["rule", "'fast'"]),
        ("/api/realign", {"actor": "PAK", "away_from": "IRN"}, 422, ["toward", "required"]),
        ("/api/realign", {"actor": "PAK", "away_from": "PAK", "toward": "USA"}, 422, ["three different"]),
        ("/api/isolation/XXX", {}, 422, ["actor:", "'XXX'"]),
        ("/api/network", {"min_days": 0}, 422, ["min_days"]),
        ("/api/network", {"source": "tweets"}, 422, ["source", "'tweets'"]),
    ],
)
def test_bad_input_is_one_line_4xx(
    client: TestClient, url: str, params: dict[str, Any], status: int, words: list[str]
) -> None:
    response = client.get(url, params=params)
    assert response.status_code == status, response.text
    message = detail(response)
    for word in words:
        assert word in message, message


def test_empty_store_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    Store(empty).close()
    client = TestClient(create_app(empty), raise_server_exceptions=False)
    for url in ("/api/dyads/IRN/PAK/index", "/api/turnarounds", "/api/isolation/PAK", "/api/network"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "holds no events" in detail(response)
    assert client.get("/api/stats").json()["events"] == 0
    assert client.get("/api/events").json() == {
        "total": 0,
        "limit": 50,
        "offset": 0,
        "sort": "date",
        "events": [],
    }


def test_missing_store_is_503(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "gone.duckdb"), raise_server_exceptions=False)
    response = client.get("/api/stats")
    assert response.status_code == 503
    assert "no event store there" in detail(response)


# -- coding a posted text -----------------------------------------------------------------------------


def test_code_a_posted_text_stores_nothing(client: TestClient, db: Path) -> None:
    text = "Pakistan recalled its ambassador from Iran on Wednesday after the strike."
    response = client.post("/api/code", json={"text": text, "published": "2024-01-18"})
    assert response.status_code == 200, response.text
    events = response.json()["events"]
    from detente.coding import code_text

    direct = code_text(text, published="2024-01-18", doc_id="posted")
    assert [e["cameo"] for e in events] == [e.cameo for e in direct]
    assert events and events[0]["source_country"] == "PAK" and events[0]["target_country"] == "IRN"
    assert events[0]["date"] == "2024-01-17"
    assert client.get("/api/stats").json()["events"] == len(store_rows())


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"text": "  "}, 422, ["text", "empty"]),
        ({"text": "Iran met Pakistan.", "published": "yesterday"}, 422, ["published", "not a date"]),
        ({"published": "2024-01-01"}, 422, ["text", "required"]),
        ({"text": "x" * 100_001}, 413, ["text", "100000"]),
    ],
)
def test_code_bad_input(client: TestClient, body: dict[str, Any], status: int, words: list[str]) -> None:
    response = client.post("/api/code", json=body)
    assert response.status_code == status
    message = detail(response)
    for word in words:
        assert word in message, message


# -- the dashboard's files ----------------------------------------------------------------------------


def test_dashboard_and_its_files_are_served_offline(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "/static/plotly.min.js" in page.text and "cdn" not in page.text.lower()
    plotly_js = client.get("/static/plotly.min.js")
    assert plotly_js.status_code == 200 and len(plotly_js.content) > 1_000_000
    assert client.get("/static/dashboard.js").status_code == 200
    assert client.get("/static/dashboard.css").status_code == 200
    assert client.get("/openapi.json").json()["paths"]["/api/events"]
    missing = client.get("/static/nothing.js")
    assert missing.status_code == 404 and detail(missing)


def test_dyads_most_active_first(client: TestClient, store: Any) -> None:
    body = client.get("/api/dyads", params={"limit": 3}).json()
    assert len(body["dyads"]) == 3
    assert (body["dyads"][0]["country_a"], body["dyads"][0]["country_b"]) == ("PAK", "USA")
    counts = store.query(
        "SELECT count(*) AS n FROM events WHERE 'PAK' IN (source_country, target_country)"
        " AND 'USA' IN (source_country, target_country)"
    )
    assert body["dyads"][0]["events"] == int(counts["n"].iloc[0])
    mine = client.get("/api/dyads", params={"actor": "IRQ"}).json()["dyads"]
    assert [(d["country_a"], d["country_b"], d["events"]) for d in mine] == [("IRN", "IRQ", 40)]


HOLD_THE_WRITE_LOCK = """
import sys, time
from detente.store import Store
store = Store(sys.argv[1])
store.connect()
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
store.release()
"""


def test_a_writer_in_another_process(db: Path) -> None:
    """An ingest holding the store: a request waits for it within the lock timeout, else a one-line 503."""
    impatient = TestClient(create_app(db, lock_timeout=0.3), raise_server_exceptions=False)
    patient = TestClient(create_app(db, lock_timeout=20), raise_server_exceptions=False)
    writer = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, str(db), "1.5"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "locked"
        refused = impatient.get("/api/dyads/IRN/PAK/index")
        began = time.monotonic()
        answered = patient.get("/api/dyads/IRN/PAK/index")
        waited = time.monotonic() - began
    finally:
        writer.wait(timeout=30)
    assert refused.status_code == 503
    assert "locked by another process" in detail(refused)
    assert answered.status_code == 200, answered.text
    assert answered.json()["dyad"] == "IRN-PAK"
    assert waited > 0.3  # it waited for the writer to let go


# Each stands for a kind of mistake: empty, a word, negative, overflowing, NaN, an impossible date, non-ASCII.
ODD_VALUES = ["", "x", "-1", "1e400", "nan", "2024-13-01", "é'; --"]
ENDPOINT_PARAMS: dict[str, list[str]] = {
    "/api/events": ["dyad", "actor", "root", "cameo", "quad_class", "modality", "from", "sort", "limit"],
    "/api/dyads": ["actor", "limit"],
    "/api/dyads/IRN/PAK/index": ["freq", "directed", "from", "to", "source", "dataset"],
    "/api/turnarounds": ["dyad", "from", "top", "min_depth", "min_hostile_days", "by", "rule"],
    "/api/realign/scan": ["actor", "from", "min_shift", "limit"],
    "/api/isolation/PAK": ["from", "freq", "partners"],
    "/api/network": ["to", "min_days", "source"],
}


@pytest.mark.parametrize("url", sorted(ENDPOINT_PARAMS))
def test_odd_values_never_cause_a_server_error(client: TestClient, url: str) -> None:
    for name in ENDPOINT_PARAMS[url]:
        for value in ODD_VALUES:
            response = client.get(url, params={name: value})
            assert response.status_code < 500, (url, name, value, response.text)
            if response.status_code >= 400:
                detail(response)
    for path in ("/api/dyads/%20/PAK/index", "/api/isolation/%00", "/api/dyads/IRN/é/index"):
        response = client.get(path)
        assert response.status_code == 422, (path, response.text)
