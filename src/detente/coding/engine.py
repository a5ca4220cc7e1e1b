"""The event coder: documents in, dated CAMEO events with evidence out.

For each document, in this order:

1. tokenize (spaCy's tokenizer only) and split into sentences on punctuation and line breaks;
2. match actors and triggers on the tokens (``detente.coding.actors``, ``detente.coding.triggers``);
3. keep the sentences that can hold an event: a trigger and an actor, or a trigger and a reference
   ("the two neighbors", "its counterpart", "they") to actors named earlier in the document;
4. parse only those, in batches across documents (``nlp.pipe``);
5. per sentence: choose the most specific trigger per predicate, find roles (``roles``), modality
   (``modality``) and the date (``dates``), fold a generic introducing verb ("agreed to", "said")
   into the event it introduces, and expand compound and reciprocal actors into directed events;
6. per document: merge repeated tellings (``dedup``), then date events told relative to an earlier
   one ("within 24 hours").

The parser is the expensive step; the pre-filter in step 3 is what makes the coder fast.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from detente import cameo
from detente.coding.dates import (
    DateMention,
    ResolvedDate,
    continues_narrative,
    find_dates,
    narrative_time,
    points_back,
    resolve,
    resolve_anchored,
)
from detente.coding.dedup import merge_mentions
from detente.coding.grammar import Grammar, load_grammar
from detente.coding.modality import Reading, read_modality
from detente.coding.nlp import SentenceParser, lemma_of, load_model
from detente.coding.reference import DocumentContext, Referent
from detente.coding.roles import Actor, RoleFinder, Roles
from detente.errors import InputError
from detente.record import Document, Event

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

__all__ = ["Coder"]

_SENTENCE_END = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
_CLOSERS = frozenset({'"', "'", "”", "’", ")", "]", "»"})
_BLOCK_CHARS = 100_000  # tokenize long texts in pieces cut at line breaks: spaCy caps one Doc at 1M chars
_MAX_PARSE_TOKENS = 200  # a "sentence" longer than this is a table or a list, not prose: not parsed
# documents are coded once their sentences to parse fill this many parser batches (fewer, smaller chunks
# measured slower: each chunk has a fixed cost)
_CHUNK_BATCHES = 4
_ABSORBING_ROOTS = frozenset({"01", "03"})
# statements and appeals matter between named parties only: their actors must both have a country
_COUNTRY_BOTH_ROOTS = frozenset({"01", "02"})
# "A and B agreed / cooperated / signed": done together, so A->B and B->A; "A and B hosted talks" is not
# something A and B did to each other (unless the trigger itself is reciprocal: met, clashed)
_JOINT_ROOTS = frozenset({"01", "03", "05", "06", "08"})
_PERSON_KINDS = frozenset({"person", "leader", "official"})
# the recipient of an event told with no addressee ("Lavrov expressed concern"): no country, no sector
_NO_TARGET = Actor("", "", "", -1, -1, "none")


@dataclass(slots=True)
class _Mention:
    """An actor mention with indices relative to whatever Doc it is being read against."""

    start: int
    end: int
    text: str
    country: str | None
    sector: str | None
    kind: str
    entry_id: str


@dataclass(slots=True)
class _Sentence:
    number: int
    start_char: int  # in the document text
    end_char: int
    block: Doc
    token_start: int  # in ``block``
    token_end: int
    mentions: list[_Mention]  # indices in ``block``
    triggers: list[Any]  # TriggerMatch, indices in ``block``
    reference_cue: bool
    parsed: Doc | None = None
    text: str = ""  # the parsed text, filled when the sentence is parsed (Doc.text rebuilds it each time)


@dataclass(slots=True)
class _Prepared:
    document: Document
    sentences: list[_Sentence]
    to_parse: list[_Sentence] = field(default_factory=list)


@dataclass(slots=True)
class _Candidate:
    """One directed event before dating and dedup."""

    trigger: Any
    kind: str
    source: Actor
    target: Actor
    code: str
    reading: Reading
    roles: Roles
    confidence: float
    pattern: str
    date: ResolvedDate | None = None
    anchored: DateMention | None = None
    vague: DateMention | None = None  # "in the 1990s": not the publication date, but no date either


def _mention(raw: Any, shift: int = 0) -> _Mention:
    return _Mention(
        start=int(raw.start) - shift,
        end=int(raw.end) - shift,
        text=str(raw.text),
        country=getattr(raw, "country", None) or None,
        sector=getattr(raw, "sector", None) or "",
        kind=str(getattr(raw, "kind", "") or ""),
        entry_id=str(getattr(raw, "entry_id", "") or ""),
    )


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    if len(text) <= _BLOCK_CHARS:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + _BLOCK_CHARS)
        if end < len(text):
            cut = text.rfind("\n", start + _BLOCK_CHARS // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + _BLOCK_CHARS // 2, end)
            end = cut + 1 if cut >= 0 else end
        yield start, text[start:end]
        start = end


def _mark_sentences(doc: Doc, ranges: list[tuple[int, int]]) -> None:
    """Set sentence starts in one array write (Token.is_sent_start costs a pass over the Doc per token)."""
    import numpy
    from spacy.attrs import SENT_START

    if not len(doc):
        return
    starts = numpy.full(len(doc), -1, dtype="int64").astype(
        "uint64"
    )  # spaCy stores -1 ("not a start") wrapped
    for start, _end in ranges:
        starts[start] = 1
    starts[0] = 1
    doc.from_array([SENT_START], starts.reshape(-1, 1))  # type: ignore[arg-type]


def split_sentences(doc: Doc) -> list[tuple[int, int]]:
    """Sentence token ranges of a tokenized (unparsed) Doc: ends at . ! ? and at line breaks."""
    bounds: list[tuple[int, int]] = []
    start: int | None = None
    n = len(doc)
    i = 0
    while i < n:
        token = doc[i]
        if token.is_space:
            if "\n" in token.text and start is not None:
                bounds.append((start, i))
                start = None
            i += 1
            continue
        if start is None:
            start = i
        if token.text in _SENTENCE_END:
            j = i + 1
            while j < n and doc[j].text in _CLOSERS:
                j += 1
            following = doc[j] if j < n else None
            if (
                following is None
                or following.is_space
                or following.text[:1].isupper()
                or following.text[:1] in "\"“'‘("
            ):
                bounds.append((start, j))
                start = None
                i = j
                continue
        i += 1
    if start is not None:
        bounds.append((start, n))
    return [(s, e) for s, e in bounds if e > s]


class Coder:
    """Codes news text into events. Load once and reuse: loading the model takes a second."""

    def __init__(
        self,
        model: str | None = None,
        *,
        actors: Any = None,
        triggers: Any = None,
        batch_size: int = 128,
        chunk_documents: int = 256,
    ) -> None:
        from detente.coding.actors import ActorLexicon
        from detente.coding.triggers import TriggerLexicon

        self.nlp: Language = load_model(model)
        self.parser = SentenceParser(self.nlp)
        self.actors = actors if actors is not None else ActorLexicon.load()
        self.triggers = triggers if triggers is not None else TriggerLexicon.load()
        self.grammar: Grammar = load_grammar()
        self.batch_size = batch_size
        self.chunk_documents = chunk_documents
        self._reference_words = (
            self.grammar.pair_nouns
            | self.grammar.counterpart_nouns
            | self.grammar.collective_pronouns
            | self.grammar.person_pronouns
            | self.grammar.pair_quantifiers
        )
        self._reference_ids = frozenset(self.nlp.vocab.strings.add(word) for word in self._reference_words)
        self.stats = {"documents": 0, "sentences": 0, "parsed": 0, "events": 0}

    # -------------------------------------------------------------------------------- public API
    def code_text(
        self, text: str, published: dt.date | str | None = None, doc_id: str = "doc"
    ) -> list[Event]:
        """Events in one text; ``published`` anchors relative dates ("yesterday", "on Tuesday")."""
        if not isinstance(text, str):
            raise InputError(f"{doc_id}: text must be a string, got {type(text).__name__}")
        return list(
            self.code_documents([Document(doc_id=doc_id, text=text, published=_as_date(published, doc_id))])
        )

    def code_documents(self, documents: Iterable[Document]) -> Iterator[Event]:
        """Events of every document, in order; sentences are parsed in batches across documents.

        Documents are read (tokens, actors, triggers, pre-filter) as they come and coded once their sentences
        to parse fill a few parser batches (or ``chunk_documents`` documents wait): a stream of one-sentence
        documents then parses in full batches too, which costs less per sentence than small ones.
        """
        chunk: list[_Prepared] = []
        queued = 0
        for document in documents:
            if not isinstance(document.text, str):
                raise InputError(
                    f"{document.doc_id}: text must be a string, got {type(document.text).__name__}"
                )
            item = self._prepare(document)
            chunk.append(item)
            queued += len(item.to_parse)
            if queued >= _CHUNK_BATCHES * self.batch_size or len(chunk) >= self.chunk_documents:
                yield from self._code_chunk(chunk)
                chunk = []
                queued = 0
        if chunk:
            yield from self._code_chunk(chunk)

    # ----------------------------------------------------------------------------------- stages
    def _code_chunk(self, prepared: Sequence[_Prepared]) -> Iterator[Event]:
        queue = [sentence for item in prepared for sentence in item.to_parse]
        # re-tokenizing a sentence's text is cheaper than copying its tokens out with Span.as_doc; the text
        # is the document's characters between the sentence's offsets (what Span.text rebuilds token by token)
        for item in prepared:
            text = item.document.text
            for sentence in item.to_parse:
                sentence.text = text[sentence.start_char : sentence.end_char]
        texts = (sentence.text for sentence in queue)
        for sentence, parsed in zip(queue, self.parser.pipe(texts, batch_size=self.batch_size), strict=True):
            sentence.parsed = parsed
        # the tokenizer splits a sentence alone as it does in its document, but a special case across the
        # sentence edge could differ: such a sentence is parsed from its own tokens
        misfits = [s for s in queue if s.parsed is not None and len(s.parsed) != s.token_end - s.token_start]
        spans = (s.block[s.token_start : s.token_end].as_doc() for s in misfits)
        for sentence, parsed in zip(misfits, self.parser.pipe(spans), strict=True):
            sentence.parsed = parsed
        for item in prepared:
            events = self._code_prepared(item)
            self.stats["events"] += len(events)
            yield from events

    def _prepare(self, document: Document) -> _Prepared:
        from spacy.attrs import LOWER

        sentences: list[_Sentence] = []
        published = document.published
        for offset, piece in _blocks(document.text):
            block = self.nlp.make_doc(piece)
            ranges = split_sentences(block)
            _mark_sentences(block, ranges)
            mentions = sorted(
                (_mention(m) for m in self.actors.match(block, published, compose=True)),
                key=lambda m: m.start,
            )
            triggers = sorted(self.triggers.match(block), key=lambda t: t.start)
            # where reference words stand, from one array read (a Token object per word costs more; numpy.isin
            # has a fixed cost that one-sentence documents notice)
            reference_ids = self._reference_ids
            cues = [i for i, word in enumerate(block.to_array(LOWER).tolist()) if word in reference_ids]
            m_index = 0
            t_index = 0
            for start, end in ranges:
                sentence_mentions: list[_Mention] = []
                # a match running over the sentence's end (the matchers do not see our boundaries) is dropped
                while m_index < len(mentions) and mentions[m_index].start < end:
                    if mentions[m_index].start >= start and mentions[m_index].end <= end:
                        sentence_mentions.append(mentions[m_index])
                    m_index += 1
                sentence_triggers: list[Any] = []
                while t_index < len(triggers) and triggers[t_index].start < end:
                    if triggers[t_index].start >= start and triggers[t_index].end <= end:
                        sentence_triggers.append(triggers[t_index])
                    t_index += 1
                at = bisect.bisect_left(cues, start)
                cue = at < len(cues) and cues[at] < end
                span = block[start:end]
                sentences.append(
                    _Sentence(
                        number=len(sentences),
                        start_char=offset + span.start_char,
                        end_char=offset + span.end_char,
                        block=block,
                        token_start=start,
                        token_end=end,
                        mentions=sentence_mentions,
                        triggers=sentence_triggers,
                        reference_cue=cue,
                    )
                )
        prepared = _Prepared(document, sentences)
        # An event needs two actors, at least one with a country. They come from mentions, from references
        # ("the two neighbors", "its", "they": cue words) to countries named before, or from the pair the
        # document is about (which needs two countries named before). A sentence that cannot supply them is
        # not parsed: the filter loses no event the engine could code.
        named_before: set[str] = set()
        for sentence in sentences:
            countries = [m.country for m in sentence.mentions if m.country]
            parseable = sentence.triggers and sentence.token_end - sentence.token_start <= _MAX_PARSE_TOKENS
            if parseable and (
                (countries and len(sentence.mentions) >= 2)
                or (countries and any(self._undirected(t) for t in sentence.triggers))
                or (countries and (sentence.reference_cue or len(named_before) >= 2))
                or (sentence.reference_cue and named_before)
            ):
                prepared.to_parse.append(sentence)
            named_before.update(c for c in countries if c)
        self.stats["documents"] += 1
        self.stats["sentences"] += len(sentences)
        self.stats["parsed"] += len(prepared.to_parse)
        return prepared

    def _undirected(self, trigger: Any) -> bool:
        """Whether a trigger can make an event with one actor ("Iran expressed concern"): see grammar.yaml."""
        return trigger.code[:2] in self.grammar.undirected_roots and trigger.priority >= 0

    def _code_prepared(self, item: _Prepared) -> list[Event]:
        document = item.document
        context = DocumentContext(pronoun_window=self.grammar.pronoun_window)
        events: list[Event] = []
        for sentence in item.sentences:
            for mention in sentence.mentions:
                if mention.country:
                    context.remember(
                        Referent(
                            position=sentence.start_char
                            + sentence.block[mention.start].idx
                            - sentence.block[sentence.token_start].idx,
                            sentence=sentence.number,
                            country=mention.country,
                            sector=mention.sector or "",
                            text=mention.text,
                            is_person=mention.kind in _PERSON_KINDS,
                        )
                    )
            if sentence.parsed is None:
                continue
            for event in self._code_sentence(document, sentence, context):
                events.append(event)
                context.note_event(
                    event.source_country, event.target_country, event.char_start, event.cameo_root
                )
        # events told relative to an earlier one ("within 24 hours") are dated against the merged record of
        # that earlier event, then merged in turn
        pending = [e for e in events if e.date is None and e.extra.get("anchored")]
        merged = merge_mentions(e for e in events if not (e.date is None and e.extra.get("anchored")))
        if not pending:
            return merged
        return merge_mentions(
            merged + self._resolve_anchored(merged, pending, document.published, document.text)
        )

    # ------------------------------------------------------------------------------ one sentence
    def _choose_triggers(
        self, doc: Doc, triggers: Sequence[Any]
    ) -> tuple[list[tuple[Any, str]], dict[int, list[tuple[Any, str]]]]:
        """The most specific fitting trigger per predicate: POS must fit, overlapping spans keep the best;
        and, per chosen trigger (by ``id``), the other readings of its words with another CAMEO root."""
        fitting: list[tuple[Any, str]] = []
        for trigger in triggers:
            head = doc[trigger.head]
            kind = trigger.kind
            if kind == "verb" and not (head.pos_ == "VERB" or head.tag_.startswith("VB")):
                continue
            if kind == "noun" and not (head.pos_ in ("NOUN", "PROPN") or head.tag_.startswith("NN")):
                continue
            fitting.append((trigger, kind))
        fitting.sort(
            key=lambda item: (-item[0].priority, -(item[0].end - item[0].start), len(item[0].code) * -1)
        )
        chosen: list[tuple[Any, str]] = []
        taken: dict[int, Any] = {}
        heads: set[int] = set()
        alternatives: dict[int, list[tuple[Any, str]]] = {}
        for trigger, kind in fitting:
            span = set(range(trigger.start, trigger.end))
            clash = [taken[i] for i in span if i in taken]
            if clash or trigger.head in heads:
                winner = clash[0] if clash else next(t for t, _k in chosen if t.head == trigger.head)
                if trigger.code[:2] != winner.code[:2]:
                    # another reading of the same words ("launched a strike": labour strike or attack);
                    # tried when the chosen one finds no actors ("on Pakistan" decides it is an attack)
                    alternatives.setdefault(id(winner), []).append((trigger, kind))
                continue
            chosen.append((trigger, kind))
            for i in span:
                taken[i] = trigger
            heads.add(trigger.head)
        chosen.sort(key=lambda item: item[0].start)
        return chosen, alternatives

    def _code_sentence(
        self, document: Document, sentence: _Sentence, context: DocumentContext
    ) -> list[Event]:
        doc = sentence.parsed
        assert doc is not None
        shift = sentence.token_start
        mentions = [_mention(m, shift) for m in sentence.mentions]
        triggers = [_shifted(t, shift) for t in sentence.triggers]
        triggers = [_role_head(doc, t) for t in triggers]
        chosen, alternatives = self._choose_triggers(doc, triggers)
        if not chosen:
            return []
        finder = RoleFinder(
            doc,
            mentions,
            self.grammar,
            context,
            char_offset=sentence.start_char,
            sentence_number=sentence.number,
        )
        finder.set_trigger_tokens(
            {i for t, _k in chosen for i in range(t.start, t.end)}, {t.head: t.code for t, _k in chosen}
        )
        head_of = {t.head: (t, k) for t, k in chosen}
        candidates: list[_Candidate] = []
        absorbed: set[int] = set()
        for trigger, kind in chosen:
            reading = read_modality(doc[trigger.head], self.grammar, trigger.code)
            if reading.negated and self._negation_in_trigger(doc, trigger):
                # "will not tolerate any violation": the negation is part of what the trigger says; a threat
                # so worded is made now, whatever the tense of what it threatens
                future_threat = trigger.code[:2] == "13" and reading.modality in ("planned", "hypothetical")
                reading = dataclasses.replace(
                    reading,
                    negated=False,
                    modality="asserted" if future_threat else reading.modality,
                    cue="" if future_threat else reading.cue,
                    future=False if future_threat else reading.future,
                )
            refused = (
                reading.negated
                and trigger.code[:2] in self.grammar.announced_refusal_roots
                and reading.cue in self.grammar.announced_refusal_cues
            )
            if refused:
                # "said he would not provide support to Israel": cooperation announced as not forthcoming is a
                # refusal (CAMEO 12), made now
                reading = dataclasses.replace(
                    reading, negated=False, modality="asserted", cue="", future=False
                )
            if reading.negated and reading.modality != "denied":
                continue
            roles = finder.roles(trigger, kind)
            if not (roles.targets or len(roles.sources) > 1):
                for alternative, alternative_kind in alternatives.get(id(trigger), []):
                    other = finder.roles(alternative, alternative_kind)
                    if other.sources and other.targets:
                        trigger, kind, roles = alternative, alternative_kind, other
                        reading = read_modality(doc[trigger.head], self.grammar, trigger.code)
                        break
            if "speaker" in roles.pattern and reading.modality in ("planned", "hypothetical"):
                # "X said Y would face punishment": saying it is the threat; the "would" belongs to the
                # punishment threatened, not to the threat
                reading = dataclasses.replace(reading, modality="asserted", cue="", future=False)
            if (
                not roles.targets
                and trigger.code[:2] == "01"
                and lemma_of(doc[trigger.head]) in self.grammar.report_verbs
            ):
                # "A and B said ...": a joint statement is not an event between its co-authors
                roles = dataclasses.replace(roles, sources=roles.sources[:1])
            candidates += self._stated_obligation(doc, finder, trigger, kind, reading, roles)
            pairs = self._pairs(roles, trigger.code[:2])
            if not pairs and roles.undirected and reading.modality != "hypothetical":
                # "the US must allocate more aid": what someone else says one should do is no event of its own
                pairs = [(a, _NO_TARGET, "undirected") for a in roles.sources if a.country]
            if trigger.code[:2] in _COUNTRY_BOTH_ROOTS:
                pairs = [
                    (a, b, how) for a, b, how in pairs if a.country and (b.country or how == "undirected")
                ]
            if not pairs:
                continue
            for governor in reading.governors:
                if governor in head_of and governor != trigger.head:
                    outer, _outer_kind = head_of[governor]
                    if self._absorbs(outer, reading):
                        absorbed.add(governor)
                    break
            confidence = self._confidence(roles, reading, kind)
            code = (self.triggers.frame_code("reject", trigger.code) or "120") if refused else trigger.code
            for source, target, how in pairs:
                pattern = roles.name + (f"+{how}" if how else "") + ("+refused" if refused else "")
                candidates.append(
                    _Candidate(trigger, kind, source, target, code, reading, roles, confidence, pattern)
                )
                if reading.modality == "threatened":
                    # the threat itself is an event (CAMEO 13x): the threatening verb's own code when it is a
                    # trigger ("threatened to" 138), else the threat code of what is threatened; it takes the
                    # threatened event's actors, and merges with the verb's own event when that has them too
                    threat_code = next(
                        (
                            head_of[g][0].code
                            for g in reading.governors
                            if g in head_of and head_of[g][0].code[:2] == "13"
                        ),
                        self.grammar.threat_codes.get(trigger.code[:2], "130"),
                    )
                    threat_reading = Reading("asserted", False, reading.cue, reading.governors, False, True)
                    candidates.append(
                        _Candidate(
                            trigger, kind, source, target, threat_code, threat_reading, roles,
                            round(confidence * 0.9, 2), pattern + "+threat-of",
                        )
                    )  # fmt: skip
        candidates = [c for c in candidates if c.trigger.head not in absorbed or c.code != c.trigger.code]
        self._date_candidates(doc, sentence, candidates, document.published)
        return [self._event(document, sentence, doc, candidate) for candidate in candidates]

    def _stated_obligation(
        self, doc: Doc, finder: RoleFinder, trigger: Any, kind: str, reading: Reading, roles: Roles
    ) -> list[_Candidate]:
        """Demands told as obligations: "Russia said Sudan must return the helicopter" is Russia demanding of
        Sudan (CAMEO 10, the demand frame of the act), whether or not the act itself names a target."""
        if (
            kind != "verb"
            or reading.modality != "hypothetical"
            or reading.cue not in self.grammar.obligation_aux
        ):
            return []
        found: list[_Candidate] = []
        code = self.triggers.frame_code("demand", trigger.code) or "100"
        demand = Reading("asserted", False, "", reading.governors, False, True)
        for speaker in finder.speakers_of(doc[trigger.head]):
            for actor in roles.sources:
                if speaker.country and actor.country and speaker.country != actor.country:
                    found.append(
                        _Candidate(
                            trigger, kind, speaker, actor, code, demand, roles, 0.75,
                            roles.name + "+stated-obligation",
                        )
                    )  # fmt: skip
        return found

    def _negation_in_trigger(self, doc: Doc, trigger: Any) -> bool:
        """Whether the trigger's own words hold the negation of its clause ("not tolerate", "no longer")."""
        words = {doc[i].lower_ for i in range(trigger.start, trigger.end)}
        if not words & self.grammar.negators:
            return False
        # the negation read from the clause must be the one inside the trigger, not a second one
        head = doc[trigger.head]
        outside = [
            c
            for c in head.children
            if c.lower_ in self.grammar.negators and not trigger.start <= c.i < trigger.end
        ]
        return not outside

    @staticmethod
    def _absorbs(outer: Any, inner: Reading) -> bool:
        """Whether a trigger that introduces another event ("agreed to", "said") gives way to it."""
        if outer.code.startswith("13") and inner.modality == "threatened":
            return False
        # a statement or an expressed intent introducing the event is the event; an appeal or a demand
        # ("urged Iran to release") is an event of its own and stays
        return outer.code[:2] in _ABSORBING_ROOTS

    @staticmethod
    def _pairs(roles: Roles, trigger_root: str) -> list[tuple[Actor, Actor, str]]:
        """Directed (source, target) pairs: cross product, plus reverse for reciprocal events."""
        pairs: list[tuple[Actor, Actor, str]] = []

        def distinct(a: Actor, b: Actor) -> bool:
            # one side may be a sector whose country the text does not give ("militants"), never both; within
            # one country both sides need a sector ("Pakistani police arrested Pakistani militants"): the
            # bare country there is a place, not a party
            if not (a.country or b.country):
                return False
            if a.country != b.country:
                return True
            return bool(a.sector and b.sector) and a.sector != b.sector

        if roles.targets:
            for source in roles.sources:
                for target in roles.targets:
                    if distinct(source, target):
                        pairs.append((source, target, ""))
                        if roles.reciprocal:
                            pairs.append((target, source, "reciprocal"))
        elif len(roles.sources) >= 2 and (roles.reciprocal or trigger_root in _JOINT_ROOTS):
            for source in roles.sources:
                for target in roles.sources:
                    if (
                        source is not target
                        and source.country != target.country
                        and source.country
                        and target.country
                    ):
                        pairs.append((source, target, "joint"))
        return pairs

    @staticmethod
    def _confidence(roles: Roles, reading: Reading, kind: str) -> float:
        score = 0.9
        pattern = roles.name
        if "inherited" in pattern:
            score -= 0.1
        if any(x in pattern for x in ("support", "experiencer", "modifier", "relcl", "acl")):
            score -= 0.1
        if "place" in pattern:
            score -= 0.15
        actors = roles.sources + roles.targets
        if any(a.how in ("pair", "pronoun", "counterpart", "implied") for a in actors):
            score -= 0.2
        if len(roles.sources) > 1 and not roles.targets:
            score -= 0.1
        if reading.modality != "asserted":
            score -= 0.05
        if kind == "noun" and not roles.pattern:
            score -= 0.1
        return round(max(0.1, min(0.99, score)), 2)

    # ------------------------------------------------------------------------------------ dates
    def _date_candidates(
        self, doc: Doc, sentence: _Sentence, candidates: list[_Candidate], published: dt.date | None
    ) -> None:
        if not candidates:
            return
        text = sentence.text
        mentions = find_dates(text)
        attached: dict[int, list[tuple[DateMention, int]]] = {}
        loose: list[tuple[DateMention, int]] = []
        trigger_heads = {c.trigger.head for c in candidates}
        span_owner: dict[int, int] = {}
        for candidate in candidates:
            for i in range(candidate.trigger.start, candidate.trigger.end):
                span_owner[i] = candidate.trigger.head
            head_token = doc[candidate.trigger.head]
            if (
                head_token.dep_ == "pobj"
                and head_token.head.lower_ == "of"
                and head_token.head.head.lower_ in self.grammar.measure_nouns
            ):
                # "a round of talks, which had been planned for 15 June": the measure noun's clauses date it
                span_owner.setdefault(head_token.head.head.i, candidate.trigger.head)
        governor_owner: dict[int, int] = {}
        said_on: dict[int, int] = {}  # date mentions that hang on a governing verb, not the event's own words
        for candidate in candidates:
            for governor in candidate.reading.governors:
                if governor not in trigger_heads:
                    governor_owner.setdefault(governor, candidate.trigger.head)
        for mention in mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None:
                continue
            owner, via = self._date_owner(span, span_owner, governor_owner)
            if owner is None:
                loose.append((mention, span.root.i))
            else:
                attached.setdefault(owner, []).append((mention, span.root.i))
                if via is not None:
                    said_on[id(mention)] = via
        for candidate in candidates:
            head = candidate.trigger.head
            options = (
                attached.get(head)
                or self._conjoined_date(doc, candidate, attached)
                or [item for item in loose if not _embedded_away(doc, item[1], head)]
            )
            if not options:
                continue
            mention, _where = min(options, key=lambda item: abs(item[1] - head))
            if mention.kind == "anchored":
                candidate.anchored = mention
                continue
            if mention.kind == "vague":
                candidate.vague = mention
                continue
            # a present tense or a bare noun gives no direction: the nearer reading of "January 29" wins
            direction = (
                "future" if candidate.reading.future else "past" if candidate.reading.past else "nearest"
            )
            said_at = said_on.get(id(mention))
            if said_at is not None and candidate.reading.future:
                # "agreed on Monday that they would meet": the date is the agreement's, which is in the
                # governor's tense, not the planned event's future
                direction = "past" if doc[said_at].tag_ in ("VBD", "VBN") else "nearest"
            candidate.date = resolve(mention, published, direction)  # type: ignore[arg-type]

    @staticmethod
    def _conjoined_date(
        doc: Doc, candidate: _Candidate, attached: dict[int, list[tuple[DateMention, int]]]
    ) -> list[tuple[DateMention, int]]:
        """The date of a dated event whose clause the event's own clause is conjoined to: "On 13 June,
        Pakistan had condemned the strikes and said it stood with Iran" dates the solidarity too; a
        planned event ("visited on Monday and will meet") keeps its own time."""
        if candidate.reading.future:
            return []
        clause = (
            doc[candidate.reading.governors[0]]
            if candidate.reading.governors
            else doc[candidate.trigger.head]
        )
        for _ in range(3):
            if clause.dep_ != "conj" or clause.head.i == clause.i:
                return []
            clause = clause.head
            if clause.i in attached:
                return [item for item in attached[clause.i] if item[0].kind != "anchored"]
        return []

    @staticmethod
    def _date_owner(
        span: Span, span_owner: dict[int, int], governor_owner: dict[int, int]
    ) -> tuple[int | None, int | None]:
        """The trigger head a date belongs to, and the governing verb it hangs on when not the event's own."""
        token = span.root
        for _ in range(12):
            if token.i in span_owner:
                return span_owner[token.i], None
            if token.i in governor_owner:
                return governor_owner[token.i], token.i
            if token.head.i == token.i:
                return None, None
            if (
                token.dep_ in _EMBEDDED_LINKS
                and not (token.dep_ in ("relcl", "acl") and token.head.i in span_owner)
                and not (token.dep_ == "pcomp" and token.head.lower_ in _TEMPORAL_PREPS)
            ):
                # a date inside a clause that is no event's belongs to that clause's predicate; a clause
                # describing the event noun ("the ceasefire that he announced on 10 May") or saying when
                # ("before leaving on Wednesday") dates the event
                return None, None
            token = token.head
        return None, None

    # ------------------------------------------------------------------------------------ records
    def _event(self, document: Document, sentence: _Sentence, doc: Doc, candidate: _Candidate) -> Event:
        modality = candidate.reading.modality
        date = candidate.date
        published = document.published
        if date is not None and published is not None and modality == "asserted" and _after(date, published):
            modality = "planned"  # a stated date after publication: it has not happened yet
        code = candidate.code
        intent = self.grammar.intent_code(code) if modality == "planned" else None
        if intent is not None:
            code = intent
        entry = cameo.lookup(code)
        basis: str | None
        if date is not None:
            date_iso, precision, basis = date.iso, date.precision, date.basis
        elif (
            candidate.anchored is None
            and candidate.vague is None
            and published is not None
            and not candidate.reading.before_past
        ):
            date_iso, precision, basis = published.isoformat(), "day", "publication"
        else:
            date_iso, precision, basis = None, None, None
        source, target = candidate.source, candidate.target
        if date is not None:
            source, target = self._on_event_date(source, date), self._on_event_date(target, date)
        key = "|".join(
            [document.doc_id, str(sentence.start_char), str(sentence.end_char), source.country, source.sector,
             target.country, target.sector, entry.code]
        )  # fmt: skip
        event_id = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
        trigger = candidate.trigger
        rule = f"{trigger.entry_id} [{candidate.kind}: {candidate.pattern}]"
        if candidate.reading.cue:
            rule += f" {modality}: {candidate.reading.cue}"
        extra: dict[str, Any] = {
            "trigger": trigger.text,
            "trigger_start": sentence.start_char + doc[trigger.start].idx,
            "source_how": source.how,
            "target_how": target.how,
            "source_entry": source.entry_id,
            "target_entry": target.entry_id,
        }
        if intent is not None:
            extra["planned_code"] = candidate.code
        if date is not None:
            extra["date_text"] = date.text
        if candidate.anchored is not None:
            extra["anchored"] = candidate.anchored.text
        if candidate.vague is not None:
            extra["date_text"] = candidate.vague.text
        if date is None and (candidate.reading.before_past or candidate.vague is not None):
            # "had attacked" with no date: earlier than the report, but when is not said; the publication date
            # would misdate it
            extra["before_publication"] = True
        return Event(
            event_id=event_id,
            doc_id=document.doc_id,
            date=date_iso,
            date_precision=precision,  # type: ignore[arg-type]
            date_basis=basis,  # type: ignore[arg-type]
            source_country=source.country or None,
            source_sector=source.sector,
            source_text=source.text,
            target_country=target.country or None,
            target_sector=target.sector,
            target_text=target.text,
            cameo=entry.code,
            cameo_root=entry.root,
            cameo_label=entry.label,
            plover=entry.plover,
            goldstein=entry.goldstein,
            quad_class=entry.quad_class,
            modality=modality,  # type: ignore[arg-type]
            sentence=sentence.text,
            char_start=sentence.start_char,
            char_end=sentence.end_char,
            rule=rule,
            confidence=candidate.confidence,
            mentions=1,
            extra=extra,
        )

    def _on_event_date(self, actor: Actor, date: ResolvedDate) -> Actor:
        """A person or a group was matched on the publication date; an event dated elsewhere asks again for
        its own time ("former prime minister Imran Khan's 2019 trip" is PAK GOV in 2019; the Taliban in 2010
        are insurgents, not Afghanistan's government)."""
        if not actor.entry_id:
            return actor
        start = date.date
        if date.precision == "day":
            end = start + dt.timedelta(days=1)
        elif date.precision == "month":
            end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        else:
            end = start.replace(year=start.year + 1)
        found = self.actors.role_on(actor.entry_id, start, end)
        if found is None or found == (actor.country, actor.sector):
            return actor
        return dataclasses.replace(actor, country=found[0], sector=found[1])

    @staticmethod
    def _resolve_anchored(
        dated: list[Event], pending: list[Event], published: dt.date | None, text: str = ""
    ) -> list[Event]:
        """Date "within 24 hours"-style events from the event they follow.

        The anchor is an earlier event of the same sentence ("exchanged strikes in January 2024 and restored
        relations within days"), else the latest earlier day-dated event on the same pair, else one dated
        later in the report (a report may tell the antecedent first and date it afterwards), else an earlier
        event on the pair dated to the month or year, else the latest earlier day-dated event. A month- or
        year-dated anchor gives its own date and precision. An event that happened is never dated after the
        publication date. An expression that carries on the report's own time ("in the battle that followed",
        "that night", "the next day") is anchored to the last date the report told before it, else to an
        earlier event of its sentence; with no date told before, the event stays undated.
        """
        resolved: list[Event] = []
        stated = [e for e in dated if e.date is not None and e.date_basis != "publication"]
        known = [e for e in stated if e.date_precision == "day"]
        for event in pending:
            pair = {event.source_country, event.target_country}
            here = _first_position(event)
            same_sentence = [
                e for e in stated
                if any(int(t[0]) == event.char_start for t in e.extra.get("tellings", [[e.char_start]]))
                and e.event_id != event.event_id
            ]  # fmt: skip
            earlier = sorted((e for e in known if _first_position(e) <= here), key=_first_position)
            same_pair = [e for e in earlier if {e.source_country, e.target_country} == pair]
            anywhere = [e for e in known if {e.source_country, e.target_country} == pair]
            coarse = sorted(
                (
                    e
                    for e in stated
                    if {e.source_country, e.target_country} == pair and _first_position(e) <= here
                ),
                key=_first_position,
            )
            # within the sentence, the event told just before ("agreed on 10 March ... to reopen embassies
            # within two months"), else the one just after
            trigger_at = int(event.extra.get("trigger_start", event.char_start))
            before = sorted(
                (e for e in same_sentence if int(e.extra.get("trigger_start", 0)) < trigger_at),
                key=lambda e: int(e.extra.get("trigger_start", 0)),
            )
            after = sorted(
                (e for e in same_sentence if int(e.extra.get("trigger_start", 0)) > trigger_at),
                key=lambda e: -int(e.extra.get("trigger_start", 0)),
            )
            candidates = before or after or same_pair or anywhere or coarse or earlier
            anchor = candidates[-1] if candidates else None
            mention = find_dates(str(event.extra["anchored"]))
            if mention and continues_narrative(mention[0]) and not before:
                at = event.char_start + max(0, event.sentence.find(str(event.extra["anchored"])))
                told = narrative_time(text[:at], published)
                if told is not None:
                    date = resolve_anchored(mention[0], told.date) if told.precision == "day" else told
                    day, precision = date.date, date.precision
                    if published is not None and event.modality == "asserted" and day > published:
                        day, precision = published, "day"
                    extra = {**event.extra, "anchored_to_date": told.text}
                    resolved.append(
                        dataclasses.replace(
                            event,
                            date=day.isoformat(),
                            date_precision=precision,
                            date_basis="relative",
                            extra=extra,
                        )  # type: ignore[arg-type]
                    )
                else:
                    resolved.append(event)
                continue
            if anchor is not None and anchor.date is not None and mention:
                anchor_day = dt.date.fromisoformat(anchor.date)
                if anchor.date_precision == "day":
                    date = resolve_anchored(mention[0], anchor_day)
                    day, precision = date.date, date.precision
                else:
                    day, precision = anchor_day, anchor.date_precision or "month"
                if published is not None and event.modality == "asserted" and day > published:
                    day, precision = published, "day"
                extra = dict(event.extra)
                extra["anchored_to"] = anchor.event_id
                resolved.append(
                    dataclasses.replace(
                        event,
                        date=day.isoformat(),
                        date_precision=precision,
                        date_basis="relative",
                        extra=extra,
                    )  # type: ignore[arg-type]
                )
            elif mention and points_back(mention[0]):
                # "two days earlier" with nothing dated to count from: before the report, but not its date
                resolved.append(dataclasses.replace(event, extra={**event.extra, "before_publication": True}))
            elif published is not None:
                resolved.append(
                    dataclasses.replace(
                        event, date=published.isoformat(), date_precision="day", date_basis="publication"
                    )
                )
            else:
                resolved.append(event)
        return resolved


