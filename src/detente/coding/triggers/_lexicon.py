"""The CAMEO trigger lexicon: YAML entries in, a fast surface-form matcher out.

Entries live in ``data/NN_<root>.yaml`` (one file per CAMEO root) and are described in ``data/README.md``
and ``docs/notes/triggers.md``. At load time every lemma is expanded to its inflected forms and indexed by
its first lowercased token, so matching a document is one dictionary lookup per token plus a short
comparison for multiword triggers. No tagger or parser is needed: the engine uses the matches to decide
which sentences deserve a parse, then resolves overlapping candidates with that parse.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from spacy.tokens import Doc

from detente import cameo
from detente.errors import InputError
from detente.record import MODALITIES

from ._frames import FrameTable
from ._inflect import noun_forms, spelling_variants, verb_forms

__all__ = ["DEFAULT_WINDOW", "TriggerEntry", "TriggerLexicon", "TriggerMatch"]

TriggerKind = Literal["verb", "noun"]
ObjectRole = Literal["target", "theme", "none"]

# Tokens either side of a trigger searched for its ``requires``/``forbids`` words. Wide enough for
# "fired a barrage of ballistic missiles", narrow enough that a missile three clauses away does not turn
# "fired the minister" into an air strike. An entry may widen it or ask for the whole sentence.
DEFAULT_WINDOW = 8

_ENTRY_KEYS = frozenset(
    {
        "id",
        "code",
        "verbs",
        "nouns",
        "requires",
        "forbids",
        "window",
        "target_preps",
        "source_preps",
        "object",
        "reciprocal",
        "specificity",
        "modality_hint",
        "lowercase_only",
        "except_forms",
        "note",
    }
)
_FILE_KEYS = frozenset({"root", "title", "defaults", "entries", "vocabulary"})
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "on",
        "in",
        "for",
        "with",
        "from",
        "by",
        "and",
        "or",
        "at",
        "as",
        "into",
        "out",
        "up",
        "off",
        "down",
        "over",
        "its",
        "their",
        "his",
        "her",
    ]
)
_SLUG_RE = re.compile(r"[^a-z0-9]+")
_HEAD_MARK = "+"


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One dictionary entry: a family of synonymous verb and noun triggers for one CAMEO code."""

    entry_id: str
    code: str
    root: str
    verbs: tuple[str, ...]
    nouns: tuple[str, ...]
    requires: tuple[tuple[str, ...], ...]  # every group must be met, by any one of its words
    forbids: tuple[str, ...]
    window: int | None  # None: the whole sentence
    target_preps: tuple[str, ...]
    source_preps: tuple[str, ...]
    object_role: ObjectRole
    reciprocal: bool
    specificity: int
    modality_hint: str | None
    lowercase_only: frozenset[str]  # surface forms that only count when not capitalised ("march", "state")
    except_forms: frozenset[str]  # one-word surface forms never matched ("back", "close", "press")
    source_file: str


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """A candidate event trigger found in a document (token indices refer to that document)."""

    start: int
    end: int
    head: int  # the content word to inspect in the parse: the verb, or the head noun
    text: str
    lemma: str  # the dictionary phrase that matched, e.g. "strike back" for "struck back"
    code: str
    kind: TriggerKind
    entry_id: str
    requires_met: bool
    context_token: int | None  # the nearest ``requires`` word, so the engine can check it is the object
    target_preps: tuple[str, ...]
    source_preps: tuple[str, ...]
    object_role: ObjectRole
    reciprocal: bool
    priority: int
    modality_hint: str | None


@dataclass(frozen=True, slots=True)
class _ContextForms:
    single: frozenset[str]
    multi: dict[str, tuple[tuple[str, ...], ...]]


@dataclass(frozen=True, slots=True)
class _Pattern:
    tokens: tuple[str, ...]
    head_offset: int
    entry_index: int
    kind: TriggerKind
    lemma: str
    priority: int


# spaCy's English tokenizer splits a hyphen off only between a letter or digit and a following letter
# ("cease-fire" -> cease - fire, "24-hour" -> 24 - hour, but "F-16" and "B-2" stay whole), and splits
# possessive endings ("women's" -> women 's, "workers'" -> workers ').
_INFIX_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W\d_])")


