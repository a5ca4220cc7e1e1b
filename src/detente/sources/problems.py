"""What can go wrong while reading news, and how a caller hears about it.

A batch of inputs is read as far as possible: each input that cannot be read becomes one
``ReadProblem`` handed to the caller's ``on_error`` callback, and reading moves on to the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from detente.errors import InputError

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_FEED_BYTES",
    "OnError",
    "ReadProblem",
    "ReadReport",
    "raise_problem",
]

# One news article is a few kB of text and rarely more than a few MB of HTML; anything far above
# that is not one article (a disk image, a log, a whole corpus in one .txt) and is refused before
# it is read, so that one stray file cannot exhaust memory. JSONL corpora are streamed line by line
# and have no total limit; each of their lines is held to this limit instead.
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
# A feed is parsed whole by feedparser; real feeds are well under a few MB.
MAX_FEED_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """One input (a file, ``file:line``, URL or feed entry) that could not be read as claimed.

    ``skipped`` is False for problems that did not cost the document (for example an unreadable
    ``published`` value, where the document is kept with the fallback date).
    """

    input: str
    problem: str
    skipped: bool = True

    def __str__(self) -> str:
        suffix = " (skipped)" if self.skipped else ""
        return f"{self.input}: {self.problem}{suffix}"


OnError = Callable[[ReadProblem], None]


@dataclass(slots=True)
class ReadReport:
    """An ``on_error`` callback that keeps every problem, for callers that report them at the end."""

    problems: list[ReadProblem] = field(default_factory=list)

    def __call__(self, problem: ReadProblem) -> None:
        self.problems.append(problem)

    @property
    def skipped(self) -> int:
        return sum(1 for problem in self.problems if problem.skipped)

    def lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]


def raise_problem(problem: ReadProblem) -> None:
    """The default ``on_error``: a library caller who gave no callback gets the first problem raised."""
    raise InputError(str(problem))
