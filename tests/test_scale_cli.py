"""`detente scale ingest`: bad input is one line and exit 2 with no store; a tcp:// cluster codes it all."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente.cli import app, main
from detente.sources import sample_path
from detente.store import Store


def _run_main(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["detente", "scale", "ingest", *args])
    with pytest.raises(SystemExit) as stop:
        main()
    code = stop.value.code
    return code if isinstance(code, int) else 1, capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "nothing could be read from"),
        (
            ["--scheduler", "tcp://127.0.0.1:{port}", "--connect-timeout", "0.5"],
            "cannot reach the Dask scheduler",
        ),
        (["--scheduler", "yarn"], "--scheduler 'yarn': expected processes, threads, synchronous"),
        (["--workers", "0"], "--workers 0: must be 1 or more"),
        (["--partition-size", "0"], "--partition-size 0: must be 1 or more"),
        (["--published", "yesterday"], "--published: 'yesterday' is not a date"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_no_store(
    extra: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = tmp_path / "never.duckdb"
    missing = tmp_path / "missing.txt"
    options = [value.format(port=_free_port()) for value in extra]
    if "--scheduler" not in options:
        options += ["--scheduler", "synchronous"]
    code, err = _run_main([str(missing), "--db", str(db), *options], monkeypatch, capsys)
    assert code == 2
    errors = [line for line in err.splitlines() if line.startswith("detente: error:")]
    assert len(errors) == 1 and message in errors[0], err
    assert "Traceback" not in err
    assert not db.exists()


def test_local_dask_cluster_over_tcp(tmp_path: Path) -> None:
    """A dask.distributed cluster on 127.0.0.1 started here codes the sample; the store is as expected."""
    distributed = pytest.importorskip("distributed")
    db = tmp_path / "cluster.duckdb"
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        runner = CliRunner()
        args = ["scale", "ingest", str(sample_path()), "--db", str(db), "--scheduler", address]
        first = runner.invoke(app, [*args, "--partition-size", "6"])
        assert first.exit_code == 0, first.output
        assert "20 documents stored (0 already stored)" in first.stdout
        again = runner.invoke(app, args)
        assert again.exit_code == 0, again.output
        assert "0 documents stored (20 already stored), 0 new events" in again.stdout
    store = Store(db, read_only=True)
    counts = store.query("SELECT (SELECT count(*) FROM documents) AS d, (SELECT count(*) FROM events) AS e")
    store.close()
    assert counts["d"][0] == 20 and counts["e"][0] > 100


def test_scheduler_without_workers_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    distributed = pytest.importorskip("distributed")
    db = tmp_path / "never.duckdb"
    with distributed.LocalCluster(
        n_workers=0, processes=False, protocol="tcp://", host="127.0.0.1", dashboard_address=None
    ) as cluster:
        args = [str(sample_path()), "--db", str(db), "--scheduler", cluster.scheduler_address]
        code, err = _run_main([*args, "--connect-timeout", "0.5"], monkeypatch, capsys)
    assert code == 2
    assert err.strip().splitlines() == [
        f"detente: error: --scheduler {cluster.scheduler_address}: the scheduler has no workers"
        f" (start some with `dask worker {cluster.scheduler_address}`)"
    ]
    assert not db.exists()
