"""CAMEO event-type triggers: verbs and nouns that signal an event, matched on tokenizer output.

The dictionary is data (``data/NN_<root>.yaml``, one file per CAMEO root, plus ``data/inflections.yaml``);
``docs/triggers.md`` documents the entry fields. Typical use by the event engine::

    lexicon = TriggerLexicon.load()
    doc = nlp.make_doc(text)
    if lexicon.has_trigger(doc):          # cheap pre-filter before spending the parser
        for match in lexicon.match(doc):  # every candidate; the engine picks with the parse
            ...
    # a frame trigger governing an act recodes it: "threatened to impose sanctions" -> 1312
    lexicon.frame_code(lexicon.frame_of("138"), "163")
"""

from __future__ import annotations

from ._frames import FRAME_ROOTS
from ._inflect import noun_forms, spelling_variants, verb_forms
from ._lexicon import DEFAULT_WINDOW, TriggerEntry, TriggerLexicon, TriggerMatch

__all__ = [
    "DEFAULT_WINDOW",
    "FRAME_ROOTS",
    "TriggerEntry",
    "TriggerLexicon",
    "TriggerMatch",
    "noun_forms",
    "spelling_variants",
    "verb_forms",
]
