"""Checks every input goes through (size, binary, encoding, language) and the plain-text reader."""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from pathlib import Path

__all__ = [
    "BadInput",
    "dateline_date",
    "decode_text",
    "english_problem",
    "file_size_problem",
    "human_size",
    "parse_date",
    "split_title",
    "strip_date_header",
]


class BadInput(Exception):
    """Raised inside the readers for one input; turned into a ``ReadProblem`` by the dispatcher."""


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} kB"
    return f"{size} bytes"


def file_size_problem(path: Path, limit: int) -> str | None:
    """Why ``path`` must not be read whole, or None; only stats the file, never reads it."""
    size = path.stat().st_size
    if size == 0:
        return "empty file"
    if size > limit:
        return (
            f"file is {human_size(size)}, above the {human_size(limit)} limit for one document "
            "(split it, or give a corpus as JSONL, which is read line by line)"
        )
    return None


# Bytes that never occur in text files (NUL and most C0 controls); tab, newline, CR and form feed do.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"
_SNIFF_BYTES = 8192


def looks_binary(data: bytes) -> bool:
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([b])) for b in _CONTROL)
    return bool(head) and controls / len(head) > 0.05


def decode_text(data: bytes) -> str:
    """Strict UTF-8 (a leading BOM is dropped); raises ``BadInput`` naming what is wrong."""
    if not data.strip():
        raise BadInput("empty file" if not data else "no text (only whitespace)")
    if looks_binary(data):
        raise BadInput("binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = data[error.start : error.start + 1].hex()
        raise BadInput(f"not valid UTF-8 (byte 0x{bad} at offset {error.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- language --------------------------------------------------------------------------------

# Very common English function words (a data file beside this module): in English news they make up
# a third or more of the words, in other languages written in Latin script only a few per cent.
_ENGLISH_FUNCTION_WORDS = frozenset(
    resources.files("detente.sources").joinpath("english_function_words.txt").read_text("utf-8").split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_MIN_WORDS_FOR_WORD_TEST = 25


def english_problem(text: str) -> str | None:
    """Why ``text`` is not English news, or None. Cheap on purpose: it runs on every input.

    Two tests: the share of Latin letters among all letters (catches Arabic, Persian, Urdu,
    Cyrillic, CJK, ... scripts), then, for texts long enough to judge, the share of common English
    function words (catches French, German, Spanish, ...). English text quoting a foreign name or
    phrase passes both comfortably.
    """
    sample = text[:20000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "no words in the text"
    latin = sum(1 for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f")
    if latin / len(letters) < 0.7:
        return f"not English ({100 * (1 - latin / len(letters)):.0f}% of the letters are not Latin script)"
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) >= _MIN_WORDS_FOR_WORD_TEST:
        share = sum(1 for w in words if w in _ENGLISH_FUNCTION_WORDS) / len(words)
        if share < 0.12:
            return f"not English (only {100 * share:.0f}% of the words are common English words)"
    return None


# --- dates -----------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?\s*$")


def parse_date(value: object) -> dt.date:
    """A document date given as ``YYYY-MM-DD`` (optionally an ISO timestamp); ValueError otherwise.

    Only ISO forms are accepted from structured input: a guess at "03/04/2024" would silently put
    events a month off.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")
    match = _ISO_DATE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a date (expected YYYY-MM-DD)")
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a date ({error})") from None


# --- plain text --------------------------------------------------------------------------------

# An optional header line such as "Published: 2024-01-22" or "Date: 2024-01-22" at the top of a
# .txt file, the common way people keep the date with a saved article.
_DATE_HEADER = re.compile(r"^\s*(?:published|date|dateline)\s*:\s*(\d{4}-\d{2}-\d{2})\s*$", re.IGNORECASE)
_TITLE_MAX_CHARS = 200


def strip_date_header(text: str) -> tuple[str, dt.date | None]:
    """Remove a ``Published: YYYY-MM-DD`` line among the first five lines and return its date."""
    lines = text.split("\n")
    for index, line in enumerate(lines[:5]):
        match = _DATE_HEADER.match(line)
        if match:
            try:
                date = parse_date(match.group(1))
            except ValueError:
                return text, None
            return "\n".join(lines[:index] + lines[index + 1 :]), date
    return text, None


_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month{n}>" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
# A news dateline opens the article: "ISLAMABAD, 25 January 2024 —", "Washington, Jan. 5, 2024 (Reuters) -",
# "Tehran, Monday 3 January 2016." Only full dates with a year count, and only when a dash, period,
# parenthesis or line end follows: "On 16 January 2024, Iran struck..." dates an event, not the report.
_DATELINE = re.compile(
    r"\A\s*(?:[A-Z][A-Za-z.'’\- ]{1,40},\s*)?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    r"(?:(?P<day1>\d{1,2})\s+" + _MONTH.format(n=1) + r",?\s+(?P<year1>\d{4})"
    r"|" + _MONTH.format(n=2) + r"\s+(?P<day2>\d{1,2}),?\s+(?P<year2>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))"
    r"\s*(?:[.:(\u2013\u2014]|-|\n|\Z)",
    re.IGNORECASE,
)


def dateline_date(text: str) -> dt.date | None:
    """The date of a dateline opening ``text`` ("ISLAMABAD, 25 January 2024 —"), else None."""
    match = _DATELINE.match(text[:200])
    if not match:
        return None
    try:
        if match.group("iso"):
            return parse_date(match.group("iso"))
        number = "1" if match.group("day1") else "2"
        month = _MONTH_NUMBERS[match.group(f"month{number}").lower()]
        return dt.date(int(match.group(f"year{number}")), month, int(match.group(f"day{number}")))
    except ValueError:
        return None  # "31 February 2024": not a date, so no dateline


def split_title(text: str) -> tuple[str | None, str]:
    """Take the first line as the title when it reads like a headline.

    A headline is short, has no sentence-final period and is followed by a blank line; otherwise
    the first line is the opening of the article and stays in the text.
    """
    stripped = text.strip("\n")
    first, sep, rest = stripped.partition("\n")
    first = first.strip()
    if (
        sep
        and first
        and len(first) <= _TITLE_MAX_CHARS
        and not first.endswith((".", ",", ";", ":"))
        and rest.startswith("\n")
        and rest.strip()
    ):
        return first, rest.strip()
    return None, stripped.strip()
