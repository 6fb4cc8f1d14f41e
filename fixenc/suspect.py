"""Triage: which lines of a text may hold damage, found with a C-speed regex scan.

Clean text is most of what fixenc reads; the chain's Python-level search runs only on the lines
this scan names. Every kind of damage fixenc repairs leaves characters the model finds rare
(Han from GBK/Big5 misreadings, Latin-1 letters and signs from cp1252 ones, box drawing from
cp437), and leaves them in clusters: in a long text a line is suspect when two rare characters
that are rare enough together stand within three characters of each other.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from . import model, segment

# Below this many characters (a name, a line, a short message) a single rare character makes its
# line suspect: speed does not matter there, and one garbled character (`扂` for 我) must not slip
# through. Files of a few KB use clusters: bench/batch_speed.py spends most of its time here.
SHORT_TEXT = 400
# Two rare characters this close make a cluster.
CLUSTER_REACH = 3
# In a line this short any two rare characters within reach are suspect, however rare (a short
# garbled line may hold no pair rare enough: `濂芥槸濂斤紝` for 好是好，). Of 5,330 clean review
# lines this short, 19 hold such a pair; 1 a pair rare enough for a longer line.
SHORT_LINE = 20


def _rare() -> re.Pattern[str]:
    return model.load().rare_pattern


@lru_cache(maxsize=1)
def _cluster() -> re.Pattern[str]:
    """A rare character with another one (group 1) at most CLUSTER_REACH characters on, in the
    same line. The lookahead keeps the second one unconsumed: it may start the next cluster."""
    rare = model.load().rare_class
    return re.compile(f"{rare}(?=[^\\n]{{0,{CLUSTER_REACH - 1}}}?({rare}))")


def _is_cluster(text: str, match: re.Match[str]) -> bool:
    """Whether a rare character found by _cluster() starts a suspect pair: with the rarest of the
    characters within reach it is rare enough (or stands in a short line), and they are not a pair
    the corpus prints side by side (骆驼, 瑕疵: a word, not damage)."""
    first = match.start()
    # A word of another alphabet (`время`, `für`) is all rare characters side by side; damage is
    # not made of words.
    if model.in_word(text, first):
        return False
    rarity = model.load().rarity
    second, rarest = match.start(1), rarity(text[match.start(1)])
    rare_at = _rare().match
    for index in range(second + 1, min(len(text), first + CLUSTER_REACH + 1)):
        if rare_at(text, index) and rarity(text[index]) > rarest:
            second, rarest = index, rarity(text[index])
    if rarity(text[first]) + rarest < model.CLUSTER_RARITY and not _in_short_line(text, first):
        return False
    return second != first + 1 or not _is_known_pair(text[first], text[second])


def _in_short_line(text: str, index: int) -> bool:
    start, end = _line_around(text, index)
    return end - start - (text[end - 1:end] == "\n") <= SHORT_LINE


def _line_around(text: str, index: int) -> tuple[int, int]:
    """(start, end) of the line that holds text[index], its LF included."""
    return text.rfind("\n", 0, index) + 1, text.find("\n", index) + 1 or len(text)


def suspect_lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line (LF-separated, LF included) that holds a suspect cluster, found
    as they are asked for: a caller that needs only the first few does not pay for the rest.

    The scan runs in the regex engine: Python sees one match per pair of rare characters, and
    after a suspect one the search jumps to the next line.
    """
    if len(text) <= SHORT_TEXT:
        yield from _lines_with_rare(text)
        return
    search = _cluster().search
    position = 0
    while True:
        match = search(text, position)
        if match is None:
            return
        hit = match.start()
        if not _is_cluster(text, match):
            position = hit + 1
            continue
        start, end = _line_around(text, hit)
        yield start, end
        position = end


def _lines_with_rare(text: str) -> Iterator[tuple[int, int]]:
    end = 0
    for hit in model.load().rare_positions(text):
        if hit >= end:
            start, end = _line_around(text, hit)
            yield start, end


def stretches(text: str, start: int, end: int) -> Iterator[str]:
    """The characters around each cluster in the suspect line text[start:end], each cut to one
    part of a run (see segment.stretch_around): what a strategy's read_inside() is asked about."""
    for match in _cluster().finditer(text, start, end):
        if _is_cluster(text, match):
            yield segment.stretch_around(text, match.start(), 1, CLUSTER_REACH + 1, _rare())


def _is_known_pair(first: str, second: str) -> bool:
    return second in model.load().successors(first)
