"""The event store's Python API: writing, cross-report dedup, idempotency, queries, locking."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from detente.errors import InputError, StoreError
from detente.record import Document, Event
from detente.store import Store, ingest, resolve_path


def make_event(event_id: str, doc_id: str, date: str | None, *, source: str = "IRN", target: str = "PAK",
               cameo: str = "195", sentence: str = "", modality: str = "asserted") -> Event:  # fmt: skip
    return Event(
        event_id=event_id, doc_id=doc_id, date=date, date_precision="day", date_basis="stated",
        source_country=source, source_sector="MIL", source_text=source, target_country=target,
        target_sector="", target_text=target, cameo=cameo, cameo_root=cameo[:2], cameo_label="label",
        plover="ASSAULT", goldstein=-10.0 if cameo.startswith("19") else 1.0,
        quad_class=4 if cameo.startswith("19") else 1, modality=modality,  # type: ignore[arg-type]
        sentence=sentence or f"{event_id} sentence", char_start=0, char_end=10, rule="test", confidence=0.9,
    )  # fmt: skip


def doc(doc_id: str, text: str, url: str | None = None) -> Document:
    return Document(doc_id=doc_id, text=text, published=dt.date(2024, 1, 17), url=url)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "events.duckdb")


def test_path_resolution_prefers_argument_then_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DETENTE_DB", str(tmp_path / "env.duckdb"))
    assert resolve_path(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"
    assert resolve_path(None) == tmp_path / "env.duckdb"
    monkeypatch.delenv("DETENTE_DB")
    assert resolve_path(None) == Path("detente.duckdb")


def test_one_event_told_by_many_reports_is_one_event_with_mentions(store: Store) -> None:
    docs = [
        doc("a", "Iran struck Pakistan on Tuesday.", "https://www.dawn.com/a"),
        doc("b", "Pakistan says Iranian missiles hit Panjgur.", "https://bbc.co.uk/b"),
        doc("c", "Another Dawn piece on the Iranian strike.", "https://dawn.com/c"),
    ]
    events = [
        make_event("a1", "a", "2024-01-16", sentence="Iran struck Pakistan on Tuesday."),
        make_event("b1", "b", "2024-01-17", sentence="Iranian missiles hit Panjgur."),
        make_event("c1", "c", "2024-01-18", sentence="the Iranian strike"),
        # Same dyad and root but a week later: a different event.
        make_event("b2", "b", "2024-01-25"),
        # Reverse direction: Pakistan's retaliation is its own event.
        make_event("b3", "b", "2024-01-17", source="PAK", target="IRN"),
        # A threat is not the strike it threatens.
        make_event("c2", "c", "2024-01-16", modality="threatened"),
    ]
    result = store.add_coded(docs, events)
    assert (result.events_added, result.events_merged) == (4, 2)
    frame = store.events(dyad=("IRN", "PAK"))
    strike = frame.set_index("event_id").loc["a1"]
    assert strike["mentions"] == 3
    assert strike["num_sources"] == 2  # dawn.com twice, bbc.co.uk once
    told = store.mentions("a1")
    assert set(told["doc_id"]) == {"a", "b", "c"}
    assert "Iranian missiles hit Panjgur." in set(told["sentence"])
    daily = store.dyad_daily("IRN", "PAK")
    # 16 January: the strike (told three times) and the threat.
    assert daily.loc[daily["date"] == "2024-01-16", "events"].item() == 2
    assert daily.loc[daily["date"] == "2024-01-16", "mentions"].item() == 4


def test_dedup_window_is_a_parameter(tmp_path: Path) -> None:
    narrow = Store(tmp_path / "narrow.duckdb", dedup_window_days=0)
    narrow.add_coded([doc("a", "x one"), doc("b", "x two")],
                     [make_event("a1", "a", "2024-01-16"), make_event("b1", "b", "2024-01-17")])  # fmt: skip
    assert len(narrow.events()) == 2


def test_same_document_again_changes_nothing(store: Store) -> None:
    first = store.add_coded([doc("a", "Iran struck Pakistan.")], [make_event("a1", "a", "2024-01-16")])
    assert first.documents_added == 1
    before = (
        store.query("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mentions)").iloc[0].tolist()
    )
    again = store.add_coded([doc("a", "Iran struck Pakistan.")], [make_event("a1", "a", "2024-01-16")])
    same_text = store.add_coded(
        [doc("a-copy", "Iran   struck\nPakistan.")], [make_event("x1", "a-copy", "2024-01-16")]
    )
    assert again.documents_skipped == 1 and same_text.documents_skipped == 1
    after = (
        store.query("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM mentions)").iloc[0].tolist()
    )
    assert before == after


def test_ingest_codes_only_new_documents(store: Store) -> None:
    coded: list[str] = []

    def coder(docs: list[Document]) -> list[Event]:
        coded.extend(d.doc_id for d in docs)
        return [make_event(f"{d.doc_id}-e", d.doc_id, "2024-01-16") for d in docs]

    docs = [doc(f"d{i}", f"report number {i}") for i in range(5)]
    report = ingest(docs, store, code=coder, batch_size=2)
    assert (report.documents_added, report.events_added, report.events_merged) == (5, 1, 4)
    again = ingest(docs, store, code=coder, batch_size=2)
    assert again.documents_skipped == 5 and again.documents_added == 0
    assert coded == [f"d{i}" for i in range(5)]


def test_event_filters_and_arrow(store: Store) -> None:
    store.add_events(
        [make_event("e1", "d", "2024-01-10", cameo="042"), make_event("e2", "d", "2024-02-10"),
         make_event("e3", "d", "2024-02-11", source="USA", target="CHN")],
        dedup=False,
    )  # fmt: skip
    assert list(store.events(actor="pak")["event_id"]) == ["e1", "e2"]
    assert list(store.events(dyad=("PAK", "IRN"), directed=True)["event_id"]) == []
    assert list(store.events(dyad=("PAK", "IRN"))["event_id"]) == ["e1", "e2"]
    assert list(store.events(root=19, start="2024-02-01")["event_id"]) == ["e2", "e3"]
    assert list(store.events(root=19, start="2024-02-01", end="2024-02-10")["event_id"]) == ["e2"]
    assert list(store.events(root="04", end=dt.date(2024, 1, 31))["event_id"]) == ["e1"]
    assert store.events(dataset="gdelt2").empty
    table = store.events_arrow(actor="USA")
    assert table.num_rows == 1 and table.column("cameo").to_pylist() == ["195"]
    with pytest.raises(InputError):
        store.events(root=21)
    with pytest.raises(InputError):
        store.events(start="16/01/2024")


def test_read_only_store_must_exist(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no event store"):
        Store(tmp_path / "missing.duckdb", read_only=True)


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("not a database\n" * 100)
    with pytest.raises(StoreError):
        Store(bogus)


def test_writer_in_another_process_makes_readers_wait_not_fail(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    Store(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import time
            from detente.store import Store
            store = Store({str(path)!r})
            store.connect()
            print("locked", flush=True)
            time.sleep(1.5)
            store.close()
            print("released", flush=True)
            time.sleep(5)
        """)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreError, match="locked by another process"):
            Store(path, read_only=True, lock_timeout=0.3).events()
        started = time.monotonic()
        frame = Store(path, read_only=True, lock_timeout=20).events()
        assert frame.empty and time.monotonic() - started > 0.5
    finally:
        holder.kill()
        holder.wait()


