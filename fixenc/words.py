"""Plausibility of Chinese text as words: the cost of its cheapest split into words of a table.

The character model (model.py) looks one character back, so it cannot tell 那个卫生间 from 那个十生间
(个十 is commoner than 个卫). A word table can: 卫生间 is a word. It is used where characters are
guessed, to choose among readings the character model ranks close (guessed_bytes.py). The table
(data/words.bin, see data/SOURCE.md) is read on first use, and each of its rows (the words that
begin with one character) is decoded and made a lookup table only when that character is scored:
a pipe's short line pays for a few rows, not 220,000 words.
"""
from __future__ import annotations

import os
import struct
from functools import lru_cache

from .data.formats import row_span

_WORDS_PATH = os.path.join(os.path.dirname(__file__), "data", "words.bin")


class Words:
    """Word costs in nats; a Han character that is no word of the table costs `unknown`."""

    def __init__(self, firsts: str, ends: tuple[int, ...], body: memoryview, unknown: float, longest: int,
                 scale: int):
        self._firsts = firsts  # the rows' first characters, and where each row ends in `body`
        self._ends = ends
        self._body = body
        self._tables: dict[str, dict[str, float]] = {}
        self.unknown = unknown
        self.longest = longest
        self.scale = scale

    def words_after(self, first: str) -> dict[str, float]:
        """The words that begin with `first`, by the rest of each (the character alone is ""), with their costs."""
        table = self._tables.get(first)
        if table is None:
            start, end = row_span(self._firsts, self._ends, first)
            entries = (entry.rpartition(":") for entry in str(self._body[start:end], "utf-8").split(" ") if entry)
            table = self._tables[first] = {rest: int(step) / self.scale for rest, _, step in entries}
        return table

    def cost(self, text: str) -> float:
        """The cost of the cheapest split of the Han characters of `text` into words (other
        characters cost nothing: the readings compared hold the same ones)."""
        return self._splits(text)[-1]

    def added_cost(self, context: str, text: str) -> float:
        """What `text` adds to the cost of `context` as words (the splits of `context` are kept:
        a search asks about many characters after the same few)."""
        best = self._context_splits(context)
        if len(text) == 1:
            return self._cheapest(context + text, len(context) + 1, best) - best[-1]
        whole, grown = context + text, list(best)
        for end in range(len(context) + 1, len(whole) + 1):
            grown.append(self._cheapest(whole, end, grown))
        return grown[-1] - best[-1]

    def short_cost(self, text: str) -> float:
        """cost() of a few characters, kept: a search asks about the same few again and again."""
        return self._context_splits(text)[-1]

    @lru_cache(maxsize=1 << 14)  # noqa: B019 - one table per process, loaded once
    def _context_splits(self, context: str) -> tuple[float, ...]:
        """_splits of a few characters of context, kept (whole readings are not: they are long,
        and each is asked about once)."""
        return tuple(self._splits(context))

    def _splits(self, text: str) -> list[float]:
        """The cost of the cheapest split of each beginning of `text`, from the empty one on."""
        best: list[float] = [0.0]
        for end in range(1, len(text) + 1):
            best.append(self._cheapest(text, end, best))
        return best

    def _cheapest(self, text: str, end: int, best: list[float] | tuple[float, ...]) -> float:
        """The cost of the cheapest split of text[:end], given those of its shorter beginnings."""
        char = text[end - 1]
        if not "\u4e00" <= char <= "\u9fff":
            return best[end - 1]
        cheapest = best[end - 1] + self.words_after(char).get("", self.unknown)
        for start in range(max(0, end - self.longest), end - 1):
            if "\u4e00" <= text[start] <= "\u9fff":
                word = self.words_after(text[start]).get(text[start + 1:end])
                if word is not None and best[start] + word < cheapest:
                    cheapest = best[start] + word
        return cheapest


@lru_cache(maxsize=1)
def load() -> Words:
    """Read data/words.bin (written by data/build.py): its index now, its rows when asked for."""
    from .data.formats import COST_SCALE, MAX_WORD_LENGTH, WORDS_HEADER, WORDS_MAGIC

    with open(_WORDS_PATH, "rb") as file:
        data = file.read()
    if data[:4] != WORDS_MAGIC:
        raise ValueError(f"{_WORDS_PATH}: not a fixenc word table (run python -m fixenc.data.build)")
    unknown, count, first_size = struct.unpack_from(WORDS_HEADER, data, 4)
    offset = 4 + struct.calcsize(WORDS_HEADER)
    firsts = data[offset:offset + first_size].decode("utf-8")
    ends = struct.unpack_from(f"<{count}I", data, offset + first_size)
    body = memoryview(data)[offset + first_size + 4 * count:]  # not copied: 2 MB
    return Words(firsts, ends, body, unknown, MAX_WORD_LENGTH, COST_SCALE)


def cost(text: str) -> float:
    """Cost of `text` as words under the shipped table: cost("那个卫生间") < cost("那个十生间")."""
    return load().cost(text)
