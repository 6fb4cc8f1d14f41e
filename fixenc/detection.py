"""Which codec made these bytes: BOMs, strict UTF-8/16/32, then the CJK codecs ranked by the model.

Generic detectors fail on short Chinese (charset-normalizer reads the GBK bytes of 中文 as Big5
笢恅), so every CJK candidate that decodes strictly is scored as Chinese and the most plausible
wins. charset-normalizer is asked only when no CJK candidate fits.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import lru_cache

from . import mixed_lines, model, producers, unreadable
from .errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Decoders tried for non-UTF-8 bytes, in order of preference when scores tie.
CJK_CANDIDATES = (producers.CP936, producers.GB18030, producers.CP950, "big5hkscs")
# Scoring the first stretch of a long file is enough to rank the candidates.
SCORE_BYTES = 2000
# ... and its first PROBE_BYTES often enough: when one reading leads by DECISIVE_MARGIN nats there.
PROBE_BYTES = 300
DECISIVE_MARGIN = 20.0
_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
# Japanese and Korean files in their legacy codecs decode as GBK too, into Chinese nobody wrote
# (Shift_JIS `から開始` as `偐傜奐巒`, EUC-KR `에서 시작` as `俊辑 矫累`): they are asked about when the best Chinese
# reading is not convincing Chinese, at least this many nats a non-ASCII character (GBK and Big5
# Chinese score 4.8-5.3; Python's cjkencodings test files in EUC-JP 7.7, Shift_JIS 15, EUC-KR 11).
NOT_CHINESE_MEAN = 7.0
NOT_CHINESE_PROBE_CHARS = 48
# Inputs up to this long that are valid UTF-8 are also read as GBK and Big5 (see _short_chinese_not_utf8).
SHORT_UTF8_BYTES = 64
# What charset-normalizer's reading must save over the Chinese one (nats) to be taken instead: on
# two-character Chinese names its cp949 Hangul can come out a little cheaper.
OTHER_READING_MARGIN = 6.0
# ... and read as words: most of its non-ASCII letters go on a word (`créer`, `время`). Documents of
# 20 lines of Debian's translations: 0.60 or more (French, the lowest, starts words with é and À);
# Chinese read with a single-byte code page: 0.17 or less, 0.43 for 23 bytes of rare HKSCS.
MIN_WORDS_SHARE = 0.5
# Windows' and Unix's first; their JIS X 0213 supersets read what they cannot. EUC-KR before its
# Windows superset: only it reads KS X 1001's composed syllables (8-byte sequences) as Python does.
JAPANESE_CANDIDATES = ("cp932", "euc_jp", "shift_jis_2004", "euc_jis_2004")
KOREAN_CANDIDATES = ("euc_kr", "cp949")
# A reading is Japanese only with kana among its characters, Korean only with mostly Hangul; and
# only with enough non-ASCII characters to show it. Measured on the machine's gettext catalogues
# (58,530 zh_CN strings in GBK and zh_TW in Big5; 30,016 ja in cp932 and EUC-JP; 27,577 ko in
# EUC-KR): at 6 and 10, one Chinese string more is misread (as EUC-KR), and 90% of the Japanese in
# cp932, 58% in EUC-JP and 65% of the Korean come out right (59%, 45% and 55% at 12 and 12); at 4
# and 8, six Chinese strings more are misread. Most of the rest are too short to tell. (EUC-JP is
# asked about also when the Chinese reading shows kana, see _shows_kana: 87% then.)
_KANA = ("\u3040", "\u30ff")
_HANGUL = ("\uac00", "\ud7a3")
MIN_KANA_SHARE = 0.15
MIN_HANGUL_SHARE = 0.5
MIN_JAPANESE_CHARS = 6
MIN_KOREAN_CHARS = 10
# The model is of Chinese: it prices Hangul as unseen, so Korean read right and read as GBK cost
# about the same. Korean wins on its script alone when the Chinese reading is this far from Chinese.
NOT_CHINESE_FOR_KOREAN = 9.0
# BOM-less UTF-16 is far rarer in the wild than GBK or Big5, and reads any even run of bytes as
# Hangul or rare Han: it must win by this many nats (tests/test_detect.py holds the cases).
BOMLESS_WIDE_PRIOR = 12.0
# ... and where it is the best reading but costs this much a character, it is no reading at all: UTF-8
# and GBK with a byte or two lost or added, read as UTF-16, cost 10.6 nats or more (bench/damaged_bytes.py's
# texts, seeds 1-3); Chinese, 7.7 at most (tests/data/sentences.txt).
WIDE_GARBAGE_MEAN = 9.0
# Share of NUL bytes above which BOM-less input is tried as UTF-16/32.
NUL_SHARE_FOR_WIDE = 0.2
UTF8_KEPT_BYTES = "utf-8, invalid bytes kept"  # methods of readings with a few bytes that are not
LEGACY_REPLACED_BYTES = "invalid bytes replaced"  # (see unreadable.py)


@dataclass(frozen=True)
class Detection:
    """How the input bytes were read. `encoding` is a name producers.decode() or Python accepts."""

    encoding: str
    bom: bytes = b""
    confidence: float = 1.0
    method: str = "utf-8"   # bom | ascii | utf-8 | utf-8, invalid bytes kept | mixed lines | wide | model |
    #                          <codec>, invalid bytes replaced | script | charset-normalizer | forced | text

    @property
    def is_utf8(self) -> bool:
        return self.encoding == producers.UTF8

    def decode(self, data: bytes) -> str:
        """The text of `data` read this way (BOM removed): what repair() starts from."""
        return decode(data, self)


def decode(data: bytes, detection: Detection) -> str:
    """The text of `data` as `detection` reads it; BOM removed."""
    return read(data, detection)[0]


def read(data: bytes, detection: Detection) -> tuple[str, bool]:
    """decode(), and whether some bytes were not of the encoding: kept (UTF-8) or replaced (GBK and
    Big5), a few of them (see unreadable.py). --encoding reads as told, strictly."""
    body = data[len(detection.bom):]
    try:
        return _strictly(body, detection.encoding), False
    except UnicodeDecodeError:
        if detection.method == "forced":
            raise
        if detection.is_utf8 and unreadable.mostly_utf8(body, _whole_per_invalid(detection)):
            return body.decode("utf-8", "surrogateescape"), True
        replaced = unreadable.replacing(body, detection.encoding) if detection.encoding in unreadable.REPLACEABLE else None
        if replaced is None:
            raise
        return replaced, True


def _whole_per_invalid(detection: Detection) -> float:
    """The looser bound where detection found no other reading of the bytes (see _utf8_bytes_kept)."""
    if detection.method == UTF8_KEPT_BYTES:
        return unreadable.WHOLE_PER_INVALID_LEFT
    return unreadable.WHOLE_PER_INVALID


def _strictly(body: bytes, encoding: str) -> str:
    legacy = mixed_lines.legacy_of(encoding)
    if legacy:
        return mixed_lines.decode(body, legacy)
    if producers.is_producer(encoding):
        return producers.decode(body, encoding)
    return body.decode(encoding)


@lru_cache(maxsize=8)
def _reading(data: bytes, encoding: str) -> str:
    """The bytes read strictly as `encoding`, kept: ranking the candidates and asking whether the
    best reads as Chinese read the same bytes the same way (a bytes object keeps its hash)."""
    return _strictly(data, encoding)


def forced(data: bytes, encoding: str) -> Detection:
    """Detection for --encoding; the BOM is still honoured when it names the same codec family."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    name = {"gbk": producers.CP936, "big5": producers.CP950}.get(name, name)
    bom = next((mark for mark, codec in _BOMS if data.startswith(mark) and codec == name), b"")
    return Detection(name, bom, 1.0, "forced")