def test_reader_in_the_writers_process_shares_its_connection(tmp_path: Path) -> None:
    writer = Store(tmp_path / "same.duckdb")
    writer.add_events([make_event("e1", "d", "2024-01-10")], dedup=False)
    writer.connect()  # the writer keeps the file open
    assert list(Store(tmp_path / "same.duckdb", read_only=True).events()["event_id"]) == ["e1"]
    writer.close()


def test_a_store_from_an_older_schema_gains_the_new_columns(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("CREATE TABLE events (event_id VARCHAR NOT NULL, dataset VARCHAR NOT NULL, date DATE)")
    old.execute("INSERT INTO events VALUES ('kept', 'detente', DATE '2024-01-01')")
    old.close()
    frame = Store(path).events()
    assert list(frame["event_id"]) == ["kept"] and "source_url" in frame.columns


def test_optimize_merges_the_day_aggregate_without_changing_series(store: Store) -> None:
    for batch in range(3):
        store.add_events(
            [make_event(f"e{batch}-{i}", "d", f"2024-01-{10 + i % 3:02d}", cameo="195" if i % 2 else "042")
             for i in range(6)],
            dedup=False,
        )  # fmt: skip
    before = store.dyad_daily("IRN", "PAK")
    rows_before = store.query("SELECT count(*) AS n FROM event_days")["n"].item()
    rows_after = store.optimize()
    assert rows_after < rows_before
    after = store.dyad_daily("IRN", "PAK")
    assert before.equals(after)
    assert after["events"].sum() == 18 and after["quad4"].sum() == 9
