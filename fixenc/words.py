"""Plausibility of Chinese text as words: the cost of its cheapest split into words of a table.

The character model (model.py) looks one character back, so it cannot tell 那个卫生间 from 那个十生间
(个十 is commoner than 个卫). A word table can: 卫生间 is a word. It is used where characters are
guessed, to choose among readings the character model ranks close (guessed_bytes.py); the tables
(data/words.bin, see data/SOURCE.md) are loaded on first use.
"""
from __future__ import annotations

import struct
import zlib
from functools import lru_cache
from pathlib import Path

_WORDS_PATH = Path(__file__).with_name("data") / "words.bin"


class Words:
    """Word costs in nats; a Han character that is no word of the table costs `unknown`."""

    def __init__(self, costs: dict[str, float], unknown: float, longest: int):
        self.costs = costs
        self.unknown = unknown
        self.longest = longest

    def cost(self, text: str) -> float:
        """The cost of the cheapest split of the Han characters of `text` into words (other
        characters cost nothing: the readings compared hold the same ones)."""
        costs, unknown, longest = self.costs, self.unknown, self.longest
        best = [0.0]
        for end in range(1, len(text) + 1):
            char = text[end - 1]
            if not "\u4e00" <= char <= "\u9fff":
                best.append(best[-1])
                continue
            cheapest = best[-1] + costs.get(char, unknown)
            for length in range(2, min(longest, end) + 1):
                word = costs.get(text[end - length:end])
                if word is not None and best[end - length] + word < cheapest:
                    cheapest = best[end - length] + word
            best.append(cheapest)
        return best[-1]


@lru_cache(maxsize=1)
def load() -> Words:
    """Read data/words.bin (written by data/build.py)."""
    from .data.build import COST_SCALE, MAX_WORD_LENGTH, WORDS_HEADER, WORDS_MAGIC

    data = _WORDS_PATH.read_bytes()
    if data[:4] != WORDS_MAGIC:
        raise ValueError(f"{_WORDS_PATH}: not a fixenc word table (run python -m fixenc.data.build)")
    (unknown,) = struct.unpack_from(WORDS_HEADER, data, 4)
    costs: dict[str, float] = {}
    for line in zlib.decompress(data[4 + struct.calcsize(WORDS_HEADER):]).decode("utf-8").split("\n"):
        step, _, words = line.partition(" ")
        costs.update(dict.fromkeys(words.split(" "), int(step) / COST_SCALE))
    return Words(costs, unknown, MAX_WORD_LENGTH)


def cost(text: str) -> float:
    """Cost of `text` as words under the shipped table: cost("那个卫生间") < cost("那个十生间")."""
    return load().cost(text)
