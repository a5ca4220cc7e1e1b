"""The cheap English check must not reject real English news: every sentence of the gold sets in ../shared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.sources.text import english_problem

pytestmark = pytest.mark.shared


def test_no_real_english_sentence_or_article_is_rejected(shared_dir: Path) -> None:
    texts: list[str] = []
    for path in sorted((shared_dir / "eval").glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                text = record.get("text") or record.get("sentence")
                if isinstance(text, str) and text.strip():
                    texts.append(text)
    with (shared_dir / "examples" / "articles.jsonl").open(encoding="utf-8") as handle:
        texts.extend(json.loads(line)["text"] for line in handle)
    assert len(texts) > 3000
    rejected = [(text[:120], reason) for text in texts if (reason := english_problem(text))]
    assert rejected == []
