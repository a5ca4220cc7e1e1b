"""Who did it and to whom: source and target actors of a trigger, from the dependency parse.

The engine hands over one parsed sentence, the actor mentions and the chosen triggers in it (token
indices of the parsed sentence). ``RoleFinder.roles`` returns the sources and targets of a trigger and
the name of the pattern that found them (it becomes part of the event's ``rule``):

- verbs: subject -> source, direct object / dative / a prepositional object whose preposition is one
  of the trigger's ``target_preps`` -> target; passives ("was attacked by X": agent -> source,
  subject -> target); a clause without a subject takes it from the clause it hangs on ("agreed to
  station", "and then struck"), from the governing verb's object under object control ("urged Iran to
  hold talks"), or from the noun a relative clause or participle describes; a thing acted on stands for
  its country ("released a German journalist") or names whom it concerns ("closed its border crossings
  with Iran"); violence against a place is aimed at the place's country;
- nouns: possessor / country modifier / ``source_preps`` object -> source ("Iran's attack",
  "the Iranian strike", "the visit of X"), ``target_preps`` object -> target ("attack on Pakistan",
  "visit to Y"); "talks between A and B" -> a pair; an event noun that is the object of a support verb
  takes its source from that verb's subject ("launched an attack on"), or, after an experiencer verb,
  its target ("faced retaliation from Pakistan");
- every role expands over conjunctions ("Pakistan and Iran", "Indian and Pakistani troops") and
  appositions ("Asim Munir, the army chief"); a bare sector ("the army chief") takes its country from a
  possessor, a modifier, an "of" phrase or the place it acts in ("Pakistan's army chief", "the Iranian
  foreign minister", "police in Nairobi"), else stays a sector without a country; "each other" makes the
  subjects each other's targets;
- "the two neighbors", "its counterpart" and pronouns resolve through ``DocumentContext``; an event told
  without a target takes the other side of the pair the document is about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from detente.coding.grammar import Grammar
from detente.coding.nlp import lemma_of
from detente.coding.reference import DocumentContext

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["Actor", "MentionLike", "RoleFinder", "Roles", "TriggerLike"]

_SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
_PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
_OBJECT_DEPS = frozenset({"dobj", "dative", "obj", "iobj", "oprd"})
_INHERIT_LINKS = frozenset({"xcomp", "conj", "advcl", "pcomp", "ccomp", "acl", "prep", "pobj", "acomp"})
# cooperation roots whose agentless passives are read as the doing of the document's current pair
_JOINT_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})
# prepositions on a thing acted on that name whom it concerns
# ("in", "at" name where it happened, not whom it concerns: "signed an agreement in Washington")
_THEME_PREPS = ("to", "from", "on", "against", "for", "with", "by", "of")
# CAMEO codes of acting between two others (mediation): the pair after "between" are the targets
_MEDIATION_CODES = frozenset({"039", "045", "165"})  # intend to mediate, mediate, halt mediation
# verbs by which two sides each do the event noun to the other ("exchanged fire", "traded strikes")
_EXCHANGE_VERBS = frozenset({"exchange", "trade", "swap"})
# reactions to an act (demand, disapprove, reject, threaten): their object may be an act of someone else's
_REACTION_ROOTS = frozenset({"10", "11", "12", "13"})
# acts whose author a reaction is aimed at, when the act's own root has no author in the document
_ACT_ROOTS = ("19", "18", "20", "17", "15", "16", "14")
# appeals, demands and accusations: "demanded that X end ...", "alleged that X had ..." are aimed at X
_ACCUSATION_ROOTS = frozenset({"02", "10", "11"})
# statements and appeals are often made to no one: their target is never implied
_UNDIRECTED_ROOTS = frozenset({"01", "02"})
# nouns an adverbial noun phrase uses to say when ("returned last week"), not what
_TIME_NOUNS = frozenset(
    {"day", "days", "week", "weeks", "month", "months", "year", "years", "morning", "evening", "night",
     "afternoon", "weekend", "time", "times", "hour", "hours", "today", "yesterday", "tomorrow"}
)  # fmt: skip


class MentionLike(Protocol):
    start: int
    end: int
    text: str
    country: str | None
    sector: str | None
    kind: str
    entry_id: str


class TriggerLike(Protocol):
    start: int
    end: int
    head: int
    code: str
    entry_id: str
    target_preps: tuple[str, ...]
    source_preps: tuple[str, ...]
    object_role: str
    reciprocal: bool


@dataclass(frozen=True, slots=True)
class Actor:
    country: str
    sector: str
    text: str
    start: int  # token span in the sentence
    end: int
    how: (
        str  # mention, modifier, of-phrase, apposition, location, instrument, pair, counterpart, pronoun, ...
    )
    entry_id: str = ""


@dataclass(slots=True)
class Roles:
    sources: list[Actor] = field(default_factory=list)
    targets: list[Actor] = field(default_factory=list)
    pattern: list[str] = field(default_factory=list)
    reciprocal: bool = False
    # no target in the sentence, and the event needs none (a comment, an appeal for something, a protest):
    # the engine codes it with the source alone
    undirected: bool = False

    @property
    def name(self) -> str:
        return "+".join(self.pattern) or "none"


def _has_prefix(code: str, prefixes: frozenset[str]) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)


def _is_each_other(token: Token) -> bool:
    """Whether ``token`` heads "each other" or "one another"."""
    words = {child.lower_ for child in token.children}
    return (
        (token.lower_ == "other" and "each" in words)
        or (token.lower_ == "another" and "one" in words)
        or (token.lower_ == "one" and "another" in words)
    )


class RoleFinder:
    """Finds source and target actors for the triggers of one parsed sentence."""

    def __init__(
        self,
        doc: Doc,
        mentions: Sequence[MentionLike],
        grammar: Grammar,
        context: DocumentContext,
        *,
        char_offset: int,
        sentence_number: int,
    ) -> None:
        self.doc = doc
        self.grammar = grammar
        self.context = context
        self.char_offset = char_offset
        self.sentence_number = sentence_number
        self._mention_at: dict[int, MentionLike] = {}
        for mention in mentions:
            for i in range(mention.start, mention.end):
                current = self._mention_at.get(i)
                if current is None or (current.end - current.start) < (mention.end - mention.start):
                    self._mention_at[i] = mention
        self._trigger_tokens: set[int] = set()
        self._trigger_code_at: dict[int, str] = {}
        # the one country the sentence names, if it names exactly one: the home of actors known only by sector
        countries = {m.country for m in mentions if m.country}
        self._home = next(iter(countries)) if len(countries) == 1 else ""
        # words inside a phrase naming what did not take part ("without mediation by the United States"), and
        # the countries the sentence names only so: no party, and no side of a pair implied for the sentence
        self._excluded: set[int] = set()
        outside: set[int] = set()
        negated: list[Token] = []
        for token in doc:
            if token.dep_ == "prep" and token.lower_ in grammar.exclusion_preps:
                self._excluded.update(t.i for t in token.subtree)
            elif token.lower_ in grammar.negators:
                # the verb a negation belongs to: "was not involved", "played no role"
                negated.append(token.head.head if token.dep_ == "det" else token.head)
        for verb in negated:
            if verb.pos_ == "VERB" and lemma_of(verb) in grammar.participation_verbs and self._negated(verb):
                for subject in verb.children:
                    if subject.dep_ in ("nsubj", "nsubjpass"):
                        outside.update(t.i for t in subject.subtree)
        outside |= self._excluded
        inside = {m.country for m in mentions if m.country and not outside.issuperset(range(m.start, m.end))}
        self._outsiders = {m.country for m in mentions if m.country} - inside
        self._speech_acts = (
            grammar.report_verbs
            | grammar.threat_verbs
            | grammar.request_verbs
            | grammar.subject_control_verbs
            | grammar.denial_verbs
        )

    def set_trigger_tokens(self, tokens: set[int], codes: dict[int, str] | None = None) -> None:
        """Tokens that belong to triggers: they are never read as actors; ``codes``: the CAMEO code of each
        trigger head (an act named as the object of another event is looked up by it)."""
        self._trigger_tokens = tokens
        self._trigger_code_at = codes or {}

    def _negated(self, verb: Token) -> bool:
        """Whether ``verb`` is negated ("was not involved") or denies its object ("played no role")."""
        for child in verb.children:
            if child.dep_ == "neg" or (child.dep_ != "prep" and child.lower_ in self.grammar.negators):
                return True
            if child.dep_ in ("dobj", "obj") and any(
                c.dep_ == "det" and c.lower_ in self.grammar.negators for c in child.children
            ):
                return True
        return False

    # ---------------------------------------------------------------------------- actor phrases
    def _position(self, token: Token) -> int:
        return self.char_offset + token.idx

    def _country_modifier(self, token: Token, exclude: set[int]) -> Actor | None:
        """A country named inside the noun phrase headed by ``token`` (possessor, modifier, of-phrase)."""
        for child in token.children:
            if child.i in exclude:
                continue
            if child.dep_ in self.grammar.modifier_deps:
                mention = self._mention_at.get(child.i)
                if mention is not None and mention.country:
                    return self._from_mention(mention, "modifier")
                if (
                    child.dep_ == "poss"
                    and child.lower_ in self.grammar.collective_pronouns | self.grammar.person_pronouns
                    and (
                        token.i in self._mention_at
                        or token.i in self._trigger_tokens
                        or token.lower_ in self.grammar.country_parts
                    )
                ):
                    # "its army", "its attack", "its territory" stand for the country; "their posts" does not
                    resolved = self._clause_subject_actor(child) or self._pronoun(child, exclude_country=None)
                    if resolved is not None:
                        return resolved
                inner = self._mention_at.get(child.i)
                if child.dep_ in ("poss", "compound") and (inner is None or not inner.country):
                    # "Nigerian junior foreign minister Dubem Oniya": the country is on the title
                    nested = self._country_modifier(child, exclude)
                    if nested is not None:
                        return nested
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        actor = self.actor_of(pobj, exclude)
                        if actor is not None and actor.country:
                            return Actor(
                                actor.country, actor.sector, actor.text, actor.start, actor.end, "of-phrase"
                            )
        return None

    def _from_mention(self, mention: MentionLike, how: str) -> Actor:
        return Actor(
            country=mention.country or "",
            sector=mention.sector or "",
            text=mention.text,
            start=mention.start,
            end=mention.end,
            how=how,
            entry_id=mention.entry_id,
        )

    def _clause_subject_actor(self, possessive: Token) -> Actor | None:
        """ "Pakistan recalled its ambassador": a possessive pronoun in a clause's object stands for the
        clause's subject when that names one country."""
        if possessive.lower_ not in self.grammar.collective_pronouns:
            return None
        token = possessive.head
        for _ in range(4):
            if token.dep_ in ("nsubj", "nsubjpass"):
                return None  # the pronoun is inside the subject itself
            if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
                break
            token = token.head
        subjects = [c for c in token.children if c.dep_ == "nsubj" and c.i < possessive.i]
        if len(subjects) != 1 or subjects[0].lower_ in self.grammar.collective_pronouns:
            return None
        mention = self._mention_at.get(subjects[0].i)
        if mention is None or not mention.country:
            return None
        return Actor(mention.country, mention.sector or "", f"{possessive.text} ({mention.text})",
                     possessive.i, possessive.i + 1, "pronoun")  # fmt: skip

    def _speaker_pronoun(self, token: Token) -> Actor | None:
        """ "Pakistan said it stood with Iran": a pronoun subject of a reported clause is the speaker, when
        the speaker is one country (a person speaker is left to the document's reference)."""
        if token.dep_ not in ("nsubj", "nsubjpass") or token.lower_ not in ("it", "they", "we"):
            return None
        speakers = self._reporting_subject(token.head)
        if len(speakers) != 1 or speakers[0].i == token.i:
            return None
        speaker = speakers[0]
        if speaker.lower_ in self.grammar.collective_pronouns | self.grammar.person_pronouns:
            return None
        mention = self._mention_at.get(speaker.i)
        if mention is None or not mention.country or mention.kind in ("person", "leader", "official"):
            return None
        return Actor(mention.country, mention.sector or "", f"{token.text} ({mention.text})",
                     token.i, token.i + 1, "pronoun")  # fmt: skip

    def _pronoun(self, token: Token, exclude_country: str | None) -> Actor | None:
        word = token.lower_
        person = word in self.grammar.person_pronouns
        if not person and word not in self.grammar.collective_pronouns:
            return None
        referent = self.context.pronoun(
            self._position(token), self.sentence_number, person=person, exclude=exclude_country
        )
        if referent is None:
            return None
        return Actor(
            referent.country,
            referent.sector,
            f"{token.text} ({referent.text})",
            token.i,
            token.i + 1,
            "pronoun",
        )

    def _pair(self, token: Token) -> list[Actor]:
        """ "the two neighbors", "both sides", "the two" -> the current pair of countries."""
        word = token.lower_
        quantified = any(
            child.lower_ in self.grammar.pair_quantifiers
            and child.dep_ in ("nummod", "det", "predet", "amod", "quantmod")
            for child in token.children
        )
        bare_two = word in self.grammar.pair_quantifiers and token.pos_ in ("NUM", "PRON", "DET")
        if not ((quantified and word in self.grammar.pair_nouns) or bare_two):
            return []
        pair = self.context.pair(self._position(token))
        if pair is None or token.i in self._excluded or self._outsiders.intersection(pair):
            return []
        text = " ".join(t.text for t in token.subtree if t.dep_ != "punct")
        return [Actor(country, "", f"{text} ({country})", token.i, token.i + 1, "pair") for country in pair]

    def actor_of(
        self,
        token: Token,
        exclude: set[int] | None = None,
        other: str | None = None,
        other_sector: str = "",
    ) -> Actor | None:
        """The actor a noun phrase headed by ``token`` names, or None.

        ``other`` and ``other_sector`` describe the actor on the other side of the event: a pronoun does not
        refer back to it, and a counterpart is its opposite number (same sector, the other country).
        """
        exclude = exclude or set()
        if token.i in self._excluded:
            return None  # named as not taking part: "without mediation by the United States"
        if token.i in self._trigger_tokens and token.i not in self._mention_at:
            # an agent noun that is itself a trigger ("the Taliban suicide bomber", "Iran's attack") names its
            # actor only through its modifiers; an act's author ("any violation of its territory by Iran")
            # is whom the act stands for
            for agent in self._prep_objects([token], ("by",)):
                actor = self.actor_of(agent, exclude)
                if actor is not None and actor.country:
                    return Actor(actor.country, actor.sector, actor.text, actor.start, actor.end, "author")
            return self._country_modifier(token, exclude | {token.i})
        mention = self._mention_at.get(token.i)
        if mention is not None and mention.country:
            return self._from_mention(mention, "mention")
        if token.lower_ in self.grammar.collective_pronouns | self.grammar.person_pronouns:
            return self._speaker_pronoun(token) or self._pronoun(token, exclude_country=other)
        modifier = self._country_modifier(
            token, exclude | ({token.i} if mention is None else set(range(mention.start, mention.end)))
        )
        sector = mention.sector if mention is not None else ""
        if not sector and token.lower_ in self.grammar.counterpart_nouns:
            sector = other_sector
        if modifier is not None:
            text = self._phrase(token)
            return Actor(
                modifier.country, sector or modifier.sector, text, token.i, token.i + 1, modifier.how
            )
        if token.lower_ in self.grammar.counterpart_nouns:
            country = self.context.counterpart(other, self._position(token))
            if country:
                return Actor(
                    country,
                    other_sector,
                    f"{self._phrase(token)} ({country})",
                    token.i,
                    token.i + 1,
                    "counterpart",
                )
        for child in token.children:
            if child.dep_ == "appos":
                actor = self.actor_of(child, exclude)
                if actor is not None and actor.country:
                    return Actor(
                        actor.country,
                        sector or actor.sector,
                        actor.text,
                        actor.start,
                        actor.end,
                        "apposition",
                    )
        for child in token.children:
            if child.dep_ == "acl" and child.tag_ == "VBN":
                # "the missiles fired by the Israeli military": the instrument stands for whoever used it
                for agent in self._agent(child):
                    actor = self.actor_of(agent, exclude)
                    if actor is not None and actor.country:
                        return Actor(
                            actor.country, actor.sector, actor.text, actor.start, actor.end, "instrument"
                        )
        if mention is None or not mention.sector:
            # the head word is not an actor; a phrase such as "the city of Turbat in Pakistan" names a
            # place, not an actor, so nothing further inside it is searched
            return None
        # a sector without a country: "police in Nairobi" takes the country of the place it acts in;
        # otherwise the actor is kept with its sector alone ("militants", "protesters")
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "at", "inside"):
                for pobj in child.children:
                    place = self._mention_at.get(pobj.i)
                    if pobj.dep_ == "pobj" and place is not None and place.country and place.kind != "person":
                        return Actor(
                            place.country,
                            mention.sector,
                            self._phrase(token),
                            token.i,
                            token.i + 1,
                            "location",
                        )
        return Actor("", mention.sector, mention.text, mention.start, mention.end, "sector-only")

    def _phrase(self, token: Token) -> str:
        left = min(
            (
                t.i
                for t in token.subtree
                if t.dep_ not in ("relcl", "acl", "prep", "punct", "cc", "conj", "appos")
            ),
            default=token.i,
        )
        left = max(left, token.left_edge.i)
        words = [t for t in self.doc[left : token.i + 1] if t.dep_ != "punct"]
        return " ".join(t.text for t in words) if words else token.text

    def _hyphen_pair(self, modifiers: list[Token]) -> list[Actor]:
        """Two countries written as one modifier, "Israel-Iran" or "India-Pakistan"."""
        for modifier in modifiers:
            first = self._mention_at.get(modifier.i)
            if first is None or not first.country:
                continue
            for child in modifier.children:
                second = self._mention_at.get(child.i)
                between = self.doc[min(child.i, modifier.i) + 1 : max(child.i, modifier.i)]
                if (
                    child.dep_ in ("compound", "amod", "nmod")
                    and second is not None
                    and second.country
                    and second.country != first.country
                    and len(between) == 1
                    and between[0].text in ("-", "–", "/")
                ):
                    return [self._from_mention(second, "modifier"), self._from_mention(first, "modifier")]
        return []

    def _conjoined_modifiers(self, head: Token, actor: Actor) -> list[Actor]:
        """ "Indian and Pakistani troops": one actor per conjoined country modifier, sharing the sector."""
        extra: list[Actor] = []
        for child in head.children:
            if child.dep_ not in self.grammar.modifier_deps or child.dep_ == "poss":
                continue
            for conjunct in [child, *child.conjuncts]:
                mention = self._mention_at.get(conjunct.i)
                if mention is not None and mention.country and mention.country != actor.country:
                    extra.append(
                        Actor(mention.country, actor.sector or mention.sector or "", mention.text,
                              conjunct.i, conjunct.i + 1, "modifier")
                    )  # fmt: skip
        return extra

    def _plural_owners(self, head: Token) -> list[Actor]:
        """One actor per owner of a thing owned by two countries: "the ambassadors of the two countries",
        "Pakistan and Iran agreed that their ambassadors ..." ("their" = each of a compound subject)."""
        mention = self._mention_at.get(head.i)
        if mention is not None and mention.country:
            return []
        sector = mention.sector or "" if mention is not None else ""
        countries: list[str] = []
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        countries.extend(a.country for a in self._pair(pobj))
                        if mention is not None and head.tag_ == "NNS" and pobj.conjuncts:
                            # "the militaries of India and Pakistan": one owner per conjoined country
                            owners = (self.actor_of(owner) for owner in [pobj, *pobj.conjuncts])
                            countries.extend(a.country for a in owners if a is not None and a.country)
            elif child.dep_ == "poss" and child.lower_ in ("their", "its"):
                countries.extend(self._compound_subject_countries(child))
        unique = list(dict.fromkeys(c for c in countries if c))
        if len(unique) < 2:
            return []
        text = self._phrase(head)
        return [Actor(c, sector, f"{text} ({c})", head.i, head.i + 1, "owners") for c in unique]

    def _members(self, head: Token, other: str | None, other_sector: str) -> list[Actor]:
        """ "Governments including those of the United States and China": a group without a country stands
        for the members it names."""
        mention = self._mention_at.get(head.i)
        if mention is not None and mention.country:
            return []
        members: list[Token] = []
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("including", "like", "notably"):
                for pobj in prep.children:
                    if pobj.dep_ != "pobj":
                        continue
                    if pobj.lower_ in ("those", "that", "these"):
                        members += self._prep_objects([pobj], ("of",))
                    else:
                        members.append(pobj)
        sector = mention.sector or "" if mention is not None else ""
        found: list[Actor] = []
        for token in members:
            for actor in self.actors_of(token, other=other, other_sector=other_sector):
                if actor.country:
                    found.append(
                        Actor(actor.country, actor.sector or sector, actor.text, actor.start, actor.end,
                              "member")
                    )  # fmt: skip
        return found

    def _compound_subject_countries(self, possessive: Token) -> list[str]:
        """The countries of a compound subject ("Pakistan and Iran") of the clause holding ``possessive``
        or of the clause it is reported in; nothing when the nearest subject is not compound."""
        if possessive.lower_ != "their":
            return []
        token = possessive.head
        for _ in range(6):
            if token.pos_ in ("VERB", "AUX"):
                subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
                own = [s for s in subjects if possessive.i not in range(s.left_edge.i, s.right_edge.i + 1)]
                if own:
                    heads = [own[0], *own[0].conjuncts]
                    countries = [
                        a.country for h in heads if (a := self.actor_of(h)) is not None and a.country
                    ]
                    return countries if len(heads) >= 2 and len(countries) == len(heads) else []
            if token.head.i == token.i:
                return []
            token = token.head
        return []

    def _listed_appositions(self, heads: list[Token]) -> list[Token]:
        """Items of a list the parser read as appositions: in "the US, Russia and Switzerland met" it hangs
        "Russia" on "US" as an apposition, with "Switzerland" conjoined to it. An apposition renames its head,
        so one naming another country is a list item, not a renaming ("Asim Munir, the army chief" stays
        one actor)."""
        listed: list[Token] = []
        for head in heads:
            own = self._mention_at.get(head.i)
            if own is None or not own.country:
                continue
            for child in head.children:
                other = self._mention_at.get(child.i)
                if (
                    child.dep_ == "appos"
                    and other is not None
                    and other.country
                    and other.country != own.country
                ):
                    listed.extend(t for t in [child, *child.conjuncts] if t not in heads and t not in listed)
        return listed

    def _through_partitive(self, token: Token) -> Token:
        """The noun after "of" when ``token`` only counts or picks out part of it ("dozens of protesters",
        "members of the opposition"); ``token`` itself when it names an actor or is no such word."""
        for _ in range(3):
            if token.i in self._mention_at:
                return token
            if token.lower_ not in self.grammar.partitive_nouns | self.grammar.measure_nouns:
                return token
            inner = self._prep_objects([token], ("of",))
            if not inner:
                return token
            token = inner[0]
        return token

    def actors_of(self, token: Token, other: str | None = None, other_sector: str = "") -> list[Actor]:
        """Every actor a role filled by ``token`` names, across conjunctions and pair expressions."""
        found: list[Actor] = []
        heads = [self._through_partitive(t) for t in [token, *token.conjuncts]]
        heads += self._listed_appositions(heads)
        for head in heads:
            pair = self._pair(head)
            if pair:
                found.extend(pair)
                continue
            owners = self._plural_owners(head) or self._members(head, other, other_sector)
            if owners:
                found.extend(owners)
                continue
            if found and head.lower_ in self.grammar.counterpart_nouns:
                # "Russia's defence minister and his Chinese counterpart"
                actor = self.actor_of(head, other=found[0].country, other_sector=found[0].sector)
            else:
                actor = self.actor_of(head, other=other, other_sector=other_sector)
            if actor is not None:
                found.append(actor)
                found.extend(self._conjoined_modifiers(head, actor))
        shared = next((a.country for a in found if a.how == "of-phrase"), "")
        if shared and len(found) > 1:
            # "the government and people of Iran": the "of" phrase is shared by the conjoined heads
            found = [
                Actor(shared, a.sector, a.text, a.start, a.end, "of-phrase") if not a.country else a
                for a in found
            ]
        if len(found) > 1 and any(a.country for a in found):
            # "Fabius and a group of deputies held talks": a conjoined actor known only by its sector adds no
            # party the coder can name next to one with a country
            found = [a for a in found if a.country]
        unique: list[Actor] = []
        seen: set[tuple[str, str]] = set()
        for actor in found:
            key = (actor.country, actor.sector)
            if key not in seen:
                seen.add(key)
                unique.append(actor)
        return unique

    # ------------------------------------------------------------------------------- clause roles
    def _subject(self, verb: Token, depth: int = 0) -> tuple[list[Token], bool, str]:
        """Subject tokens of ``verb`` (climbing to governing clauses), whether passive, and how found."""
        subjects = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS and c.dep_ != "expl"]
        if subjects:
            if any(s.lower_ in self.grammar.relative_pronouns for s in subjects) and verb.dep_ == "relcl":
                return [self._antecedent(verb)], False, "relcl"
            return subjects, False, "subj" if depth == 0 else "inherited-subj"
        passive = [c for c in verb.children if c.dep_ in _PASSIVE_SUBJECT_DEPS]
        if (
            passive
            and verb.dep_ == "relcl"
            and any(p.lower_ in self.grammar.relative_pronouns for p in passive)
        ):
            return [self._antecedent(verb)], True, "relcl-passive"
        if passive:
            return passive, True, "passive" if depth == 0 else "inherited-passive"
        if verb.dep_ == "relcl":
            return [self._antecedent(verb)], False, "relcl"
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            # "the missiles fired by Iran": a participle describing its patient
            # a participle with a direct object is active, whatever its tag ("the air force carried out ...")
            passive_participle = verb.tag_ == "VBN" and not any(
                c.dep_ in ("dobj", "obj") for c in verb.children
            )
            return [verb.head], passive_participle, "acl"
        if verb.dep_ == "xcomp" and verb.head.i != verb.i:
            # object control: in "urged Iran to hold talks" the governing verb's object does the holding
            controllers = [c for c in verb.head.children if c.dep_ in ("dobj", "obj") and c.i < verb.i]
            if controllers and lemma_of(verb.head) not in self.grammar.subject_control_verbs:
                return controllers, False, "object-control"
        if depth < 4 and verb.dep_ in _INHERIT_LINKS and verb.head.i != verb.i:
            governor = verb.head
            while (
                verb.dep_ == "conj"
                and governor.pos_ in ("NOUN", "PROPN")
                and governor.dep_ in ("dobj", "obj", "conj")
                and governor.head.i != governor.i
            ):
                # "expressing regret and apologising": a verb the parser conjoined to its neighbour's
                # object shares that neighbour's subject
                governor = governor.head
            if (
                verb.dep_ == "conj"
                and governor.dep_ == "ccomp"
                and lemma_of(verb) in self._speech_acts
                and lemma_of(governor.head) in self.grammar.report_verbs
            ):
                # "Pakistan said the jets had struck and vowed to respond": a speech act conjoined to the
                # reported clause is the speaker's second act, not the reported clause's subject's
                governor = governor.head
            if verb.dep_ == "pobj" or governor.dep_ == "prep":
                governor = governor.head
            # a passive governor ("is expected to visit") passes its subject as the actor
            found, governed_passive, _how = self._subject(governor, depth + 1)
            if found:
                passive_control = governed_passive and verb.dep_ == "xcomp"
                return found, governed_passive and not passive_control, "inherited-subj"
        return [], False, ""

    def _antecedent(self, clause: Token) -> Token:
        """The noun a relative clause describes. "Who" stands for a person, never a country: in "Iran's
        ambassador to Pakistan, who was visiting Iran" the parser hangs the clause on "Pakistan", but it is
        the ambassador who was visiting."""
        head = clause.head
        relative = next((c for c in clause.children if c.lower_ in self.grammar.relative_pronouns), None)
        if relative is None or relative.lower_ not in self.grammar.personal_relatives:
            return head
        mention = self._mention_at.get(head.i)
        if mention is None or mention.kind not in ("state", "alias", "capital", "place"):
            return head
        prep = head.head
        if (
            head.dep_ == "pobj"
            and prep.dep_ == "prep"
            and prep.head.i != prep.i
            and prep.head.pos_
            in (
                "NOUN",
                "PROPN",
            )
        ):
            return prep.head
        return head

    def _prep_objects(self, heads: Sequence[Token], preps: Sequence[str]) -> list[Token]:
        objects: list[Token] = []
        for head in heads:
            for child in head.children:
                if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
                    objects.extend(c for c in child.children if c.dep_ in ("pobj", "pcomp"))
        return objects

    def _agent(self, verb: Token) -> list[Token]:
        return [c for a in verb.children if a.dep_ == "agent" for c in a.children if c.dep_ == "pobj"]

    def roles(self, trigger: TriggerLike, kind: str) -> Roles:
        head = self.doc[trigger.head]
        if head.i in self._excluded:
            # "struck without warning", "agreed without mediation": named as what did not happen
            return Roles(pattern=["excluded"])
        if self._complaint_purpose(trigger, head):
            return Roles(pattern=["complaint-purpose"])
        span_tokens = [self.doc[i] for i in range(trigger.start, trigger.end)]
        if kind == "noun" and head.pos_ in ("NOUN", "PROPN", "X"):
            found = self._noun_roles(trigger, head, span_tokens)
        else:
            found = self._verb_roles(trigger, head, span_tokens)
        self._settle_domestic(found)
        # a target of the source's own country with no sector ("lifted the state of emergency in West Darfur")
        # is a place, not a party: the engine could never code it, and the fallbacks below may
        own = {a.country for a in found.sources if a.country}
        found.targets = [a for a in found.targets if a.sector or a.country not in own]
        if found.targets or (kind == "noun" and self._noun_is_argument(head)):
            return found
        if len(found.sources) == 1 and found.sources[0].country:
            source = found.sources[0]
            population = source.sector.lower() in self.grammar.population_sectors
            if population and _has_prefix(trigger.code, self.grammar.protest_roots):
                # "Iraqi Kurds demonstrated in Kirkuk": a protest by part of a population with no target named
                # is aimed at its own government (CAMEO 14 is protest against a target actor)
                found.targets.append(
                    Actor(source.country, "GOV", f"({source.country} government)", -1, -1, "own-government")
                )
                found.pattern.append("own-government")
            elif (
                source.sector
                and not population
                and _has_prefix(trigger.code, self.grammar.own_population_codes)
            ):
                # "Sudan's government lifted the state of emergency": a concession made to its own people
                found.targets.append(
                    Actor(source.country, "CVL", f"({source.country} population)", -1, -1, "own-population")
                )
                found.pattern.append("own-population")
        if (
            not found.targets
            and trigger.code[:2] in self.grammar.undirected_roots
            and getattr(trigger, "priority", 0) >= 0
            and any(a.country for a in found.sources)
        ):
            # "Lavrov expressed concern", "the Taliban claimed responsibility", "protesters rallied in Kyiv":
            # CAMEO codes these with no recipient; a bare "said" (negative priority) only attributes
            found.undirected = True
        return found

    def _complaint_purpose(self, trigger: TriggerLike, head: Token) -> bool:
        """Whether the trigger only states the purpose of a complaint that governs it: in "summoned Pakistan's
        envoy to protest" or "... in protest" the protest is the summoner's complaint itself, not a
        demonstration by the one summoned."""
        if not _has_prefix(trigger.code, self.grammar.complaint_purpose_roots):
            return False
        if head.dep_ in ("xcomp", "advcl") and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in head.children
        ):
            governor = head.head
        elif head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.lower_ == "in":
            governor = head.head.head
        else:
            return False
        code = self._trigger_code_at.get(governor.i)
        return governor.i != head.i and code is not None and _has_prefix(code, self.grammar.complaint_roots)

    def _settle_domestic(self, roles: Roles) -> None:
        """An actor known only by its sector ("demonstrators", "the court") in a sentence that names one
        country belongs to that country when the other side of the event does ("Armenian police detained
        dozens of demonstrators" -> ARM police, ARM civilians), as the PLOVER gold codes domestic events."""
        home = self._home
        if not home:
            return
        actors = roles.sources + roles.targets
        if not any(a.country == home for a in actors) or all(a.country for a in actors):
            return

        def settle(actor: Actor, others: list[Actor]) -> Actor:
            if actor.country or not actor.sector:
                return actor
            if any(o.country == home and o.sector in ("", actor.sector) for o in others):
                # "Armenians clashed with protesters": within one country both sides need distinct sectors
                return actor
            return Actor(home, actor.sector, actor.text, actor.start, actor.end, "domestic", actor.entry_id)

        sources, targets = roles.sources, roles.targets
        roles.sources = [settle(a, targets) for a in sources]
        roles.targets = [settle(a, sources) for a in targets]

    def _acted_on(self, actor: Actor, sources: list[Actor]) -> bool:
        """Whether an actor named in the thing acted on is the event's target: another country's, or a named
        actor of the source's own country in another sector ("the president lifted restrictions imposed on
        the former prime minister", "a Zimbabwean court freed an activist": the sentence's one country is
        the activist's); one's own troops or citizens ("withdrew its troops") are not."""
        source = sources[0] if sources else None
        if not actor.country:
            return bool(
                actor.how == "sector-only"
                and source is not None
                and source.country
                and source.country == self._home
                and source.sector
                and actor.sector != source.sector
            )
        if source is None or actor.country != source.country:
            return True
        return (
            actor.how == "mention" and bool(actor.sector and source.sector) and actor.sector != source.sector
        )

    def _noun_is_argument(self, noun: Token) -> bool:
        """Whether an event noun only names a participant ("Georgian demonstrators received ...") or the
        thing another event acts on ("rejected an Indian proposal"): then it is no event of its own."""
        if noun.i in self._mention_at:
            return True
        verb, _link = self._governing_verb(noun)
        if verb.dep_ == "agent":
            verb = verb.head  # "demolished by a Ukrainian protester"
        return (
            verb.i != noun.i
            and verb.i in self._trigger_code_at
            and lemma_of(verb) not in self.grammar.support_verbs
        )

    def _fill(self, roles: Roles, sources: list[Token], targets: list[Token]) -> int:
        """Add the actors of ``sources`` and ``targets``; the number of actors added."""
        before = len(roles.sources) + len(roles.targets)
        for token in sources:
            for actor in self.actors_of(token):
                if actor not in roles.sources:
                    roles.sources.append(actor)
        other = roles.sources[0].country if roles.sources else None
        other_sector = roles.sources[0].sector if roles.sources else ""
        for token in targets:
            for actor in self.actors_of(token, other=other, other_sector=other_sector):
                if actor not in roles.targets:
                    roles.targets.append(actor)
        return len(roles.sources) + len(roles.targets) - before

    def _verb_roles(self, trigger: TriggerLike, verb: Token, span: list[Token]) -> Roles:
        roles = Roles(reciprocal=trigger.reciprocal)
        subjects, passive, how = self._subject(verb)
        objects: list[Token] = []
        if trigger.object_role != "none":
            objects = [
                c
                for t in span
                for c in t.children
                if c.dep_ in _OBJECT_DEPS and c.i not in range(trigger.start, trigger.end)
            ]
        prep_targets = self._prep_objects(span, trigger.target_preps)
        mutual = [t for t in objects + prep_targets if _is_each_other(t)]
        if mutual:
            # "Israel and Iran accused each other": the subjects are each other's targets
            roles.reciprocal = True
            objects = [t for t in objects if t not in mutual]
            prep_targets = [t for t in prep_targets if t not in mutual]
        if getattr(trigger, "object_required", False) and not objects and not passive:
            # "returned from Davos": a return or release with nothing returned is the subject going back; the
            # parser may hang a late object as an adverbial noun ("returned to Brazil last week 21 frogs")
            late = [
                c
                for t in span
                for c in t.children
                if c.dep_ == "npadvmod" and c.pos_ == "NOUN" and c.lower_ not in _TIME_NOUNS
            ]
            if not late:
                roles.pattern.append("no-object")
                return roles
        prep_sources = self._prep_objects(span, trigger.source_preps) if not subjects else []
        agents = self._agent(verb)
        if passive:
            self._fill(roles, agents or prep_sources, subjects)
            roles.pattern.append(how + ("+agent" if agents and roles.sources else ""))
        elif how == "acl" and agents:
            # "militants killed by Iranian forces": a passive participle on its patient
            self._fill(roles, agents, subjects)
            roles.pattern.append("acl-passive")
        else:
            if self._fill(roles, subjects or prep_sources, []) and how:
                roles.pattern.append(how if subjects else "source-prep")
        sender: Token | None = None
        if not roles.sources and len(subjects) == 1 and not passive:
            sender = self._sender(subjects[0])
            if sender is not None:
                issuers, _passive, _how = self._subject(sender)
                if self._fill(roles, issuers, []):
                    roles.pattern.append("issuer")
        if trigger.object_role == "target" and objects and self._fill(roles, [], objects):
            roles.pattern.append("obj")
        if prep_targets and self._fill(roles, [], prep_targets):
            roles.pattern.append("prep")
        if trigger.object_role == "theme" and not roles.targets and objects:
            # the thing acted on ("released a German journalist", "seized a British tanker") stands for its
            # country when it has one; a thing with no country ("signed a deal") is no target
            # one's own troops or citizens acted on are not a target ("withdrew its troops")
            other = roles.sources[0].country if roles.sources else None
            for token in objects:
                roles.targets.extend(
                    a for a in self.actors_of(token, other=other) if self._acted_on(a, roles.sources)
                )
            if roles.targets:
                roles.pattern.append("theme")
        if not roles.targets and objects:
            # "recalled its ambassador to Iran", "closed its border crossings with Iran", "lifted a ban on
            # Chadian citizens", "eased restrictions imposed on Olmert": whom the thing acted on concerns
            other = roles.sources[0].country if roles.sources else None
            holders = objects + [c for o in objects for c in o.children if c.dep_ == "acl"]
            # "hosted earlier rounds of talks between A and B": the measure noun is looked through
            holders += self._prep_objects(
                [o for o in objects if o.lower_ in self.grammar.measure_nouns], ("of",)
            )
            # the trigger's own target prepositions count on the thing too ("massed its forces near Taiwan"),
            # except "between", which names a pair (below)
            own = tuple(p for p in trigger.target_preps if p not in self.grammar.pair_preps)
            for token in self._prep_objects(holders, (*_THEME_PREPS, *own)):
                roles.targets.extend(
                    a for a in self.actors_of(token, other=other) if self._acted_on(a, roles.sources)
                )
            if not roles.targets:
                # "suspended all visits between the two countries": the pair the source belongs to, minus
                # the source; a mediator acts on a pair it is not in ("hosted talks between A and B"), but
                # "discussed the war between Israel and Iran" is about the pair, not aimed at it
                pair_holders = holders + [t for o in objects for t in self._prep_objects([o], ("of",))]
                pair = [a for t in self._prep_objects(pair_holders, ("between",)) for a in self.actors_of(t)]
                mediation = trigger.code in _MEDIATION_CODES
                if mediation or (len(roles.sources) == 1 and other in {a.country for a in pair}):
                    roles.targets.extend(a for a in pair if a.country and a.country != other)
            if roles.targets:
                roles.pattern.append("object-prep")
            else:
                # "withdrew the trade status it had given Pakistan": whom the thing was given to, told in a
                # relative clause on it
                clauses = [c for o in objects for c in o.children if c.dep_ == "relcl"]
                receivers = [c for v in clauses for c in v.children if c.dep_ in ("dative", "iobj", "dobj")]
                receivers += self._prep_objects(clauses, ("to", "with", "on", "against"))
                for token in receivers:
                    if token.lower_ in self.grammar.relative_pronouns:
                        continue
                    roles.targets.extend(
                        a for a in self.actors_of(token, other=other) if a.country and a.country != other
                    )
                if roles.targets:
                    roles.pattern.append("object-relcl")
        if (
            not roles.targets
            and not objects
            and (lemma_of(verb) in self.grammar.threat_verbs or trigger.code[:2] in _ACCUSATION_ROOTS)
        ):
            # "warned that Iran would bear full responsibility", "alleged that the North had a uranium
            # programme": the one warned about or accused is the target
            warned = [
                s
                for c in verb.children
                if c.dep_ == "ccomp"
                for s in c.children
                if s.dep_ in ("nsubj", "nsubjpass")
            ]
            other = roles.sources[0].country if roles.sources else None
            for token in warned:
                roles.targets.extend(
                    a for a in self.actors_of(token, other=other) if a.country and a.country != other
                )
            if roles.targets:
                roles.pattern.append("clause-subj")
        if not roles.targets and objects and trigger.code[:2] in _REACTION_ROOTS:
            self._act_author(roles, verb, objects)
        if not roles.targets and sender is not None and roles.sources:
            # "sent Putin a letter expressing regret": the letter's addressee is the target
            addressees = [c for c in sender.children if c.dep_ in ("dative", "iobj")]
            addressees += self._prep_objects([sender], ("to",))
            if self._fill(roles, [], addressees):
                roles.pattern.append("addressee")
        if not roles.targets:
            self._place_target(roles, trigger, span + objects + prep_targets)
        if not roles.targets and trigger.reciprocal and how == "object-control":
            # "called the Russian minister to discuss": the caller takes part in what it calls for
            caller, _passive, _how = self._subject(verb.head)
            if self._fill(roles, [], caller):
                roles.pattern.append("governor-subj")
        if (
            not roles.targets
            and not objects
            and len(roles.sources) == 1
            and trigger.code[:2] not in _UNDIRECTED_ROOTS
        ):
            self._implicit_target(roles, verb)
        if (
            not roles.sources
            and not roles.targets
            and (trigger.reciprocal or trigger.code[:2] in _JOINT_ROOTS)
        ):
            # "the ceasefire was agreed between the militaries of India and Pakistan", "talks took place
            # between A and B": the pair after "between" did it together
            pair = [
                a
                for token in self._prep_objects([verb], tuple(self.grammar.pair_preps))
                for a in self.actors_of(token)
                if a.country
            ]
            if len({a.country for a in pair}) >= 2:
                roles.sources.extend(pair)
                roles.reciprocal = True
                roles.pattern.append("between")
        if passive and not roles.sources and not roles.targets and trigger.code[:2] in _JOINT_ROOTS:
            self._implicit_pair(roles, verb)
        return roles

    def _act_author(self, roles: Roles, verb: Token, objects: list[Token]) -> None:
        """ "Qatar condemned the attack", "called the downing a stab in the back": an act named without its
        author is aimed at whoever the document has already said did it."""
        other = roles.sources[0].country if roles.sources else None
        for token in objects:
            code = self._trigger_code_at.get(token.i)
            if code is None or code[:2] in _REACTION_ROOTS:
                continue
            author = self.context.author((code[:2], *_ACT_ROOTS), self._position(verb), other)
            if author:
                roles.targets.append(
                    Actor(author, "", f"{self._phrase(token)} ({author})", token.i, token.i + 1, "author")
                )
                roles.pattern.append("act-author")
                return

    def _sender(self, holder: Token) -> Token | None:
        """The verb whose subject a document or message noun speaks for ("signed a decree imposing
        sanctions", "sent a letter expressing regret"): the noun the trigger's clause describes is that
        verb's object and names no actor itself."""
        if holder.pos_ not in ("NOUN", "PROPN") or holder.i in self._mention_at:
            return None
        if holder.dep_ not in ("dobj", "obj") or holder.head.pos_ != "VERB" or holder.head.i == holder.i:
            return None
        if not any(c.dep_ == "acl" and c.tag_ == "VBG" for c in holder.children):
            # only an "-ing" participle says what the document does; "a grant to finance", "tear gas to
            # disperse" are purposes of the thing, not its words
            return None
        return holder.head

    def _implicit_pair(self, roles: Roles, token: Token) -> None:
        """An agentless passive of cooperation with no actor ("a hotline will be established") is the
        doing of the pair the document is about."""
        pair = self.context.pair(self._position(token))
        if pair and not self._outsiders.intersection(pair):
            roles.sources.extend(
                Actor(country, "", f"({country}, implied)", token.i, token.i + 1, "implied")
                for country in pair
            )
            roles.pattern.append("implied-pair")

    def _place_target(self, roles: Roles, trigger: TriggerLike, holders: list[Token]) -> None:
        """Violence against a place ("air strikes in western Mosul", "a base in Saudi Arabia's Jizan region")
        is aimed at the country the place belongs to, when nothing else names the target."""
        if trigger.code[:2] not in self.grammar.place_target_roots:
            return
        places = self._prep_objects(holders, tuple(self.grammar.place_preps))
        other = roles.sources[0].country if roles.sources else None
        # a place in the source's own country says nothing about whom it struck there
        found = [
            a
            for token in places
            for a in self.actors_of(token, other=other)
            if a.country and a.country != other
        ]
        if found:
            roles.targets.extend(found)
            roles.pattern.append("place")
            return
        source = roles.sources[0] if len(roles.sources) == 1 else None
        if (
            source is not None
            and source.country
            and source.sector.lower() in self.grammar.state_force_sectors
            and _has_prefix(trigger.code, self.grammar.repression_roots)
        ):
            # "Iranian police tortured an inmate in western Iran": the state's coercion of people in its own
            # country is aimed at its own population (PLOVER codes it X -> X)
            home = [a for token in places for a in self.actors_of(token) if a.country == source.country]
            if home:
                roles.targets.append(
                    Actor(source.country, "CVL", f"({source.country} population)", -1, -1, "own-population")
                )
                roles.pattern.append("place-own-population")

    def _implicit_target(self, roles: Roles, token: Token) -> None:
        """An event told without its target ("Pakistan retaliated") is aimed at the other side of the
        pair the document is about, when its source is one side of that pair."""
        source = roles.sources[0]
        if self.context.last_pair is None or self.context.last_pair_position >= self._position(token):
            return  # only a dyad already coded in this document is evidence enough
        country = self.context.counterpart(source.country, self._position(token))
        if country and country not in self._outsiders:
            roles.targets.append(Actor(country, "", f"({country}, implied)", token.i, token.i + 1, "implied"))
            roles.pattern.append("implied-target")

    def speakers_of(self, verb: Token) -> list[Actor]:
        """The actors whose statement or warning the clause headed by ``verb`` reports ("Russia said Sudan
        must return ..."): none when the clause is not a reported one."""
        return [a for token in self._reporting_subject(verb) for a in self.actors_of(token)]

    def _reporting_subject(self, verb: Token) -> list[Token]:
        """The subject of the statement or warning whose complement ``verb`` heads ("X said/warned that
        Y would ..."), or nothing."""
        if verb.dep_ != "ccomp" or verb.head.i == verb.i:
            return []
        governor = verb.head
        if lemma_of(governor) not in self.grammar.report_verbs | self.grammar.threat_verbs:
            return []
        subjects, passive, _how = self._subject(governor)
        return [] if passive else subjects

    def _governing_verb(self, noun: Token) -> tuple[Token, str]:
        """The verb whose clause an event noun sits in, and how the noun hangs on it; a measure noun
        ("a wave of air strikes", "a series of talks") is looked through, so the event noun takes its
        place."""
        token = noun
        for _ in range(3):
            head = token.head
            if (
                token.dep_ == "pobj"
                and head.dep_ == "prep"
                and head.lower_ == "of"
                and head.head.lower_ in self.grammar.measure_nouns | self.grammar.carrier_nouns
                and head.head.i != head.i
            ):
                token = head.head
                continue
            if token.dep_ in ("compound", "amod") and head.lower_ in self.grammar.carrier_nouns:
                # "sent a condolence message to Kabul": the message carries the condolence in the clause
                token = head
                continue
            break
        verb, link = token.head, token.dep_
        if link == "pobj" and verb.dep_ == "prep":
            link, verb = "pobj", verb.head
        if token.i != noun.i and verb.i == token.i:
            return noun, link  # the measure noun is the root: there is no clause to read
        return verb, link

    def _noun_roles(self, trigger: TriggerLike, noun: Token, span: list[Token]) -> Roles:
        roles = Roles(reciprocal=trigger.reciprocal)
        in_trigger = set(range(trigger.start, trigger.end))
        modifiers = [
            c for c in noun.children if c.dep_ in self.grammar.modifier_deps and c.i not in in_trigger
        ]
        for token in span:
            if token.i != noun.i:
                modifiers.extend(
                    c
                    for c in token.children
                    if c.dep_ in self.grammar.modifier_deps and c.i not in in_trigger
                )
        hyphenated = self._hyphen_pair(modifiers)
        if hyphenated:
            # "the Israel-Iran war", "India-Pakistan talks": an event between the two
            roles.sources.extend(hyphenated)
            roles.reciprocal = True
            roles.pattern.append("hyphen-pair")
            return roles
        possessors = [c for c in modifiers if c.dep_ == "poss"]
        others = [c for c in modifiers if c.dep_ != "poss"]
        if possessors and self._fill(roles, possessors, []):
            roles.pattern.append("poss")
        if not roles.sources and self._fill(roles, self._prep_objects(span, trigger.source_preps), []):
            roles.pattern.append("source-prep")
        if self._fill(roles, [], self._prep_objects(span, trigger.target_preps)):
            roles.pattern.append("prep")
        # a country modifier is the source ("Iranian strikes") unless the source is already named, then the
        # target ("Iran's Pakistan visit")
        for modifier in others:
            modifier_actor = self.actor_of(modifier)
            if modifier_actor is None or not modifier_actor.country:
                continue
            if not roles.sources and self._fill(roles, [modifier], []):
                roles.pattern.append("modifier")
            elif not roles.targets and self._fill(roles, [], [modifier]):
                roles.pattern.append("modifier-target")
        pairs = self._prep_objects(span, tuple(self.grammar.pair_preps))
        if pairs and not roles.sources:
            for token in pairs:
                roles.sources.extend(self.actors_of(token))
            if roles.sources:
                roles.reciprocal = True
                roles.pattern.append("between")
        if roles.sources and (roles.targets or roles.reciprocal):
            return roles
        # the noun's clause: "launched an attack on X", "faced retaliation from Y", "the attack ... was"
        verb, link = self._governing_verb(noun)
        if (
            link in ("dobj", "obj")
            and verb.dep_ == "conj"
            and verb.head.pos_ == "VERB"
            and (
                verb.pos_ != "VERB"
                or lemma_of(verb) not in self.grammar.support_verbs | self.grammar.experiencer_verbs
            )
            and lemma_of(verb.head) in self.grammar.support_verbs
            and not any(c.dep_ in _SUBJECT_DEPS | _PASSIVE_SUBJECT_DEPS for c in verb.children)
        ):
            # "launched missile and drone strikes": the parser makes "drone" a word conjoined to the support
            # verb, with the event noun as its object; the support verb is the one that governs the noun, and
            # the noun's target may hang on the conjoined word
            clause_verbs = [verb, verb.head]
            verb = verb.head
        else:
            clause_verbs = [verb]
        if verb.i == noun.i or verb.pos_ not in ("VERB", "AUX"):
            return roles
        lemma = lemma_of(verb)
        subjects, passive, how = self._subject(verb)
        verb_targets = self._prep_objects(clause_verbs, trigger.target_preps)
        verb_sources = self._prep_objects([verb], trigger.source_preps)
        if link in ("dobj", "obj") and lemma in self.grammar.experiencer_verbs and not passive:
            if not roles.targets and self._fill(roles, [], subjects):
                roles.pattern.append(f"experiencer-{how}")
            if not roles.sources and self._fill(roles, verb_sources, []):
                roles.pattern.append("source-prep")
            speaker = self._reporting_subject(verb)
            if not roles.sources and speaker and self._fill(roles, speaker, []):
                # "Egypt said Libya would face punishment": whoever says it is who inflicts it
                roles.pattern.append("speaker")
        elif link in ("dobj", "obj") and lemma in _EXCHANGE_VERBS and not passive:
            # "the two neighbours exchanged strikes": each side did it to the other
            if not roles.sources and self._fill(roles, subjects, []):
                roles.reciprocal = True
                roles.pattern.append(f"exchange-{how}")
        elif link in ("dobj", "obj") and lemma in self.grammar.support_verbs:
            if not roles.sources:
                support = subjects if not passive else self._agent(verb)
                if self._fill(roles, support, []):
                    roles.pattern.append(f"support-{how}")
            if not roles.targets and verb_targets and self._fill(roles, [], verb_targets):
                roles.pattern.append("verb-prep")
            if not roles.targets:
                # "gave Putin a stern warning", "sent a message of sympathy to Ankara": the one the support
                # verb gives the act to is its target
                recipients = [c for c in verb.children if c.dep_ in ("dative", "iobj") and c.pos_ != "ADP"]
                recipients += self._prep_objects([verb], ("to",))
                if self._fill(roles, [], recipients):
                    roles.pattern.append("recipient")
        elif link in ("nsubj", "nsubjpass") and not roles.targets and self._fill(roles, [], verb_targets):
            roles.pattern.append("verb-prep")
        if roles.sources and not roles.targets:
            holders = span + self._prep_objects(span, trigger.target_preps) + verb_targets
            self._place_target(roles, trigger, holders + ([verb] if link in ("dobj", "obj") else []))
        if (
            len(roles.sources) == 1
            and not roles.targets
            and not roles.reciprocal
            and trigger.code[:2] not in _UNDIRECTED_ROOTS
        ):
            self._implicit_target(roles, noun)
        if (
            not roles.sources
            and not roles.targets
            and link == "nsubjpass"
            and not self._agent(verb)
            and trigger.code[:2] in _JOINT_ROOTS
        ):
            self._implicit_pair(roles, noun)
        return roles
