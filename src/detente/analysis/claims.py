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
from functools import lru_cache
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
    # "ambassadors ... return" within a clause, not "... would not return" nor across a long sentence.
    r"\b(turnaround|restor\w*|ambassadors?\b[^.;]{0,60}?(?<!not )(?<!n't )\breturn|"
    r"return\w* of (?:their |the )?ambassadors|"
    r"normali[sz]\w*|thaw\w*|reconcil\w*|mend\w*|de-?escalat\w*|rapprochement|back on track|patch\w* up)",
    re.IGNORECASE,
)
# Moving away from the country named right after the cue ("... disengaging itself from Iran").
AWAY_CUES = re.compile(
    r"\b(?:away from|distanc\w* (?:(?:it|them)sel(?:f|ves) )?from|"
    r"disengag\w* (?:(?:it|them)sel(?:f|ves) )?from|"
    r"cool\w* (?:on|toward|towards|with)|turn\w* (?:its |their )?back on|"
    r"downgrad\w* (?:its |their )?(?:ties|relations) with|break\w* (?:ranks )?with)\b",
    re.IGNORECASE,
)
# Moving toward the country named right after the cue ("... toward Washington").
TOWARD_CUES = re.compile(
    r"\b(?:toward|towards|closer (?:ties )?(?:to|with)|pivot\w* to|tilt\w* (?:to|toward|towards)|"
    r"warm\w* (?:to|toward|towards|ties with)|rapprochement with|align\w* (?:(?:it|them)sel(?:f|ves) )?with|"
    r"restor\w* (?:the |its |their )?(?:relationship|relations|ties) with)\b",
    re.IGNORECASE,
)
ISOLATION_CUES = re.compile(
    r"\b(isolat\w*|friendless|(?:left|stand\w*|increasingly|all) alone|shunned|pariah|lonel\w*)\b",
    re.IGNORECASE,
)
# Sentence ends: . ! ? followed by space, or a line break (headlines and subheads have no full stop).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(slots=True)
class Claim:
    kind: str  # turnaround | realignment | isolation
    countries: tuple[str, ...]
    # The moment the claim is about; None when the article states no full date for it and has no
    # publication date (the check then asks for --published rather than guess).
    around: dt.date | None
    cue: str

    @property
    def when(self) -> dt.date:
        if self.around is None:
            raise InputError(f"{self.kind} claim about {'-'.join(self.countries)} has no date")
        return self.around


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
            "around": self.claim.around.isoformat() if self.claim.around else None,
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


def _day(event: Event) -> dt.date | None:
    """The event's date when it is known to the day (a year-dated "2001 agreement" is no anchor)."""
    if not event.date or (event.date_precision or "day") != "day":
        return None
    try:
        return dt.date.fromisoformat(event.date)
    except ValueError:
        return None


@dataclass(slots=True)
class _Sentence:
    text: str
    states: list[tuple[int, int, str]]  # (start, end, ISO3) of each state mention, in order


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import spacy

    return spacy.blank("en").tokenizer


def _sentences(text: str, when: dt.date | None) -> list[_Sentence]:
    """The article's sentences with the states each names (names, capitals, demonyms, leaders by date)."""
    from detente.coding.actors import ActorLexicon

    lexicon = ActorLexicon.load()
    tokenize = _tokenizer()
    out = []
    for piece in _SENTENCE_END.split(text):
        piece = piece.strip()
        if not piece:
            continue
        doc = tokenize(piece)
        states = [
            (doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1].text), m.country or "")
            for m in lexicon.match(doc, when)
            if _state(m.country)
        ]
        out.append(_Sentence(piece, states))
    return out


def _about(events: Sequence[Event]) -> list[Event]:
    """Interstate events the article tells as done, under way, planned or threatened: a claim is about
    what the article says ("is disengaging from Iran" may be coded as under way, not done). Denials and
    hypotheticals ("would cooperate if ...") claim nothing."""
    return [
        e
        for e in events
        if _state(e.source_country)
        and _state(e.target_country)
        and e.source_country != e.target_country
        and e.modality not in ("denied", "hypothetical")
    ]


