"""U+FFFD that was saved as UTF-8 and read as GBK: `锟斤拷` -> `��`, `锟絖` -> `�_`.

What was lost before `�` was written cannot come back; what can come back is the `�` itself, so
that the text says honestly where something is missing. The bytes of `�` (EF BF BD) make `锟斤拷`
two at a time in cp936, and an odd one pairs its BD with the byte after it. The repair is the
exact inverse of that reading (lossless). A text about mojibake quotes `锟斤拷` on purpose: one
that names 乱码 or also holds the other famous residue, `烫烫烫`, is left alone.
"""
from __future__ import annotations

import re
from functools import cached_property

from .. import producers
from .base import NamedStrategy, Span

_REPLACEMENT = "\ufffd"
# Words of a text that talks about mojibake rather than suffers from it.
_ABOUT_MOJIBAKE = re.compile("乱码|亂碼|烫烫烫|燙燙燙|屯屯屯")


class ReplacementResidue(NamedStrategy):
    lossless = True
    scope = "document"

    def __init__(self) -> None:
        super().__init__("replacement-residue",
                         "U+FFFD saved as UTF-8 and read as GBK back to U+FFFD: 锟斤拷 -> ��, 锟絖 -> �_")

    @cached_property
    def _runs(self) -> re.Pattern[str]:
        """Runs of cp936's readings of U+FFFD bytes, derived from the codecs, not written out."""
        pair = producers.decode((_REPLACEMENT * 2).encode("utf-8"), producers.CP936)  # 锟斤拷
        lead = self._lead
        # An odd U+FFFD ends in BD, which pairs with the next byte: an ASCII one from 0x40 (`絖`).
        odd = "".join(producers.decode(bytes((0xBD, byte)), producers.CP936) for byte in range(0x40, 0x7F))
        return re.compile(f"(?:{re.escape(pair)})+(?:{re.escape(lead)}[{re.escape(odd)}])?"
                          f"|{re.escape(lead)}[{re.escape(odd)}]")

    @cached_property
    def _lead(self) -> str:
        return producers.decode(_REPLACEMENT.encode("utf-8")[:2], producers.CP936)  # 锟: EF BF

    def applies(self, text: str) -> bool:
        # `in` first: it runs at memory speed, and 锟 is rare in clean text.
        return (self._lead in text and self._runs.search(text) is not None
                and not _ABOUT_MOJIBAKE.search(text))

    def find(self, text: str) -> tuple[Span, ...]:
        if not self.applies(text):
            return ()
        return tuple(Span(*match.span()) for match in self._runs.finditer(text))

    def apply(self, text: str) -> str:
        return producers.decode(producers.encode(text, producers.CP936), producers.UTF8)

    def inverse(self, text: str) -> str:
        return producers.decode(producers.encode(text, producers.UTF8), producers.CP936)
