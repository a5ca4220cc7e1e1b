"""The actor matcher: dictionary phrases found on tokenizer output, resolved by the event's date.

Matching works on a spaCy ``Doc`` straight from the tokenizer (no tagger or parser), so the coder can use it
as a cheap pre-filter before it spends the parser on a sentence. Phrases are kept in a token trie keyed on
folded token text; the longest phrase at each token wins, scanning left to right, so mentions never overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

import spacy
from spacy.tokens import Doc

from detente.coding.actors._data import (
    NamedEntry,
    Period,
    SectorNoun,
    fold,
    read_lines,
    read_named,
    read_organisations,
    read_people,
    read_places,
    read_sectors,
    read_states,
)

__all__ = ["Actor", "ActorLexicon", "ActorMention"]

# Which entry wins when several name exactly the same tokens: the more specific identity first. Curated state
# names outrank pycountry's (pycountry calls the Republic of the Congo just "Congo"; news means the DRC).
_RANK = {
    "block": 100,
    "person": 90,
    "group": 80,
    "org": 70,
    "alias": 60,
    "state": 50,
    "capital": 45,
    "demonym": 40,
    "community": 38,
    "place": 35,
    "sector": 30,
    "short": 20,
    "titled": 10,
}
_CURATED_BONUS = 1

# Words before a sector noun or a person that turn them into a former office holder (PLOVER ELI).
_FORMER = frozenset({"former", "ex", "ex-", "erstwhile", "onetime", "one-time", "late"})
# "Hamas-run health ministry", "Saudi-led coalition": the body belongs to the country or group before
# the hyphen.
_CONTROLLED = frozenset(
    {"run", "led", "controlled", "ruled", "held", "administered", "governed", "dominated"}
)
# "Turkish-backed rebels", "Iran-allied militias": the backer is not the actor's country.
_BACKED = frozenset({"backed", "allied", "aligned", "funded", "sponsored", "supported", "armed", "trained"})
_POSSESSIVE = frozenset({"'s", "'"})


@dataclass(frozen=True)
class ActorMention:
    """An actor phrase found in a document: tokens ``[start, end)`` of the Doc and what they stand for.

    ``country`` is None for a bare sector noun ("the army"); ``sector`` is "" when only the country is named.
    """

    start: int
    end: int
    text: str
    country: str | None
    sector: str
    kind: str  # state | alias | capital | demonym | place | person | org | group | sector
    entry_id: str
    office: str = ""
    org: str = ""


@dataclass(frozen=True)
class Actor:
    """A whole noun phrase resolved to one actor (``ActorLexicon.resolve``)."""

    country: str | None
    sector: str
    text: str
    kind: str
    entry_id: str
    office: str = ""
    org: str = ""


@dataclass(frozen=True)
class _Pattern:
    entry: int  # index into ActorLexicon._entries
    case: tuple[str, ...]  # per token: "any", "title" (capitalised) or "upper" (acronym)
    rank: int


@dataclass
class _Entry:
    entry_id: str
    kind: str
    periods: tuple[Period, ...]
    org: str = ""
    weak: str = "no"
    office: str = ""


_Tokenize = Callable[[str], Doc]


class _Text:
    """A Doc's token texts, folded once per call: the matcher reads them many times."""

    __slots__ = ("doc", "folded", "offsets", "text", "words")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text rebuilds the string on every access
        self.words = [token.text for token in doc]
        self.offsets = [token.idx for token in doc]
        self.folded = [fold(word) for word in self.words]

    def span(self, start: int, end: int) -> str:
        """The text of tokens [start, end), as ``doc[start:end].text`` gives it."""
        if start >= end:
            return ""
        return self.text[self.offsets[start] : self.offsets[end - 1] + len(self.words[end - 1])]


_END = ""  # trie key holding the patterns that end at a node (no token folds to "")