def _pair(event: Event) -> tuple[str, str]:
    a, b = sorted((event.source_country or "", event.target_country or ""))
    return a, b


def detect_claims(text: str, events: Sequence[Event], published: dt.date | None) -> list[Claim]:
    """The claims an article makes: which kind, about which countries, around when.

    A claim follows what the article says: its cue words *and* the countries named in the same
    sentence, together with the events coded from it. A turnaround is a dyad the article shows in
    hostility (an asserted event of Goldstein ≤ -4) and in repair (a cooperative milestone between
    the same two, or a repair cue in a sentence naming them); a realignment is an actor moving away
    from one country (named after an away cue, else its most hostile partner in the article) and
    toward another (named after a toward cue, else its most cooperative partner), at least one side
    named by a cue; isolation is the country a sentence with an isolation cue is about (its first
    state named). Without a publication date, a claim is dated only by events whose full date the
    text states; otherwise ``around`` is None.
    """
    told = _about(events)
    sentences = _sentences(text, published)
    claims = _turnarounds(told, sentences, published)
    realignment = _realignment(told, sentences, published)
    if realignment:
        claims.append(realignment)
    claims += _isolation(told, sentences, published)
    return claims


def _turnarounds(
    told: Sequence[Event], sentences: Sequence[_Sentence], published: dt.date | None
) -> list[Claim]:
    cooperative_prefixes = [m.prefix for m in milestone_codes() if m.kind == "cooperative"]
    by_dyad: dict[tuple[str, str], list[Event]] = {}
    for e in told:
        by_dyad.setdefault(_pair(e), []).append(e)
    cue_sentences = [(s, m) for s in sentences if (m := TURNAROUND_CUES.search(s.text))]
    claims = []
    ordered = sorted(by_dyad.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    main = ordered[0][0] if ordered else None
    for (a, b), mine in ordered:
        hostile = [e for e in mine if e.goldstein <= -4 and e.modality == "asserted"]
        if not hostile:
            continue
        dates = [d for d in (_day(e) for e in hostile) if d]
        first_strike = min(dates) if dates else None
        repairs = [
            e
            for e in mine
            if e.goldstein > 0
            and any(e.cameo.startswith(p) for p in cooperative_prefixes)
            and (first_strike is None or (_day(e) or first_strike) >= first_strike)
        ]
        # A repair cue counts for a dyad when its sentence names no other state ("Pakistan's Foreign
        # Office said the situation should be de-escalated"), or, naming none at all ("the two restored
        # their ambassadors"), for the dyad the article tells most about.
        cue = next(
            (
                m.group(0)
                for s, m in cue_sentences
                if (named := {c for *_, c in s.states}) <= {a, b} and (named or (a, b) == main)
            ),
            None,
        )
        if not repairs and cue is None:
            continue
        around = first_strike or published
        claims.append(
            Claim("turnaround", (a, b), around, cue or f"{repairs[0].cameo_label.lower()} after hostility")
        )
    return claims


def _named_after(sentence: _Sentence, offset: int) -> str | None:
    return next((c for start, _, c in sentence.states if start >= offset), None)


def _named_before(sentence: _Sentence, offset: int) -> list[str]:
    return [c for _, end, c in sentence.states if end <= offset]


def _realignment(
    told: Sequence[Event], sentences: Sequence[_Sentence], published: dt.date | None
) -> Claim | None:
    away: Counter[tuple[str, str]] = Counter()
    toward: Counter[tuple[str, str]] = Counter()
    cues: dict[tuple[str, str, str], str] = {}
    for sentence in sentences:
        for votes, pattern, side in ((away, AWAY_CUES, "away"), (toward, TOWARD_CUES, "toward")):
            for match in pattern.finditer(sentence.text):
                partner = _named_after(sentence, match.end())
                if partner is None:
                    continue
                for actor in set(_named_before(sentence, match.start())) - {partner}:
                    votes[actor, partner] += 1
                    cues.setdefault((side, actor, partner), match.group(0))
    if not away and not toward:
        return None
    # Each actor's partners by the net weight of what the article tells between them.
    net: dict[str, dict[str, float]] = {}
    for e in told:
        source, target = e.source_country or "", e.target_country or ""
        net.setdefault(source, {})[target] = net.get(source, {}).get(target, 0.0) + e.goldstein
        net.setdefault(target, {})[source] = net.get(target, {}).get(source, 0.0) + e.goldstein
    best: tuple[float, Claim] | None = None
    for actor in sorted({a for a, _ in away} | {a for a, _ in toward}):
        partners = net.get(actor, {})
        # A side named by a cue first (most votes), else the partner the article's events show most
        # hostile (away) or most cooperative (toward).
        away_from = [p for (a, p), _ in away.most_common() if a == actor]
        away_from += [p for p, w in sorted(partners.items(), key=lambda kv: kv[1]) if w < 0]
        b = away_from[0] if away_from else None
        toward_to = [p for (a, p), _ in toward.most_common() if a == actor and p != b]
        toward_to += [p for p, w in sorted(partners.items(), key=lambda kv: -kv[1]) if w > 0 and p != b]
        c = toward_to[0] if toward_to else None
        if b is None or c is None or not (away[actor, b] or toward[actor, c]):
            continue
        score = away[actor, b] + toward[actor, c] + (partners.get(b, 0) < 0) + (partners.get(c, 0) > 0)
        cue = " … ".join(x for x in (cues.get(("away", actor, b)), cues.get(("toward", actor, c))) if x)
        dated = [
            d
            for e in told
            if {e.source_country, e.target_country} in ({actor, b}, {actor, c}) and (d := _day(e)) is not None
        ]
        claim = Claim("realignment", (actor, b, c), published or (max(dated) if dated else None), cue)
        if best is None or score > best[0]:
            best = (score, claim)
    return best[1] if best else None


def _isolation(
    told: Sequence[Event], sentences: Sequence[_Sentence], published: dt.date | None
) -> list[Claim]:
    votes: Counter[str] = Counter()
    cues: dict[str, str] = {}
    for sentence in sentences:
        match = ISOLATION_CUES.search(sentence.text)
        if match and sentence.states:
            # The sentence's subject, which is usually the first state it names.
            country = sentence.states[0][2]
            votes[country] += 1
            cues.setdefault(country, match.group(0))
    if not votes:
        return []
    country, _ = votes.most_common(1)[0]
    dated = [
        d for e in told if country in (e.source_country, e.target_country) and (d := _day(e)) is not None
    ]
    around = published or (max(dated) if dated else None)
    return [Claim("isolation", (country,), around, cues[country])]


def _check_turnaround(store: Any, claim: Claim, params: IndexParams, scan_cache: dict[str, Any]) -> Verdict:
    a, b = claim.countries
    if "scan" not in scan_cache:
        scan_cache["scan"] = find_turnarounds(store, params=params)
    scan = scan_cache["scan"]
    episode = scan.locate(a, b, claim.when)
    if episode is None or abs((episode.nadir - claim.when).days) > 60:
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
        start=claim.when - dt.timedelta(days=365),
        end=claim.when + dt.timedelta(days=60),
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
    result = isolation(store, a, start=claim.when - dt.timedelta(days=365), end=claim.when, params=params)
    trend = result.trend
    last = result.frame.tail(3)
    share = float(last["coop_share"].mean()) if not last.empty else float("nan")
    status = "supported" if trend > 0.05 else "not supported"
    summary = (
        f"{a} isolation: score moved {trend:+.2f} over the year to {claim.when} "
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
    when = document.published or published
    connection = as_connection(store)
    data_span(connection, detect_source(connection, None))
    claims = detect_claims(document.text, coded, when)
    undated = [c for c in claims if c.around is None]
    if undated:
        # Guessing "now" (today, or the article's latest date) would test the claim against the
        # wrong year: ask for the date instead.
        about = ", ".join(f"{c.kind} {'-'.join(c.countries)}" for c in undated)
        raise InputError(
            f"{document.origin or document.doc_id}: no publication date, and the text gives no full date "
            f"for what it claims ({about}): give --published YYYY-MM-DD"
        )
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
        published=when,
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
