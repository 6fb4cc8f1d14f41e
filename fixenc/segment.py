"""Split text into the pieces that are repaired independently: runs, and the parts of a run between marks.

A run ends at ASCII below 0x40 (space, digits, most punctuation, line breaks): no multibyte
character of UTF-8, GBK or Big5 can hold such a byte, so damage never spans it. ASCII letters can
be the trail byte of a GBK/Big5 pair (`蘇` is CC 4B, `ÌK` as cp1252), so they stay inside runs.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from .patterns import lazy

_RUN = lazy(r"[^\x00-\x3f]+")
_NON_ASCII = lazy(r"[^\x00-\x7f]")


def has_non_ascii(text: str) -> bool:
    return _NON_ASCII.search(text) is not None


def non_ascii_count(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


_KANA = lazy(r"[\u3041-\u30ff]")
_HAN = lazy(r"[\u3400-\u9fff]")
# Japanese writes kana between its kanji, Chinese hardly ever (the odd `の`).
JAPANESE_MIN_KANA = 3
JAPANESE_KANA_SHARE = 0.1


def is_chinese(text: str) -> bool:
    """Whether `text` holds Han characters and is not Japanese: what the Chinese clean-ups act on."""
    return _HAN.search(text) is not None and not is_japanese(text)


@lru_cache(maxsize=4)  # a clean-up's applies() and find() ask about the same chunk: one scan of it
def is_japanese(text: str) -> bool:
    """Whether `text` is Japanese: the clean-up strategies, which know Chinese conventions (full-width
    marks, web residue), leave it alone (`必要?)` and `<p />` are how its authors wrote)."""
    kana = sum(1 for _ in itertools.islice(_KANA.finditer(text), JAPANESE_MIN_KANA))
    if kana < JAPANESE_MIN_KANA:  # most texts: a few kana at most, found without listing the Han
        return False
    kana = len(_KANA.findall(text))
    return kana >= JAPANESE_KANA_SHARE * (kana + han_count(text))


def han_count(text: str) -> int:
    """The CJK ideographs of `text` (the unified block and Extension A)."""
    return len(_HAN.findall(text))


# Marks a sentence ends with, where a line break is at home.
SENTENCE_ENDS = frozenset("。！？…”’」』.!?~～")


def runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each run that holds a non-ASCII character."""
    for match in _RUN.finditer(text):
        if has_non_ascii(match.group()):
            yield match.span()


@lru_cache(maxsize=1)
def _marks() -> re.Pattern[str]:
    """Non-ASCII punctuation, by Unicode category, in the blocks where text punctuation lives
    (Latin-1, General Punctuation, CJK Symbols, small and full-width forms): computed on first
    use, and quickly, since a one-line pipe pays for it."""
    blocks = ((0x80, 0x100), (0x2000, 0x2070), (0x3000, 0x3040), (0xFE10, 0xFE70), (0xFF00, 0xFFF0))
    marks = "".join(chr(code) for first, last in blocks for code in range(first, last)
                    if unicodedata.category(chr(code)).startswith("P"))
    return re.compile(f"[{re.escape(marks)}]")


def stretch_around(text: str, index: int, before: int, after: int, keep: re.Pattern[str]) -> str:
    """At most `before` characters before text[index] and `after` after it, cut at the first
    character below 0x40 or non-ASCII mark on either side, save marks that `keep` matches (the
    rare ones, which misreadings make: `‡`, `…`): a stretch inside one part of a run."""
    def is_boundary(position: int) -> bool:
        return _boundary().match(text, position) is not None and keep.match(text, position) is None

    start = index
    while start > 0 and index - start < before and not is_boundary(start - 1):
        start -= 1
    end = index
    while end < len(text) and end - index <= after and not is_boundary(end):
        end += 1
    return text[start:end]


@lru_cache(maxsize=1)
def _boundary() -> re.Pattern[str]:
    return re.compile(f"[\\x00-\\x3f]|{_marks().pattern}")


def punctuation_parts(text: str, start: int, end: int, keep: re.Pattern[str] | None = None) -> list[tuple[int, int]]:
    """The stretches of text[start:end] between non-ASCII punctuation marks (`，` `！` `“`), save
    marks that `keep` matches.

    A clean mark often stands right beside damage (`浣犲ソ涓栫晫！`): the run as a whole then fits no
    codec, its parts may. Marks inside damage stay inside it when the whole run is repaired.
    """
    parts: list[tuple[int, int]] = []
    part_start = start
    for mark in _marks().finditer(text, start, end):
        if keep is not None and keep.match(text, mark.start()):
            continue
        if mark.start() > part_start:
            parts.append((part_start, mark.start()))
        part_start = mark.end()
    if end > part_start:
        parts.append((part_start, end))
    return parts
