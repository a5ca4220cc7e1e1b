"""Gold readers and scores of `detente eval`, with a stand-in coder, plus one run on a ../shared gold set."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detente import cameo
from detente.cli import app
from detente.coding.evaluate import evaluate, penta_class, phoenix_country, read_gold, split_of
from detente.errors import InputError
from detente.record import Document, Event


def _event(doc_id: str, source: str, target: str, code: str, confidence: float = 0.9) -> Event:
    entry = cameo.lookup(code)
    return Event(
        event_id=f"{doc_id}-{source}-{target}-{code}", doc_id=doc_id, date=None, date_precision=None,
        date_basis=None, source_country=source, source_sector="", source_text=source, target_country=target,
        target_sector="", target_text=target, cameo=entry.code, cameo_root=entry.root,
        cameo_label=entry.label,
        plover=entry.plover, goldstein=entry.goldstein, quad_class=entry.quad_class, modality="asserted",
        sentence="", char_start=0, char_end=0, rule="test", confidence=confidence,
    )  # fmt: skip


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_phoenix_codes_to_countries() -> None:
    assert phoenix_country("USAGOV") == "USA"
    assert phoenix_country("IGOUNO") == "IGO"
    assert phoenix_country("---LEG") == "-"
    assert phoenix_country(None) == "-"


def test_penta_classes_follow_phoenix() -> None:
    assert [penta_class(r) for r in ("01", "03", "06", "12", "16", "14", "19")] == [0, 1, 2, 3, 3, 4, 4]


def test_split_is_deterministic_and_about_thirty_percent() -> None:
    ids = [f"x:{i}" for i in range(2000)]
    held_out = [i for i in ids if split_of(i) == "test"]
    assert held_out == [i for i in ids if split_of(i) == "test"]
    assert 0.25 < len(held_out) / len(ids) < 0.35


def test_triple_scores(tmp_path: Path) -> None:
    gold = _write(
        tmp_path / "gold.jsonl",
        [
            {"id": "petr2-gsr:a", "text": "A", "date": "2008-08-04",
             "expected_events": [{"source": "USAGOV", "target": "CHN", "code": "042"}]},
            {"id": "petr2-gsr:b", "text": "B", "date": "2008-08-04",
             "expected_events": [{"source": "RUS", "target": "GEO", "code": "190"}]},
            {"id": "petr2-gsr:c", "text": "C", "skip": True, "expected_events": []},
        ],
    )  # fmt: skip
    coded = {"petr2-gsr:a": [("USA", "CHN", "043")], "petr2-gsr:b": [("GEO", "RUS", "190")]}

    def fake(documents: Iterable[Document]) -> Iterator[Event]:
        for document in documents:
            for source, target, code in coded.get(document.doc_id, []):
                yield _event(document.doc_id, source, target, code)

    report = evaluate(read_gold(gold), fake)
    assert report.records == 2  # the skipped record is not scored
    assert (report.triples.tp, report.triples.fp, report.triples.fn) == (1, 1, 1)
    assert report.triples.precision == 0.5 and report.triples.recall == 0.5
    assert report.dyads.tp == 1 and report.labels_only.tp == 2
    assert report.confusions[("19", "none")] == 1 and report.confusions[("none", "19")] == 1
    assert report.records_exact == 1


def test_penta_scores(tmp_path: Path) -> None:
    gold = _write(
        tmp_path / "penta.jsonl",
        [
            {"id": "conflibert-cameo:test:0", "split": "test", "text": "x", "penta_class": 4},
            {"id": "conflibert-cameo:test:1", "split": "test", "text": "y", "penta_class": 1},
            {"id": "conflibert-cameo:train:0", "split": "train", "text": "z", "penta_class": 0},
        ],
    )

    def fake(documents: Iterable[Document]) -> Iterator[Event]:
        for document in documents:
            if document.doc_id.endswith("test:0"):
                yield _event(document.doc_id, "IRN", "PAK", "190")
                yield _event(document.doc_id, "IRN", "PAK", "042", confidence=0.5)

    report = evaluate(read_gold(gold), fake, split="test")
    assert report.records == 2 and report.penta is not None
    assert report.penta["accuracy"] == 0.5 and report.penta["coverage"] == 0.5


def test_bad_gold_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_gold(tmp_path / "missing.jsonl")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "a", "text": "x"}\n{not json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.jsonl:2: not valid JSON"):
        read_gold(broken)


@pytest.mark.shared
def test_eval_command_on_shared_gold(shared_dir: Path) -> None:
    gold = shared_dir / "eval" / "petrarch2_gsr_validation.jsonl"
    result = CliRunner().invoke(app, ["eval", str(gold), "--split", "test", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)[0]
    assert report["split"] == "test" and report["records"] > 10
    assert report["triples"]["tp"] > 0
    assert 0 < report["triples"]["precision"] <= 1
    tables = CliRunner().invoke(app, ["eval", str(gold), "--split", "dev"])
    assert tables.exit_code == 0, tables.output
    assert "source, target, root" in tables.output and "per event type" in tables.output


def test_modality_and_date_scored_where_the_gold_has_them(tmp_path: Path) -> None:
    gold = _write(
        tmp_path / "dated.jsonl",
        [
            {
                "id": "own:1",
                "text": "A",
                "date": "2024-01-24",
                "expected_events": [
                    {
                        "source": "IRN",
                        "target": "PAK",
                        "code": "195",
                        "modality": "asserted",
                        "date": "2024-01",
                    },
                    {
                        "source": "IRN",
                        "target": "PAK",
                        "code": "042",
                        "modality": "planned",
                        "date": "2024-01-29",
                    },
                ],
            }
        ],
    )

    def fake(documents: Iterable[Document]) -> Iterator[Event]:
        for document in documents:
            strike = _event(document.doc_id, "IRN", "PAK", "195")
            strike.date = "2024-01-17"
            visit = _event(document.doc_id, "IRN", "PAK", "042")
            visit.date = "2024-01-24"  # right modality below, wrong day
            visit.modality = "planned"
            yield strike
            yield visit

    report = evaluate(read_gold(gold), fake)
    assert report.with_modality is not None and report.with_modality.tp == 2
    assert report.with_date is not None
    assert (report.with_date.tp, report.with_date.fp, report.with_date.fn) == (1, 1, 1)


def test_plover_scoring_leaves_out_codes_plover_has_no_category_for(tmp_path: Path) -> None:
    gold = _write(
        tmp_path / "plover.jsonl",
        [{"id": "PLOVER-GSR01-X-0001", "text": "x", "plover_event_2021": "ACCUSE",
          "expected_events": [{"source": "FRA", "target": "DEU", "code": "ACCUSE"}]}],
    )  # fmt: skip

    def fake(documents: Iterable[Document]) -> Iterator[Event]:
        for document in documents:
            yield _event(document.doc_id, "FRA", "DEU", "112")
            yield _event(document.doc_id, "FRA", "DEU", "010")  # a statement: no PLOVER category

    report = evaluate(read_gold(gold), fake)
    assert (report.triples.tp, report.triples.fp, report.triples.fn) == (1, 0, 0)


def test_a_threatened_act_is_scored_through_its_threat(tmp_path: Path) -> None:
    gold = _write(
        tmp_path / "gold.jsonl",
        [{"id": "petr2-gsr:t", "text": "t", "date": "2008-08-04",
          "expected_events": [{"source": "RUS", "target": "GEO", "code": "138"}]}],
    )  # fmt: skip

    def fake(documents: Iterable[Document]) -> Iterator[Event]:
        for document in documents:
            act = _event(document.doc_id, "RUS", "GEO", "190", confidence=0.9)
            act.modality = "threatened"
            yield act
            yield _event(document.doc_id, "RUS", "GEO", "138", confidence=0.8)

    report = evaluate(read_gold(gold), fake)
    assert (report.triples.tp, report.triples.fp, report.triples.fn) == (1, 0, 0)
    penta_gold = _write(
        tmp_path / "penta.jsonl",
        [{"id": "conflibert-cameo:test:9", "split": "test", "text": "t", "penta_class": 3}],
    )
    penta = evaluate(read_gold(penta_gold), fake, split="test")
    assert penta.penta is not None and penta.penta["accuracy"] == 1.0  # the threat (3), not the act (4)


def test_a_missing_target_matches_a_gold_event_without_one(tmp_path: Path) -> None:
    gold = _write(
        tmp_path / "gold.jsonl",
        [{"id": "petr2-gsr:u", "text": "u", "date": "2008-08-04",
          "expected_events": [{"source": "IGOCOPITP", "target": "---", "code": "036"}]}],
    )  # fmt: skip

    def fake(documents: Iterable[Document]) -> Iterator[Event]:
        for document in documents:
            event = _event(document.doc_id, "IGO", "", "036")
            event.target_country = None
            yield event

    report = evaluate(read_gold(gold), fake)
    assert report.triples.tp == 1 and report.triples.fp == 0


def test_plover_legacy_country_codes_read_as_iso(tmp_path: Path) -> None:
    gold = _write(
        tmp_path / "plover.jsonl",
        [{"id": "PLOVER-GSR01-X-0002", "text": "x", "plover_event_2021": "SANCTION",
          "expected_events": [{"source": "JAP", "target": "ITL", "code": "SANCTION"}]}],
    )  # fmt: skip

    def fake(documents: Iterable[Document]) -> Iterator[Event]:
        for document in documents:
            yield _event(document.doc_id, "JPN", "ITA", "1621")  # cut economic aid: SANCTION

    report = evaluate(read_gold(gold), fake)
    assert report.triples.tp == 1 and report.triples.fp == 0
