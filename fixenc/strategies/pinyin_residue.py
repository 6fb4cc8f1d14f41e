"""Pinyin annotations a script converter left behind: `醫(yī)療設(shè)備` -> `醫療設備`.

Some Simplified-to-Traditional converters annotate each character they convert with its reading.
An annotation is removed only when the evidence adds up: the syllable is a real reading of the
character before it (pypinyin, with heteronyms), and that character is one a script converter
changes (OpenCC). A document that glosses ordinary characters too is a language lesson: left alone.
"""
from __future__ import annotations

import os
import re
from functools import cached_property, lru_cache
from types import ModuleType

from .base import Span

# A document is a lesson, not converter residue, when this share of its well-read annotations sits
# on characters a converter does not touch (我(wǒ)愛(ài)你(nǐ)); the article has none.
LESSON_SHARE = 0.25
# A syllable as the quick checks see one, before pypinyin's table is loaded: ASCII and the Latin
# letters that carry tone marks.
SYLLABLE = r"[a-z\u00e0-\u01dc]{1,7}"


@lru_cache(maxsize=1)
def _pinyin_letters() -> str:
    """Letters of toned pinyin, taken from pypinyin's own table of tone-marked vowels."""
    marked = {char for symbol in _pypinyin_module("phonetic_symbol").phonetic_symbol
              for char in symbol if not char.isascii()}
    return "a-z" + "".join(sorted(marked))


@lru_cache(maxsize=4096)
def _readings(char: str) -> frozenset[str]:
    """Every reading pypinyin knows for `char` (heteronyms included), tone marks and all. Read
    from its per-character table: pypinyin.pinyin() would load 40 MB of phrase data we never use."""
    return frozenset(_pypinyin_module("pinyin_dict").pinyin_dict.get(ord(char), "").split(",")) - {""}


@lru_cache(maxsize=2)
def _pypinyin_module(name: str) -> ModuleType:
    """One of pypinyin's table modules, run on its own: importing it the usual way runs the
    package's __init__, which loads the phrase tables and trains a segmenter (0.4 s here)."""
    import importlib.util  # with pathlib under it: not for a pipe's start-up, which never gets here

    spec = importlib.util.find_spec("pypinyin")  # finds the package without running it
    folder = next(iter(spec.submodule_search_locations or ()), None) if spec else None
    path = os.path.join(folder, f"{name}.py") if folder else None
    if path is None or not os.path.isfile(path):
        return importlib.import_module(f"pypinyin.{name}")
    module_spec = importlib.util.spec_from_file_location(f"fixenc._pypinyin_{name}", path)
    module = importlib.util.module_from_spec(module_spec)  # type: ignore[arg-type]
    module_spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@lru_cache(maxsize=1)
def _converters():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@lru_cache(maxsize=4096)
def is_converted(char: str) -> bool:
    """True for characters whose Simplified and Traditional forms differ (醫/医), per OpenCC."""
    to_simplified, to_traditional = _converters()
    return to_simplified.convert(char) != char or to_traditional.convert(char) != char


@lru_cache(maxsize=1)
def _annotation_pattern() -> re.Pattern[str]:
    # The `(` first: the regex engine then skips to each `(` at C speed.
    return re.compile(rf"\((?<=[\u3400-\u9fff\uf900-\ufaff]\()([{_pinyin_letters()}]{{1,7}})\)")


def reading_annotations(text: str) -> list[re.Match[str]]:
    """The `(syllable)`s in `text` that are a reading of the character before them."""
    return [m for m in _annotation_pattern().finditer(text) if m.group(1) in _readings(text[m.start() - 1])]


class PinyinResidue:
    name = "pinyin-residue"
    summary = "Pinyin a script converter wrote after the characters it changed: 醫(yī)療 -> 醫療"
    lossless = False
    scope = "document"

    @cached_property
    def _marker(self) -> re.Pattern[str]:
        return re.compile(rf"\((?<=[\u3400-\u9fff]\(){SYLLABLE}\)")

    def applies(self, text: str) -> bool:
        return self._marker.search(text) is not None

    def find(self, text: str) -> tuple[Span, ...]:
        """Spans of the annotations to remove, parentheses included."""
        if not self.applies(text):
            return ()
        residue, lesson = [], 0
        for match in reading_annotations(text):  # 函數(fn) is a gloss, not a reading
            if is_converted(text[match.start() - 1]):
                residue.append(Span(*match.span()))
            else:
                lesson += 1
        if lesson > LESSON_SHARE * (lesson + len(residue)):
            return ()
        return tuple(residue)

    def apply(self, text: str) -> str:
        return ""

    def inverse(self, text: str) -> str:
        raise ValueError("a removed annotation cannot be rebuilt from the text alone")