def detect(data: bytes) -> Detection:
    """Detect the codec of `data`: detect("中文".encode("gbk")).encoding == "cp936"."""
    for mark, codec in _BOMS:
        if data.startswith(mark):
            # An editor's BOM on a file that other lines were appended to in GBK or Big5:
            not_utf8 = codec == producers.UTF8 and producers.decoded_or_none(data, codec) is None
            legacy = mixed_lines.legacy_codec(data[len(mark):]) if not_utf8 else None
            if legacy:
                return Detection(mixed_lines.name(legacy), mark, 1.0, "mixed lines")
            return Detection(codec, mark, 1.0, "bom")
    if data.isascii():
        return _ascii_or_hz(data)
    try:
        text = data.decode("utf-8")
        if b"\x00" not in data:
            if len(data) <= SHORT_UTF8_BYTES:
                return _short_chinese_not_utf8(data, text) or Detection(producers.UTF8, b"", 1.0, "utf-8")
            return Detection(producers.UTF8, b"", 1.0, "utf-8")
        # Valid UTF-8 with NUL bytes may be BOM-less UTF-16 that happens to fit: let the model judge.
        return _best(data, (producers.UTF8,) + _WIDE, "wide") or Detection(producers.UTF8)
    except UnicodeDecodeError:
        return _not_utf8(data)