# clause links below which a date is its own predicate's (an adverbial clause shares its main clause's time:
# "struck Pakistan, killing two on Tuesday")
_EMBEDDED_LINKS = frozenset({"acl", "relcl", "pcomp", "xcomp", "ccomp", "csubj"})
_TEMPORAL_PREPS = frozenset({"before", "after", "while", "since", "during", "upon", "on", "until", "when"})


def _embedded_away(doc: Doc, where: int, head: int) -> bool:
    """Whether the date at token ``where`` sits in a clause embedded below some other predicate than the
    event at ``head`` ("signed agreements and set a goal of doubling trade by 2030": 2030 is the goal's)."""
    above_head = {head}
    token = doc[head]
    while token.head.i != token.i:
        token = token.head
        above_head.add(token.i)
    token = doc[where]
    if token.dep_ == "relcl" and token.pos_ == "VERB":
        # "in the air battle that followed": the relative clause is the date itself, the time of its noun
        token = token.head
    for _ in range(40):
        if token.i in above_head:
            return False
        if token.dep_ in _EMBEDDED_LINKS and not (
            token.dep_ == "pcomp" and token.head.lower_ in _TEMPORAL_PREPS
        ):
            return True
        if token.head.i == token.i:
            return False
        token = token.head
    return False


def _role_head(doc: Doc, trigger: Any) -> Any:
    """A multiword verb trigger ("is expected to visit", "strike back") takes its roles from its lowest verb.

    The lexicon marks the word it inflects as the head; the parse may hang the clause's actors on another
    word of the phrase. The lowest verb inherits the subject of the verbs above it (control), and its objects
    are the phrase's objects.
    """
    if trigger.kind != "verb" or trigger.end - trigger.start < 2:
        return trigger
    inside = range(trigger.start, trigger.end)
    best, best_depth = trigger.head, -1
    for i in inside:
        token = doc[i]
        if not token.tag_.startswith("VB") or token.dep_ in ("aux", "auxpass"):
            continue
        depth = 0
        ancestor = token
        while ancestor.head.i != ancestor.i and ancestor.head.i in inside:
            ancestor = ancestor.head
            depth += 1
        if depth > best_depth:
            best, best_depth = i, depth
    return trigger if best == trigger.head else dataclasses.replace(trigger, head=best)


