"""ingest_distributed stores what `detente ingest` stores: same rows, idempotent, resumable after a stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from detente.coding import Coder
from detente.scale import ingest_distributed
from detente.sources import read_paths, sample_path
from detente.store import Store, ingest

REPORTS = {
    "a/wire.txt": "Published: 2024-01-17\n\nIran launched missile strikes on Pakistan on Tuesday, "
    "Pakistan's foreign ministry said.\n",
    "a/paper.txt": "Published: 2024-01-17\n\nPakistan said Iranian missiles struck its territory on Tuesday. "
    "Islamabad recalled its ambassador from Tehran.\n",
    # same file name as a/paper.txt: read_paths makes it `paper~2`, the scale client codes it itself
    "b/paper.txt": "Published: 2024-01-22\n\nPakistan and Iran agreed to return their ambassadors, "
    "the two foreign ministers said on Monday.\n",
    # the same report under another name: stored once (same text)
    "b/copy.txt": "Published: 2024-01-17\n\nIran launched missile strikes on Pakistan on Tuesday, "
    "Pakistan's foreign ministry said.\n",
}


@pytest.fixture(scope="module")
def news(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("scale-news")
    for name, text in REPORTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return [str(root / "a"), str(sample_path()), str(root / "b")]


@pytest.fixture(scope="module")
def reference(news: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store a single-process `detente ingest` makes of the same inputs."""
    db = tmp_path_factory.mktemp("scale-reference") / "reference.duckdb"
    store = Store(db)
    ingest(read_paths(news, on_error=lambda problem: None), store, code=Coder().code_documents, batch_size=7)
    store.close()
    return db


def _contents(db: Path) -> dict[str, pd.DataFrame]:
    store = Store(db, read_only=True)
    tables = {
        "documents": "SELECT doc_id, text_hash, published, origin, outlet FROM documents ORDER BY doc_id",
        "events": "SELECT * EXCLUDE (batch_id) FROM events ORDER BY event_id",
        "mentions": "SELECT * EXCLUDE (batch_id) FROM mentions ORDER BY ALL",
        # additive per batch (rows per batch until optimize() merges them): compare the sums
        "event_days": "SELECT dataset, source_country, target_country, date, quad_class,"
        " sum(events) AS events, sum(mentions) AS mentions,"
        " round(sum(goldstein_sum), 6) AS goldstein FROM event_days"
        " GROUP BY ALL ORDER BY ALL",
    }
    try:
        return {name: store.query(sql).reset_index(drop=True) for name, sql in tables.items()}
    finally:
        store.close()


def _assert_same_store(db: Path, reference: Path) -> None:
    got, expected = _contents(db), _contents(reference)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(got[name], frame, check_dtype=False, obj=name)


def test_same_store_as_single_process_and_rerun_changes_nothing(
    news: list[str], reference: Path, tmp_path: Path
) -> None:
    db = tmp_path / "scaled.duckdb"
    first = ingest_distributed(news, db, scheduler="threads", workers=2, partition_size=3, batch_size=4)
    assert first.ingest.documents_added == 23  # 20 sample + 3 (the copy is the same text)
    assert first.ingest.events_merged > 0
    # b/paper.txt, renamed paper~2 by the client, is coded again on a worker, not here
    assert first.renamed == 1 and first.coded_on_client == 0
    _assert_same_store(db, reference)
    assert "paper~2" in set(_contents(db)["documents"]["doc_id"])

    again = ingest_distributed(news, db, scheduler="threads", workers=2, partition_size=5)
    assert again.ingest.documents_added == 0 and again.ingest.events_added == 0
    assert again.ingest.documents_skipped == 24
    # workers skip what the store holds: nothing is parsed again
    assert again.sentences == 0 and again.coded_on_client == 0 and again.renamed == 1
    _assert_same_store(db, reference)


def _stored_documents(db: Path) -> int:
    if not db.exists():
        return 0
    store = Store(db, read_only=True, lock_timeout=10)
    try:
        return int(store.query("SELECT count(*) AS n FROM documents")["n"].item())
    finally:
        store.close()


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_store(news: list[str], reference: Path, tmp_path: Path) -> None:
    """kill -9 of `detente scale ingest` between committed batches; the rerun ends as a clean run."""
    db = tmp_path / "killed.duckdb"
    options = ["--db", str(db), "--scheduler", "synchronous", "--batch-size", "2", "--partition-size", "4"]
    args = [sys.executable, "-c", "from detente.cli import main; main()", "scale", "ingest", *news, *options]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            stored = _stored_documents(db)
            if stored >= 4:
                break
            time.sleep(0.02)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    at_kill = _stored_documents(db)
    assert 4 <= at_kill < 23, at_kill  # the kill landed mid-run
    resumed = ingest_distributed(news, db, scheduler="threads", workers=2, partition_size=5)
    assert resumed.ingest.documents_added == 23 - at_kill
    _assert_same_store(db, reference)
