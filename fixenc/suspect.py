"""Triage: which lines of a text may hold damage, found with a C-speed regex scan.

Clean text is most of what fixenc reads; the chain's Python-level search runs only on the lines
this scan names. Every kind of damage fixenc repairs leaves characters the model finds rare
(Han from GBK/Big5 misreadings, Latin-1 letters and signs from cp1252 ones, box drawing from
cp437), and leaves them in clusters: in a long text a line is suspect when two rare characters
stand within three characters of each other.
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import model

# Below this many characters (a name, a line, a short message) a single rare character makes its
# line suspect: speed does not matter there, and one garbled character (`扂` for 我) must not slip
# through. Files of a few KB use clusters: bench/batch_speed.py spends most of its time here.
SHORT_TEXT = 400
# Two rare characters this close make a cluster.
CLUSTER_REACH = 3


@lru_cache(maxsize=1)
def _rare() -> re.Pattern[str]:
    return re.compile(model.load().rare_class)


def suspect_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line (LF-separated, LF included) that holds a suspect cluster.

    One search per rare character that stands alone, one per suspect line otherwise: after a
    hit the search jumps to the next line.
    """
    rare = _rare()
    single = len(text) <= SHORT_TEXT
    found: list[tuple[int, int]] = []
    position = 0
    while True:
        match = rare.search(text, position)
        if match is None:
            return found
        hit = match.start()
        if not single:
            second = rare.search(text, hit + 1, hit + 1 + CLUSTER_REACH)
            # Two rare characters the corpus prints side by side (骆驼, 瑕疵) are a word, not damage.
            if second is None or (second.start() == hit + 1 and _is_known_pair(text[hit], text[hit + 1])):
                position = hit + 1
                continue
        start = text.rfind("\n", 0, hit) + 1
        end = text.find("\n", hit) + 1 or len(text)
        found.append((start, end))
        position = end


def _is_known_pair(first: str, second: str) -> bool:
    return second in model.load().successors(first)
