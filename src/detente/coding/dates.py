"""Finding and resolving the date expressions of a sentence.

Finding is a single regular-expression pass over the sentence (cheap, so the coder can afford it on
every sentence that holds an event); resolving goes through ``dateparser`` with the publication
date as ``RELATIVE_BASE`` and is cached, because news text repeats the same few expressions.

Three kinds of expression:

- *stated*: a calendar date, whole or partial ("22 January 2024", "on January 22", "August 2023",
  "in 2019"). A day and month without a year take the year that puts them nearest the publication
  date on the side the verb points to (past for what happened, future for what is planned).
- *relative* to the publication date ("yesterday", "on Tuesday", "last week", "this month",
  "three days ago").
- *anchored* to an earlier event of the same report ("within 24 hours", "two days later",
  "the next day"): resolved by the coder once the earlier event's date is known.
- *vague*: a time that is clearly not the publication date but names no day, month or year ("in the
  1990s", "a decade ago", "years ago"). It resolves to nothing: the event is earlier than the report, and
  giving it the first year of a decade or the publication date would both misdate it.

Precision is ``day``, ``month`` or ``year``. A week ("last week") has no precision of its own: it is
resolved to the day seven days before (or after) the base and reported at ``day`` precision, with
the expression kept in the event's ``extra`` so an analyst can see how loose it is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = [
    "DateMention",
    "Direction",
    "ResolvedDate",
    "continues_narrative",
    "find_dates",
    "has_date_cue",
    "narrative_time",
    "points_back",
    "resolve",
    "resolve_anchored",
]

Precision = Literal["day", "month", "year"]
Basis = Literal["stated", "relative"]
Kind = Literal["stated", "relative", "anchored", "vague"]
Direction = Literal["past", "future", "nearest"]

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "24": 24, "48": 48, "72": 72,
}  # fmt: skip
_COUNT = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
_UNIT = r"(?:hours?|days?|weeks?|months?|years?)"
# Words that, after a four-digit number, show it counts something rather than naming a year.
_NOT_A_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per|km|kilomet|mile|meter|metre|people|persons|troops|soldiers|dollars|"
    r"tons|tonnes|barrels|men|women|children|civilians|refugees|rockets|missiles|[a-z]+s\b)",
    re.IGNORECASE,
)

# "the day before" is anchored to the report's previous event unless a noun phrase follows: "the day
# before the vote" is anchored to the vote, which the coder does not know.
_NO_OBJECT = r"(?!\s+(?:the|a|an|his|her|its|their|this|that|these|those)\b)"
_PART_OF_DAY = r"(?:day|night|evening|morning|afternoon)"
# Expressions that carry on the narrative's own time: the event is on the day the report has just told
# ("in the air battle that followed", "that night", "the same day") or the day after it ("the next day").
_NARRATIVE = re.compile(
    rf"^(?:(?:that|which)\s+(?:followed|ensued)|the\s+same\s+{_PART_OF_DAY}|(?:later|earlier)\s+(?:that|the\s+same)\s+"
    rf"{_PART_OF_DAY}|(?:on\s+|by\s+|during\s+)?that\s+{_PART_OF_DAY}|the\s+(?:next|following)\s+{_PART_OF_DAY}|"
    r"the\s+day\s+after)$",
    re.IGNORECASE,
)
_SAME_DAY = re.compile(rf"\b(?:followed|ensued|same|that\s+{_PART_OF_DAY})\b", re.IGNORECASE)

# (kind, precision, pattern); tried in order, earlier patterns win on overlap.
_RANGE_JOIN = r"\s*(?:-|–|—|to|and|until)\s*"
# "16-17 January 2024", "January 16-18", "June 13 to 24, 2025": a span of days is dated by its first day
_DAY_RANGE_FIRST = re.compile(rf"^(?P<day>{_DAY}){_RANGE_JOIN}{_DAY}\s+(?P<rest>(?:{_MONTHS}).*)$", re.I)
_MONTH_RANGE_FIRST = re.compile(
    rf"^(?P<month>{_MONTHS})\s+(?P<day>{_DAY}){_RANGE_JOIN}{_DAY}(?P<year>,?\s+{_YEAR})?$", re.I
)

_PATTERNS: tuple[tuple[Kind, Precision, re.Pattern[str]], ...] = (
    ("stated", "day", re.compile(rf"\b{_YEAR}-[01]\d-[0-3]\d\b")),
    ("stated", "day", re.compile(rf"\b{_DAY}{_RANGE_JOIN}{_DAY}\s+(?:{_MONTHS})(?:,?\s+{_YEAR})?(?![\w-])")),
    ("stated", "day", re.compile(rf"\b(?:{_MONTHS})\s+{_DAY}{_RANGE_JOIN}{_DAY}(?:,?\s+{_YEAR})?(?![\w-])")),
    # a decade, before the year pattern would read "the 1990s" as the year 1990
    ("vague", "year", re.compile(r"\b(?:(?:early|mid|late)[\s-]+)?(?:19|20)\d0['’]?s\b", re.I)),
    (
        "vague",
        "year",
        re.compile(
            rf"\b(?:{_COUNT}|several|a\s+few|a\s+couple\s+of)\s+(?:decades?|centur(?:y|ies))\s+ago\b", re.I
        ),
    ),
    ("stated", "day", re.compile(rf"\b{_DAY}(?:\s+of)?\s+(?:{_MONTHS})(?:,?\s+{_YEAR})?(?![\w-])")),
    ("stated", "day", re.compile(rf"\b(?:{_MONTHS})\s+{_DAY}(?:,?\s+{_YEAR})?(?![\w-])")),
    ("stated", "month", re.compile(rf"\b(?:{_MONTHS})(?:\s+of)?,?\s+{_YEAR}\b")),
    (
        "relative",
        "day",
        re.compile(
            rf"\b(?:(?:last|next|this|on|on\s+the\s+following|on\s+the\s+previous)\s+)?(?:{_WEEKDAYS})\b"
        ),
    ),
    (
        "relative",
        "day",
        re.compile(
            r"\b(?:the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|last\s+night|"
            r"(?:earlier\s+)?this\s+(?:morning|afternoon|evening))\b",
            re.I,
        ),
    ),
    (
        "relative",
        "day",
        re.compile(r"\b(?:(?:over|at|during)\s+the|last|this|next|coming)\s+weekend\b", re.I),
    ),
    (
        "relative",
        "day",
        re.compile(rf"\b{_COUNT}\s+(?:days?|weeks?)\s+ago\b", re.I),
    ),
    ("relative", "month", re.compile(rf"\b{_COUNT}\s+months?\s+ago\b", re.I)),
    ("relative", "year", re.compile(rf"\b{_COUNT}\s+years?\s+ago\b", re.I)),
    (
        "relative",
        "day",
        re.compile(r"\b(?:(?:earlier|later)\s+)?(?:last|this|next|past|coming)\s+week\b", re.I),
    ),
    (
        "relative",
        "month",
        re.compile(r"\b(?:(?:earlier|later)\s+)?(?:last|this|next|past|coming)\s+month\b", re.I),
    ),
    (
        "relative",
        "year",
        re.compile(r"\b(?:(?:earlier|later)\s+)?(?:last|this|next|past|coming)\s+year\b", re.I),
    ),
    (
        "anchored",
        "day",
        re.compile(
            rf"\b(?:within\s+(?:the\s+)?(?:{_COUNT}\s+)?{_UNIT}|{_COUNT}\s+{_UNIT}\s+later|"
            r"(?:a\s+day|hours)\s+later|the\s+(?:next|following)\s+(?:day|morning|evening)|"
            # the narrative's own day: "the air battle that followed" (no object: "the talks that followed the
            # summit" are anchored to a summit the coder does not know), "the same day", "that night"
            rf"(?:that|which)\s+(?:followed|ensued)(?![\w-]){_NO_OBJECT}(?!\s+(?-i:[A-Z]))|"
            rf"the\s+same\s+{_PART_OF_DAY}|(?:later|earlier)\s+(?:that|the\s+same)\s+{_PART_OF_DAY}|"
            rf"(?:(?<=^)|(?<=[,;]\s)|\b(?:on|by|during)\s+)[Tt]hat\s+{_PART_OF_DAY}(?![\w-])|"
            rf"the\s+day\s+after{_NO_OBJECT}|"
            # backwards from the anchor: "two days earlier", "the day before", "the previous evening"
            rf"{_COUNT}\s+{_UNIT}\s+(?:earlier|before{_NO_OBJECT})|"
            rf"the\s+(?:day|night|evening)\s+before{_NO_OBJECT}|the\s+previous\s+(?:day|night|evening|morning)|"
            rf"the\s+(?:previous|following)\s+(?:week|month|year)|the\s+(?:week|month|year)\s+(?:before|after){_NO_OBJECT})\b",
            re.I,
        ),
    ),
    (
        "stated",
        "month",
        re.compile(
            rf"(?:\b(?i:in|since|during|until|by|early|late)\s+|\b(?i:mid)-?\s*)(?:{_MONTHS})(?![\w-])"
        ),
    ),
    ("stated", "year", re.compile(rf"\b(?i:mid|early|late|end)-{_YEAR}(?![\w%.,]\d|-\d)")),
    ("stated", "year", re.compile(rf"(?<![\w$.,-]){_YEAR}(?![\w%.,]\d|-\d)")),
    # after the anchored patterns, so that "two years earlier" stays anchored
    ("vague", "year", re.compile(r"\b(?:decades|years)\s+(?:ago|earlier|before)\b", re.I)),
)
_CUE = re.compile(
    rf"\d|\b(?:{_MONTHS}|{_WEEKDAYS})\b|\b(?:yesterday|today|tonight|tomorrow|ago|week|month|year|within|later|"
    r"next|following|previous|day after|night|morning|afternoon|evening|weekend|earlier|before|followed|"
    r"ensued|same)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression at ``start:end`` (character offsets) in the sentence it was found in."""

    start: int
    end: int
    text: str
    kind: Kind
    precision: Precision


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    date: dt.date
    precision: Precision
    basis: Basis
    text: str

    @property
    def iso(self) -> str:
        return self.date.isoformat()


