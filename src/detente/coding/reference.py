"""Within-document reference: who "the two neighbors", "its counterpart" and "they" are.

Kept deliberately simple and predictable (news prose is written to be resolvable by recency):

- a *pair* expression ("the two neighbors", "the two countries", "both sides", "the two
  capitals") stands for the most recent pair of countries in the document: the dyad of the last
  event coded, else the last two distinct countries named;
- a *counterpart* ("its counterpart", "his Iranian counterpart") is the other country of that pair,
  seen from the actor on the other side of the event; a demonym on it ("Iranian") wins;
- a collective pronoun ("it", "they", "its") stands for the most recently named country or
  organisation within ``pronoun_window`` sentences, other than the actor already on the other
  side of the event; a personal pronoun ("he", "his") for the most recently named person.

Anything that cannot be resolved this way stays unresolved: the engine then codes no event rather
than guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DocumentContext", "Referent"]


@dataclass(frozen=True, slots=True)
class Referent:
    """An actor named in the document, kept for later reference."""

    position: int  # character offset in the document
    sentence: int  # sentence number in the document
    country: str
    sector: str
    text: str
    is_person: bool


@dataclass(slots=True)
class DocumentContext:
    """What the reader of one document remembers while reading it in order."""

    pronoun_window: int = 2
    referents: list[Referent] = field(default_factory=list)
    last_pair: tuple[str, str] | None = None
    last_pair_position: int = -1

    def remember(self, referent: Referent) -> None:
        self.referents.append(referent)

    acts: list[tuple[int, str, str]] = field(default_factory=list)  # (position, CAMEO root, source country)

    def note_event(
        self, source: str | None, target: str | None, position: int, root: str | None = None
    ) -> None:
        if source and root:
            self.acts.append((position, root, source))
        if source and target and source != target and position >= self.last_pair_position:
            self.last_pair = (source, target)
            self.last_pair_position = position

    def _before(self, position: int) -> list[Referent]:
        return [r for r in self.referents if r.position < position]

    def pair(self, position: int) -> tuple[str, str] | None:
        """The most recent pair of countries before ``position``."""
        named: list[str] = []
        named_at: list[int] = []
        for referent in reversed(self._before(position)):
            if referent.country not in named:
                named.append(referent.country)
                named_at.append(referent.position)
            if len(named) == 2:
                break
        # an event's dyad is better evidence than two names, unless two other countries have been named since
        # (a passing mention of a third country does not displace the pair the report is about)
        if self.last_pair is not None and self.last_pair_position < position:
            displaced = (
                len(named) == 2
                and set(named) != set(self.last_pair)
                and min(named_at) > self.last_pair_position
                and not (set(named) & set(self.last_pair))
            )
            if not displaced:
                return self.last_pair
        if len(named) == 2:
            return (named[1], named[0])
        return self.last_pair if self.last_pair_position < position else None

    def author(self, roots: tuple[str, ...], position: int, exclude: str | None) -> str | None:
        """Who did the act last coded with one of ``roots`` (first root first) before ``position``:
        "Qatar condemned the attack" is aimed at whoever the document said attacked."""
        for root in roots:
            for at, act_root, source in reversed(self.acts):
                if at < position and act_root == root and source != exclude:
                    return source
        return None

    def counterpart(self, of_country: str | None, position: int) -> str | None:
        """The other country of the current pair, seen from ``of_country``."""
        pair = self.pair(position)
        if pair is None:
            return None
        if of_country == pair[0]:
            return pair[1]
        if of_country == pair[1]:
            return pair[0]
        return None

    def pronoun(self, position: int, sentence: int, *, person: bool, exclude: str | None) -> Referent | None:
        """The antecedent of a pronoun at ``position``: most recent fitting referent, nearest first."""
        for referent in reversed(self._before(position)):
            if sentence - referent.sentence > self.pronoun_window:
                return None
            if referent.is_person != person:
                continue
            if exclude is not None and referent.country == exclude:
                continue
            return referent
        return None
