"""The CAMEO event codebook: labels, Goldstein weights, quad classes and PLOVER categories.

Goldstein weights and quad classes follow GDELT's published CAMEO tables so that events coded by
detente and events imported from GDELT sit on the same scale. CAMEO roots 01 and 02 have no PLOVER
equivalent (PLOVER dropped them); their ``plover`` is empty.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["CameoCode", "all_codes", "is_valid", "lookup", "quad_class_of_root"]


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    root: str
    label: str
    goldstein: float
    quad_class: int
    plover: str
    plover_mode: str


@cache
def _table() -> dict[str, CameoCode]:
    text = resources.files(__package__).joinpath("cameo_codes.csv").read_text(encoding="utf-8")
    table: dict[str, CameoCode] = {}
    for row in csv.DictReader(text.splitlines()):
        table[row["code"]] = CameoCode(
            code=row["code"],
            root=row["root"],
            label=row["label"],
            goldstein=float(row["goldstein"]),
            quad_class=int(row["quad_class"]),
            plover=row["plover"],
            plover_mode=row["plover_mode"],
        )
    return table


def all_codes() -> dict[str, CameoCode]:
    """Every CAMEO code (2-, 3- and 4-digit) keyed by its string code."""
    return dict(_table())


def is_valid(code: str) -> bool:
    return code in _table()


def lookup(code: str) -> CameoCode:
    """The codebook entry for ``code``; an unknown 4-digit code falls back to its 3-digit parent.

    Raises KeyError for a code that is not CAMEO at all.
    """
    table = _table()
    if code in table:
        return table[code]
    if len(code) == 4 and code[:3] in table:
        return table[code[:3]]
    raise KeyError(f"not a CAMEO event code: {code!r}")


def quad_class_of_root(root: str) -> int:
    """GDELT quad class of a 2-digit root.

    1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    """
    number = int(root)
    if number <= 5:
        return 1
    if number <= 9:
        return 2
    if number <= 14:
        return 3
    return 4