def _not_utf8(data: bytes) -> Detection:
    """detect() for bytes that are not UTF-8 as they stand."""
    mostly = unreadable.mostly_utf8(data)
    # Lines in two encodings are looked for (line by line: 10-40 ms a MB) only where UTF-8 with a
    # few lines that are not, or no codec reads the bytes whole. A GBK file with UTF-8 lines that
    # GBK reads too is GBK, and those lines are mojibake the chain repairs.
    # (A codec reads the bytes whole where _sample_text has a reading; the ranking after reuses it.)
    if mostly or all(_sample_text(data, codec) is None for codec in CJK_CANDIDATES):
        legacy = mixed_lines.legacy_codec(data)
        if legacy:
            return Detection(mixed_lines.name(legacy), b"", 1.0, "mixed lines")
    if mostly:
        return Detection(producers.UTF8, b"", 1.0, UTF8_KEPT_BYTES)
    if data.count(0) > NUL_SHARE_FOR_WIDE * len(data):
        wide = _best(data, _WIDE, "wide")
        if wide:
            return wide
    # BOM-less UTF-16 Chinese has no NUL bytes at all, so it competes with the CJK codecs.
    candidates = CJK_CANDIDATES + (_WIDE[:2] if len(data) % 2 == 0 else ())
    best = _best(data, candidates, "model")
    if best is None:
        return (_legacy_with_bytes_replaced(data) or _japanese_or_korean(data, None) or _utf8_bytes_kept(data)
                or _charset_normalizer(data))
    if _reads_as_chinese(data, best) and not _shows_kana(data, best):
        return best
    # BOM-less UTF-16 reads any even run of bytes; where it reads as nothing at all it is most often
    # only the one reading that fits (UTF-8 or GBK with a byte lost or added), and GBK or Big5 with
    # that byte replaced is asked first (before charset-normalizer's run). Nothing else: refused.
    garbage = best.encoding in _WIDE and _mean_cost(data, best) >= WIDE_GARBAGE_MEAN
    other = _legacy_with_bytes_replaced(data) if garbage else None
    other = other or _japanese_or_korean(data, best) or _utf8_bytes_kept(data)
    other = other or _charset_normalizer_if_better(data, best)
    if other is None and garbage:
        raise InputError(_UNKNOWN)
    return other or best


def _mean_cost(data: bytes, reading: Detection) -> float:
    """What a non-ASCII character of the reading's first NOT_CHINESE_PROBE_CHARS costs, on average."""
    sample = _foreign_sample(data, reading.encoding, PROBE_BYTES) or ""
    sample = sample[:NOT_CHINESE_PROBE_CHARS]
    return model.cost(sample) / len(sample) if sample else 0.0


def _utf8_bytes_kept(data: bytes) -> Detection | None:
    """UTF-8 with the bytes that are not kept, where no other reading reads as Chinese and whole
    characters outnumber those bytes (unreadable.WHOLE_PER_INVALID_LEFT): better the bytes as they came
    than the garbage of GBK's or UTF-16's reading (a line of UTF-8 with two bytes lost)."""
    kept = unreadable.mostly_utf8(data, unreadable.WHOLE_PER_INVALID_LEFT)
    return Detection(producers.UTF8, b"", 0.5, UTF8_KEPT_BYTES) if kept else None


def _legacy_with_bytes_replaced(data: bytes) -> Detection | None:
    """GBK or Big5 that no codec reads whole for a few bytes that are not (a stray byte, a character
    cut short), if the rest reads as Chinese: the cheaper reading."""
    readings = []
    for codec in unreadable.REPLACEABLE:
        read = unreadable.replacing(data, codec)
        if read is not None:
            sample = "".join(char for char in read if char > "\x7f" and char != "\ufffd")[:NOT_CHINESE_PROBE_CHARS]
            if sample and model.cost(sample) < NOT_CHINESE_MEAN * len(sample):
                readings.append((model.cost(sample) / len(sample), codec))
    if not readings:
        return None
    return Detection(min(readings)[1], b"", 0.5, f"{min(readings)[1]}, {LEGACY_REPLACED_BYTES}")


