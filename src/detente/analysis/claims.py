"""Claim check: code an article, find what it claims about which dyads, test each claim on the store.

Claims are recognised from the article's own coded events (which dyads it is about, which side is
hostile or cooperative) together with cue words (a turnaround: "restored", "ambassadors", "normalise",
"thaw"; a realignment: "away from", "toward", "pivot", "distance"; isolation: "isolated", "alone").
Each claim is then measured against the store with the matching analysis, and gets a verdict with
figures and the events behind them: supported, not supported, or cannot tell (no data).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from detente.analysis._db import as_connection, data_span, detect_source
from detente.analysis.index import DEFAULT_PARAMS, IndexParams
from detente.analysis.isolation import isolation
from detente.analysis.realign import realign
from detente.analysis.turnarounds import find_turnarounds, milestone_codes
from detente.countries import NON_STATE_CODES, is_iso3
from detente.errors import DetenteError, InputError
from detente.record import Document, Event

__all__ = ["Claim", "ClaimReport", "Verdict", "check_claims", "detect_claims"]

TURNAROUND_CUES = re.compile(
    r"\b(turnaround|restor\w*|ambassadors?\b.*\breturn|return\w* of (?:their |the )?ambassadors|"
    r"normali[sz]\w*|"
    r"thaw\w*|reconcil\w*|mend\w*|de-?escalat\w*|rapprochement|back on track|patch\w* up)",
    re.IGNORECASE,
)
REALIGN_CUES = re.compile(
    r"\b(away from|toward|towards|pivot\w*|realign\w*|disengag\w*|distanc\w*|tilt\w*|closer to|drift\w*|"
    r"cool\w* (?:on|toward)|warm\w* (?:to|toward))\b",
    re.IGNORECASE,
)
ISOLATION_CUES = re.compile(r"\b(isolat\w*|friendless|alone|shunned|cut off|pariah)\b", re.IGNORECASE)


@dataclass(slots=True)
class Claim:
    kind: str  # turnaround | realignment | isolation
    countries: tuple[str, ...]
    around: dt.date
    cue: str


@dataclass(slots=True)
class Verdict:
    claim: Claim
    status: str  # supported | not supported | no data
    summary: str
    figures: dict[str, Any] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.claim.kind,
            "countries": list(self.claim.countries),
            "around": self.claim.around.isoformat(),
            "cue": self.claim.cue,
            "status": self.status,
            "summary": self.summary,
            "figures": self.figures,
            "evidence": self.evidence,
        }


@dataclass(slots=True)
class ClaimReport:
    doc_id: str
    title: str | None
    published: dt.date | None
    events: int
    dyads: list[tuple[str, str, int]]
    verdicts: list[Verdict]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "events": self.events,
            "dyads": [{"dyad": f"{a}-{b}", "events": n} for a, b, n in self.dyads],
            "verdicts": [v.to_dict() for v in self.verdicts],
        }


def _state(code: str | None) -> bool:
    return bool(code) and is_iso3(code or "") and code not in NON_STATE_CODES


def _event_date(event: Event, fallback: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(event.date) if event.date else fallback
    except ValueError:
        return fallback


def detect_claims(text: str, events: Sequence[Event], published: dt.date) -> list[Claim]:
    """The claims an article makes, from its coded events and its cue words."""
    interstate = [
        e
        for e in events
        if _state(e.source_country)
        and _state(e.target_country)
        and e.source_country != e.target_country
        and e.modality == "asserted"
    ]
    if not interstate:
        return []
    claims: list[Claim] = []
    cooperative_prefixes = [m.prefix for m in milestone_codes() if m.kind == "cooperative"]
    by_dyad: dict[tuple[str, str], list[Event]] = {}
    for e in interstate:
        key = tuple(sorted((e.source_country or "", e.target_country or "")))
        by_dyad.setdefault(key, []).append(e)  # type: ignore[arg-type]
    cue = TURNAROUND_CUES.search(text)
    for (a, b), told in sorted(by_dyad.items(), key=lambda kv: -len(kv[1])):
        hostile = [e for e in told if e.goldstein <= -4]
        repair = [e for e in told if any(e.cameo.startswith(p) for p in cooperative_prefixes)]
        if hostile and (repair or cue):
            around = min(_event_date(e, published) for e in hostile)
            claims.append(
                Claim("turnaround", (a, b), around, cue.group(0) if cue else "hostile and repair events")
            )
    realign_cue = REALIGN_CUES.search(text)
    named = _named_realignment(text, interstate, published)
    if named is not None:
        claims.append(named)
    elif realign_cue:
        actors = Counter(c for e in interstate for c in (e.source_country, e.target_country))
        for actor, _ in actors.most_common(2):
            net: dict[str, float] = {}
            for e in interstate:
                if actor in (e.source_country, e.target_country):
                    other = e.target_country if e.source_country == actor else e.source_country
                    net[other or ""] = net.get(other or "", 0.0) + e.goldstein
            if len(net) < 2:
                continue
            ordered = sorted(net.items(), key=lambda kv: kv[1])
            (away, low), (toward, high) = ordered[0], ordered[-1]
            if high > low:
                dates = [
                    _event_date(e, published)
                    for e in interstate
                    if actor in (e.source_country, e.target_country)
                ]
                claims.append(
                    Claim("realignment", (str(actor), away, toward), max(dates), realign_cue.group(0))
                )
                break
    isolation_cue = ISOLATION_CUES.search(text)
    if isolation_cue:
        targets = Counter(e.target_country for e in interstate if e.goldstein < 0)
        if targets:
            actor = targets.most_common(1)[0][0] or ""
            claims.append(Claim("isolation", (actor,), published, isolation_cue.group(0)))
    return claims


AWAY_PHRASE = re.compile(
    r"\b(?:away from|distanc\w* (?:itself |themselves )?from|disengag\w* from|cool\w* (?:on|toward|towards)|"
    r"turn\w* (?:its |their )?back on)\s+((?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})"
)
TOWARD_PHRASE = re.compile(
    r"\b(?:toward|towards|closer to|pivot\w* to|tilt\w* to|warm\w* (?:to|toward|towards))\s+"
    r"((?:the\s+)?[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,2})"
)


def _country_of(phrase: str, when: dt.date) -> str | None:
    """ISO3 of a place or state name in running text ("Washington", "the United States", "Iran")."""
    from detente.coding.actors import ActorLexicon

    words = phrase.split()
    # Longest prefix that resolves: "Iran while" is cut to "Iran".
    for size in range(len(words), 0, -1):
        actor = ActorLexicon.load().resolve(" ".join(words[:size]), when)
        if actor is not None and _state(actor.country):
            return actor.country
    return None


def _named_realignment(text: str, events: Sequence[Event], published: dt.date) -> Claim | None:
    """A realignment named in the text ("... away from Iran and toward Washington"), its actor the
    country the article's events involve most (other than the two partners)."""
    away_match, toward_match = AWAY_PHRASE.search(text), TOWARD_PHRASE.search(text)
    if not away_match or not toward_match:
        return None
    away = _country_of(away_match.group(1), published)
    toward = _country_of(toward_match.group(1), published)
    if not away or not toward or away == toward:
        return None
    actors = Counter(
        c for e in events for c in (e.source_country, e.target_country) if c not in (away, toward)
    )
    if not actors:
        return None
    actor = str(actors.most_common(1)[0][0])
    return Claim(
        "realignment", (actor, away, toward), published, f"{away_match.group(0)} … {toward_match.group(0)}"
    )


