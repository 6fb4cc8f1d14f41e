"""The screen: which suspect lines of a long text some strategy may repair, decided cheaply.

The triage (suspect.py) names lines where rare characters stand close together; in clean text
most such pairs are rare words (捋了捋, 翕张), which no misreading can have made. Each strategy that
can read a few characters cut from a run (WrongCodec.read_inside) is asked about the stretch around
each pair: a line goes on to the search only if some strategy reads a stretch as Chinese, and as
clearly better Chinese. That costs microseconds where the search costs a millisecond.
"""
from __future__ import annotations

import itertools

from . import model as _model
from . import suspect
from .strategies import Strategy

# A long text is tried whole only if some strategy may fit the stretches around the first few
# clusters of this many of its first suspect lines (see whole_readers).
WHOLE_LINES = 16
WHOLE_STRETCHES = 4
# A stretch passes when its reading costs less than this share of the stretch (for the
# same bytes). The best stretch of a garbled 30-character clause read right costs at most 0.62 of
# it (gbk-as-big5; 99% of clauses at most 0.51, utf8-as-gbk 0.31, cp1252 0.36); the clean rare
# words that fit some misreading (坨坨鱼 as big5-as-gbk, ∩_∩ as gbk-as-cp437) 0.77 or more.
READING_SHARE = 0.7


def whole_readers(text: str, suspects: list[tuple[int, int]], strategies: tuple[Strategy, ...]
                  ) -> tuple[Strategy, ...] | None:
    """The strategies that may fit the whole of a long text, if some may, else None. One that fits
    the whole text reads every stretch of it, and (were it damage) reads most of them as more
    plausible Chinese; a few of its first suspect lines (`suspects`) decide. Returned: the ones that
    read every stretch, and those that read none (a chain need try no other first: the rest fail on
    the whole text, after recoding a megabyte)."""
    stretches = [stretch for start, end in suspects
                 for stretch in itertools.islice(suspect.stretches(text, start, end), WHOLE_STRETCHES)]
    costs: dict[str, float] = {}  # each stretch's own cost, asked once whatever the strategies
    readers: list[Strategy] = []
    fits = False
    for strategy in strategies:
        readings: list[tuple[str, float] | bool] = []
        for stretch in stretches:
            found = _read(strategy, stretch)
            if found is False:
                break  # it fits no piece that holds this stretch, nor the whole text
            readings.append(found)
        else:
            readers.append(strategy)
            fits = fits or _mostly_fits(strategy, stretches, readings, costs)
            continue
        if getattr(strategy, "read_inside", None) is None:
            readers.append(strategy)  # applies() to a stretch proves nothing of the whole text
    return tuple(readers) if fits else None


def _read(strategy: Strategy, stretch: str) -> tuple[str, float] | bool:
    """What read_inside() makes of `stretch`, or False if the strategy does not fit its bytes (it
    fits no piece that holds it); True for a strategy that cannot read a stretch, if it applies
    (then its screen decides whether it may fit, see _fits)."""
    read = getattr(strategy, "read_inside", None)
    if read is None:
        return strategy.applies(stretch)
    found = read(stretch)
    return False if found is None else found


def _mostly_fits(strategy: Strategy, stretches: list[str], readings: list[tuple[str, float] | bool],
                 costs: dict[str, float]) -> bool:
    """Whether `strategy` may fit at least half the stretches, given its readings of them; stops
    once it cannot, or once it has (a file of mojibake: half the model's work)."""
    allowed_misses = len(stretches) // 2
    needed = len(stretches) - allowed_misses
    for stretch, found in zip(stretches, readings):
        if _fits(strategy, stretch, found, costs):
            needed -= 1
            if needed <= 0:
                return True
        else:
            allowed_misses -= 1
            if allowed_misses < 0:
                return False
    return True


def may_hold_damage(line: str, strategies: tuple[Strategy, ...]) -> bool:
    """Whether some strategy may fit a suspect line of a long text, judged on the stretches around
    its clusters: most clusters in clean text are rare words, which no misreading can have made,
    and ruling them out costs microseconds where the search costs a millisecond."""
    return any(_may_fit(strategy, stretch) for stretch in suspect.stretches(line, 0, len(line))
               for strategy in strategies)


def _has_han(text: str) -> bool:
    """Whether `text` holds a CJK ideograph (in Python: the class takes milliseconds to compile,
    and the readings asked about are a few characters long)."""
    return any("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"
               or "\U00020000" <= char <= "\U0003134f" for char in text)


def _may_fit(strategy: Strategy, stretch: str) -> bool:
    """Whether `strategy` may repair a piece holding `stretch`: it reads the stretch's bytes as
    Chinese, and more plausibly (a repair must gain, and gains where the damage is)."""
    read = getattr(strategy, "read_inside", None)
    return _fits(strategy, stretch, True if read is None else read(stretch) or False, {})


def _fits(strategy: Strategy, stretch: str, found: tuple[str, float] | bool, costs: dict[str, float]) -> bool:
    """_may_fit() given what read_inside() made of the stretch (False: nothing; True: the strategy
    reads no stretch, and its screen, or applies(), decides); `costs` keeps the stretches' own costs."""
    if isinstance(found, bool):
        return found and getattr(strategy, "screen", strategy.applies)(stretch)
    reading, share = found
    if not _has_han(reading):
        return False
    scorer = _model.load()
    if stretch not in costs:
        costs[stretch] = scorer.cost(stretch)
    # Against the same bytes: the reading covers `share` of the stretch's.
    return scorer.cost(reading) < READING_SHARE * costs[stretch] * share
