"""kill -9 during `import` and `ingest` loses nothing committed and doubles nothing; readers during writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from detente.store import Store

pytestmark = [pytest.mark.slow, pytest.mark.shared]

INGEST_SCRIPT = textwrap.dedent("""
    import sys, time
    from detente.record import Document, Event
    from detente.store import Store, ingest

    def coder(docs):
        print("coding", flush=True)  # the test kills on these lines, inside or between batches
        time.sleep(0.05)
        for d in docs:
            number = int(d.doc_id[1:])
            yield Event(
                event_id=d.doc_id + "-e", doc_id=d.doc_id, date=f"2024-01-{1 + (number // 3) * 4:02d}",
                date_precision="day", date_basis="stated", source_country="IRN", source_sector="",
                source_text="Iran", target_country="PAK", target_sector="", target_text="Pakistan",
                cameo="195", cameo_root="19", cameo_label="x", plover="ASSAULT", goldstein=-10.0,
                quad_class=4, modality="asserted", sentence=d.text, char_start=0, char_end=5,
                rule="t", confidence=1.0)

    docs = [Document(f"d{i}", f"report {i} on the strike") for i in range(24)]
    report = ingest(docs, Store(sys.argv[1]), code=coder, batch_size=2)
    print(report.documents_added, flush=True)
""")


DETENTE = [sys.executable, "-c", "from detente.cli import main; main()"]


def counts(path: Path) -> tuple[int, ...]:
    frame = Store(path, read_only=True).query(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM events),"
        " (SELECT count(*) FROM mentions), (SELECT coalesce(sum(mentions), 0) FROM events),"
        " (SELECT coalesce(sum(events), 0) FROM event_days),"
        " (SELECT count(*) FROM sources WHERE status = 'done')"
    )
    return tuple(int(v or 0) for v in frame.iloc[0].tolist())


def run(args: list[str]) -> None:
    assert (
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120).returncode
        == 0
    )


def kill_ingest_after(args: list[str], batches: int, pause: float) -> None:
    """Start the job, wait until it is coding batch ``batches``, wait ``pause`` more, kill -9."""
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    seen = 0
    while seen < batches and process.stdout.readline():
        seen += 1
    time.sleep(pause)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def kill_import_after(args: list[str], db: Path, files_done: int) -> None:
    """Start the import, watch its committed files as a reader, kill -9 once ``files_done`` are in."""
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None:
        if db.exists():
            done = (
                Store(db, read_only=True, lock_timeout=10)
                .query("SELECT count(*) AS n FROM sources WHERE status = 'done'")["n"]
                .item()
            )
            if done >= files_done:
                break
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


def test_ingest_killed_at_several_points_then_rerun_matches_a_clean_run(tmp_path: Path) -> None:
    script = tmp_path / "ingest_job.py"
    script.write_text(INGEST_SCRIPT)
    clean = tmp_path / "clean.duckdb"
    run([sys.executable, str(script), str(clean)])
    expected = counts(clean)
    assert expected[0] == 24 and expected[1] < 24  # reports merged into fewer events
    partial = []
    # While coding (before the batch's transaction), right after, and in a later batch.
    for batches, pause in ((2, 0.0), (4, 0.06), (9, 0.03)):
        crashed = tmp_path / f"crashed-{batches}.duckdb"
        kill_ingest_after([sys.executable, str(script), str(crashed)], batches, pause)
        partial.append(counts(crashed)[0])
        run([sys.executable, str(script), str(crashed)])
        # Batch counts differ (the crash split the work); the data must not.
        assert counts(crashed)[:5] == expected[:5], batches
    assert all(0 < documents < 24 for documents in partial), partial  # the kills landed mid-run


def split_real_export(shared_dir: Path, folder: Path, parts: int) -> list[Path]:
    lines = (shared_dir / "data" / "real" / "gdelt2_20191024143000.export.CSV").read_bytes().splitlines(True)
    folder.mkdir()
    paths = []
    for number in range(parts):
        path = folder / f"part{number:02d}.export.CSV"
        path.write_bytes(b"".join(lines[number::parts]))
        paths.append(path)
    return paths


def test_import_killed_at_several_points_then_rerun_matches_a_clean_run(
    shared_dir: Path, tmp_path: Path
) -> None:
    files = [str(p) for p in split_real_export(shared_dir, tmp_path / "parts", 10)]
    clean = tmp_path / "clean.duckdb"
    run([*DETENTE, "import", "gdelt2", *files, "--db", str(clean)])
    expected = counts(clean)
    assert expected[1] == 2111
    partial = []
    for files_done in (1, 4, 8):
        crashed = tmp_path / f"crashed-{files_done}.duckdb"
        kill_import_after([*DETENTE, "import", "gdelt2", *files, "--db", str(crashed)], crashed, files_done)
        partial.append(counts(crashed)[1])
        run([*DETENTE, "import", "gdelt2", *files, "--db", str(crashed)])
        assert counts(crashed) == expected, files_done
    assert all(0 < events < 2111 for events in partial), partial  # the kills landed mid-run


def test_readers_see_committed_batches_while_a_writer_imports(shared_dir: Path, tmp_path: Path) -> None:
    files = [str(p) for p in split_real_export(shared_dir, tmp_path / "parts", 24)]
    path = tmp_path / "shared.duckdb"
    Store(path).close()
    writer = subprocess.Popen(
        [*DETENTE, "import", "gdelt2", *files, "--db", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    seen: list[int] = []
    try:
        while writer.poll() is None:
            reader = Store(path, read_only=True, lock_timeout=30)
            seen.append(int(reader.query("SELECT count(*) AS n FROM events")["n"].item()))
    finally:
        assert writer.wait(timeout=120) == 0
    seen.append(int(Store(path, read_only=True).query("SELECT count(*) AS n FROM events")["n"].item()))
    assert seen == sorted(seen) and seen[-1] == 2111
    assert len(seen) > 2
