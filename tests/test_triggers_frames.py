"""Frame recoding (frames.yaml): acts governed by appeal, intent, demand, reject and threat triggers."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from detente import cameo
from detente.coding.triggers import FRAME_ROOTS, TriggerLexicon
from detente.coding.triggers.coverage import framed_codes
from detente.errors import InputError


@pytest.mark.parametrize(
    ("frame", "act", "expected"),
    [
        ("threaten", "163", "1312"),  # threatened to impose sanctions
        ("threaten", "161", "1313"),  # threatened to recall the ambassador
        ("threaten", "195", "1384"),  # threatened air strikes
        ("threaten", "2041", "1385"),  # threatened to use chemical weapons
        ("intent", "0841", "0353"),  # agreed to release the prisoners
        ("intent", "062", "0312"),  # agreed to station liaison officers
        ("intent", "042", "036"),  # plans to visit
        ("intent", "190", "1384"),  # "will attack" is a threat in CAMEO
        ("appeal", "0871", "0256"),  # urged a ceasefire
        ("demand", "0841", "1053"),  # demanded the release of
        ("reject", "0813", "1241"),  # refused to lift the curfew
        ("reject", "045", "126"),  # rejected mediation
    ],
)
def test_frame_codes(frame: str, act: str, expected: str) -> None:
    assert TriggerLexicon.load().frame_code(frame, act) == expected


def test_frames_leave_alone_what_they_do_not_recode() -> None:
    lexicon = TriggerLexicon.load()
    assert lexicon.frame_code("reject", "190") is None
    assert lexicon.frame_code("intent", "010") is None
    with pytest.raises(KeyError, match="no frame"):
        lexicon.frame_code("hope", "042")


def test_every_frame_code_is_cameo_of_the_frame_root() -> None:
    lexicon = TriggerLexicon.load()
    for frame, root in FRAME_ROOTS.items():
        for act in cameo.all_codes():
            code = lexicon.frame_code(frame, act)
            if code is None:
                continue
            expected_root = "13" if frame == "intent" and "10" <= act[:2] <= "20" else root
            assert cameo.is_valid(code) and code[:2] == expected_root, (frame, act, code)


def test_frame_of_trigger_codes() -> None:
    assert [TriggerLexicon.frame_of(c) for c in ("0256", "036", "1053", "127", "138", "195")] == [
        "appeal",
        "intent",
        "demand",
        "reject",
        "threaten",
        None,
    ]


def test_framed_candidates_in_a_sentence() -> None:
    lexicon = TriggerLexicon.load()
    doc = spacy.blank("en").make_doc("The EU threatened to impose sanctions on Minsk.")
    assert "1312" in framed_codes(lexicon, lexicon.match(doc))


def test_bad_frame_table_is_named(tmp_path: Path) -> None:
    (tmp_path / "19_fight.yaml").write_text('root: "19"\nentries:\n  - code: "190"\n    verbs: [hit]\n')
    (tmp_path / "frames.yaml").write_text('threaten:\n  default: "020"\n')
    with pytest.raises(InputError, match=r"frames\.yaml frame threaten"):
        TriggerLexicon.from_directory(tmp_path)