def _tokenize_phrase(phrase: str) -> list[str]:
    """Split a dictionary phrase the way spaCy's English tokenizer splits running text."""
    if "-" not in phrase and "'" not in phrase:
        return phrase.split()
    tokens: list[str] = []
    for word in phrase.split():
        suffix: list[str] = []
        if word.endswith("'s") and len(word) > 2:
            word, suffix = word[:-2], ["'s"]
        elif word.endswith("s'") and len(word) > 2:
            word, suffix = word[:-1], ["'"]
        for k, part in enumerate(_INFIX_HYPHEN.split(word)):
            if k:
                tokens.append("-")
            if part:
                tokens.append(part)
        tokens.extend(suffix)
    return tokens


def _code_depth(code: str) -> int:
    """0 for residual codes (010, 190) whose meaning is 'none of the above', else 1 or 2 by digits."""
    if len(code) == 4:
        return 2
    return 0 if code.endswith("0") else 1


class TriggerLexicon:
    """CAMEO event triggers (verbs and nouns) with their inflected forms, ready to match tokenizer output.

    ``match`` returns every candidate, overlapping ones included; the event engine chooses among them
    with the dependency parse. ``has_trigger`` is the cheap pre-filter that decides whether a sentence
    is worth parsing at all.
    """

    def __init__(
        self,
        entries: Sequence[TriggerEntry],
        patterns: Sequence[_Pattern],
        context_forms: Sequence[tuple[tuple[_ContextForms, ...], _ContextForms]],
        frames: FrameTable | None = None,
    ) -> None:
        self._frames = frames if frames is not None else FrameTable({})
        self._entries = tuple(entries)
        self._by_id = {entry.entry_id: entry for entry in self._entries}
        self._context_ids, self._context_single, self._context_multi = _index_contexts(context_forms)
        # first token -> [(token sequence, patterns spelled that way)]: entries of one frame family share
        # their verbs, so a sequence is compared once however many entries it serves
        # (an entry that reaches one token sequence twice, e.g. through two spellings, keeps one pattern)
        grouped: dict[str, dict[tuple[str, ...], dict[tuple[int, str], _Pattern]]] = {}
        for pattern in patterns:
            group = grouped.setdefault(pattern.tokens[0], {}).setdefault(pattern.tokens, {})
            known = group.get((pattern.entry_index, pattern.kind))
            if known is None or pattern.priority > known.priority:
                group[(pattern.entry_index, pattern.kind)] = pattern
        self._index: dict[str, tuple[tuple[tuple[str, ...], tuple[_Pattern, ...]], ...]] = {
            first: tuple(
                (tokens, tuple(sorted(group.values(), key=lambda p: -p.priority)))
                for tokens, group in sorted(by_tokens.items(), key=lambda item: -len(item[0]))
            )
            for first, by_tokens in grouped.items()
        }
        self._pattern_count = len(patterns)

    # ----------------------------------------------------------------------------------- loading
    @classmethod
    def load(cls, directory: str | Path | None = None) -> TriggerLexicon:
        """The lexicon in ``directory`` (default: the packaged one), cached per directory."""
        key = str(Path(directory).resolve()) if directory is not None else ""
        return _load_cached(key)

    @classmethod
    def from_directory(cls, directory: str | Path | None) -> TriggerLexicon:
        """Read and validate every ``NN_*.yaml`` file (uncached; ``load`` is the cached entry point)."""
        files = _data_files(directory)
        irregular_verbs, irregular_nouns, spellings = _read_inflections(files["inflections"])
        entries: list[TriggerEntry] = []
        topics = _read_topics(files["topics"])
        for name, text in files["roots"]:
            entries.extend(_parse_root_file(name, text, topics))
        seen: set[str] = set()
        for entry in entries:
            if entry.entry_id in seen:
                raise InputError(f"{entry.source_file}: duplicate trigger entry id {entry.entry_id!r}")
            seen.add(entry.entry_id)
        patterns: list[_Pattern] = []
        context_forms: list[tuple[tuple[_ContextForms, ...], _ContextForms]] = []
        expander = _Expander(irregular_verbs, irregular_nouns, spellings)
        for index, entry in enumerate(entries):
            context_forms.append(
                (tuple(expander.context(group) for group in entry.requires), expander.context(entry.forbids))
            )
            for phrase in entry.verbs:
                patterns.extend(expander.patterns(phrase, "verb", index, entry))
            for phrase in entry.nouns:
                patterns.extend(expander.patterns(phrase, "noun", index, entry))
        frames = FrameTable({})
        if files["frames"] is not None:
            name, text = files["frames"]
            frames = FrameTable.parse(name, _load_yaml(name, text))
        return cls(entries, patterns, context_forms, frames)

    # ------------------------------------------------------------------------------- introspection
    @property
    def entries(self) -> tuple[TriggerEntry, ...]:
        return self._entries

    def entry(self, entry_id: str) -> TriggerEntry:
        try:
            return self._by_id[entry_id]
        except KeyError:
            raise KeyError(f"no trigger entry {entry_id!r}") from None

    def codes(self) -> frozenset[str]:
        """Every CAMEO code some entry can produce."""
        return frozenset(entry.code for entry in self._entries)

    def surface_forms(self, entry_id: str) -> list[tuple[str, ...]]:
        """The token sequences an entry matches (for tests and for people editing the YAML)."""
        entry_index = self._entries.index(self.entry(entry_id))
        found = {
            tokens
            for groups in self._index.values()
            for tokens, group in groups
            if any(pattern.entry_index == entry_index for pattern in group)
        }
        return sorted(found)

    def frame_code(self, frame: str, act_code: str) -> str | None:
        """CAMEO code of an act governed by a frame trigger: ``frame_code("threaten", "163") == "1312"``.

        ``frame`` is one of appeal, intent, demand, reject, threaten (``frame_of`` of the governing
        trigger's code); None when that frame does not recode the act (data: ``frames.yaml``).
        """
        return self._frames.code(frame, act_code)

    @staticmethod
    def frame_of(code: str) -> str | None:
        """The frame family of a trigger code (02 appeal, 03 intent, 10 demand, 12 reject, 13 threaten)."""
        return FrameTable.frame_of(code)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"TriggerLexicon({len(self._entries)} entries, {self._pattern_count} surface patterns)"

    # ------------------------------------------------------------------------------------ matching
    def match(self, doc: Doc, *, include_unmet: bool = False) -> list[TriggerMatch]:
        """Every trigger candidate in ``doc``, ordered by position, then by priority (highest first).

        Candidates whose ``requires`` word is absent from their context window, or whose ``forbids``
        word is present, are dropped unless ``include_unmet`` is true, in which case they come back with
        ``requires_met=False``. Context windows stop at sentence boundaries when ``doc`` has them.
        """
        found = list(self._iter_matches(doc, include_unmet))
        found.sort(key=lambda m: (m.start, -m.priority, m.end, m.entry_id))
        return found

    def has_trigger(self, doc: Doc, min_priority: int | None = None) -> bool:
        """True when ``doc`` holds at least one candidate whose context requirements are met.

        ``min_priority`` ignores weak candidates (the generic statement verbs sit at -200 and below), for
        a pre-filter that should not let every "said" through.
        """
        matches = self._iter_matches(doc, False)
        if min_priority is None:
            return next(matches, None) is not None
        return any(match.priority >= min_priority for match in matches)

    def _iter_matches(self, doc: Doc, include_unmet: bool) -> Iterator[TriggerMatch]:
        lowers = [token.lower_ for token in doc]
        index = self._index
        entries = self._entries
        sentence_bounds: list[tuple[int, int]] | None = None
        context_positions: dict[int, list[tuple[int, int]]] = {}
        context_ids = self._context_ids
        for position, word in enumerate(lowers):
            groups = index.get(word)
            if groups is None:
                continue
            for tokens, group in groups:
                end = position + len(tokens)
                if end - position > 1 and tuple(lowers[position:end]) != tokens:
                    continue
                for pattern in group:
                    entry = entries[pattern.entry_index]
                    if (
                        entry.lowercase_only
                        and word in entry.lowercase_only
                        and doc[position].text[:1].isupper()
                    ):
                        continue  # "March" the month, "State" in "Islamic State": a capital marks them
                    met = True
                    context_token: int | None = None
                    if entry.requires or entry.forbids:
                        if sentence_bounds is None:
                            sentence_bounds = _sentence_bounds(doc)
                            context_positions = self._context_positions(lowers)
                        group_ids = context_ids[pattern.entry_index][0]
                        if not include_unmet and any(g not in context_positions for g in group_ids):
                            continue  # a required vocabulary occurs nowhere in the document
                        met, context_token = self._check_context(
                            context_positions, position, end, entry, pattern.entry_index, sentence_bounds
                        )
                    if not met and not include_unmet:
                        continue
                    yield TriggerMatch(
                        start=position,
                        end=end,
                        head=position + pattern.head_offset,
                        text=doc[position:end].text,
                        lemma=pattern.lemma,
                        code=entry.code,
                        kind=pattern.kind,
                        entry_id=entry.entry_id,
                        requires_met=met,
                        context_token=context_token,
                        target_preps=entry.target_preps,
                        source_preps=entry.source_preps,
                        object_role=entry.object_role,
                        reciprocal=entry.reciprocal,
                        priority=pattern.priority,
                        modality_hint=entry.modality_hint,
                    )

    def _context_positions(self, lowers: list[str]) -> dict[int, list[tuple[int, int]]]:
        """Where each context vocabulary occurs in the document: id -> [(start, end)], in token order.

        One pass over the tokens serves every entry: frame families check the same subject words for
        dozens of entries sharing one trigger verb, so scanning each window per entry would dominate.
        """
        positions: dict[int, list[tuple[int, int]]] = {}
        single, multi = self._context_single, self._context_multi
        unsorted: set[int] = set()
        for i, word in enumerate(lowers):
            for context_id in single.get(word, ()):
                positions.setdefault(context_id, []).append((i, i + 1))
            for phrase, offset, context_ids in multi.get(word, ()):
                start = i - offset
                end = start + len(phrase)
                if start >= 0 and tuple(lowers[start:end]) == phrase:
                    for context_id in context_ids:
                        positions.setdefault(context_id, []).append((start, end))
                        unsorted.add(context_id)
        for context_id in unsorted:
            positions[context_id].sort()
        return positions

    def _check_context(
        self,
        positions: dict[int, list[tuple[int, int]]],
        start: int,
        end: int,
        entry: TriggerEntry,
        entry_index: int,
        sentence_bounds: list[tuple[int, int]],
    ) -> tuple[bool, int | None]:
        sent_start, sent_end = sentence_bounds[start]
        if entry.window is None:
            low, high = sent_start, sent_end
        else:
            low, high = max(sent_start, start - entry.window), min(sent_end, end + entry.window)
        group_ids, forbidden_id = self._context_ids[entry_index]
        # A context phrase must begin inside the window and end inside the sentence, off the trigger.
        if forbidden_id is not None:
            for i, phrase_end in positions.get(forbidden_id, ()):
                if i >= high:
                    break
                if i >= low and not start <= i < end and phrase_end <= sent_end:
                    return False, None
        nearest: int | None = None
        for g, group_id in enumerate(group_ids):
            best: int | None = None
            for i, phrase_end in positions.get(group_id, ()):
                if i >= high:
                    break
                if i < low or start <= i < end or phrase_end > sent_end:
                    continue
                if best is None or _distance(i, start, end) < _distance(best, start, end):
                    best = i
            if best is None:
                return False, None
            if g == 0:
                nearest = best
        return True, nearest


