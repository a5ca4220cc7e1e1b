"""The records of the trigger lexicon: dictionary entries and the matches found in a document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["DEFAULT_WINDOW", "ObjectRole", "TriggerEntry", "TriggerKind", "TriggerMatch"]

TriggerKind = Literal["verb", "noun"]
ObjectRole = Literal["target", "theme", "none"]

# Tokens either side of a trigger searched for its ``requires``/``forbids`` words. Wide enough for
# "fired a barrage of ballistic missiles", narrow enough that a missile three clauses away does not turn
# "fired the minister" into an air strike. An entry may widen it or ask for the whole sentence.
DEFAULT_WINDOW = 8


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
    # the verb means the event only with a thing acted on: used with no object and not passive ("returned
    # from Davos"), it is no such event ("returned the pilot" is)
    object_required: bool = False


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
    object_required: bool = False