def _shows_kana(data: bytes, chinese: Detection) -> bool:
    """Whether the Chinese reading holds kana enough to be Japanese: GBK has EUC-JP's kana at the
    same bytes, so EUC-JP Japanese read as GBK keeps its kana and reads close to Chinese."""
    text = _foreign_sample(data, chinese.encoding, PROBE_BYTES)
    return text is not None and _share(text, *_KANA) >= MIN_KANA_SHARE


def _short_chinese_not_utf8(data: bytes, text: str) -> Detection | None:
    """A few bytes of GBK or Big5 can be valid UTF-8 too (`状态` is D7B4 CCAC, UTF-8 `״̬`): the CJK
    reading, where the UTF-8 one holds no CJK, no words of an alphabet, and costs far more."""
    if any(char >= "\u2e80" for char in text) or model.words_share(text) >= MIN_WORDS_SHARE:
        return None
    best = _best(data, CJK_CANDIDATES, "model")
    if best is None or not _reads_as_chinese(data, best):
        return None
    return best if model.cost(_reading(data, best.encoding)) < model.cost(text) - OTHER_READING_MARGIN else None


def _reads_as_chinese(data: bytes, chinese: Detection) -> bool:
    """Whether the best Chinese reading of `data` reads as Chinese: a few characters tell (every
    GBK file pays for this look)."""
    sample = _sample_text(data, chinese.encoding, PROBE_BYTES)
    if sample is None:
        return False
    text = "".join(char for char in sample if char > "\x7f")[:NOT_CHINESE_PROBE_CHARS]
    return model.cost(text) < NOT_CHINESE_MEAN * len(text) and not _inside_latin_words(sample)


def _inside_latin_words(text: str) -> bool:
    """Whether most non-ASCII characters of `text` stand between ASCII letters: a European word's
    accented letter and the one after it, read as one GBK character (`F黨rt` for Führt, `R點kkehr`).
    Chinese sets its characters beside Latin words, seldom inside them."""
    inside = outside = 0
    for index, char in enumerate(text):
        if char > "\x7f":
            if text[index - 1:index].isalpha() and text[index - 1:index].isascii() \
                    and text[index + 1:index + 2].isascii() and text[index + 1:index + 2].isalpha():
                inside += 1
            else:
                outside += 1
    return inside > outside


def _charset_normalizer_if_better(data: bytes, chinese: Detection) -> Detection | None:
    """charset-normalizer's reading, or else Windows-1252's (on three lines of German it names
    cp775), if the model finds it more plausible than the Chinese one on the same bytes: a
    Windows-1252 French file reads as GBK too (`autom醫ico` for automático), and the model prices the
    letters of a word as letters (see model.COST_WORD_LETTER)."""
    ours = _sample_text(data, chinese.encoding)
    if ours is None:
        return None
    try:
        found: Detection | None = _charset_normalizer(data)
    except InputError:
        found = None
    others = [found] if found is not None else []
    if found is None or found.encoding != producers.CP1252:
        others.append(Detection(producers.CP1252, b"", 0.5, "model"))
    for other in others:
        theirs = _sample_text(data, other.encoding)
        if (theirs is not None and model.words_share(theirs) >= MIN_WORDS_SHARE
                and model.cost(theirs) <= model.cost(ours) - OTHER_READING_MARGIN):
            return other
    return None


def _japanese_or_korean(data: bytes, chinese: Detection | None) -> Detection | None:
    """A Japanese or Korean reading of `data`, if it shows its script and the best Chinese reading
    (None: there is none; else it does not read as Chinese) costs more."""
    chinese_cost = None
    if chinese is not None:
        text = _foreign_sample(data, chinese.encoding)
        chinese_cost = model.cost(text) if text is not None else None
    for encoding in JAPANESE_CANDIDATES + KOREAN_CANDIDATES:
        text = _foreign_sample(data, encoding)
        japanese = encoding in JAPANESE_CANDIDATES
        if text is None or len(text) < (MIN_JAPANESE_CHARS if japanese else MIN_KOREAN_CHARS):
            continue
        if japanese:
            shown = _share(text, *_KANA) >= MIN_KANA_SHARE
            better = chinese_cost is None or model.cost(text) < chinese_cost
        else:
            shown = _share(text, *_HANGUL) >= MIN_HANGUL_SHARE
            better = chinese_cost is None or chinese_cost >= NOT_CHINESE_FOR_KOREAN * len(text)
        if shown and better:
            return Detection(encoding, b"", 1.0 if chinese_cost is None else 0.9, "script")
    return None


