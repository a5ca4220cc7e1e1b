"""Country identity shared by every stage: names, ISO3 codes, CAMEO country codes.

The coder, the importers (ICEWS writes country names, GDELT writes CAMEO country codes) and the
analysis commands (which check the codes a user types) all map to ISO 3166 alpha-3 here.
Extra names and CAMEO codes that differ from ISO3 live in ``country_names.csv``.
"""

from __future__ import annotations

import csv
import difflib
import unicodedata
from functools import cache
from importlib import resources

import pycountry

__all__ = ["NON_STATE_CODES", "all_iso3", "is_iso3", "name_of", "suggest", "to_iso3"]

# Codes that stand where a country code stands but are not states (international bodies,
# transnational groups). They pass validation but are not suggested for typos.
NON_STATE_CODES: frozenset[str] = frozenset({"IGO", "NGO", "MNC", "IMG", "UNO", "EUR", "ISM"})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(ascii_text.lower().replace(".", "").replace(",", " ").split())


@cache
def _names() -> dict[str, str]:
    """Folded name or code -> ISO3."""
    table: dict[str, str] = {}
    for country in pycountry.countries:
        iso3 = country.alpha_3
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                table.setdefault(_fold(value), iso3)
        table[_fold(country.alpha_2)] = iso3
        table[_fold(iso3)] = iso3
    for iso3, name in EXTRA_STATE_NAMES.items():
        table[_fold(iso3)] = iso3
        table[_fold(name)] = iso3
    data = resources.files(__package__).joinpath("country_names.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(line for line in data.splitlines() if not line.startswith("#")):
        table[_fold(row["name"])] = row["iso3"]
    return table


# Codes in wide use that ISO 3166 has not assigned (Kosovo's user-assigned XKX, as the EU and IMF use it).
EXTRA_STATE_NAMES: dict[str, str] = {"XKX": "Kosovo"}


@cache
def all_iso3() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries) | frozenset(EXTRA_STATE_NAMES)


def is_iso3(code: str) -> bool:
    return code in all_iso3() or code in NON_STATE_CODES


def to_iso3(name_or_code: str | None) -> str | None:
    """ISO3 for a country name, ISO2/ISO3 code or CAMEO country code; None when unknown."""
    if not name_or_code:
        return None
    text = name_or_code.strip()
    if text.upper() in NON_STATE_CODES:
        return text.upper()
    return _names().get(_fold(text))


def name_of(iso3: str) -> str:
    if iso3 in EXTRA_STATE_NAMES:
        return EXTRA_STATE_NAMES[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    return str(getattr(country, "common_name", None) or country.name)


def suggest(text: str, limit: int = 3) -> list[str]:
    """Closest ISO3 codes for something a user typed ("IRAN" -> ["IRN"], "PAKI" -> ["PAK"])."""
    exact = to_iso3(text)
    if exact:
        return [exact]
    folded = _fold(text)
    table = _names()
    matches = difflib.get_close_matches(folded, list(table), n=limit * 3, cutoff=0.6)
    prefix = [key for key in table if len(folded) >= 3 and key.startswith(folded)]
    result: list[str] = []
    for key in prefix + matches:
        iso3 = table[key]
        if iso3 not in result:
            result.append(iso3)
    return result[:limit]
