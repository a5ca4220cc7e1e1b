"""Actor resolution scored against third-party gold (read from ../shared/eval, never copied in).

The floors are figures this lexicon has reached (docs/actors.md gives the measured values); they guard
against regressions, they are not targets tuned to these records.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.coding.actors import ActorLexicon
from detente.coding.actors.evaluation import evaluate_file, main
from detente.errors import InputError

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def lexicon() -> ActorLexicon:
    return ActorLexicon.load()


def test_ngec_actor_resolution(shared_dir: Path, lexicon: ActorLexicon) -> None:
    score = evaluate_file(shared_dir / "eval" / "ngec_actor_resolution.jsonl", lexicon)
    assert score.records > 250  # active records with an expected country
    assert score.country_accuracy >= 0.82, score.summary()
    assert score.country_sector_accuracy >= 0.69, score.summary()


def test_petrarch_actor_phrases(shared_dir: Path, lexicon: ActorLexicon) -> None:
    score = evaluate_file(shared_dir / "eval" / "petrarch2_pytest_cases.jsonl", lexicon)
    assert score.records == 9  # actor_phrase and actor_phrase_dated cases
    assert score.country_accuracy >= 0.85, score.summary()
    assert score.country_sector_accuracy >= 0.80, score.summary()


def test_bad_gold_files_are_named(tmp_path: Path, lexicon: ActorLexicon) -> None:
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "text": "Iran", "expected_country": "IRN"}\n{not json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.jsonl:2: not a JSON object"):
        evaluate_file(broken, lexicon)
    unknown = tmp_path / "other.jsonl"
    unknown.write_text('{"id": "x", "text": "Iran"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="neither NGEC actor records nor PETRARCH actor cases"):
        evaluate_file(unknown, lexicon)
    with pytest.raises(InputError, match="cannot read gold file"):
        evaluate_file(tmp_path / "missing.jsonl", lexicon)


def test_command_line(shared_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main([str(shared_dir / "eval" / "petrarch2_pytest_cases.jsonl")]) == 0
    assert "petrarch2_pytest_cases.jsonl: 9 records, country" in capsys.readouterr().out
    assert main([str(tmp_path / "missing.jsonl")]) == 2
    assert "error:" in capsys.readouterr().err
    assert main([]) == 2


def test_split_parts_add_up_to_the_whole(shared_dir: Path, lexicon: ActorLexicon) -> None:
    path = shared_dir / "eval" / "ngec_actor_resolution.jsonl"
    whole = evaluate_file(path, lexicon)
    dev = evaluate_file(path, lexicon, "dev")
    held_out = evaluate_file(path, lexicon, "test")
    assert dev.records + held_out.records == whole.records
    assert 0.2 < held_out.records / whole.records < 0.4  # the coder's 30% held out by id hash
    assert dev.country_right + held_out.country_right == whole.country_right


def test_unknown_split_is_a_clear_error(shared_dir: Path, lexicon: ActorLexicon) -> None:
    with pytest.raises(InputError, match="split 'train'"):
        evaluate_file(shared_dir / "eval" / "ngec_actor_resolution.jsonl", lexicon, "train")
    assert main([str(shared_dir / "eval" / "ngec_actor_resolution.jsonl"), "--split"]) == 2
