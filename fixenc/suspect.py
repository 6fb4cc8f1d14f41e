"""Triage: which lines of a long text may hold damage, found with one C-speed regex scan.

Clean text is most of what fixenc reads; the chain's Python-level search runs only on the lines
this scan names. Each strategy supplies its own `suspect_pattern`; lines none of them match are
left alone without a look.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .strategies import Strategy

# Below this many characters the triage looks for single rare characters: speed does not matter
# there, and a one-character garbled line must not slip through.
SHORT_TEXT = 4000


def combined_pattern(strategies: tuple[Strategy, ...], long_text: bool) -> re.Pattern[str] | None:
    patterns: list[str] = []
    for strategy in strategies:
        suspect_regex = getattr(strategy, "suspect_regex", None)
        if suspect_regex is not None and suspect_regex(long_text) not in patterns:
            patterns.append(suspect_regex(long_text))
    return _compile("|".join(patterns)) if patterns else None


@lru_cache(maxsize=32)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def suspect_lines(text: str, line_starts: list[int], strategies: tuple[Strategy, ...]) -> list[int]:
    """Indexes of the lines that hold a suspect pattern; `line_starts` are their offsets in `text`.

    After a hit the search jumps to the next line, so a text garbled throughout costs one
    search per line, not one per garbled character.
    """
    pattern = combined_pattern(strategies, len(text) > SHORT_TEXT)
    if pattern is None:
        return []
    found: list[int] = []
    position = 0
    while True:
        match = pattern.search(text, position)
        if match is None:
            return found
        line = bisect.bisect_right(line_starts, match.start()) - 1
        found.append(line)
        if line + 1 >= len(line_starts):
            return found
        position = line_starts[line + 1]