def has_date_cue(text: str) -> bool:
    """False when ``text`` certainly holds no date expression (lets the coder skip the full search)."""
    return _CUE.search(text) is not None


def find_dates(text: str) -> list[DateMention]:
    """Date expressions in ``text``, in order, without overlaps."""
    if not has_date_cue(text):
        return []
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, precision, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            phrase = match.group(0)
            if precision == "year" and kind == "stated" and _NOT_A_YEAR_AFTER.match(text, end):
                continue
            if phrase.startswith(("May", "may")) and precision == "month" and not re.search(r"\d", phrase):
                continue
            taken.append((start, end))
            found.append(DateMention(start, end, phrase, kind, precision))
    found.sort(key=lambda mention: mention.start)
    # "on Monday, 16 June 2025": the weekday only repeats the date that follows it
    kept: list[DateMention] = []
    for index, mention in enumerate(found):
        following = found[index + 1] if index + 1 < len(found) else None
        if (
            following is not None
            and mention.kind == "relative"
            and _WEEKDAY_WORD.search(mention.text)
            and following.kind == "stated"
            and following.precision == "day"
            and following.start - mention.end <= 2
        ):
            continue
        kept.append(mention)
    return kept


def _truncate(day: dt.date, precision: Precision) -> dt.date:
    if precision == "year":
        return day.replace(month=1, day=1)
    if precision == "month":
        return day.replace(day=1)
    return day


