"""Candidate recall of the trigger lexicon on gold sentences in ../shared (skipped when absent).

The thresholds sit a few points under the figures reported in docs/triggers.md: they guard
against a dictionary edit that silently loses whole families, not against noise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import spacy

from detente.coding.triggers import TriggerLexicon
from detente.coding.triggers.coverage import code_coverage, main, penta_class, penta_coverage, split_of

pytestmark = pytest.mark.shared


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_split_is_stable_and_about_seventy_thirty() -> None:
    ids = [f"cameo-example:{n:04d}" for n in range(2000)]
    parts = [split_of(i) for i in ids]
    assert parts == [split_of(i) for i in ids]
    assert 0.65 < parts.count("dev") / len(parts) < 0.75


def test_penta_classes_follow_the_phoenix_convention() -> None:
    assert [penta_class(c) for c in ("010", "0231", "036", "057", "061", "0874")] == [0, 0, 1, 1, 2, 2]
    assert [penta_class(c) for c in ("090", "1312", "161", "141", "154", "195", "2041")] == [
        3,
        3,
        3,
        4,
        4,
        4,
        4,
    ]


def test_cameo_manual_root_recall(shared_dir: Path) -> None:
    reports = code_coverage(
        _records(shared_dir / "eval" / "cameo_manual_examples.jsonl"), TriggerLexicon.load()
    )
    dev, heldout = reports["dev"], reports["heldout"]
    assert dev.records + heldout.records >= 270
    assert dev.rate("root_in_candidates") >= 0.80
    assert heldout.rate("root_in_candidates") >= 0.70
    assert dev.rate("code_in_candidates") >= 0.60
    assert dev.rate("top_root") >= 0.50


def test_conflibert_train_class_recall(shared_dir: Path) -> None:
    reports = penta_coverage(_records(shared_dir / "eval" / "conflibert_cameo_penta.jsonl"), split="train")
    train = reports["train"]
    assert train.records > 1300
    assert train.rate("class_in_candidates") >= 0.85


def test_command_reports_one_json_line_per_part(shared_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(shared_dir / "eval" / "cameo_manual_examples.jsonl")]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["part"] for line in lines] == ["dev", "heldout"]


def test_command_names_a_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"id": "x", "text": "a"}\n{not json\n', encoding="utf-8")
    assert main([str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert "gold.jsonl line 2" in err and "\n" not in err
    assert main([str(tmp_path / "absent.jsonl")]) == 2


def test_example_article_offers_what_a_careful_reader_sees(shared_dir: Path) -> None:
    article = shared_dir / "examples" / "articles" / "pakistan-iran-turnaround-2024.txt"
    text = article.read_text(encoding="utf-8")
    codes = {m.code for m in TriggerLexicon.load().match(spacy.blank("en").make_doc(text))}
    # missile strike, retaliation, restored ties, joint statement, visits, liaison officers, intelligence
    assert {"195", "190", "050", "019", "042", "062", "064"} <= codes