def _sample_text(data: bytes, encoding: str, stretch: int = SCORE_BYTES) -> str | None:
    """The first `stretch` bytes' worth of `data` read as `encoding`, if it fits."""
    try:
        text = _reading(data, encoding)
    except (UnicodeError, LookupError):
        return None
    return text[:max(1, round(len(text) * min(1.0, stretch / max(1, len(data)))))]


def _foreign_sample(data: bytes, encoding: str, stretch: int = SCORE_BYTES) -> str | None:
    """The non-ASCII characters of _sample_text()."""
    text = _sample_text(data, encoding, stretch)
    return None if text is None else "".join(char for char in text if char > "\x7f")


def _share(text: str, low: str, high: str) -> float:
    return sum(low <= char <= high for char in text) / max(1, len(text))


def _ascii_or_hz(data: bytes) -> Detection:
    """HZ (`~{<:Ky2;S{#,~}`) when its reading explains the bytes better than ASCII does and reads
    as Chinese; `~{ab~}` in code or TeX reads as garbage (`忏`) and stays ASCII."""
    if b"~{" in data:
        try:
            text = data.decode("hz")
        except UnicodeDecodeError:
            return Detection(producers.UTF8, b"", 1.0, "ascii")
        chinese = "".join(char for char in text if char > "\x7f")
        if (chinese and model.cost(chinese) < NOT_CHINESE_MEAN * len(chinese)
                and model.cost(text) < model.cost(data.decode("ascii"))):
            return Detection("hz", b"", 0.9, "model")
    return Detection(producers.UTF8, b"", 1.0, "ascii")


def _ranked(data: bytes, encodings: tuple[str, ...]) -> list[tuple[float, str]]:
    """Candidates that decode strictly, by the model's cost of the same leading stretch of bytes.

    Total cost, not cost per character: each reading must explain the same bytes, and a reading
    into fewer, likelier characters is the better explanation.
    """
    readings: dict[str, str] = {}
    texts: dict[str, str] = {}
    share = min(1.0, SCORE_BYTES / max(1, len(data)))
    for encoding in encodings:
        try:
            text = _reading(data, encoding)
        except UnicodeError:
            continue
        # gb18030 reads what cp936 reads the same way: not a rival, the first name is kept.
        sample = text[:max(1, round(len(text) * share))]
        if sample not in readings:
            readings[sample] = encoding
            texts[encoding] = text
    if len(readings) <= 1:  # one reading fits, or none: nothing to rank, nothing to score
        return [(0.0, encoding) for encoding in readings.values()]
    # A short stretch first: most files are decided by it, and a small file's whole repair costs
    # less than scoring 2,000 bytes four ways.
    probe = min(1.0, PROBE_BYTES / max(1, len(data)))
    if probe < share:
        scores = _scores({text[:max(1, round(len(text) * probe))]: encoding for encoding, text in texts.items()})
        if len(scores) == len(readings) and scores[1][0] - scores[0][0] >= DECISIVE_MARGIN:
            return scores
    return _scores(readings)


def _scores(readings: dict[str, str]) -> list[tuple[float, str]]:
    scores = [(model.cost(sample) + (BOMLESS_WIDE_PRIOR if encoding in _WIDE else 0.0), encoding)
              for sample, encoding in readings.items()]
    return sorted(scores, key=lambda item: item[0])


def _confidence(scores: list[tuple[float, str]]) -> float:
    if len(scores) < 2:
        return 1.0
    margin = scores[1][0] - scores[0][0]
    return round(min(1.0, 0.5 + margin / 4), 4)


def _best(data: bytes, encodings: tuple[str, ...], method: str) -> Detection | None:
    scores = _ranked(data, encodings)
    if not scores:
        return None
    return Detection(scores[0][1], b"", _confidence(scores), method)


_UNKNOWN = "cannot tell the encoding: not UTF-8, GBK, Big5 or any codec charset-normalizer knows (use --encoding)"


def _charset_normalizer(data: bytes) -> Detection:
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        raise InputError(_UNKNOWN)
    return Detection(codecs.lookup(match.encoding).name, b"", round(1.0 - match.chaos, 4), "charset-normalizer")