def _index_contexts(
    context_forms: Sequence[tuple[tuple[_ContextForms, ...], _ContextForms]],
) -> tuple[
    list[tuple[tuple[int, ...], int | None]],
    dict[str, tuple[int, ...]],
    dict[str, tuple[tuple[tuple[str, ...], int, tuple[int, ...]], ...]],
]:
    """Number the distinct context vocabularies and invert them: word -> ids of vocabularies holding it.

    A multiword phrase is indexed by its last content word (with that word's offset in the phrase), not
    its first: "the hostages" is looked at where "hostages" occurs, not at every "the", and a phrase
    shared by many vocabularies is compared once.
    """
    ids: dict[int, int] = {}
    vocabularies: list[_ContextForms] = []

    def number(forms: _ContextForms) -> int:
        if id(forms) not in ids:
            ids[id(forms)] = len(vocabularies)
            vocabularies.append(forms)
        return ids[id(forms)]

    per_entry: list[tuple[tuple[int, ...], int | None]] = []
    for groups, forbidden in context_forms:
        empty = not forbidden.single and not forbidden.multi
        per_entry.append((tuple(number(g) for g in groups), None if empty else number(forbidden)))
    single: dict[str, list[int]] = {}
    owners: dict[tuple[str, ...], list[int]] = {}
    for context_id, forms in enumerate(vocabularies):
        for word in forms.single:
            single.setdefault(word, []).append(context_id)
        for phrases in forms.multi.values():
            for phrase in phrases:
                owners.setdefault(phrase, []).append(context_id)
    multi: dict[str, list[tuple[tuple[str, ...], int, tuple[int, ...]]]] = {}
    for phrase, context_ids in owners.items():
        content = [k for k, word in enumerate(phrase) if word not in _FUNCTION_WORDS and word != "-"]
        offset = content[-1] if content else len(phrase) - 1
        multi.setdefault(phrase[offset], []).append((phrase, offset, tuple(context_ids)))
    return (
        per_entry,
        {word: tuple(found) for word, found in single.items()},
        {word: tuple(found) for word, found in multi.items()},
    )


