"""``detente serve``: prints its URL and answers there; a missing store or a bad port: one line, exit 2."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from detente.cli import main
from test_web_api import build_store

SERVE = [sys.executable, "-u", "-c", "from detente.cli import main; main()", "serve"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_cli(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """``detente ARGS`` in this process: (exit status, stderr)."""
    monkeypatch.setattr(sys, "argv", ["detente", *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    return int(stopped.value.code or 0), capsys.readouterr().err


def test_missing_store_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothing.duckdb"
    status, err = run_cli(["serve", "--db", str(missing)], monkeypatch, capsys)
    assert status == 2
    assert err.count("\n") == 1 and str(missing) in err and "no event store there" in err
    assert not missing.exists()  # refusing does not create an empty store


def test_a_file_that_is_not_a_store_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n", encoding="utf-8")
    status, err = run_cli(["serve", "--db", str(notes)], monkeypatch, capsys)
    assert status == 2 and err.count("\n") == 1 and str(notes) in err
    assert notes.read_text(encoding="utf-8") == "not a database\n"


def test_bad_port_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = build_store(tmp_path / "events.duckdb")
    status, err = run_cli(["serve", "--db", str(db), "--port", "70000"], monkeypatch, capsys)
    assert status == 2 and "--port 70000" in err and err.count("\n") == 1
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status, err = run_cli(["serve", "--db", str(db), "--port", str(port)], monkeypatch, capsys)
    assert status == 2 and f"--port {port}" in err and err.count("\n") == 1


@pytest.mark.network
def test_serve_prints_its_url_and_answers(tmp_path: Path) -> None:
    db = build_store(tmp_path / "events.duckdb")
    port = free_port()
    server = subprocess.Popen(
        [*SERVE, "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        url = f"http://127.0.0.1:{port}/"
        assert url in first and str(db) in first
        for _ in range(100):  # uvicorn binds a moment after the line is printed
            try:
                response = httpx.get(url + "api/stats", timeout=2)
                break
            except httpx.TransportError:
                if server.poll() is not None:
                    pytest.fail(f"serve exited: {server.stderr.read() if server.stderr else ''}")
                time.sleep(0.1)
        else:
            pytest.fail("serve did not answer")
        assert response.status_code == 200 and response.json()["events"] > 0
    finally:
        server.terminate()
        server.wait(timeout=10)