_LEADING_WORDS = re.compile(
    r"^(?:(?:on|in|since|during|until|by|early|late|mid|the|of)\s+|mid-)+", re.IGNORECASE
)


@lru_cache(maxsize=64)
def _parser(base: dt.date | None, prefer_future: bool) -> DateDataParser:
    from dateparser.date import DateDataParser

    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "future" if prefer_future else "past",
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    return DateDataParser(languages=["en"], settings=settings)


@lru_cache(maxsize=4096)
def _dateparse(expression: str, base: dt.date | None, prefer_future: bool) -> dt.date | None:
    data = _parser(base, prefer_future).get_date_data(expression)
    if data.date_obj is None:
        return None
    day: dt.date = data.date_obj.date()
    return day


def resolve(mention: DateMention, base: dt.date | None, direction: Direction = "past") -> ResolvedDate | None:
    """The date ``mention`` names, against the publication date ``base``.

    ``direction`` says which side of ``base`` an incomplete date ("January 29", "on Tuesday") falls
    on: ``past`` for what a past-tense verb reports, ``future`` for what is planned, ``nearest`` when
    the sentence gives no tense (a noun such as "the January 29 visit").

    None for anchored and vague expressions (see ``resolve_anchored``), for relative ones without a
    base, and for partial dates (no year) without a base: without a base we would only be guessing.
    """
    if mention.kind in ("anchored", "vague"):
        return None
    has_year = re.search(_YEAR, mention.text) is not None
    if base is None and (mention.kind == "relative" or not has_year):
        return None
    expression = _LEADING_WORDS.sub("", mention.text.strip())
    expression = re.sub(r"^(?:mid|early|late|end)-", "", expression, flags=re.IGNORECASE)
    expression = _first_day_of_range(expression)
    expression = re.sub(r"\b(?:earlier|later)\s+", "", expression, flags=re.IGNORECASE)
    expression = re.sub(r"\bpast\b", "last", expression, flags=re.IGNORECASE)
    expression = re.sub(r"\bcoming\b", "next", expression, flags=re.IGNORECASE)
    weekday = _WEEKDAY_WORD.search(expression)
    lowered = expression.lower()
    if base is not None and lowered.endswith("weekend"):
        day: dt.date | None = _weekend(lowered, base, direction)
    elif base is not None and lowered == "last night":
        # news published in the morning reports the evening before as "last night"
        day = base - dt.timedelta(days=1)
    elif mention.precision == "year" and re.fullmatch(_YEAR, expression):
        day = dt.date(int(expression), 1, 1)
    elif weekday is not None and base is not None:
        day = _weekday(expression, weekday.group(0), base, direction)
    else:
        day = _dateparse(expression, base, direction == "future")
        if direction == "nearest" and day is not None and base is not None:
            later = _dateparse(expression, base, True)
            if later is not None and abs((later - base).days) < abs((base - day).days):
                day = later
    if day is None:
        return None
    basis: Basis = "stated" if mention.kind == "stated" else "relative"
    return ResolvedDate(_truncate(day, mention.precision), mention.precision, basis, mention.text)