def _distance(i: int, start: int, end: int) -> int:
    return start - i if i < start else i - end + 1


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Per token, the (start, end) of its sentence; the whole doc when it has no sentence boundaries."""
    if not doc.has_annotation("SENT_START"):
        return [(0, len(doc))] * len(doc)
    bounds: list[tuple[int, int]] = []
    for sent in doc.sents:
        bounds.extend([(sent.start, sent.end)] * (sent.end - sent.start))
    return bounds


# ------------------------------------------------------------------------------ expansion helpers
def _split_head(phrase: str, kind: TriggerKind) -> tuple[list[str], int]:
    """Words of a phrase and the index of its head word (``+word`` marks it; else verb-first, noun-last)."""
    words = phrase.split()
    marked = [i for i, word in enumerate(words) if word.startswith(_HEAD_MARK)]
    if marked:
        head = marked[0]
        words[head] = words[head][len(_HEAD_MARK) :]
    else:
        head = 0 if kind == "verb" else len(words) - 1
    return words, head


class _Expander:
    """Inflects dictionary phrases, memoised: the families 02, 03, 10, 12 and 13 repeat one verb list in
    dozens of entries, so each phrase is expanded once per load."""

    def __init__(
        self,
        irregular_verbs: Mapping[str, tuple[str, ...]],
        irregular_nouns: Mapping[str, tuple[str, ...]],
        spellings: Mapping[str, str],
    ) -> None:
        self._verbs = irregular_verbs
        self._nouns = irregular_nouns
        self._spellings = spellings
        self._spelling_cache: dict[str, tuple[str, ...]] = {}
        self._variants: dict[
            tuple[str, TriggerKind], tuple[str, int, tuple[tuple[tuple[str, ...], int], ...]]
        ] = {}
        self._contexts: dict[tuple[str, ...], _ContextForms] = {}

    def patterns(
        self, phrase: str, kind: TriggerKind, entry_index: int, entry: TriggerEntry
    ) -> list[_Pattern]:
        key = (phrase, kind)
        if key not in self._variants:
            self._variants[key] = self._surface_variants(phrase, kind)
        lemma, word_count, variants = self._variants[key]
        priority = (
            100 * entry.specificity + 10 * word_count + 10 * len(entry.requires) + _code_depth(entry.code)
        )
        return [
            _Pattern(
                tokens=tokens,
                head_offset=head_offset,
                entry_index=entry_index,
                kind=kind,
                lemma=lemma,
                priority=priority,
            )
            for tokens, head_offset in variants
            if not (len(tokens) == 1 and tokens[0] in entry.except_forms)
        ]

    def _surface_variants(
        self, phrase: str, kind: TriggerKind
    ) -> tuple[str, int, tuple[tuple[tuple[str, ...], int], ...]]:
        words, head = _split_head(phrase.lower(), kind)
        head_word = words[head]
        if "-" in head_word:
            # inflect the last part of a hyphenated head ("cease-fire" -> "cease-fires")
            prefix, _, last = head_word.rpartition("-")
            prefix += "-"
        else:
            prefix, last = "", head_word
        forms = verb_forms(last, self._verbs) if kind == "verb" else noun_forms(last, self._nouns)
        joiners = [" "]
        if kind == "noun" and len(words) > 1 and not any("-" in w for w in words):
            joiners.append("-")  # "air strike" is also written "air-strike"
        variants: set[tuple[tuple[str, ...], int]] = set()
        for form in forms:
            inflected = [*words[:head], prefix + form, *words[head + 1 :]]
            for spelling in _spellings_of(inflected, self._spellings, self._spelling_cache):
                for joiner in joiners:
                    spelled = tuple(_tokenize_phrase(joiner.join(spelling)))
                    variants.add((spelled, _head_token_offset(spelling, head, joiner)))
        return " ".join(words), len(words), tuple(sorted(variants))

    def context(self, phrases: tuple[str, ...]) -> _ContextForms:
        if phrases not in self._contexts:
            self._contexts[phrases] = _context_forms(
                phrases, self._verbs, self._nouns, self._spellings, self._spelling_cache
            )
        return self._contexts[phrases]


def _head_token_offset(words: list[str], head: int, joiner: str) -> int:
    """Token offset of the head word once hyphens are split off (the last piece of a hyphenated word)."""
    separator = 0 if joiner == " " else 1
    offset = sum(len(_tokenize_phrase(word)) + separator for word in words[:head])
    return offset + len(_tokenize_phrase(words[head])) - 1


def _spellings_of(
    words: list[str], table: Mapping[str, str], cache: dict[str, tuple[str, ...]]
) -> list[list[str]]:
    """Every combination of the words' American and British spellings (``cache``: word -> spellings)."""
    options = []
    for word in words:
        if word not in cache:
            cache[word] = tuple(sorted(spelling_variants(word, table)))
        options.append(cache[word])
    if all(len(option) == 1 for option in options):
        return [words]
    return [list(combo) for combo in itertools.product(*options)]