def _check_turnaround(store: Any, claim: Claim, params: IndexParams, scan_cache: dict[str, Any]) -> Verdict:
    a, b = claim.countries
    if "scan" not in scan_cache:
        scan_cache["scan"] = find_turnarounds(store, params=params)
    scan = scan_cache["scan"]
    episode = scan.locate(a, b, claim.around)
    if episode is None or abs((episode.nadir - claim.around).days) > 60:
        return Verdict(
            claim,
            "not supported",
            f"{a}-{b}: not supported: the store shows no fall below -{params.hostile:g} on the relations "
            f"index around {claim.around}",
        )
    figures = episode.to_dict()
    first = scan.start
    total = len(scan.ranked)
    parts = [f"{episode.dyad}: nadir {episode.nadir} (index {-episode.depth:.1f})"]
    evidence = []
    if episode.milestone:
        parts.append(
            f"first cooperative milestone {episode.milestone} ({episode.milestone_label}): "
            f"{episode.days_to_milestone} days"
        )
        evidence.append(
            {
                "date": episode.milestone.isoformat(),
                "cameo": episode.milestone_cameo,
                "sentence": episode.milestone_sentence,
            }
        )
    if episode.hostile_date:
        evidence.insert(
            0,
            {
                "date": episode.hostile_date.isoformat(),
                "cameo": episode.hostile_cameo,
                "sentence": episode.hostile_sentence,
            },
        )
    if episode.recovery:
        parts.append(
            f"index back to {params.recovered:+g} on {episode.recovery}: {episode.days_to_recovery} days"
        )
    else:
        parts.append("index not yet back to ordinary relations")
    if episode.rank is not None:
        speed = episode.speed_days
        ties = sum(1 for other in scan.ranked if other.speed_days == speed) - 1
        faster = sum(1 for other in scan.ranked if (other.speed_days or 0) < (speed or 0))
        position = "fastest" if faster == 0 else f"{_ordinal(faster + 1)} fastest"
        if ties:
            position = f"tied {position} (with {ties} other{'s' if ties > 1 else ''})"
        parts.append(
            f"{position} of {total} turnarounds in the store since {first} "
            f"(by {scan.rule}; faster than {100 * (episode.faster_than or 0):.0f}%)"
        )
        status = "supported"
    else:
        status = "not supported"
        parts.append(f"no recovery by the {scan.rule} rule in the store (to {scan.end})")
    return Verdict(claim, status, "; ".join(parts), figures, evidence)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _check_realignment(store: Any, claim: Claim, params: IndexParams) -> Verdict:
    a, b, c = claim.countries
    result = realign(
        store,
        a,
        b,
        c,
        start=claim.around - dt.timedelta(days=365),
        end=claim.around + dt.timedelta(days=60),
        params=params,
    )
    best = result.strongest
    if best is None:
        moves = ", ".join(
            f"{s.date}: {a}-{b} {s.away_shift:+.1f}, {a}-{c} {s.toward_shift:+.1f}"
            for s in result.change_points
        )
        return Verdict(
            claim,
            "not supported",
            f"{a} away from {b} toward {c}: not supported: no change point moves {a}-{b} down and "
            f"{a}-{c} up" + (f" (change points: {moves})" if moves else ""),
            result.to_dict(),
        )
    summary = (
        f"{a} away from {b} toward {c}: shift on {best.date}: {a}-{b} {best.away_before:+.1f} -> "
        f"{best.away_after:+.1f}, {a}-{c} {best.toward_before:+.1f} -> {best.toward_after:+.1f}"
    )
    return Verdict(claim, "supported", summary, best.to_dict(), best.away_events + best.toward_events)


