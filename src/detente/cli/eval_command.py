"""`detente eval`: score the coder against gold event files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from detente.cli.app import app
from detente.errors import InputError

_SPLITS = {"all": "all", "dev": "dev", "train": "dev", "test": "test", "held-out": "test"}


# Keys that carry the expected events in the gold formats of ../shared/eval/README.md. A file with none of
# them (a news corpus, or the actor-resolution set) would otherwise be scored as "no events expected":
# every coded event a false positive.
_GOLD_KEYS = ("expected_events", "expected_code", "plover_event_2021", "penta_class")


def _check_gold_file(path: Path) -> None:
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a gold JSONL file")
    if not path.is_file():
        return  # the reader names a missing file
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    return  # the reader names the line
                if isinstance(record, dict) and any(key in record for key in _GOLD_KEYS):
                    return
    except (UnicodeDecodeError, OSError):
        return  # the reader reports unreadable files
    raise InputError(f"{path}: not an event gold file: no record has any of {', '.join(_GOLD_KEYS)}")


def _percent(value: float) -> str:
    return f"{100 * value:.1f}"


@app.command("eval")
def eval_command(
    gold: Annotated[
        list[Path], typer.Argument(help="Gold JSONL file(s) in the formats of ../shared/eval/README.md.")
    ],
    split: Annotated[
        str,
        typer.Option(
            help="all, dev (= train) or test (= held-out: ConfliBERT's test split, 30% of the others)."
        ),
    ] = "all",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the scores as JSON instead of tables.")
    ] = False,
    model: Annotated[
        str | None, typer.Option(help="spaCy model to parse with (default: the installed English model).")
    ] = None,
) -> None:
    """Precision, recall and F1 of the coder at (source country, target country, CAMEO root)."""
    from detente.coding.evaluate import evaluate_file

    chosen = _SPLITS.get(split.lower())
    if chosen is None:
        raise InputError(f"--split {split!r}: expected one of all, dev, train, test")
    for path in gold:
        _check_gold_file(path)
    reports = [evaluate_file(path, split=chosen, model=model) for path in gold]
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in reports], indent=2))
        return
    console = Console()
    for report in reports:
        data = report.as_dict()
        title = f"{report.gold} ({report.split}, {report.records} records, scheme {report.scheme})"
        summary = Table(title=title, show_lines=False)
        for column in ("level", "P %", "R %", "F1 %", "TP", "FP", "FN"):
            summary.add_column(column, justify="right" if column != "level" else "left")
        levels = [("source, target, " + ("PLOVER" if report.scheme == "plover" else "root"), report.triples)]
        if report.scheme not in ("penta", "cameo-code-only"):
            levels.append(("source, target (dyad)", report.dyads))
            levels.append(("event type only", report.labels_only))
        if report.with_modality is not None:
            levels.append(("+ modality", report.with_modality))
        if report.with_date is not None:
            levels.append(("+ date", report.with_date))
        if report.scheme != "penta":
            for name, counts in levels:
                summary.add_row(
                    name, _percent(counts.precision), _percent(counts.recall), _percent(counts.f1),
                    str(counts.tp), str(counts.fp), str(counts.fn),
                )  # fmt: skip
            console.print(summary)
            console.print(f"records coded exactly: {report.records_exact}/{report.records}")
        if report.penta is not None:
            penta = Table(title=title)
            for column in ("accuracy %", "macro-F1 %", "coverage %", "accuracy when coded %"):
                penta.add_column(column, justify="right")
            penta.add_row(
                _percent(report.penta["accuracy"]), _percent(report.penta["macro_f1"]),
                _percent(report.penta["coverage"]), _percent(report.penta["accuracy_when_coded"]),
            )  # fmt: skip
            console.print(penta)
        per = Table(title="per " + ("class" if report.scheme == "penta" else "event type"))
        for column in ("type", "gold", "coded", "P %", "R %", "F1 %", "most often coded as"):
            per.add_column(
                column, justify="right" if column not in ("type", "most often coded as") else "left"
            )
        for label, counts in sorted(report.per_label.items()):
            confused = [
                f"{c['coded']} ({c['count']})"
                for c in data["confusions"]
                if c["gold"] == label and c["coded"] != label
            ][:3]
            per.add_row(
                label, str(counts.tp + counts.fn), str(counts.tp + counts.fp), _percent(counts.precision),
                _percent(counts.recall), _percent(counts.f1), ", ".join(confused),
            )  # fmt: skip
        console.print(per)
