"""What cannot come back: found in the repaired text and reported, never invented.

Four kinds are named. A line whose every character is already U+FFFD lost its text before fixenc
saw it (a GBK file read as UTF-8 by a decoder that replaced what it could not read). `烫烫烫` and
`屯屯屯` are the bytes CC and CD that debug builds of MSVC fill unused memory with, read as GBK:
never text at all. Bytes that are not UTF-8 in a UTF-8 input (a stray byte, a character cut short)
are kept as they are (the text holds them as surrogateescape does) and named; bytes of a GBK or
Big5 input that are not are written as U+FFFD, and named.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import producers, unreadable

# This many of the same fill character in a row: 烫烫 alone is a word (hot).
MIN_FILL = 3


@dataclass(frozen=True)
class Loss:
    """`line` counts from 1 in the text it was found in."""

    line: int
    kind: str      # "lost", "uninitialised", "invalid" or "replaced"
    excerpt: str

    def describe(self) -> str:
        if self.kind == "lost":
            return f"line {self.line}: every character is U+FFFD: the text was lost before fixenc saw it"
        if self.kind == "replaced":
            return f"line {self.line}: bytes that are not {self.excerpt} were written as U+FFFD"
        if self.kind == "invalid":
            if " " in self.excerpt:
                return f"line {self.line}: bytes {self.excerpt} are not UTF-8; kept as they are"
            return f"line {self.line}: byte {self.excerpt} is not UTF-8; kept as it is"
        return (f"line {self.line}: {self.excerpt} is uninitialised memory read as GBK "
                f"(debug-build fill bytes), not text")


@lru_cache(maxsize=1)
def _fill_chars() -> str:
    """What cp936 makes of the fill bytes CC CC and CD CD (烫, 屯), from the codec."""
    return "".join(producers.decode(bytes((byte, byte)), producers.CP936) for byte in (0xCC, 0xCD))


# A line of U+FFFD with nothing else but ASCII, spaces and punctuation (`“����”，`).
_KEPT = r" \t\r\x21-\x7e\u2018-\u201f\u2026\u3000-\u303f\uff01-\uff0f\uff1a-\uff20"
_LOST_LINE = re.compile(f"^[{_KEPT}]*\ufffd[\ufffd{_KEPT}]*$", re.MULTILINE)


def replaced(decoded: str, codec: str) -> tuple[Loss, ...]:
    """The runs of U+FFFD in `decoded`, text read from `codec` (GBK or Big5, which hold no U+FFFD):
    bytes it could not read, written so (see unreadable.MAX_REPLACED)."""
    return tuple(Loss(_line(decoded, match.start()), "replaced", codec) for match in re.finditer("\ufffd+", decoded))


def kept(decoded: str) -> tuple[Loss, ...]:
    """The bytes of a UTF-8 input that were not UTF-8, kept in `decoded` as surrogateescape keeps
    them (see unreadable.mostly_utf8): each run is one."""
    return tuple(Loss(_line(decoded, match.start()), "invalid", unreadable.escaped_hex(match.group()))
                 for match in unreadable.ESCAPED_BYTES.finditer(decoded))


def find(text: str) -> tuple[Loss, ...]:
    """Every loss in `text`, in order."""
    found: list[tuple[int, Loss]] = []
    if "\ufffd" in text:
        for match in _LOST_LINE.finditer(text):
            if match.group().count("\ufffd") >= 2:
                found.append((match.start(), Loss(_line(text, match.start()), "lost", match.group().strip())))
    for char in _fill_chars():
        if char * MIN_FILL in text:  # found at C speed; the regex only where there is something
            for match in re.finditer(f"{re.escape(char)}{{{MIN_FILL},}}", text):
                found.append((match.start(), Loss(_line(text, match.start()), "uninitialised", match.group())))
    return tuple(loss for _, loss in sorted(found, key=lambda item: item[0]))


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