def _context_forms(
    phrases: Sequence[str],
    irregular_verbs: Mapping[str, tuple[str, ...]],
    irregular_nouns: Mapping[str, tuple[str, ...]],
    spellings: Mapping[str, str],
    spelling_cache: dict[str, tuple[str, ...]],
) -> _ContextForms:
    """Context lemmas match in every noun and verb form of their last word ("ambassador(s)").

    Multiword and hyphenated context phrases ("cease-fire", "martial law") are kept as token tuples
    indexed by their first token.
    """
    single: set[str] = set()
    multi: dict[str, set[tuple[str, ...]]] = {}
    for phrase in phrases:
        *before, last = phrase.split()
        for form in noun_forms(last, irregular_nouns) | verb_forms(last, irregular_verbs):
            for spelling in _spellings_of([*before, form], spellings, spelling_cache):
                tokens = tuple(_tokenize_phrase(" ".join(spelling)))
                if len(tokens) == 1:
                    single.add(tokens[0])
                else:
                    multi.setdefault(tokens[0], set()).add(tokens)
    return _ContextForms(frozenset(single), {k: tuple(sorted(v)) for k, v in multi.items()})


# -------------------------------------------------------------------------------- file reading
def _data_files(directory: str | Path | None) -> dict[str, Any]:
    if directory is None:
        base: Any = resources.files(__package__).joinpath("data")
    else:
        base = Path(directory)
        if not base.is_dir():
            raise InputError(f"{base}: trigger dictionary directory does not exist")
    roots: list[tuple[str, str]] = []
    inflections: tuple[str, str] | None = None
    topics: tuple[str, str] | None = None
    frames: tuple[str, str] | None = None
    for item in sorted(base.iterdir(), key=lambda p: p.name):
        name = item.name
        if not name.endswith(".yaml"):
            continue
        if name == "inflections.yaml":
            inflections = (name, item.read_text(encoding="utf-8"))
        elif name == "topics.yaml":
            topics = (name, item.read_text(encoding="utf-8"))
        elif name == "frames.yaml":
            frames = (name, item.read_text(encoding="utf-8"))
        elif name[:2].isdigit() and name[2] == "_":
            roots.append((name, item.read_text(encoding="utf-8")))
    if not roots:
        raise InputError(f"{base}: no trigger files (NN_name.yaml) found")
    return {"roots": roots, "inflections": inflections, "topics": topics, "frames": frames}