_ANCHOR_PERIOD = re.compile(
    r"the\s+(?:(previous|following)\s+(week|month|year)|(week|month|year)\s+(before|after))", re.IGNORECASE
)
_ANCHOR_AMOUNT = re.compile(rf"(?P<count>{_COUNT})?\s*(?P<unit>hour|day|week|month|year)", re.IGNORECASE)


_WEEKDAY_WORD = re.compile(_WEEKDAYS)
_WEEKDAY_NUMBER = {name: number for number, name in enumerate(_WEEKDAYS.split("|"))}


def _weekday(expression: str, name: str, base: dt.date, direction: Direction) -> dt.date:
    """The day a weekday names, seen from ``base``: "on Monday" in a Monday paper is that day; "last"
    and "next" exclude it; a planned event looks forward, anything else back (news reports the past)."""
    target = _WEEKDAY_NUMBER[name]
    back = (base.weekday() - target) % 7
    forward = (target - base.weekday()) % 7
    lowered = expression.lower()
    if "next" in lowered or "coming" in lowered:
        return base + dt.timedelta(days=forward or 7)
    if "last" in lowered or "previous" in lowered:
        return base - dt.timedelta(days=back or 7)
    if direction == "future":
        return base + dt.timedelta(days=forward)
    return base - dt.timedelta(days=back)


def _first_day_of_range(expression: str) -> str:
    """ "16-17 January 2024" -> "16 January 2024"; "June 13 to 24, 2025" -> "June 13, 2025"."""
    match = _DAY_RANGE_FIRST.match(expression)
    if match:
        return f"{match.group('day')} {match.group('rest')}"
    match = _MONTH_RANGE_FIRST.match(expression)
    if match:
        return f"{match.group('month')} {match.group('day')}{match.group('year') or ''}"
    return expression