def _shifted(trigger: Any, shift: int) -> Any:
    """The trigger with token indices ``shift`` lower (relative to its sentence's own Doc).

    Same as ``dataclasses.replace`` on the frozen, slotted ``TriggerMatch``, at half the cost: replace
    re-runs ``__init__`` over every field, for the dozen candidates of every parsed sentence.
    """
    if not shift:
        return trigger
    cls = type(trigger)
    if not hasattr(cls, "__slots__") or hasattr(trigger, "__dict__"):  # a trigger class of another make
        return dataclasses.replace(
            trigger, start=trigger.start - shift, end=trigger.end - shift, head=trigger.head - shift
        )
    copy = object.__new__(cls)
    for name in cls.__slots__:
        object.__setattr__(copy, name, getattr(trigger, name))
    object.__setattr__(copy, "start", trigger.start - shift)
    object.__setattr__(copy, "end", trigger.end - shift)
    object.__setattr__(copy, "head", trigger.head - shift)
    return copy


def _first_position(event: Event) -> int:
    tellings = event.extra.get("tellings")
    if tellings:
        return min(int(t[0]) for t in tellings)
    return event.char_start


def _after(date: ResolvedDate, published: dt.date) -> bool:
    if date.precision == "day":
        return date.date > published
    if date.precision == "month":
        return (date.date.year, date.date.month) > (published.year, published.month)
    return date.date.year > published.year


def _as_date(value: dt.date | str | None, doc_id: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(f"{doc_id}: publication date {value!r} is not YYYY-MM-DD") from None
