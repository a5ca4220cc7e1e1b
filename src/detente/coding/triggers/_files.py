"""Reading and validating the YAML dictionary: one clear, one-line InputError per problem."""

from __future__ import annotations

import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from detente import cameo
from detente.errors import InputError
from detente.record import MODALITIES

from ._expand import HEAD_MARK
from ._model import DEFAULT_WINDOW, TriggerEntry

__all__ = ["data_files", "load_yaml", "parse_root_file", "read_inflections", "read_topics"]

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
        "object_required",
        "reciprocal",
        "specificity",
        "modality_hint",
        "lowercase_only",
        "except_forms",
        "note",
    }
)
_FILE_KEYS = frozenset({"root", "title", "defaults", "entries", "vocabulary"})
_SLUG_RE = re.compile(r"[^a-z0-9]+")


def data_files(directory: str | Path | None) -> dict[str, Any]:
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
    """YAML 1.1 reads ``on``, ``off``, ``yes``, ``no`` as booleans; in a word list they are words.

    A key repeated in one mapping is an error: YAML would silently keep the last value, so an entry
    whose ``- id:`` line was lost in an edit would overwrite its neighbour's fields unnoticed."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _value in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == "tag:yaml.org,2002:str":
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key_node.value!r}", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]


_DictionaryLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _BaseSafeLoader.yaml_implicit_resolvers.items()
}
_DictionaryLoader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))


def load_yaml(name: str, text: str) -> Any:
    try:
        return yaml.load(text, Loader=_DictionaryLoader)  # a SafeLoader subclass: no object tags
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{name}{where}: not valid YAML ({getattr(error, 'problem', error)})") from None


def read_inflections(
    item: tuple[str, str] | None,
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], dict[str, str]]:
    if item is None:
        return {}, {}, {}
    name, text = item
    data = load_yaml(name, text) or {}
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


def read_topics(item: tuple[str, str] | None) -> dict[str, tuple[str, ...]]:
    if item is None:
        return {}
    name, text = item
    data = load_yaml(name, text) or {}
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


def parse_root_file(name: str, text: str, topics: Mapping[str, tuple[str, ...]]) -> list[TriggerEntry]:
    data = load_yaml(name, text)
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
    object_required = values.get("object_required", False)
    if not isinstance(object_required, bool):
        raise InputError(f"{where}: 'object_required' must be true or false")
    reciprocal = values.get("reciprocal", False)
    if not isinstance(reciprocal, bool):
        raise InputError(f"{where}: 'reciprocal' must be true or false")
    specificity = values.get("specificity", 0)
    if not isinstance(specificity, int) or isinstance(specificity, bool) or not -5 <= specificity <= 5:
        raise InputError(f"{where}: 'specificity' must be an integer from -5 to 5")
    modality_hint = values.get("modality_hint")
    if modality_hint is not None and modality_hint not in MODALITIES:
        raise InputError(f"{where}: 'modality_hint' must be one of {', '.join(MODALITIES)}")
    first = (verbs or nouns)[0].replace(HEAD_MARK, "")
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
        object_required=object_required,
    )
