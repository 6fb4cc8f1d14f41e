"""What every repair strategy is: a named, reversible transformation of a piece of text.

A strategy proposes; it never decides. The chain scores its candidates with the model and keeps
one only if it is clearly more plausible and, for a lossless strategy, its inverse gives back the input.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the text as it was before the step touched it."""

    start: int
    end: int


@dataclass(frozen=True)
class Step:
    """One strategy applied to some spans: replaying it on the text before gives the text after."""

    strategy: str
    spans: tuple[Span, ...]
    confidence: float
    lossless: bool
    gain: float = 0.0  # nats of plausibility the whole chain bought, on its first step only
    guessed: tuple[int, ...] = ()  # characters with a guessed byte, as positions in the text after it


class Strategy(Protocol):
    """What the chain needs of every strategy. Some also have, and the chain asks with getattr:

    - `scope = "document"`: find(text) returns the spans to repair, judged on the whole text
      (the default, "piece", is searched per piece by the chain);
    - `guesses = True`: it rebuilds lost bytes; --strict leaves it out;
    - `guessed(text)`: the positions in apply(text) of the characters it guessed;
    - `read_inside(stretch)`: for the screen of long texts, apply() on a few characters cut from a
      run, edges aside, with the share of the stretch read, or None when no piece holding them can
      fit; without it, `screen(stretch)` judges if there is one, else applies().
    """

    name: str
    summary: str
    lossless: bool

    def applies(self, text: str) -> bool:
        """Cheap pre-filter: could this text carry this damage at all?"""

    def apply(self, text: str) -> str:
        """The repair; raises ValueError (UnicodeError included) where it does not fit."""

    def inverse(self, text: str) -> str:
        """The damage: inverse(apply(x)) == x for a lossless strategy."""


def guesses(strategy: Strategy) -> bool:
    """Whether `strategy` rebuilds lost bytes by guessing (--strict leaves such out)."""
    return getattr(strategy, "guesses", False)


class NamedStrategy:
    """The name, summary and repr of the strategy classes that are built from parameters."""

    def __init__(self, name: str, summary: str):
        self.name = name
        self.summary = summary

    def __repr__(self) -> str:
        return f"<strategy {self.name}>"