# libyaml's parser when present: the dictionary is tens of thousands of flow-list items and the
# pure-Python scanner alone would take most of a second.
_BaseSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DictionaryLoader(_BaseSafeLoader):  # type: ignore[valid-type,misc]
    """YAML 1.1 reads ``on``, ``off``, ``yes``, ``no`` as booleans; in a word list they are words."""


_DictionaryLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseSafeLoader.yaml_implicit_resolvers.items()
}
_DictionaryLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def _load_yaml(name: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_DictionaryLoader)  # a SafeLoader subclass: no object tags
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{name}{where}: not valid YAML ({getattr(error, 'problem', error)})") from None


def _read_inflections(
    item: tuple[str, str] | None,
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], dict[str, str]]:
    if item is None:
        return {}, {}, {}
    name, text = item
    data = _load_yaml(name, text) or {}
    if not isinstance(data, dict) or set(data) - {"verbs", "nouns", "spellings"}:
        raise InputError(f"{name}: expected a mapping with 'verbs', 'nouns' and 'spellings'")
    raw_spellings = data.get("spellings") or {}
    if not isinstance(raw_spellings, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw_spellings.items()
    ):
        raise InputError(f"{name}: 'spellings' must map an American spelling to a British one")
    spellings = {k.lower(): v.lower() for k, v in raw_spellings.items()}
    spellings.update({v: k for k, v in spellings.items()})
    tables: list[dict[str, tuple[str, ...]]] = []
    for section in ("verbs", "nouns"):
        raw = data.get(section) or {}
        if not isinstance(raw, dict):
            raise InputError(f"{name}: '{section}' must map a lemma to its irregular forms")
        table: dict[str, tuple[str, ...]] = {}
        for lemma, forms in raw.items():
            if isinstance(forms, str):
                forms = [forms]
            if not isinstance(forms, list) or not all(isinstance(f, str) and f for f in forms):
                raise InputError(f"{name}: {section}.{lemma}: forms must be a list of words")
            table[str(lemma).lower()] = tuple(f.lower() for f in forms)
        tables.append(table)
    return tables[0], tables[1], spellings


