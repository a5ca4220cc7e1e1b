"""The shared codebooks: CAMEO codes and country identity."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from detente import cameo, countries


def test_every_cameo_code_has_weight_quad_and_root() -> None:
    codes = cameo.all_codes()
    assert len(codes) >= 300
    for code, entry in codes.items():
        assert entry.root == code[:2]
        assert -10.0 <= entry.goldstein <= 10.0
        assert entry.quad_class == cameo.quad_class_of_root(entry.root)
        assert entry.label


@pytest.mark.parametrize(
    ("code", "goldstein", "plover"),
    [("195", -10.0, "ASSAULT"), ("161", -4.0, "SANCTION"), ("042", 1.9, "CONSULT"), ("057", 8.0, "SUPPORT")],
)
def test_published_goldstein_weights(code: str, goldstein: float, plover: str) -> None:
    entry = cameo.lookup(code)
    assert entry.goldstein == goldstein
    assert entry.plover == plover


def test_unknown_four_digit_code_falls_back_to_parent_and_nonsense_is_refused() -> None:
    assert cameo.lookup("0429").code == "042"
    with pytest.raises(KeyError):
        cameo.lookup("999")


def test_codebook_matches_gdelt_reference(shared_dir: Path) -> None:
    """Weights agree with the reference table in ../shared wherever it gives GDELT's value."""
    with (shared_dir / "eval/reference/cameo_eventcodes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    checked = 0
    for row in rows:
        if row["goldstein_gdelt"]:
            assert cameo.lookup(row["cameo_code"]).goldstein == float(row["goldstein_gdelt"])
            checked += 1
    assert checked > 300


@pytest.mark.parametrize(
    ("text", "iso3"),
    [("Iran", "IRN"), ("Russian Federation", "RUS"), ("IRN", "IRN"), ("PK", "PAK"), ("Kosovo", "XKX"),
     ("Occupied Palestinian Territory", "PSE"), ("Côte d'Ivoire", "CIV"), ("nowhere land", None)],
)
def test_to_iso3(text: str, iso3: str | None) -> None:
    assert countries.to_iso3(text) == iso3


def test_suggest_closest_code_for_a_typo() -> None:
    assert countries.suggest("IRAN")[0] == "IRN"
    assert "PAK" in countries.suggest("Pakstan")
    assert countries.suggest("qqqqqq") == []
