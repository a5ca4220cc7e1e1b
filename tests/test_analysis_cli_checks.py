"""Analysis commands refuse bad counts, folders and unwritable outputs in one line, before any work."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import detente.cli.analysis_commands as commands
from detente.cli import app
from detente.store import Store
from test_analysis_cli import db  # noqa: F401  (the module-scoped synthetic store fixture)
from test_qa_cli_errors import one_error_line, run


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["turnarounds", "--top", "-1"], "--top -1"),
        (["turnarounds", "--top", "0"], "--top 0"),
        (["turnarounds", "--min-hostile-days", "0"], "--min-hostile-days 0"),
        (["turnarounds", "--min-depth", "-2"], "--min-depth -2"),
        (["isolation", "PAK", "--partners", "0"], "--partners 0"),
        (["network", "--min-days", "-3"], "--min-days -3"),
        (["realign", "PAK", "--away-from", "IRN", "--toward", "USA", "--min-shift", "0"], "--min-shift 0"),
    ],
)
def test_counts_below_their_minimum_are_refused(
    db: Path,  # noqa: F811
    args: list[str],
    needle: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = run([*args, "--db", str(db)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, needle)
    assert out == ""


def test_check_refuses_a_folder(
    db: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "a.txt").write_text("Iran struck Pakistan on 16 January 2024.\n", encoding="utf-8")
    code, _, err = run(["check", str(tmp_path), "--db", str(db)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, str(tmp_path), "folder")


COMMANDS = [
    ["index", "--dyad", "IRN", "PAK"],
    ["turnarounds"],
    ["realign", "PAK", "--away-from", "IRN", "--toward", "USA"],
    ["isolation", "PAK"],
    ["network"],
]


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (command, option)
        for command in COMMANDS
        for option in ("--json", "--csv", "--chart")
        if not (option == "--chart" and command[0] == "isolation")  # isolation draws no chart
    ],
)
def test_unwritable_outputs_are_refused_before_the_work(
    db: Path,  # noqa: F811
    tmp_path: Path,
    command: list[str],
    option: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "plain.txt"
    blocker.write_text("a file, not a folder\n", encoding="utf-8")
    target = blocker / "out" / "result.json"
    # A --json written after the work would show the work was done: it must not be.
    done = tmp_path / "done.json"
    extra = ["--json", str(done)] if option != "--json" else []
    code, out, err = run([*command, "--db", str(db), option, str(target), *extra], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, option, "cannot write", str(blocker))
    assert out == "" and not done.exists()


def test_report_out_unwritable_and_folder(
    db: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blocker = tmp_path / "plain.txt"
    blocker.write_text("x\n", encoding="utf-8")
    code, _, err = run(
        ["report", "--dyad", "IRN", "PAK", "--db", str(db), "--out", str(blocker / "r.html")],
        capsys,
        monkeypatch,
    )
    assert code == 2
    one_error_line(err, "--out", "cannot write")
    folder = tmp_path / "reports"
    folder.mkdir()
    code, _, _ = run(
        ["report", "--dyad", "irn", "PAK", "--db", str(db), "--out", str(folder)], capsys, monkeypatch
    )
    assert code == 0
    assert (folder / "report-IRN-PAK.html").is_file()
    assert not (tmp_path / "reports.html").exists()


def test_chart_into_a_folder_gets_a_default_name(db: Path, tmp_path: Path) -> None:  # noqa: F811
    runner = CliRunner()
    for args, name in (
        (["index", "--dyad", "IRN", "PAK"], "index-IRN-PAK"),
        (["turnarounds"], "turnarounds"),
        (["realign", "PAK", "--away-from", "IRN", "--toward", "USA"], "realign-PAK-IRN-USA"),
        (["network"], "network"),
    ):
        folder = tmp_path / name
        folder.mkdir()
        result = runner.invoke(app, [*args, "--db", str(db), "--chart", str(folder)])
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in folder.iterdir()) == [f"{name}.html", f"{name}.png"]
        assert not folder.with_suffix(".html").exists() and not folder.with_suffix(".png").exists()


def test_empty_store_names_ingest_and_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "empty.duckdb"
    Store(path).close()
    for command in (["turnarounds"], ["index", "--dyad", "IRN", "PAK"], ["network"]):
        code, _, err = run([*command, "--db", str(path)], capsys, monkeypatch)
        assert code == 2
        one_error_line(err, "holds no events", "detente ingest", "detente import")
        assert "detente code" not in err


def test_network_table_is_readable_at_100_columns(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    buffer = io.StringIO()
    monkeypatch.setattr(commands, "console", Console(file=buffer, width=100, color_system=None))
    result = CliRunner().invoke(app, ["network", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = buffer.getvalue().splitlines()
    assert all(len(line) <= 100 for line in lines)
    # The period and the size are on one line, not wrapped over a narrow table.
    header = next(line for line in lines if line.startswith("Signed network"))
    assert "countries" in header and "ties" in header
    assert any("IRN" in line and "PAK" in line for line in lines)


def test_demo_out_that_cannot_be_a_folder_is_refused_before_coding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "plain.txt"
    blocker.write_text("x\n", encoding="utf-8")
    code, out, err = run(["demo", "--out", str(blocker / "demo")], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, "--out", "cannot write")
    assert "coding" not in out
