"""Text decoded with the wrong codec and saved again: `涓枃`, `ä¸­æ–‡`, `ÖÐÎÄ`, `笢恅`.

One class covers every (source, misread-as) pair: the repair re-encodes with the codec that did
the damage and decodes with the one that was meant, both strict, so a repair either fits exactly
or raises. The codecs are the producers' own (see producers.py), not Python's near misses.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .. import producers
from .base import NamedStrategy

_SINGLE_BYTE = (producers.LATIN1, producers.CP1252, producers.CP437)
_CJK = (producers.CP936, producers.CP950, producers.GB18030)


# A stretch's bytes in a producer, kept a moment: several strategies share each misreading.
_encoded = lru_cache(maxsize=64)(producers.encoded_or_none)


@lru_cache(maxsize=8)
def _marker(misread_as: str) -> re.Pattern[str]:
    """What the misreading codec makes of non-ASCII bytes (any non-ASCII character for a multibyte
    codec: written negated, the class compiles in a tenth of a millisecond, where [\\x80-\\U0010ffff]
    takes five, and a pipe pays for it). One per codec: six strategies misread as a code page."""
    if misread_as in _SINGLE_BYTE:
        chars = producers.decode(bytes(range(0x80, 0x100)), misread_as)
        return re.compile("[" + "".join(re.escape(char) for char in sorted(set(chars))) + "]")
    return re.compile("[^\\x00-\\x7f]")


class WrongCodec(NamedStrategy):
    """`source` text whose bytes were decoded as `misread_as`: apply() undoes it."""

    lossless = True

    def __init__(self, name: str, source: str, misread_as: str, summary: str):
        super().__init__(name, summary)
        self.source = source
        self.misread_as = misread_as
        # A repair into GBK or Big5 text with no Han character on either side has no word to judge
        # it by: each codec's rows of symbols map onto the other's (Big5's `ＫＬＭ` is GBK's `①②③`,
        # GBK's `２３` Big5's `ㄡㄢ`), and European letters onto them too (Turkish `Çö` is cp1252
        # for Big5's `⑷`). From a single-byte misreading, CJK punctuation alone will do (`¡°hello¡±`).
        self.needs_han = source in _CJK
        self.between_cjk = self.needs_han and misread_as in _CJK

    def applies(self, text: str) -> bool:
        return _marker(self.misread_as).search(text) is not None

    def read_inside(self, stretch: str) -> tuple[str, float] | None:
        """What apply() would make of a few characters cut from a run, edges aside, and the share
        of the stretch's bytes that reading covers; None proves that no run holding them fits."""
        data = _encoded(stretch, self.misread_as)
        read = None if data is None else producers.decode_inside(data, self.source)
        return None if read is None else (read[0], read[1] / len(data))

    def apply(self, text: str) -> str:
        return _recode(text, self.misread_as, self.source)

    def inverse(self, text: str) -> str:
        return _recode(text, self.source, self.misread_as)


@lru_cache(maxsize=8)
def _recode(text: str, encoding: str, decoding: str) -> str:
    """The same piece is re-read several times (the search, its round-trip check, the steps,
    their replay in verify): a whole chunk each time, so the last few answers are kept. An error
    is not kept, and is raised again each time."""
    return producers.decode(producers.encode(text, encoding), decoding)
