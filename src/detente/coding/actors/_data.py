"""Reading the actor dictionaries (the CSV and text files beside this module) into plain records.

Every row is checked as it is read: a broken row stops loading with a message naming the file, the line and
the problem: a silently skipped leader or a misspelt sector code would mis-code events without a trace.
"""

from __future__ import annotations

import calendar
import csv
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

import pycountry

from detente.countries import is_iso3

__all__ = [
    "SECTORS",
    "DataError",
    "NamedEntry",
    "Period",
    "SectorNoun",
    "fold",
    "parse_date",
    "read_lines",
    "read_named",
    "read_organisations",
    "read_people",
    "read_places",
    "read_sectors",
    "read_states",
]

# PLOVER sector codes (../shared/eval/reference/plover_sectors.csv) plus DIP, ours for diplomats and the
# foreign ministry (docs/architecture.md).
SECTORS: frozenset[str] = frozenset(
    {"COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK", "AGR", "BUS"}
    | {"CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC", "DIP"}
)

_PACKAGE = __package__ or "detente.coding.actors"


class DataError(ValueError):
    """A dictionary file of the actor lexicon is malformed (names file, line and problem)."""


# Letters that Unicode does not decompose into a base letter and a mark (Turkish dotless i, Nordic o-slash).
_UNDECOMPOSED = str.maketrans(
    {
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "`": "'",
    }
)