def _read_topics(item: tuple[str, str] | None) -> dict[str, tuple[str, ...]]:
    if item is None:
        return {}
    name, text = item
    data = _load_yaml(name, text) or {}
    if not isinstance(data, dict):
        raise InputError(f"{name}: expected a mapping from topic name to a list of words")
    return {str(topic): _str_list(words, f"{name} topic {topic}", "words") for topic, words in data.items()}


def _str_list(value: Any, where: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{where}: '{field}' must be a list of non-empty strings")
    return tuple(" ".join(v.lower().split()) for v in value)


def _parse_root_file(name: str, text: str, topics: Mapping[str, tuple[str, ...]]) -> list[TriggerEntry]:
    data = _load_yaml(name, text)
    if not isinstance(data, dict):
        raise InputError(f"{name}: expected a mapping with 'root' and 'entries'")
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise InputError(f"{name}: unknown top-level key(s) {sorted(unknown)}")
    root = str(data.get("root", ""))
    if len(root) != 2 or not cameo.is_valid(root):
        raise InputError(f"{name}: 'root' must be a 2-digit CAMEO root, got {root!r}")
    if not name.startswith(root + "_"):
        raise InputError(f"{name}: file name must start with its root {root!r}")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict) or set(defaults) - _ENTRY_KEYS:
        raise InputError(f"{name}: 'defaults' must be a mapping of entry fields")
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise InputError(f"{name}: 'entries' must be a non-empty list")
    return [_parse_entry(name, root, i, raw, defaults, topics) for i, raw in enumerate(raw_entries, 1)]


