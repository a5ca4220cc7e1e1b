"""`detente code`: formats with the shared field names, atomic output, one line per problem, exit status."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from detente.cameo import lookup
from detente.cli import app, coding_commands
from detente.cli.coding_commands import OutputFormat, _LazyProgress, write_events
from detente.record import EVENT_FIELDS, Document, Event
from detente.sources import sample_documents, sample_path

ARTICLE = (
    "Iran's foreign minister visited Islamabad on Monday, 29 January 2024, and met Pakistan's foreign "
    "minister. Pakistan and Iran agreed to post liaison officers in each other's countries."
)

runner = CliRunner()


def code(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["code", *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def sample_jsonl() -> list[dict[str, object]]:
    status, out, err = code(str(sample_path()), "--format", "jsonl")
    assert status == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_jsonl_records_have_exactly_the_event_fields(sample_jsonl: list[dict[str, object]]) -> None:
    assert len(sample_jsonl) > len(sample_documents())  # the sample is full of events
    sample_ids = {doc.doc_id for doc in sample_documents()}
    for record in sample_jsonl:
        assert tuple(record) == EVENT_FIELDS
        assert record["doc_id"] in sample_ids
        assert lookup(str(record["cameo"])).goldstein == record["goldstein"]


def test_csv_header_is_event_fields_and_rows_match_jsonl(
    tmp_path: Path, sample_jsonl: list[dict[str, object]]
) -> None:
    out = tmp_path / "events.csv"  # the suffix chooses the format
    status, stdout, _ = code(str(sample_path()), "--out", str(out))
    assert status == 0 and stdout == ""
    with out.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == EVENT_FIELDS
        rows = list(reader)
    assert [row["event_id"] for row in rows] == [record["event_id"] for record in sample_jsonl]
    assert [tmp.name for tmp in tmp_path.iterdir()] == ["events.csv"]  # no temporary file left


def test_table_format(tmp_path: Path) -> None:
    out = tmp_path / "events.txt"
    status, _, _ = code(str(sample_path()), "--format", "table", "--out", str(out))
    assert status == 0
    text = out.read_text(encoding="utf-8")
    assert "event(s)" in text and "evidence" in text and "\x1b[" not in text


def test_no_progress_bar_or_escape_codes_when_not_a_terminal() -> None:
    status, out, err = code(str(sample_path()))
    assert status == 0
    assert "\x1b[" not in err and "\x1b[" not in out
    assert all(line.startswith("{") for line in out.splitlines())
    assert err.count("\n") == 1 and err.startswith("detente: coded 20 document(s) into ")


def test_quiet_prints_nothing_on_stderr() -> None:
    status, _, err = code(str(sample_path()), "--quiet")
    assert status == 0 and err == ""


def test_bad_inputs_are_one_line_each_and_the_rest_is_coded(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    status, out, err = code(str(tmp_path / "missing.txt"), str(empty), str(binary), str(good), "-q")
    assert status == 0
    assert err.splitlines() == [
        f"detente: {tmp_path / 'missing.txt'}: no such file or directory (skipped)",
        f"detente: {empty}: empty file (skipped)",
        f"detente: {binary}: binary file, not text (skipped)",
    ]
    assert {json.loads(line)["doc_id"] for line in out.splitlines()} == {"good"}


def test_nothing_readable_exits_2_and_writes_no_output(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "events.jsonl"
    status, stdout, err = code(str(empty), "--out", str(out))
    assert status == 2 and stdout == ""
    assert err.splitlines()[-1].startswith("detente: error: nothing could be read")
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == [empty]


def test_failure_midway_leaves_the_previous_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "events.jsonl"
    out.write_text("previous run\n", encoding="utf-8")

    def failing_coder(model: str | None) -> object:
        def run(documents: Iterable[Document]) -> Iterator[Event]:
            for number, document in enumerate(documents):
                if number == 3:
                    raise OSError("disk full")
                yield from ()
                del document

        return run

    monkeypatch.setattr(coding_commands, "_coder", failing_coder)
    result = runner.invoke(app, ["code", str(sample_path()), "--out", str(out)])
    assert isinstance(result.exception, OSError)
    assert out.read_text(encoding="utf-8") == "previous run\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.jsonl"]


def test_stdin_and_published_fallback() -> None:
    status, out, _ = code("-", "--published", "2024-01-30", "-q", stdin=ARTICLE)
    assert status == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records and {r["doc_id"] for r in records} == {"stdin"}
    assert all(r["date"] is not None and r["date"] <= "2024-01-30" for r in records)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published", "30/01/2024"], "detente: error: --published: '30/01/2024' is not a date"),
        (["--out", "/no/such/folder/out.jsonl"], "detente: error: --out /no/such/folder/out.jsonl: folder"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    status, out, err = code(str(sample_path()), *args)
    assert status == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_output_that_is_also_an_input_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(json.dumps({"id": "a", "text": ARTICLE}) + "\n", encoding="utf-8")
    status, _, err = code(str(path), "--out", str(path))
    assert status == 2 and "is also an input" in err
    assert json.loads(path.read_text(encoding="utf-8"))["id"] == "a"


def _event(number: int, target: str | None) -> Event:
    cameo = lookup("042")
    return Event(
        event_id=f"e{number}",
        doc_id="d",
        date="2024-01-29",
        date_precision="day",
        date_basis="stated",
        source_country="IRN",
        source_sector="DIP",
        source_text="Iran's foreign minister",
        target_country=target,
        target_sector=None,
        target_text="Islamabad",
        cameo=cameo.code,
        cameo_root=cameo.root,
        cameo_label=cameo.label,
        plover=cameo.plover,
        goldstein=cameo.goldstein,
        quad_class=cameo.quad_class,
        modality="asserted",
        sentence='He said "yes", then, left.',
        char_start=0,
        char_end=10,
        rule="test",
        confidence=0.9,
    )


def test_write_events_csv_quotes_and_blanks_none() -> None:
    stream = io.StringIO()
    assert write_events([_event(1, "PAK"), _event(2, None)], stream, OutputFormat.csv) == 2
    rows = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert rows[0]["sentence"] == 'He said "yes", then, left.'
    assert rows[1]["target_country"] == "" and rows[1]["target_sector"] == ""


def test_write_events_jsonl_keeps_none_as_null() -> None:
    stream = io.StringIO()
    write_events([_event(1, None)], stream, OutputFormat.jsonl)
    record = json.loads(stream.getvalue())
    assert tuple(record) == EVENT_FIELDS and record["target_country"] is None


def test_progress_starts_only_with_a_second_document_on_a_terminal() -> None:
    docs = [Document(doc_id=str(n), text=ARTICLE) for n in range(3)]
    terminal = Console(file=io.StringIO(), force_terminal=True)
    single = _LazyProgress(terminal, enabled=True)
    assert [d.doc_id for d in single.count(docs[:1])] == ["0"]
    assert single._progress is None
    several = _LazyProgress(terminal, enabled=True)
    seen = []
    for _doc in several.count(docs):
        seen.append(several._progress is not None)
    several.stop()
    assert seen == [False, True, True] and several.documents == 3
    piped = _LazyProgress(Console(file=io.StringIO(), force_terminal=False), enabled=True)
    list(piped.count(docs))
    assert piped._progress is None
    quiet = _LazyProgress(terminal, enabled=False)
    list(quiet.count(docs))
    assert quiet._progress is None


def test_unknown_model_is_one_line_and_exit_2() -> None:
    status, out, err = code(str(sample_path()), "--model", "no_such_spacy_model")
    assert status == 2 and out == ""
    assert err.startswith("detente: error: ") and "no_such_spacy_model" in err and err.count("\n") == 1


def test_console_script_never_prints_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    binary = tmp_path / "blob.html"
    binary.write_bytes(bytes(range(256)) * 10)
    result = subprocess.run(
        [sys.executable, "-c", "from detente.cli import main; main()", "code", str(binary)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"detente: {binary}: binary file, not HTML (skipped)",
        "detente: error: nothing could be read (1 input(s) skipped, see above)",
    ]