def _case_of(token_text: str) -> str:
    letters = [ch for ch in token_text if ch.isalpha()]
    if len(letters) >= 2 and all(ch.isupper() for ch in letters):
        return "upper"
    if letters and token_text[0].isupper():
        return "title"
    return "any"


def _case_ok(text: str, requirement: str) -> bool:
    if requirement == "any":
        return True
    if requirement == "upper":
        return text.isupper()
    return text[:1].isupper() or text.isupper()


class ActorLexicon:
    """Every actor the coder knows: states, their names, demonyms and capitals, national institutions,
    international organisations, armed groups, people with tenures, and sector nouns."""

    _cached: ActorLexicon | None = None
    _lock = threading.Lock()

    def __init__(self, tokenize: _Tokenize | None = None) -> None:
        self._tokenize: _Tokenize = tokenize or spacy.blank("en").tokenizer
        self._entries: list[_Entry] = []
        self._by_id: dict[str, int] = {}
        # names of the entries (not people) whose role changed over time, folded: the bare name can be settled
        # by its sentence when there is no date ("Taliban government" says its role itself)
        self._changing: dict[str, frozenset[str]] = {}
        self._trie: dict = {}
        self._titles: set[tuple[str, ...]] = set()
        self._title_len = 0
        self._build()

    @classmethod
    def load(cls) -> ActorLexicon:
        """The lexicon built from the package's data files, built once per process."""
        with cls._lock:
            if cls._cached is None:
                cls._cached = cls()
            return cls._cached

    # ----------------------------------------------------------------- building
    def _add_entry(self, entry: _Entry) -> int:
        self._entries.append(entry)
        self._by_id.setdefault(entry.entry_id, len(self._entries) - 1)
        return len(self._entries) - 1

    def _tokens(self, phrase: str) -> list[str]:
        words = phrase.split()
        # Words of letters alone come out of the tokenizer as they are; skipping it halves the load time.
        if all(word.isalpha() for word in words):
            return words
        return [token.text for token in self._tokenize(phrase)]

    def _has_phrase(self, phrase: str) -> bool:
        node: dict | None = self._trie
        for token in self._tokens(phrase):
            node = node.get(fold(token)) if node is not None else None
        return bool(node and node.get(_END))

    def _add_phrase(self, phrase: str, entry: int, rank: int) -> None:
        tokens = self._tokens(phrase)
        if not tokens:
            return
        # A leading "the" is optional in text ("the Kremlin", "Kremlin"); keep the phrase without it.
        if len(tokens) > 1 and tokens[0].lower() == "the":
            tokens = tokens[1:]
        node = self._trie
        for token in tokens:
            node = node.setdefault(fold(token), {})
        pattern = _Pattern(entry=entry, case=tuple(_case_of(token) for token in tokens), rank=rank)
        bucket: list[_Pattern] = node.setdefault(_END, [])
        if pattern not in bucket:
            bucket.append(pattern)

    def _build(self) -> None:
        pycountry_names = {fold(name) for name in _pycountry_plain_names()}
        for iso3, names, demonyms, capitals in read_states():
            state = self._add_entry(_Entry(f"state:{iso3}", "state", (Period(iso3, ""),)))
            for name in names:
                bonus = 0 if fold(name) in pycountry_names else _CURATED_BONUS
                self._add_phrase(name, state, _RANK["state"] + bonus)
            if demonyms:
                demonym = self._add_entry(_Entry(f"demonym:{iso3}", "demonym", (Period(iso3, ""),)))
                for name in demonyms:
                    self._add_phrase(name, demonym, _RANK["demonym"])
            if capitals:
                capital = self._add_entry(_Entry(f"capital:{iso3}", "capital", (Period(iso3, "GOV"),)))
                for name in capitals:
                    self._add_phrase(name, capital, _RANK["capital"])
        place_entries: dict[str, int] = {}
        for name, iso3 in read_places():
            # A state, capital or demonym of the same spelling outranks a province ("Niger", "Georgia").
            if self._has_phrase(name):
                continue
            if iso3 not in place_entries:
                place_entries[iso3] = self._add_entry(_Entry(f"place:{iso3}", "place", (Period(iso3, ""),)))
            self._add_phrase(name, place_entries[iso3], _RANK["place"])
        for entries, kind in (
            (read_named("institutions.csv", "alias"), "alias"),
            (read_named("groups.csv", "group"), "group"),
            (read_named("communities.csv", "community"), "community"),
            (read_named("parties.csv", "alias"), "alias"),
            (read_organisations(), "org"),
        ):
            for named in entries:
                self._add_named(named, kind)
        self._add_people(read_people())
        for noun in read_sectors():
            self._add_sector(noun)
        block = self._add_entry(_Entry("block", "block", ()))
        for phrase in read_lines("nonactors.txt"):
            self._add_phrase(phrase, block, _RANK["block"])
        for title in read_lines("titles.txt"):
            # The tokenizer keeps "Gen." whole but splits "gen.": index every way a title is written.
            for variant in {title, title.capitalize(), title.title()}:
                folded = tuple(fold(token.text) for token in self._tokenize(variant))
                self._titles.add(folded)
                self._title_len = max(self._title_len, len(folded))

    def _add_named(self, named: NamedEntry, kind: str) -> None:
        index = self._add_entry(_Entry(named.entry_id, kind, tuple(named.periods), org=named.org))
        if len({(p.country, p.sector) for p in named.periods}) > 1:
            self._changing[named.entry_id] = frozenset(fold(name) for name in named.names)
        for name in named.names:
            self._add_phrase(name, index, _RANK[kind])

    def _add_people(self, people: list[NamedEntry]) -> None:
        """Full names and aliases always match; a short form alone only when it cannot be a common word.

        ``short`` in people.csv: empty means the last word of the name, ``-`` means no short form, and
        ``~Moon`` a form that counts only right after a title ("President Moon", never "the moon").
        A short form in surname_stoplist.txt is treated as ``~``.
        """
        stop = {fold(word) for word in read_lines("surname_stoplist.txt")}
        for person in people:
            index = self._add_entry(_Entry(person.entry_id, "person", tuple(person.periods)))
            for name in person.names:
                self._add_phrase(name, index, _RANK["person"])
            shorts = person.short or [person.names[0].split()[-1]]
            for short in shorts:
                if short == "-":
                    continue
                titled = short.startswith("~") or fold(short.lstrip("~")) in stop
                short = short.lstrip("~")
                if fold(short) != fold(person.names[0]):
                    self._add_phrase(short, index, _RANK["titled" if titled else "short"])

    def _add_sector(self, noun: SectorNoun) -> None:
        entry_id = f"sector:{noun.sector}:{noun.forms[0]}"
        index = self._add_entry(
            _Entry(entry_id, "sector", (Period("", noun.sector),), weak=noun.weak, office=noun.office)
        )
        for form in noun.forms:
            self._add_phrase(form, index, _RANK["sector"])

    # ----------------------------------------------------------------- matching
    def _scan(self, tx: _Text) -> list[tuple[int, int, list[_Pattern]]]:
        """Longest leftmost dictionary phrases: (start, end, patterns that matched those tokens)."""
        folded = tx.folded
        words = tx.words
        found: list[tuple[int, int, list[_Pattern]]] = []
        length = len(folded)
        i = 0
        while i < length:
            node = self._trie
            best: tuple[int, list[_Pattern]] | None = None
            j = i
            while j < length:
                child = node.get(folded[j])
                if child is None:
                    break
                node = child
                j += 1
                patterns = node.get(_END)
                if patterns:
                    fitting = [
                        p for p in patterns if all(_case_ok(words[i + k], c) for k, c in enumerate(p.case))
                    ]
                    if fitting:
                        best = (j, fitting)
            if best is not None:
                found.append((i, best[0], best[1]))
                i = best[0]
                continue
            prefix = self._hyphen_prefix(words[i])
            if prefix:
                found.append((i, i + 1, prefix))
            i += 1
        return found

    def _hyphen_prefix(self, text: str) -> list[_Pattern]:
        """Patterns for the part before a hyphen the tokenizer kept inside one token ("U.S.-led")."""
        if "-" not in text[1:]:
            return []
        head = text.split("-", 1)[0]
        node = self._trie.get(fold(head))
        patterns = node.get(_END) if node else None
        if not patterns:
            return []
        return [p for p in patterns if len(p.case) == 1 and _case_ok(head, p.case[0])]

    def match(self, doc: Doc, date: date | None = None, *, compose: bool = False) -> list[ActorMention]:
        """Actor mentions in ``doc`` (tokenizer output suffices), resolved as of ``date`` (None: today).

        Titles before a known person are part of that person's mention ("President Putin"); adjacent sector
        nouns make one mention ("foreign ministry spokesman" -> DIP). With ``compose`` a country directly
        before a sector noun is folded into it ("Iranian foreign minister", "Pakistan's army chief").
        """
        day = _day(date)
        tx = _Text(doc)
        mentions: list[ActorMention] = []
        weak: dict[int, str] = {}
        for start, end, patterns in self._scan(tx):
            mention = self._resolve_patterns(
                tx, start, end, patterns, day, mentions[-1] if mentions else None
            )
            if mention is None:
                continue
            entry_weak = self._entries[patterns[0].entry].weak if mention.kind == "sector" else "no"
            weak[len(mentions)] = entry_weak
            mentions.append(mention)
        mentions = self._merge_heads(tx, mentions, weak)
        mentions = self._absorb_titles(tx, mentions, day)
        mentions = self._mark_former(tx, mentions)
        if compose:
            mentions = self._compose(tx, mentions)
        if date is None:
            mentions = self._apart_when_undated(doc, mentions)
        return mentions

    def _apart_when_undated(self, doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
        """With no date to go by, an actor whose role changed (the Taliban: insurgents until 15 August 2021,
        the government since) is read in the role that keeps it apart from the other actors its sentence
        names for its country: in "the Taliban rejected talks with the Afghan government" it cannot be that
        government. Read as of today otherwise."""
        sentence_of: list[int] = []
        number = 0
        for token in doc:
            if token.i > 0 and token.is_sent_start:
                number += 1
            sentence_of.append(number)
        settled: list[ActorMention] = []
        for mention in mentions:
            names = self._changing.get(mention.entry_id)
            index = self._by_id.get(mention.entry_id)
            if names is None or index is None or fold(mention.text) not in names:
                settled.append(mention)
                continue
            periods = self._entries[index].periods
            # a capital or a place is as often where something happens as who does it ("met in Kabul")
            taken = {
                other.sector
                for other in mentions
                if other is not mention
                and other.kind not in ("capital", "place")
                and other.country == mention.country
                and sentence_of[other.start] == sentence_of[mention.start]
            }
            if mention.sector not in taken:
                settled.append(mention)
                continue
            others = [p for p in periods if p.country == mention.country and p.sector not in taken]
            if not others:
                settled.append(mention)
                continue
            latest = max(others, key=lambda p: p.start or date.min)
            settled.append(replace(mention, sector=latest.sector))
        return settled

    def has_actor(self, doc: Doc) -> bool:
        """Whether any state, organisation, group, person or sector noun occurs (cheap pre-filter)."""
        return any(
            any(self._entries[p.entry].kind != "block" for p in patterns)
            for _, _, patterns in self._scan(_Text(doc))
        )

    def _country_before(self, doc: _Text, previous: ActorMention | None, start: int) -> str | None:
        """The country named right before a name, past a possessive and a title: "Jordan's King Abdullah",
        "Saudi Foreign Minister ..."; it tells apart people who share a name."""
        if previous is None or not previous.country or previous.kind not in ("state", "demonym", "capital"):
            return None
        gap = [doc.folded[k] for k in range(previous.end, self._title_start(doc, start))]
        return previous.country if len(gap) <= 1 and all(t in _POSSESSIVE for t in gap) else None

    def _resolve_patterns(
        self,
        doc: _Text,
        start: int,
        end: int,
        patterns: Sequence[_Pattern],
        day: date,
        previous: ActorMention | None = None,
    ) -> ActorMention | None:
        titled = _RANK["titled"]
        if any(p.rank == titled for p in patterns) and not self._titled_before(doc, start):
            patterns = [p for p in patterns if p.rank != titled]
            if not patterns:
                return None
        top = max(p.rank for p in patterns)
        best = [p for p in patterns if p.rank == top]
        text = doc.span(start, end)
        entry = self._entries[best[0].entry]
        if entry.kind == "block":
            return None
        if entry.kind == "person":
            # Several people may share a name ("King Abdullah", "Sharif"): the one in office that day.
            candidates = [self._entries[p.entry] for p in best]
            country_hint = self._country_before(doc, previous, start) if len(candidates) > 1 else None
            if country_hint is not None:
                # "Jordan's King Abdullah": the bearer of the country the text names
                candidates = [
                    c for c in candidates if any(p.country == country_hint for p in c.periods)
                ] or candidates
            chosen = self._pick_person(candidates, day)
            if chosen is None:
                return None
            return self._person_mention(chosen, start, end, text, day)
        period = _period_at(entry.periods, day)
        country = period.country or None
        # A sector noun that names a post ("foreign minister", not "foreign ministry") keeps it as the office.
        office = fold(text) if entry.office and entry.kind == "sector" else ""
        return ActorMention(
            start, end, text, country, period.sector, entry.kind, entry.entry_id, office, entry.org
        )

    def _titled_before(self, doc: _Text, start: int) -> bool:
        return self._title_start(doc, start) < start

    def _pick_person(self, candidates: list[_Entry], day: date) -> _Entry | None:
        """A shared name: the only bearer we know, else the one in office that day; when several are, the one
        in the highest post ("Aoun" in 2020 is the president, not the army commander of the same name)."""
        unique = list({entry.entry_id: entry for entry in candidates}.values())
        if len(unique) == 1:
            return unique[0]
        ranked = []
        for entry in unique:
            current = [_role_rank(p.role) for p in entry.periods if p.covers(day)]
            if current:
                ranked.append((min(current), entry))
        if not ranked:
            return None
        best = min(rank for rank, _ in ranked)
        top = [entry for rank, entry in ranked if rank == best]
        return top[0] if len(top) == 1 else None

    def _person_mention(self, entry: _Entry, start: int, end: int, text: str, day: date) -> ActorMention:
        country, sector, office = _person_at(entry.periods, day)
        return ActorMention(start, end, text, country, sector, "person", entry.entry_id, office)

    # ------------------------------------------------------------ post-passes
    def _merge_heads(
        self, doc: _Text, mentions: list[ActorMention], weak: dict[int, str]
    ) -> list[ActorMention]:
        """Join a sector noun to the actor word right before it: "army spokesman", "IRGC commander",
        "government troops". A weak head ("spokesman", "chief") takes the modifier's sector; a strong one
        keeps its own."""
        result: list[ActorMention] = []
        for index, mention in enumerate(mentions):
            kind_weak = weak.get(index, "no")
            previous = result[-1] if result else None
            if (
                mention.kind == "sector"
                and previous is not None
                and previous.end == mention.start
                and previous.kind in ("sector", "alias", "group", "org")
            ):
                if kind_weak == "no" and previous.kind == "sector":
                    sector = mention.sector
                elif kind_weak == "no" and mention.sector == "LEG":
                    # a party's or a movement's legislators sit in parliament: "Likud lawmakers", "Republican
                    # senators", "Hezbollah MPs" are LEG (PLOVER), whatever the body they belong to
                    sector = "LEG"
                else:
                    sector = previous.sector or mention.sector
                result[-1] = replace(
                    previous,
                    end=mention.end,
                    text=doc.span(previous.start, mention.end),
                    sector=sector,
                    office=mention.office or previous.office,
                )
                continue
            if kind_weak == "only":
                continue
            result.append(mention)
        return result

    def _absorb_titles(self, doc: _Text, mentions: list[ActorMention], day: date) -> list[ActorMention]:
        """Take titles (and a same-country name right before them) into a person's mention."""
        result: list[ActorMention] = []
        for mention in mentions:
            if mention.kind != "person":
                result.append(mention)
                continue
            start = self._title_start(doc, mention.start)
            # A title may already sit in a sector mention ("opposition leader"): the person takes it whole.
            title_sectors = []
            while result and result[-1].end > start:
                start = min(start, result[-1].start)
                popped = result.pop()
                if popped.kind != "person" and popped.sector not in ("", "ELI"):
                    title_sectors.append(popped)
            if start < mention.start:
                mention = replace(mention, start=start, text=doc.span(start, mention.end))
            if mention.sector == "ELI" and title_sectors:
                # Out of office on the date we were given, yet the text names a post ("Foreign Minister X"):
                # the text is the better witness (the date may be a default, or the tenure data stale).
                title = title_sectors[-1]
                mention = replace(mention, sector=title.sector, office=title.office or fold(title.text))
            previous = result[-1] if result else None
            if previous is not None and previous.country == mention.country and previous.kind != "person":
                gap = [doc.words[k] for k in range(previous.end, mention.start)]
                if all(fold(text) in _POSSESSIVE for text in gap) and len(gap) <= 1:
                    result.pop()
                    mention = replace(
                        mention, start=previous.start, text=doc.span(previous.start, mention.end)
                    )
            result.append(mention)
        return result

    def _title_start(self, doc: _Text, start: int) -> int:
        """First token of the run of titles that ends right before ``start``."""
        moved = True
        while moved and start > 0:
            moved = False
            for size in range(min(self._title_len, start), 0, -1):
                words = tuple(doc.folded[start - size : start])
                if words in self._titles:
                    start -= size
                    moved = True
                    break
                # "Lt. Gen. X": the tokenizer may leave the abbreviation's full stop as a token of its own.
                if size == 1 and words[0] == "." and start >= 2 and (doc.folded[start - 2],) in self._titles:
                    start -= 2
                    moved = True
                    break
        return start

    def _mark_former(self, doc: _Text, mentions: list[ActorMention]) -> list[ActorMention]:
        """ "former president", "ex-army chief", "a former CIA official", "former US envoy": a former office
        holder is ELI whatever the office. A country named between "former" and the post is skipped over."""
        result: list[ActorMention] = []
        for index, mention in enumerate(mentions):
            if mention.kind in ("sector", "person", "alias", "org"):
                start = mention.start
                previous = mentions[index - 1] if index else None
                if (
                    previous is not None
                    and previous.end == start
                    and previous.kind in ("state", "demonym")
                    and previous.sector == ""
                ):
                    start = previous.start
                before = [doc.folded[k] for k in range(max(0, start - 2), start)]
                former = bool(before) and (
                    before[-1] in _FORMER or (before[-1] == "-" and len(before) == 2 and before[0] == "ex")
                )
                if former:
                    if start == mention.start:
                        start -= 2 if before[-1] == "-" else 1
                        mention = replace(mention, start=start, text=doc.span(start, mention.end))
                    mention = replace(mention, sector="ELI")
            result.append(mention)
        return result

    def _compose(self, doc: _Text, mentions: list[ActorMention]) -> list[ActorMention]:
        """Fold a country named right before a bare sector noun into it: "Iranian foreign minister",
        "Pakistan's army chief", "Karachi police"."""
        result: list[ActorMention] = []
        for mention in mentions:
            previous = result[-1] if result else None
            if (
                previous is not None
                and mention.country is None
                and mention.kind == "sector"
                and previous.country
                and previous.kind in ("state", "demonym", "capital", "alias", "place", "community", "group")
            ):
                gap = [doc.folded[k] for k in range(previous.end, mention.start)]
                possessive = len(gap) <= 1 and all(text in _POSSESSIVE for text in gap)
                if (possessive and previous.kind != "group") or _controlled_by(gap):
                    result[-1] = replace(
                        mention,
                        start=previous.start,
                        text=doc.span(previous.start, mention.end),
                        country=previous.country,
                    )
                    continue
            result.append(mention)
        return result

    # -------------------------------------------------------------- resolving
    def resolve(self, phrase: str, date: date | None = None) -> Actor | None:
        """One actor for a whole noun phrase ("The US commander in Iraq" -> USA MIL), or None.

        The head is the first person, named actor or sector noun; a head without a country takes the nearest
        country named before it, else the first named after it ("The rebels from Syria" -> SYR REB).
        """
        doc = self._tokenize(phrase)
        mentions = self.match(doc, date, compose=True)
        tx = _Text(doc)
        if not mentions:
            return None
        head = _choose_head(mentions)
        head = _of_phrase(tx, mentions, head)
        country = head.country
        if country is None:
            before = [m for m in mentions if m.end <= head.start and m.country and not _backs(tx, m)]
            after = [m for m in mentions if m.start >= head.end and m.country]
            if before:
                country = before[-1].country
            elif after:
                country = after[0].country
        return Actor(country, head.sector, phrase, head.kind, head.entry_id, head.office, head.org)

    def person_in_office(self, entry_id: str, start: date, end: date) -> tuple[str, str] | None:
        """(country, sector) of a person who held an office in the middle of ``[start, end)``, else None.

        The coder matches names on the publication date; an event the text dates elsewhere ("former prime
        minister Imran Khan's 2019 trip to Tehran") asks again for the event's own time. The middle day stands
        for a month or a year, so a leader who left in January is not counted in office for that whole year.
        None for non-persons and for days out of office: the mention's own reading (a title, "former") stays.
        """
        index = self._by_id.get(entry_id)
        if index is None:
            return None
        entry = self._entries[index]
        if entry.kind != "person":
            return None
        middle = date.fromordinal((start.toordinal() + max(start.toordinal(), end.toordinal() - 1)) // 2)
        current = [p for p in entry.periods if p.covers(middle)]
        if not current:
            return None
        period = min(current, key=lambda p: _role_rank(p.role))
        return period.country, period.sector

    def role_on(self, entry_id: str, start: date, end: date) -> tuple[str, str] | None:
        """(country, sector) of any entry whose meaning changed over time, in the middle of ``[start, end)``.

        The coder matches names on the publication date; an event the text dates elsewhere asks again for its
        own time: a person's office (``person_in_office``), a group's status ("the Taliban" in 2010 are
        insurgents, since 15 August 2021 the government), a seat of power that moved. None when the entry is
        unknown or has one meaning only, or no period covers the day.
        """
        index = self._by_id.get(entry_id)
        if index is None:
            return None
        entry = self._entries[index]
        if entry.kind == "person":
            return self.person_in_office(entry_id, start, end)
        if len(entry.periods) < 2:
            return None
        middle = date.fromordinal((start.toordinal() + max(start.toordinal(), end.toordinal() - 1)) // 2)
        current = [p for p in entry.periods if p.covers(middle)]
        if not current:
            return None
        return current[0].country, current[0].sector

    def entries(self) -> Iterable[tuple[str, str, tuple[Period, ...]]]:
        """(entry_id, kind, periods) of every entry, for integrity checks and docs."""
        for entry in self._entries:
            if entry.kind != "block":
                yield entry.entry_id, entry.kind, entry.periods


_HEAD_ORDER = {
    "person": 0,
    "group": 1,
    "org": 1,
    "alias": 1,
    "sector": 2,
    "capital": 3,
    "state": 4,
    "demonym": 5,
    "community": 5,
    "place": 6,
}


def _controlled_by(gap: list[str]) -> bool:
    """The words between a modifier and a sector noun are "-run", "-led", ... (the hyphen split off)."""
    words = [word for word in gap if word != "-"]
    return len(words) == 1 and len(gap) <= 2 and words[0] in _CONTROLLED


def _backs(doc: _Text, mention: ActorMention) -> bool:
    """ "Turkish-backed": the mention names a backer, not the actor's country."""
    follow = [doc.folded[k] for k in range(mention.end, min(mention.end + 2, len(doc.folded)))]
    words = [word for word in follow if word != "-"]
    return bool(words) and follow[0] == "-" and words[0] in _BACKED


def _choose_head(mentions: list[ActorMention]) -> ActorMention:
    identified = [m for m in mentions if m.kind == "sector" and m.country]
    if identified and not any(m.kind == "person" for m in mentions):
        return identified[0]
    return min(mentions, key=lambda m: (_HEAD_ORDER.get(m.kind, 9), m.start))


_OF_HEAD_SECTORS = frozenset({"GOV"})


def _of_phrase(doc: _Text, mentions: list[ActorMention], head: ActorMention) -> ActorMention:
    """ "president of the parliament", "leader of the opposition": a post "of" a body belongs to that body."""
    if head.kind != "sector" or head.sector not in _OF_HEAD_SECTORS:
        return head
    following = [m for m in mentions if m.start >= head.end]
    if not following:
        return head
    body = following[0]
    between = [doc.folded[k] for k in range(head.end, body.start)]
    if between[:1] != ["of"] or len(between) > 2 or not body.sector:
        return head
    return replace(head, sector=body.sector, country=head.country or body.country)


def _period_at(periods: Sequence[Period], day: date) -> Period:
    """The period covering ``day``; else the nearest one (a group's last known status, or its first)."""
    for period in periods:
        if period.covers(day):
            return period
    earlier = [p for p in periods if p.end is not None and p.end <= day]
    if earlier:
        return max(earlier, key=lambda p: p.end or day)
    return min(periods, key=lambda p: p.start or day)


# When one person holds two posts at once (a president who is also prime minister), the higher one names them.
_ROLE_ORDER = {"HOS": 0, "HOG": 1, "VHOS": 2, "FM": 3, "DM": 4, "MIL": 5, "INTEL": 6}


def _role_rank(role: str) -> int:
    return _ROLE_ORDER.get(role.rstrip("0123456789"), 9)


def _person_at(periods: Sequence[Period], day: date) -> tuple[str, str, str]:
    """(country, sector, office) on ``day``; out of office, an elite (ELI) of their last country."""
    current = [p for p in periods if p.covers(day)]
    if current:
        period = min(current, key=lambda p: _role_rank(p.role))
        return period.country, period.sector, period.office
    earlier = [p for p in periods if p.end is not None and p.end <= day]
    if earlier:
        last = max(earlier, key=lambda p: p.end or day)
        return last.country, "ELI", f"former {last.office}"
    return periods[0].country, "ELI", ""


def _day(value: date | None) -> date:
    """The resolution day: a datetime counts by its date (the two do not compare), None means today."""
    if value is None:
        return date.today()
    if isinstance(value, datetime):
        return value.date()
    return value


def _pycountry_plain_names() -> list[str]:
    import pycountry

    return [
        value
        for country in pycountry.countries
        for attr in ("name", "common_name", "official_name")
        if (value := getattr(country, attr, None))
    ]