def _expand_topics(
    words: tuple[str, ...], where: str, topics: Mapping[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """Replace ``@name`` items by the words of topic ``name`` from topics.yaml."""
    expanded: list[str] = []
    for word in words:
        if word.startswith("@"):
            if word[1:] not in topics:
                raise InputError(f"{where}: unknown topic {word!r} (not in topics.yaml)")
            expanded.extend(topics[word[1:]])
        else:
            expanded.append(word)
    return tuple(dict.fromkeys(expanded))


def _requirement_groups(
    value: Any, where: str, topics: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[str, ...], ...]:
    """``requires`` is a list of words (one group) or a list of lists (every group must be met)."""
    if value is None:
        return ()
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        groups = [_str_list(v, where, "requires") for v in value]
    else:
        groups = [_str_list(value, where, "requires")]
    result = tuple(_expand_topics(group, where, topics) for group in groups)
    if any(not group for group in result):
        raise InputError(f"{where}: 'requires' has an empty group")
    return result


def _parse_entry(
    name: str,
    root: str,
    number: int,
    raw: Any,
    defaults: dict[str, Any],
    topics: Mapping[str, tuple[str, ...]],
) -> TriggerEntry:
    where = f"{name} entry {number}"
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected a mapping")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise InputError(f"{where}: unknown field(s) {sorted(unknown)}")
    values = {**defaults, **raw}
    code = str(values.get("code", ""))
    if not cameo.is_valid(code) or len(code) < 3:
        raise InputError(f"{where}: 'code' must be a 3- or 4-digit CAMEO code, got {code!r}")
    if code[:2] != root:
        raise InputError(f"{where}: code {code} does not belong to root {root}")
    verbs = _str_list(values.get("verbs"), where, "verbs")
    nouns = _str_list(values.get("nouns"), where, "nouns")
    if not verbs and not nouns:
        raise InputError(f"{where}: needs at least one verb or noun")
    requires = _requirement_groups(values.get("requires"), where, topics)
    forbids = _expand_topics(_str_list(values.get("forbids"), where, "forbids"), where, topics)
    window_value = values.get("window", DEFAULT_WINDOW)
    if window_value == "sentence":
        window: int | None = None
    elif isinstance(window_value, int) and not isinstance(window_value, bool) and window_value > 0:
        window = window_value
    else:
        raise InputError(f"{where}: 'window' must be a positive number of tokens or 'sentence'")
    object_role = values.get("object", "target")
    if object_role not in ("target", "theme", "none"):
        raise InputError(f"{where}: 'object' must be target, theme or none, got {object_role!r}")
    reciprocal = values.get("reciprocal", False)
    if not isinstance(reciprocal, bool):
        raise InputError(f"{where}: 'reciprocal' must be true or false")
    specificity = values.get("specificity", 0)
    if not isinstance(specificity, int) or isinstance(specificity, bool) or not -5 <= specificity <= 5:
        raise InputError(f"{where}: 'specificity' must be an integer from -5 to 5")
    modality_hint = values.get("modality_hint")
    if modality_hint is not None and modality_hint not in MODALITIES:
        raise InputError(f"{where}: 'modality_hint' must be one of {', '.join(MODALITIES)}")
    first = (verbs or nouns)[0].replace(_HEAD_MARK, "")
    slug = str(raw.get("id") or _SLUG_RE.sub("-", first).strip("-"))
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        raise InputError(f"{where}: 'id' must be lowercase letters, digits and hyphens, got {slug!r}")
    return TriggerEntry(
        entry_id=f"{root}/{code}/{slug}",
        code=code,
        root=root,
        verbs=verbs,
        nouns=nouns,
        requires=requires,
        forbids=forbids,
        window=window,
        target_preps=_str_list(values.get("target_preps"), where, "target_preps"),
        source_preps=_str_list(values.get("source_preps"), where, "source_preps"),
        object_role=object_role,
        reciprocal=reciprocal,
        specificity=specificity,
        modality_hint=modality_hint,
        lowercase_only=frozenset(_str_list(values.get("lowercase_only"), where, "lowercase_only")),
        except_forms=frozenset(_str_list(values.get("except_forms"), where, "except_forms")),
        source_file=name,
    )


@cache
def _load_cached(directory: str) -> TriggerLexicon:
    return TriggerLexicon.from_directory(directory or None)