def fold(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive key for one token or phrase."""
    if text.isascii():
        return text.lower().replace("`", "'")
    return _fold_unicode(text)


@lru_cache(maxsize=65536)
def _fold_unicode(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def parse_date(text: str, *, is_end: bool, where: str) -> date | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` (month precision); empty means open.

    A month-precision start is the month's first day; a month-precision end (exclusive) is the first day of
    the next month, so the holder is taken to be in office for the whole month in which they left.
    """
    text = text.strip()
    if not text:
        return None
    parts = text.split("-")
    try:
        if len(parts) == 3:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            if not is_end:
                return date(year, month, 1)
            last = calendar.monthrange(year, month)[1]
            end = date(year, month, last)
            return date.fromordinal(end.toordinal() + 1)
    except ValueError as exc:
        raise DataError(f"{where}: bad date {text!r} ({exc})") from exc
    raise DataError(f"{where}: bad date {text!r} (expected YYYY-MM-DD or YYYY-MM)")


@dataclass(frozen=True)
class Period:
    """What an entry stands for during [start, end); None bounds are open."""

    country: str
    sector: str
    start: date | None = None
    end: date | None = None
    office: str = ""
    role: str = ""
    start_text: str = ""
    end_text: str = ""

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class NamedEntry:
    """A named actor: its names, and one or more periods (a person's tenures, a group's changes of status)."""

    entry_id: str
    kind: str
    names: list[str] = field(default_factory=list)
    short: list[str] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    org: str = ""


@dataclass(frozen=True)
class SectorNoun:
    forms: tuple[str, ...]
    sector: str
    weak: str  # "no", "yes" (takes a preceding noun's sector) or "only" (used only after such a noun)
    office: str


def _text(filename: str) -> str:
    return resources.files(_PACKAGE).joinpath(filename).read_text(encoding="utf-8")


def _rows(filename: str) -> Iterator[tuple[str, dict[str, str]]]:
    """CSV rows as dicts, with ``file:line`` for messages; ``#`` lines are comments."""
    lines = _text(filename).splitlines()
    numbered = [
        (number, line) for number, line in enumerate(lines, start=1) if line and not line.startswith("#")
    ]
    if not numbered:
        raise DataError(f"{filename}: no header row")
    reader = csv.reader([line for _, line in numbered])
    header = next(reader)
    for (number, _), values in zip(numbered[1:], reader, strict=True):
        where = f"{filename}:{number}"
        if len(values) != len(header):
            raise DataError(f"{where}: {len(values)} fields, header has {len(header)}")
        yield where, {key: value.strip() for key, value in zip(header, values, strict=True)}


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _check_country(code: str, where: str) -> str:
    if not is_iso3(code):
        raise DataError(
            f"{where}: {code!r} is not an ISO 3166 alpha-3 code or a non-state code (IGO, IMG, ...)"
        )
    return code


def _check_sector(code: str, where: str, *, allow_empty: bool = True) -> str:
    if code == "" and allow_empty:
        return code
    if code not in SECTORS:
        raise DataError(f"{where}: unknown sector {code!r} (allowed: {', '.join(sorted(SECTORS))})")
    return code


def read_lines(filename: str) -> list[str]:
    return [
        line.strip() for line in _text(filename).splitlines() if line.strip() and not line.startswith("#")
    ]


def read_states() -> list[tuple[str, list[str], list[str], list[str]]]:
    """(iso3, names, demonyms, capitals) for every pycountry state; states.csv adds what pycountry lacks."""
    curated: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for where, row in _rows("states.csv"):
        iso3 = _check_country(row["iso3"], where)
        if iso3 in curated:
            raise DataError(f"{where}: {iso3} listed twice")
        curated[iso3] = (_split(row["names"]), _split(row["demonyms"]), _split(row["capitals"]))
    result = []
    for country in pycountry.countries:
        iso3 = country.alpha_3
        names, demonyms, capitals = curated.get(iso3, ([], [], []))
        generated = [
            value
            for attr in ("name", "common_name", "official_name")
            # pycountry writes some names inverted ("Korea, Republic of"): news never does.
            if (value := getattr(country, attr, None)) and "," not in value and "(" not in value
        ]
        result.append((iso3, _unique(generated + names), demonyms, capitals))
    known = {country.alpha_3 for country in pycountry.countries}
    # States ISO 3166 has not assigned (Kosovo's XKX) come from states.csv alone.
    for iso3, (names, demonyms, capitals) in curated.items():
        if iso3 not in known:
            result.append((iso3, names, demonyms, capitals))
    return result


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def read_named(filename: str, kind: str) -> list[NamedEntry]:
    """groups.csv / institutions.csv: key, names, country, sector, start, end, note."""
    entries: dict[str, NamedEntry] = {}
    for where, row in _rows(filename):
        key = row["key"]
        if not key:
            raise DataError(f"{where}: empty key")
        names = _split(row["names"])
        if not names:
            raise DataError(f"{where}: no names")
        period = Period(
            country=_check_country(row["country"], where),
            sector=_check_sector(row["sector"], where),
            start=parse_date(row["start"], is_end=False, where=where),
            end=parse_date(row["end"], is_end=True, where=where),
            start_text=row["start"],
            end_text=row["end"],
        )
        _check_order(period, where)
        entry = entries.setdefault(key, NamedEntry(entry_id=f"{kind}:{key}", kind=kind))
        entry.names = _unique(entry.names + names)
        entry.periods.append(period)
    return list(entries.values())


def read_organisations() -> list[NamedEntry]:
    entries = []
    seen: set[str] = set()
    for where, row in _rows("organisations.csv"):
        acronym = row["acronym"]
        if not acronym or acronym in seen:
            raise DataError(f"{where}: missing or repeated acronym {acronym!r}")
        seen.add(acronym)
        if row["match_acronym"] not in ("yes", "no"):
            raise DataError(f"{where}: match_acronym must be yes or no, not {row['match_acronym']!r}")
        country = row["country"] or "IGO"
        if country not in ("IGO", "NGO"):
            raise DataError(f"{where}: organisation country must be IGO or NGO, not {country!r}")
        names = _split(row["names"]) + ([acronym] if row["match_acronym"] == "yes" else [])
        period = Period(country=country, sector=_check_sector(row["sector"], where))
        entries.append(
            NamedEntry(
                entry_id=f"org:{acronym}", kind="org", names=_unique(names), periods=[period], org=acronym
            )
        )
    return entries


def read_people() -> list[NamedEntry]:
    entries: dict[str, NamedEntry] = {}
    for where, row in _rows("people.csv"):
        key, name = row["key"], row["name"]
        if not key or not name:
            raise DataError(f"{where}: key and name are required")
        if not row["role"] or not row["office"]:
            raise DataError(f"{where}: role and office are required")
        period = Period(
            country=_check_country(row["country"], where),
            sector=_check_sector(row["sector"], where, allow_empty=False),
            start=parse_date(row["start"], is_end=False, where=where),
            end=parse_date(row["end"], is_end=True, where=where),
            office=row["office"],
            role=row["role"],
            start_text=row["start"],
            end_text=row["end"],
        )
        if period.start is None:
            raise DataError(f"{where}: a tenure needs a start date")
        _check_order(period, where)
        entry = entries.setdefault(key, NamedEntry(entry_id=f"person:{key}", kind="person"))
        if entry.names and entry.names[0] != name:
            raise DataError(f"{where}: key {key!r} already names {entry.names[0]!r}, not {name!r}")
        entry.names = _unique([*entry.names, name, *_split(row["aliases"])])
        entry.short = _unique(entry.short + _split(row["short"]))
        entry.periods.append(period)
    for entry in entries.values():
        entry.periods.sort(key=lambda period: period.start or date.min)
    return list(entries.values())


def _check_order(period: Period, where: str) -> None:
    if period.start and period.end and period.end <= period.start:
        raise DataError(f"{where}: end {period.end_text} is not after start {period.start_text}")


def read_sectors() -> list[SectorNoun]:
    nouns = []
    for where, row in _rows("sectors.csv"):
        forms = tuple(_split(row["forms"]))
        if not forms:
            raise DataError(f"{where}: no forms")
        if row["weak"] not in ("no", "yes", "only"):
            raise DataError(f"{where}: weak must be no, yes or only, not {row['weak']!r}")
        nouns.append(
            SectorNoun(
                forms=forms,
                sector=_check_sector(row["sector"], where, allow_empty=False),
                weak=row["weak"],
                office=row["office"],
            )
        )
    return nouns


# First-level subdivisions that news names as places; municipalities, parishes and the like of small states
# are left out (thousands of village names, many of them words).
_SUBDIVISION_TYPES = frozenset(
    {
        "Province",
        "State",
        "Region",
        "Governorate",
        "Prefecture",
        "Republic",
        "Autonomous region",
        "Autonomous community",
        "Land",
        "Voivodship",
        "Emirate",
        "Oblast",
        "Regional state",
        "Union territory",
        "Division",
        "Administrative region",
        "Autonomous republic",
        "Federal district",
        "Autonomous province",
    }
)
# Subdivision names that are English words or directions, whatever the country ("Central", "Northern").
_GENERIC_PLACE_WORDS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "capital",
        "coast",
        "coastal",
        "centre",
        "center",
        "upper",
        "lower",
        "middle",
        "highlands",
        "lakes",
        "lake",
        "islands",
        "island",
        "plateau",
        "littoral",
        "maritime",
        "interior",
        "greater",
        "federal",
        "national",
        "mountain",
        "mountains",
        "river",
        "valley",
        "red",
        "nord",
        "sud",
        "est",
        "ouest",
        "centre-nord",
        "centre-est",
        "centre-ouest",
        "centre-sud",
    }
)


def read_places() -> list[tuple[str, str]]:
    """(name, iso3) for places.csv and the top-level pycountry subdivisions whose name is unambiguous."""
    places: list[tuple[str, str]] = []
    for where, row in _rows("places.csv"):
        if not row["name"]:
            raise DataError(f"{where}: empty name")
        places.append((row["name"], _check_country(row["country"], where)))
    by_name: dict[str, set[str]] = {}
    for subdivision in pycountry.subdivisions:
        if getattr(subdivision, "parent_code", None) or subdivision.type not in _SUBDIVISION_TYPES:
            continue
        country = pycountry.countries.get(alpha_2=subdivision.country_code)
        if country is None:
            continue
        by_name.setdefault(subdivision.name, set()).add(country.alpha_3)
    stop = {fold(word) for word in read_lines("place_stoplist.txt")}
    for name, countries in sorted(by_name.items()):
        if fold(name) in stop:
            continue
        words = fold(name).replace("-", " ").split()
        # A name two states share, or made only of generic words, says nothing about the country.
        if len(countries) != 1 or all(word in _GENERIC_PLACE_WORDS for word in words) or "," in name:
            continue
        places.append((name, next(iter(countries))))
    return places
