"""Where damage may lie inside a run of clean Chinese: the stretches whose bytes in a misreading
codec are whole UTF-8 (what a lossless repair of UTF-8 misread can read). Clean Chinese written in GBK is
hardly ever UTF-8 for two characters running; mojibake of UTF-8 always is. The chain tries each.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

from . import model as _model
from . import producers, segment
from .strategies import Strategy

# At most this many stretches are named in one run: each costs the chain a search.
MAX_STRETCHES = 12
# A stretch must read as at least this many Han characters: one is too little evidence, and two
# Latin letters (`ͺá`) read from shifted GBK garbage are none.
MIN_HAN = 2
# Besides the longest stretch from a start, those beginning later or ending sooner by up to this
# many characters.
TRIMS = 2


def find(part: str, strategies: Sequence[Strategy]) -> list[tuple[int, int]]:
    """(start, end) of the stretches of `part`, shorter than it, whose bytes are whole UTF-8 in the
    codec one of `strategies` (lossless, from UTF-8) says misread them, and that hold a rare
    character: the longest from each start, and those beginning later or ending sooner by up to
    TRIMS characters; longest first."""
    rare = list(_model.load().rare_positions(part))
    if not rare:
        return []
    spans: set[tuple[int, int]] = set()
    for strategy in strategies:
        source, misread_as = getattr(strategy, "source", None), getattr(strategy, "misread_as", None)
        if source != producers.UTF8 or misread_as is None or not strategy.lossless:
            continue
        pieces = [producers.encoded_or_none(char, misread_as) for char in part]
        # Characters the misreading codec cannot write (Chinese, for cp1252) are no part of it.
        for start, stop in _writable(pieces):
            data = b"".join(pieces[start:stop])  # type: ignore[arg-type]
            offsets = list(itertools.accumulate((len(piece) for piece in pieces[start:stop]), initial=0))  # type: ignore[arg-type]
            reach = 0
            for first in range(stop - start):
                last = _longest_utf8(data, offsets, first)
                if last <= reach or last - first >= len(part):
                    continue
                reach = last
                # The clean characters on either side may be whole UTF-8 too (也 is D2 B2 in
                # GBK, `Ҳ`; 太 is CC AB, a combining mark): the stretch may end, or begin, sooner.
                for begin in range(first, min(last, first + TRIMS + 1)):
                    for end in range(last, max(begin, last - TRIMS - 1), -1):
                        read = producers.decoded_or_none(data[offsets[begin]:offsets[end]], producers.UTF8)
                        if (read is not None and segment.han_count(read) >= MIN_HAN
                                and any(start + begin <= index < start + end for index in rare)):
                            spans.add((start + begin, start + end))
    return sorted(spans, key=lambda span: (span[0] - span[1], span[0]))[:MAX_STRETCHES]


def _writable(pieces: list[bytes | None]) -> Iterator[tuple[int, int]]:
    """(start, stop) of each run of characters that have bytes."""
    start = None
    for index, piece in enumerate([*pieces, None]):
        if piece is not None and start is None:
            start = index
        elif piece is None and start is not None:
            yield start, index
            start = None


def _longest_utf8(data: bytes, offsets: list[int], first: int) -> int:
    """The furthest character boundary (an index into `offsets`) up to which the bytes from
    offsets[first] are whole UTF-8, `first` where none is."""
    begin = offsets[first]
    try:
        data[begin:].decode("utf-8")
        return len(offsets) - 1
    except UnicodeDecodeError as error:
        limit = begin + error.start
    last = first
    for index in range(first + 1, len(offsets)):
        if offsets[index] > limit:
            break
        last = index
    while last > first and producers.decoded_or_none(data[begin:offsets[last]], producers.UTF8) is None:
        last -= 1
    return last
