"""Files whose lines are in two encodings: UTF-8 and one legacy Chinese codec (a log appended to by
two programs, files concatenated, a GBK file edited in a UTF-8 editor). No single codec reads such a
file, and a detector that wants one either refuses it or reads half of it as garbage.

Each line is read in the encoding it is valid in. A line valid in both (UTF-8 Chinese is often valid
GBK: `涓枃`) is read as UTF-8 if the model finds that clearly more plausible (UTF8_MARGIN), else in
the legacy codec (GBK's `袁鹰` is valid UTF-8 too, `Ԭӥ`, and its Cyrillic letters cost a little less
than a rare name). The detection (legacy_codec) asks for evidence of both: a line that is not UTF-8,
legacy lines that read as Chinese, and a line of Chinese that reads as UTF-8.
"""
from __future__ import annotations

import re

from . import model, producers, segment

# Legacy codecs a mixed file may pair with UTF-8, in order of preference when both read its lines.
LEGACY_CODECS = (producers.CP936, producers.CP950)
PREFIX = "utf-8+"
# The legacy lines are read with the codec that makes them cheapest, which must read them as Chinese:
# at most this many nats a non-ASCII character (GBK and Big5 Chinese read right score about 5;
# detection.NOT_CHINESE_MEAN is the same bound), over at most PROBE_CHARS of their non-ASCII characters.
NOT_CHINESE_MEAN = 7.0
PROBE_CHARS = 400
# What the UTF-8 reading of a line valid in both must save over the legacy one (nats).
UTF8_MARGIN = 6.0
# A line that shows a file holds UTF-8 has this many Han characters read as UTF-8: a short legacy
# line may be valid UTF-8 of another alphabet by chance, seldom of Chinese.
MIN_HAN = 2
_UTF8_HAN_PAIR = re.compile(rb"[\xe3-\xe9][\x80-\xbf]{2}[\xe3-\xe9][\x80-\xbf]{2}")  # U+3000-U+9FFF, twice
_NOT_ASCII = re.compile("[\x00-\x7f]+")  # removed: what is left is the non-ASCII characters


def name(legacy: str) -> str:
    """The encoding name a mixed file is reported and decoded under: `utf-8+cp936`."""
    return PREFIX + legacy


def legacy_of(encoding: str) -> str | None:
    """The legacy codec of a mixed encoding name, else None."""
    return encoding[len(PREFIX):] if encoding.startswith(PREFIX) else None


def decode(data: bytes, legacy: str) -> str:
    """`data` read line by line, each line as UTF-8 or as `legacy` (see the module's docstring);
    UnicodeDecodeError at the first line that is neither."""
    texts, offset = [], 0
    for line in data.splitlines(keepends=True):
        text = _read_line(line, legacy)[0]
        if text is None:
            raise UnicodeDecodeError(name(legacy), data, offset, offset + len(line), f"neither utf-8 nor {legacy}")
        texts.append(text)
        offset += len(line)
    return "".join(texts)


def legacy_codec(data: bytes) -> str | None:
    """The legacy codec of `data` if it is a mixed file, else None: some line is not UTF-8, every
    such line is valid in the codec and they read as Chinese, and some line of Han characters reads
    better as UTF-8."""
    if not _UTF8_HAN_PAIR.search(data):
        return None  # no two UTF-8 Han side by side: decided in C (8 ms a MB of GBK)
    foreign, chinese = [], []  # lines that are not UTF-8; UTF-8 lines with Han in them
    for line in data.splitlines(keepends=True):
        text = producers.decoded_or_none(line, producers.UTF8)
        if text is None:
            foreign.append(line)
        elif not line.isascii() and segment.han_count(text) >= MIN_HAN:
            chinese.append(line)
    if not foreign or not chinese:  # a legacy file's lines are seldom UTF-8 Chinese: decided here
        return None
    means = []  # (cost a non-ASCII character of the legacy lines, codec) for each codec that reads them
    for legacy in LEGACY_CODECS:
        readings = [producers.decoded_or_none(line, legacy) for line in foreign]
        if None not in readings:
            means.append((_mean_cost(readings), legacy))  # type: ignore[arg-type]
    if not means or min(means)[0] >= NOT_CHINESE_MEAN:  # Big5 lines read as GBK are no Chinese
        return None
    legacy = min(means)[1]
    return legacy if any(_read_line(line, legacy)[1] for line in chinese) else None


def _read_line(line: bytes, legacy: str) -> tuple[str | None, bool]:
    """The line's text (None if it is neither UTF-8 nor `legacy`), and whether it was read as UTF-8."""
    as_utf8 = producers.decoded_or_none(line, producers.UTF8)
    if as_utf8 is None:
        return producers.decoded_or_none(line, legacy), False
    if line.isascii():
        return as_utf8, True
    as_legacy = producers.decoded_or_none(line, legacy)
    if as_legacy is not None and model.cost(as_utf8) + UTF8_MARGIN > model.cost(as_legacy):
        return as_legacy, False
    return as_utf8, True


def _mean_cost(readings: list[str]) -> float:
    """What a non-ASCII character of the lines costs, on average over the first PROBE_CHARS."""
    sample = ""
    for text in readings:
        sample += _NOT_ASCII.sub("", text)
        if len(sample) >= PROBE_CHARS:
            break
    sample = sample[:PROBE_CHARS]
    return model.cost(sample) / len(sample) if sample else float("inf")
