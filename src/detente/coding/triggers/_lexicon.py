"""The CAMEO trigger lexicon: YAML entries in, a fast surface-form matcher out.

Entries live in ``data/NN_<root>.yaml`` (one file per CAMEO root) and are described in ``data/README.md``
and ``docs/triggers.md``. At load time every lemma is expanded to its inflected forms and indexed by
its first lowercased token, so matching a document is one dictionary lookup per token plus a short
comparison for multiword triggers. No tagger or parser is needed: the engine uses the matches to decide
which sentences deserve a parse, then resolves overlapping candidates with that parse.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path

from spacy.tokens import Doc

from detente.errors import InputError

from ._expand import ContextForms, Expander, Pattern
from ._files import data_files, load_yaml, parse_root_file, read_inflections, read_topics
from ._frames import FrameTable
from ._model import DEFAULT_WINDOW, TriggerEntry, TriggerMatch

__all__ = ["DEFAULT_WINDOW", "TriggerEntry", "TriggerLexicon", "TriggerMatch"]

# Words that never index a multiword context phrase (see _index_contexts).
# fmt: off
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "of", "to", "on", "in", "for", "with", "from", "by", "and", "or", "at", "as",
    "into", "out", "up", "off", "down", "over", "its", "their", "his", "her",
})
# fmt: on


class TriggerLexicon:
    """CAMEO event triggers (verbs and nouns) with their inflected forms, ready to match tokenizer output.

    ``match`` returns every candidate, overlapping ones included; the event engine chooses among them
    with the dependency parse. ``has_trigger`` is the cheap pre-filter that decides whether a sentence
    is worth parsing at all.
    """

    def __init__(
        self,
        entries: Sequence[TriggerEntry],
        patterns: Sequence[Pattern],
        context_forms: Sequence[tuple[tuple[ContextForms, ...], ContextForms]],
        frames: FrameTable | None = None,
    ) -> None:
        self._frames = frames if frames is not None else FrameTable({})
        self._entries = tuple(entries)
        self._by_id = {entry.entry_id: entry for entry in self._entries}
        self._context_ids, self._context_single, self._context_multi = _index_contexts(context_forms)
        # first token -> [(token sequence, patterns spelled that way)]: entries of one frame family share
        # their verbs, so a sequence is compared once however many entries it serves
        # (an entry that reaches one token sequence twice, e.g. through two spellings, keeps one pattern)
        grouped: dict[str, dict[tuple[str, ...], dict[tuple[int, str], Pattern]]] = {}
        for pattern in patterns:
            group = grouped.setdefault(pattern.tokens[0], {}).setdefault(pattern.tokens, {})
            known = group.get((pattern.entry_index, pattern.kind))
            if known is None or pattern.priority > known.priority:
                group[(pattern.entry_index, pattern.kind)] = pattern
        self._index: dict[str, tuple[tuple[tuple[str, ...], tuple[Pattern, ...]], ...]] = {
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
        files = data_files(directory)
        irregular_verbs, irregular_nouns, spellings = read_inflections(files["inflections"])
        entries: list[TriggerEntry] = []
        topics = read_topics(files["topics"])
        for name, text in files["roots"]:
            entries.extend(parse_root_file(name, text, topics))
        seen: set[str] = set()
        for entry in entries:
            if entry.entry_id in seen:
                raise InputError(f"{entry.source_file}: duplicate trigger entry id {entry.entry_id!r}")
            seen.add(entry.entry_id)
        patterns: list[Pattern] = []
        context_forms: list[tuple[tuple[ContextForms, ...], ContextForms]] = []
        expander = Expander(irregular_verbs, irregular_nouns, spellings)
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
            frames = FrameTable.parse(name, load_yaml(name, text))
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
                        object_required=entry.object_required,
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
        # A context phrase must begin inside the window and end inside the sentence, off the trigger. A
        # forbidden phrase may also begin on the trigger when it runs past it: "returned home" forbids
        # "returned" as a release (the trigger word alone must not forbid itself).
        if forbidden_id is not None:
            for i, phrase_end in positions.get(forbidden_id, ()):
                if i >= high:
                    break
                if i >= low and (not start <= i < end or phrase_end > end) and phrase_end <= sent_end:
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
    context_forms: Sequence[tuple[tuple[ContextForms, ...], ContextForms]],
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
    vocabularies: list[ContextForms] = []

    def number(forms: ContextForms) -> int:
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


@cache
def _load_cached(directory: str) -> TriggerLexicon:
    return TriggerLexicon.from_directory(directory or None)
