"""Regression tests from a new user's session: every failure is one line on stderr and exit 2, and a failing
command leaves nothing behind (no empty store, no empty export folder, no partial output file)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import detente.cli
from detente.cli import main
from detente.store import Store


def run(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """Run the console entry point as the shell would; (exit status, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["detente", *args])
    monkeypatch.delenv("DETENTE_DB", raising=False)
    with pytest.raises(SystemExit) as raised:
        main()
    captured = capsys.readouterr()
    code = raised.value.code
    return (code if isinstance(code, int) else (0 if code is None else 1)), captured.out, captured.err


def one_error_line(err: str, *needles: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err
    assert lines, "no error message"
    assert lines[-1].startswith("detente: error: "), lines[-1]
    for needle in needles:
        assert needle in lines[-1], (needle, lines[-1])


def one_event_store(path: Path) -> None:
    import pandas as pd

    row = {
        "event_id": "e1",
        "date": "2024-01-16",
        "source_country": "IRN",
        "source_sector": "MIL",
        "target_country": "PAK",
        "cameo": "195",
        "cameo_root": "19",
        "goldstein": -10.0,
        "quad_class": 4,
    }
    with Store(path) as store:
        store.add_events(pd.DataFrame([row]), dataset="qa")


@pytest.fixture
def empty_store(tmp_path: Path) -> Path:
    path = tmp_path / "empty.duckdb"
    Store(path).close()
    return path


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "plain.txt"
    path.write_text("not a folder\n", encoding="utf-8")
    return path


def test_code_unwritable_out_is_one_line(
    tmp_path: Path, a_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Iran fired missiles into Pakistan on 16 January 2024.\n", encoding="utf-8")
    out = a_file / "events.csv"  # its "folder" is a file: cannot be created
    code, _, err = run(["code", str(article), "--out", str(out), "-q"], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, str(out), "cannot write")


def test_code_out_with_unknown_suffix_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Iran fired missiles into Pakistan on 16 January 2024.\n", encoding="utf-8")
    out = tmp_path / "events.parquet"
    code, _, err = run(["code", str(article), "--out", str(out)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, "events.parquet", ".parquet", "--format")
    assert not out.exists()


def test_code_unsupported_url_scheme_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(["code", "ftp://example.org/story.txt"], capsys, monkeypatch)
    assert code == 2
    assert "ftp://example.org/story.txt: ftp:// URLs are not supported" in err
    assert "no such file" not in err
    one_error_line(err, "nothing could be read")


@pytest.mark.parametrize(
    ("extra", "needles"),
    [
        (["--from", "2020-01-01", "--to", "2019-01-01"], ["--to 2019-01-01", "before --from 2020-01-01"]),
        (["--from", "2024-13-01"], ["--from '2024-13-01'", "YYYY-MM-DD"]),
        (["--limit", "-5"], ["--limit -5"]),
        (["--dyad", "IRAN", "PAK"], ["'IRAN'", "IRN"]),
        (["--actor", "XYZ"], ["'XYZ'"]),
    ],
)
def test_events_bad_arguments(
    extra: list[str],
    needles: list[str],
    empty_store: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = run(["events", "--db", str(empty_store), *extra], capsys, monkeypatch)
    assert code == 2
    assert out == ""
    one_error_line(err, *needles)


def test_events_out_problems(
    tmp_path: Path,
    empty_store: Path,
    a_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = ["--db", str(empty_store)]
    code, _, err = run(["events", *db, "--format", "csv", "--out", str(tmp_path)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, "is a folder")
    bad = a_file / "x.parquet"
    code, _, err = run(["events", *db, "--format", "parquet", "--out", str(bad)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, str(bad))
    missing = tmp_path / "nowhere" / "x.csv"
    code, _, err = run(["events", *db, "--format", "csv", "--out", str(missing)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, "does not exist")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_events_out_written_whole(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "one.duckdb"
    one_event_store(db)
    out = tmp_path / f"events.{fmt}"
    code, _, err = run(["events", "--db", str(db), "--format", fmt, "--out", str(out)], capsys, monkeypatch)
    assert code == 0, err
    assert "1 events" in err
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    if fmt == "csv":
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("event_id,") and lines[1].startswith("e1,")
    elif fmt == "jsonl":
        record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        assert record["event_id"] == "e1" and record["date"] == "2024-01-16"
    else:
        import pandas as pd

        assert pd.read_parquet(out)["event_id"].tolist() == ["e1"]


def test_events_table_names_the_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "one.duckdb"
    one_event_store(db)
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(["events", "--db", str(db)], capsys, monkeypatch)
    assert code == 0
    # At 80 columns the codes, the dates and the sides must be whole, not "sou…".
    assert "2024-01-16" in out and "IRN MIL" in out and "PAK" in out and "195" in out
    assert "…" not in out


def test_export_refuses_a_file_and_leaves_nothing_without_a_store(
    tmp_path: Path,
    a_file: Path,
    empty_store: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, _, err = run(["export", "--out", str(a_file), "--db", str(empty_store)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, str(a_file), "is a file")
    folder = tmp_path / "export"
    code, _, err = run(
        ["export", "--out", str(folder), "--db", str(tmp_path / "none.duckdb")], capsys, monkeypatch
    )
    assert code == 2
    one_error_line(err, "no event store there")
    assert not folder.exists()
    unwritable = a_file / "export"
    db = tmp_path / "one.duckdb"
    one_event_store(db)
    code, _, err = run(["export", "--out", str(unwritable), "--db", str(db)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, "cannot create the folder")


def test_optimize_does_not_create_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "typo.duckdb"
    code, _, err = run(["optimize", "--db", str(db)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, "no event store there")
    assert not db.exists()


def test_ingest_of_nothing_readable_creates_no_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "news.duckdb"
    missing = tmp_path / "missing.txt"
    code, _, err = run(["ingest", str(missing), "--db", str(db)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, "nothing could be read", str(missing))
    assert f"{missing}: no such file or directory (skipped)" in err
    assert "skipped skipped" not in err and "skipped " + str(missing) not in err
    assert not db.exists()


@pytest.mark.parametrize(("option", "value"), [("--batch-size", "0"), ("--dedup-window", "-1")])
def test_ingest_bad_numbers(
    option: str,
    value: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "news.duckdb"
    code, _, err = run(["ingest", str(tmp_path), option, value, "--db", str(db)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, f"{option} {value}")
    assert not db.exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["import", "gdelt2", "missing.CSV"], "missing.CSV: no such file"),
        (["import", "icews", "missing.tab"], "missing.tab: no such file"),
        (["import", "dyad-series", "missing.csv.gz"], "missing.csv.gz: no such file"),
        (["import", "gdelt2", "--from", "2024-01-18", "--to", "2024-01-16"], "before --from 2024-01-18"),
        (["import", "gdelt1", "--from", "2024-13-01", "--to", "2024-01-16"], "--from '2024-13-01'"),
    ],
)
def test_import_failures_create_no_store(
    args: list[str],
    needle: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "history.duckdb"
    code, _, err = run([*args, "--db", str(db)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, needle)
    assert not db.exists()


def test_eval_refuses_a_folder_and_a_news_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(["eval", str(tmp_path)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, str(tmp_path), "is a folder")
    news = tmp_path / "news.jsonl"
    news.write_text(
        json.dumps({"id": "n1", "text": "Iran fired missiles into Pakistan."}) + "\n", encoding="utf-8"
    )
    code, out, err = run(["eval", str(news)], capsys, monkeypatch)
    assert code == 2
    assert out == ""
    one_error_line(err, str(news), "not an event gold file")


def test_main_turns_an_os_error_into_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_app(**_: object) -> None:
        raise PermissionError(13, "Permission denied", "/srv/report.html")

    monkeypatch.setattr(detente.cli, "app", failing_app)
    with pytest.raises(SystemExit) as raised:
        main()
    assert raised.value.code == 2
    assert capsys.readouterr().err == "detente: error: /srv/report.html: Permission denied\n"


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["events", "--format", "xml"], ["'--format'", "'xml'", "detente events --help"]),
        (["import", "xyz"], ["No such command 'xyz'", "detente import --help"]),
        (["index"], ["Missing option '--dyad'", "detente index --help"]),
        (["events", "--limit", "abc"], ["'--limit'"]),
    ],
)
def test_usage_mistakes_are_one_line(
    args: list[str], needles: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(args, capsys, monkeypatch)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "╭" not in err
    one_error_line(err, *needles)


def test_help_and_success_keep_their_exit_status(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(["--help"], capsys, monkeypatch)
    assert code == 0 and "Usage" in out
    code, out, _ = run(["version"], capsys, monkeypatch)
    assert code == 0 and out.strip()


def test_export_of_no_events_is_an_error_not_an_empty_folder(
    tmp_path: Path, empty_store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "export"
    code, _, err = run(["export", "--out", str(folder), "--db", str(empty_store)], capsys, monkeypatch)
    assert code == 2
    one_error_line(err, "no events to export")
    assert not folder.exists()
    db = tmp_path / "one.duckdb"
    one_event_store(db)
    code, _, err = run(
        ["export", "--out", str(folder), "--dataset", "icews", "--db", str(db)], capsys, monkeypatch
    )
    assert code == 2
    one_error_line(err, "no icews events to export; it holds qa")
    assert not folder.exists()
    code, out, err = run(["export", "--out", str(folder), "--db", str(db)], capsys, monkeypatch)
    assert code == 0, err
    assert "1 events" in out
    assert [p.name for p in folder.iterdir()] == ["year=2024"]