def _check_isolation(store: Any, claim: Claim, params: IndexParams) -> Verdict:
    (a,) = claim.countries
    result = isolation(store, a, start=claim.around - dt.timedelta(days=365), end=claim.around, params=params)
    trend = result.trend
    last = result.frame.tail(3)
    share = float(last["coop_share"].mean()) if not last.empty else float("nan")
    status = "supported" if trend > 0.05 else "not supported"
    summary = (
        f"{a} isolation: score moved {trend:+.2f} over the year to {claim.around} "
        f"(cooperative share of its interaction lately {share:.0%}, "
        f"partners {', '.join(result.partners[:6])})"
    )
    if status == "not supported":
        summary = f"{a} isolation: not supported: " + summary.split(": ", 1)[1]
    return Verdict(claim, status, summary, result.to_dict())


def check_claims(
    store: Any,
    article: str | Path | Document,
    *,
    published: dt.date | None = None,
    events: Iterable[Event] | None = None,
    params: IndexParams = DEFAULT_PARAMS,
) -> ClaimReport:
    """Code ``article`` (a path, text or Document), find its claims and test them on ``store``."""
    document = _document(article, published)
    if events is None:
        from detente.coding import code_documents

        coded = list(code_documents([document]))
    else:
        coded = list(events)
    # Without a publication date, the article's latest dated event stands for "now".
    dated = [d for d in (_event_date(e, dt.date.min) for e in coded) if d != dt.date.min]
    when = document.published or published or (max(dated) if dated else dt.date.today())
    connection = as_connection(store)
    data_span(connection, detect_source(connection, None))
    claims = detect_claims(document.text, coded, when)
    counts = Counter(
        tuple(sorted((e.source_country or "", e.target_country or "")))
        for e in coded
        if _state(e.source_country) and _state(e.target_country) and e.source_country != e.target_country
    )
    verdicts: list[Verdict] = []
    cache: dict[str, Any] = {}
    for claim in claims:
        try:
            if claim.kind == "turnaround":
                verdicts.append(_check_turnaround(connection, claim, params, cache))
            elif claim.kind == "realignment":
                verdicts.append(_check_realignment(connection, claim, params))
            else:
                verdicts.append(_check_isolation(connection, claim, params))
        except DetenteError as error:
            verdicts.append(
                Verdict(claim, "no data", f"{'-'.join(claim.countries)} {claim.kind}: cannot tell: {error}")
            )
    return ClaimReport(
        doc_id=document.doc_id,
        title=document.title,
        published=document.published,
        events=len(coded),
        dyads=[(a, b, n) for (a, b), n in counts.most_common()],
        verdicts=verdicts,
    )


def _document(article: str | Path | Document, published: dt.date | None) -> Document:
    if isinstance(article, Document):
        return article
    path = (
        Path(article)
        if isinstance(article, Path)
        or (isinstance(article, str) and len(article) < 4096 and "\n" not in article)
        else None
    )
    if path is not None and path.exists():
        from detente.sources import read_paths

        problems: list[str] = []
        documents = list(
            read_paths([path], published=published, on_error=lambda *args: problems.append(str(args[-1])))
        )
        if not documents:
            raise InputError(f"{path}: no article could be read" + (f" ({problems[0]})" if problems else ""))
        return documents[0]
    if path is not None and isinstance(article, Path):
        raise InputError(f"{article}: no such file")
    if isinstance(article, str) and len(article.split()) > 5:
        return Document(doc_id="article", text=article, published=published)
    raise InputError(f"{article}: no such file")
