"""The file formats the importers read: column layouts, and a sniff that refuses a file of another format.

Column names follow the GDELT, ICEWS and POLECAT codebooks (see docs/store.md for the mapping to
detente's event record). Every column is read as text and cast in SQL, so codes keep their leading zeros.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from detente.errors import InputError

__all__ = ["FORMATS", "Format", "sniff"]

_GDELT_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
    "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GDELT_HEAD = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{name}" for name in _GDELT_ACTOR),
    *(f"Actor2{name}" for name in _GDELT_ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
)  # fmt: skip


def _geo(prefix: str, adm2: bool) -> tuple[str, ...]:
    names = ["Type", "FullName", "CountryCode", "ADM1Code"]
    if adm2:
        names.append("ADM2Code")
    names += ["Lat", "Long", "FeatureID"]
    return tuple(f"{prefix}Geo_{name}" for name in names)


GDELT1_COLUMNS: tuple[str, ...] = (
    *_GDELT_HEAD, *_geo("Actor1", False), *_geo("Actor2", False), *_geo("Action", False),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
GDELT2_COLUMNS: tuple[str, ...] = (
    *_GDELT_HEAD, *_geo("Actor1", True), *_geo("Actor2", True), *_geo("Action", True),
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
GDELT2_MENTION_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)  # fmt: skip
ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number",
    "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude",
)  # fmt: skip
POLECAT_REQUIRED: tuple[str, ...] = (
    "Event ID", "Event Date", "Event Type", "Actor Name", "Actor Country",
    "Recipient Name", "Recipient Country",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Format:
    kind: str
    dataset: str
    description: str
    header: bool
    columns: tuple[str, ...]  # empty: named by the file's header


FORMATS: dict[str, Format] = {
    "gdelt1": Format(
        "gdelt1", "gdelt1", "GDELT 1.0 events (57 or 58 tab-separated columns)", False, GDELT1_COLUMNS
    ),
    "gdelt2": Format(
        "gdelt2", "gdelt2", "GDELT 2.0 events (61 tab-separated columns)", False, GDELT2_COLUMNS
    ),
    "gdelt2-mentions": Format(
        "gdelt2-mentions", "gdelt2", "GDELT 2.0 mentions (16 columns)", False, GDELT2_MENTION_COLUMNS
    ),
    "icews": Format("icews", "icews", "ICEWS coded events (tab-separated with header)", True, ICEWS_COLUMNS),
    "polecat": Format("polecat", "polecat", "POLECAT events (tab-separated with header)", True, ()),
}


def _first_lines(path: Path, count: int = 5) -> list[str]:
    lines: list[str] = []
    with path.open("rb") as handle:
        for raw in handle:
            text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if text.strip():
                lines.append(text)
            if len(lines) >= count:
                break
    return lines


def sniff(kind: str, path: Path, name: str | None = None) -> str:
    """Check ``path`` looks like ``kind``; return the variant read ("tab" or "csv-header" for mentions).

    Raises InputError with one line naming the file, the claimed format and what was found.
    """
    fmt = FORMATS[kind]
    shown = name or str(path)
    try:
        lines = _first_lines(path)
    except OSError as error:
        raise InputError(f"{shown}: cannot be read ({error.strerror})") from None
    if not lines:
        raise InputError(f"{shown}: empty file, not {fmt.description}")
    if "\x00" in lines[0]:
        raise InputError(f"{shown}: binary content, not {fmt.description}")
    first = lines[0].split("\t")
    if kind in ("gdelt1", "gdelt2"):
        widths = {57, 58} if kind == "gdelt1" else {61}
        good = [line for line in lines if len(line.split("\t")) in widths and _gdelt_row_start(line)]
        # One malformed row among the first few is a bad row, not a bad file.
        if len(good) * 2 < len(lines):
            expected = " or ".join(str(w) for w in sorted(widths))
            raise InputError(
                f"{shown}: not {fmt.description}: line 1 has {len(first)} tab-separated fields, "
                f"expected {expected} starting with an event id and a YYYYMMDD date"
            )
        return "tab"
    if kind == "gdelt2-mentions":
        if len(first) == 16 and first[0].isdigit():
            return "tab"
        header = [name.strip().lower() for name in lines[0].split(",")]
        if header[:3] == ["globaleventid", "eventtimedate", "mentiontimedate"] and len(header) >= 16:
            return "csv-header"
        raise InputError(f"{shown}: not {fmt.description}: line 1 has {len(first)} tab-separated fields")
    header_names = [name.strip().strip('"') for name in first]
    required = ICEWS_COLUMNS[:11] if kind == "icews" else POLECAT_REQUIRED
    missing = [column for column in required if column not in header_names]
    if missing:
        raise InputError(
            f"{shown}: not {fmt.description}: the header lacks {', '.join(repr(m) for m in missing[:3])}"
        )
    if kind == "polecat" and "Intensity" not in header_names and "Event Intensity" not in header_names:
        raise InputError(f"{shown}: not {fmt.description}: no 'Intensity' or 'Event Intensity' column")
    return "tab"


def _gdelt_row_start(line: str) -> bool:
    fields = line.split("\t", 2)
    return len(fields) >= 2 and fields[0].isdigit() and len(fields[1]) == 8 and fields[1].isdigit()