def _weekend(expression: str, base: dt.date, direction: Direction) -> dt.date:
    """The Saturday of the weekend an expression names. "Over the weekend" in a past report is the
    last weekend that began on or before ``base``; "next/coming weekend" and planned events look ahead."""
    saturday = 5
    back = (base.weekday() - saturday) % 7
    forward = (saturday - base.weekday()) % 7
    if expression.startswith(("next", "coming")):
        return base + dt.timedelta(days=forward or 7)
    if direction == "future" and not expression.startswith("last"):
        return base + dt.timedelta(days=forward)
    if expression.startswith("last") and back <= 1:
        # "last weekend" in a Saturday or Sunday paper is the one before
        return base - dt.timedelta(days=back + 7)
    return base - dt.timedelta(days=back)


def points_back(mention: DateMention) -> bool:
    """True for an anchored expression that counts back from its anchor ("two days earlier", "the day
    before", "the previous week"): with no anchor in the report, the event is earlier than something the
    report does not date, so the publication date would misdate it."""
    if mention.kind != "anchored":
        return False
    text = mention.text.lower()
    return bool(re.search(r"\b(?:earlier|before|previous)\b", text))


def continues_narrative(mention: DateMention) -> bool:
    """True for an anchored expression that carries on the report's own time ("in the battle that followed",
    "that night", "the same day", "the next day"): it is anchored to the last date the report has told,
    whatever event that date belonged to."""
    return mention.kind == "anchored" and _NARRATIVE.fullmatch(mention.text.strip()) is not None


def narrative_time(text_before: str, base: dt.date | None, depth: int = 0) -> ResolvedDate | None:
    """The time a report has reached at the end of ``text_before``: the last date expression in it, resolved
    against the publication date ``base`` (an anchored one against the time before it in turn). None when
    the text tells no date, or its last one names no day, month or year ("decades ago")."""
    mentions = find_dates(text_before)
    if not mentions:
        return None
    last = mentions[-1]
    if last.kind == "anchored" and depth < 3:
        anchor = narrative_time(text_before[: last.start], base, depth + 1)
        if anchor is None or anchor.precision != "day":
            return anchor
        return resolve_anchored(last, anchor.date)
    return resolve(last, base, "past")


def resolve_anchored(mention: DateMention, anchor: dt.date) -> ResolvedDate:
    """The date of an event told as "within 24 hours" / "two days later" after an event on ``anchor``,
    or as "two days earlier" / "the day before" it.

    "Within N" takes the end of the window: the event happened by then, and the window's end is
    never before the anchor event.
    """
    text = mention.text.lower()
    period = _ANCHOR_PERIOD.fullmatch(text)
    if _SAME_DAY.search(text) and not re.search(r"\b(?:next|following)\b", text):
        # "that followed", "the same day", "later that day": the anchor's own day
        return ResolvedDate(anchor, "day", "relative", mention.text)
    if period:
        # "the following week" -> "a week later": one unit on, at the unit's precision
        backwards = period.group(1) == "previous" or period.group(4) == "before"
        text = f"a {period.group(2) or period.group(3)} {'earlier' if backwards else 'later'}"
    elif "next" in text or "following" in text or "day after" in text or "a day later" in text:
        return ResolvedDate(anchor + dt.timedelta(days=1), "day", "relative", mention.text)
    elif "previous" in text or re.fullmatch(r"the\s+(?:day|night|evening)\s+before", text):
        return ResolvedDate(anchor - dt.timedelta(days=1), "day", "relative", mention.text)
    sign = -1 if re.search(r"\b(?:earlier|before)$", text) else 1
    match = _ANCHOR_AMOUNT.search(text.replace("within", ""))
    count = 1
    unit = "day"
    if match:
        unit = match.group("unit")
        raw = (match.group("count") or "1").strip()
        count = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 1)
    days = {"hour": count / 24, "day": count, "week": 7 * count, "month": 30 * count, "year": 365 * count}[
        unit
    ]
    whole_days = max(1, round(days)) if unit == "hour" else int(days)
    precision: Precision = "day" if unit in ("hour", "day", "week") else "year" if unit == "year" else "month"
    resolved = anchor + sign * dt.timedelta(days=whole_days)
    return ResolvedDate(_truncate(resolved, precision), precision, "relative", mention.text)
