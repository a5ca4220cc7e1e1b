"""The dashboard in a real browser: Playwright drives Debian's chromium against uvicorn on 127.0.0.1.

Skipped when /usr/bin/chromium or the playwright package is absent (no browser is ever downloaded).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from detente.analysis import alliance_network, dyad_index
from detente.store import Store
from detente.web import create_app

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.network

if not CHROMIUM.is_file():
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)", allow_module_level=True)
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install -e '.[dev]')"
)

# The store of the API tests: same rows, same crisis sentences.
from test_web_api import CRISIS, CRISIS_EVENTS, build_store  # noqa: E402


@contextlib.contextmanager
def serving(db: Path) -> Iterator[str]:
    """uvicorn serving ``db`` on a free port of 127.0.0.1, in a thread; yields the dashboard's URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # a free port, held until uvicorn takes the socket over
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = build_store(tmp_path_factory.mktemp("browser") / "events.duckdb")
    with serving(db) as url:
        yield url, db


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="module")
def page(browser: Any, served: tuple[str, Path]) -> Iterator[Any]:
    tab = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(served[0])
    settle(tab)
    yield tab
    tab.close()
    assert not errors, errors


def settle(page: Any) -> None:
    """Wait until the page has no load or render under way."""
    page.wait_for_selector('body[data-ready=true][data-busy="0"]', timeout=20_000)


def show(page: Any, a: str, b: str, freq: str = "W", period: tuple[str, str] | None = None) -> None:
    """Pick a dyad (which fits the period to its events), then optionally a period, and press Show."""
    page.select_option("#country-a", a)
    page.select_option("#country-b", b)
    settle(page)
    if period:
        page.fill("#date-from", period[0])
        page.fill("#date-to", period[1])
    page.select_option("#freq", freq)
    page.click("#show")
    settle(page)


def shown_period(page: Any) -> tuple[dt.date, dt.date]:
    return (
        dt.date.fromisoformat(page.input_value("#date-from")),
        dt.date.fromisoformat(page.input_value("#date-to")),
    )


def test_first_view_is_the_most_active_dyad(page: Any) -> None:
    assert page.input_value("#country-a") == "PAK" and page.input_value("#country-b") == "USA"
    assert page.get_attribute("#index-panel", "data-state") == "ready"
    assert "PAK–USA" in page.text_content("#index-title")
    assert "events" in page.text_content("#store-summary")


def test_dyad_chart_points_and_evidence_hover(page: Any, served: tuple[str, Path]) -> None:
    show(page, "IRN", "PAK", "W")
    assert page.get_attribute("#index-panel", "data-state") == "ready", page.text_content("#index-error")
    start, end = shown_period(page)
    assert start < CRISIS < end  # the period was fitted to the dyad's events
    with Store(served[1], read_only=True) as store:
        direct = dyad_index(store, "IRN", "PAK", freq="W", start=start, end=end)
    traces = page.evaluate(
        "Array.from(document.getElementById('index-chart').data,"
        " t => ({name: t.name, n: t.x.length, sentences: t.customdata || []}))"
    )
    names = ["index IRN-PAK", "daily IRN-PAK", "cooperative event", "conflictual event"]
    assert [t["name"] for t in traces] == names
    assert traces[0]["n"] == len(direct.frame)
    assert traces[1]["n"] == len(direct.daily)
    assert traces[2]["n"] + traces[3]["n"] == len(direct.evidence)
    assert traces[3]["n"] == int((direct.evidence["goldstein"] <= 0).sum())
    # The first strike is the only evidence marker on its day: hovering it shows its sentence.
    strike = CRISIS_EVENTS[0][5]
    position = traces[3]["sentences"].index(strike)
    point = page.locator("#index-chart .scatterlayer .trace").nth(3).locator(".points path").nth(position)
    # Plotly listens on its drag layer above the points: move the mouse there, as a user does.
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = page.locator("#index-chart .hoverlayer .hovertext")
    label.wait_for(timeout=5_000)
    lines = label.locator("text tspan").all_text_contents()
    shown = " ".join(" ".join(lines).split())
    assert strike in shown, shown
    assert CRISIS.isoformat() in shown and "IRN→PAK" in shown


def test_leaderboard_highlights_the_dyad(page: Any) -> None:
    show(page, "PAK", "IRN")
    rows = page.locator("#turnaround-table tbody tr.highlight")
    assert rows.count() >= 1
    assert "IRN-PAK" in rows.first.text_content()
    assert "IRN-PAK: fell from" in page.text_content("#dyad-episodes")


def test_network_of_the_period(page: Any, served: tuple[str, Path]) -> None:
    show(page, "IRN", "PAK", period=("2023-10-01", "2023-12-31"))
    page.check("input[name=view][value=network]")
    settle(page)
    assert page.get_attribute("#third-panel", "data-state") == "ready"
    with Store(served[1], read_only=True) as store:
        net = alliance_network(store, start=dt.date(2023, 10, 1), end=dt.date(2023, 12, 31))
    nodes = page.evaluate("document.getElementById('third-chart').data[2].text")
    assert sorted(nodes) == sorted(net.graph.nodes)
    assert f"{net.graph.number_of_edges()} ties" in page.text_content("#third-summary")


def test_a_bad_period_is_shown_not_crashed(page: Any) -> None:
    show(page, "IRN", "PAK", period=("2031-01-01", "2031-12-31"))
    assert page.get_attribute("#index-panel", "data-state") == "error"
    assert "dates out of range" in page.text_content("#index-error")


def test_an_empty_store_says_so(browser: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    Store(empty).close()
    with serving(empty) as url:
        tab = browser.new_page()
        tab.goto(url)
        tab.wait_for_function("document.getElementById('store-summary').textContent.includes('no events')")
        assert "0 events" in tab.text_content("#store-summary")
        tab.close()
