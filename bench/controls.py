"""Clean controls for bench/accuracy.py: real text that a repair must leave byte-identical.

Chinese reviews (as corpus.py draws them) on their own and inside code, HTML, emoji, accented names and
unusual spacing; plain ASCII from Python's stdlib sources; Japanese from CPython's codec test text.
"""
from __future__ import annotations

import random
import re
import sysconfig
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

try:
    from bench.corpus import SHORT_CHARS, Case, Drawer, Family, draw_doc, fill, fits, join_lines
except ImportError:  # run as a script: bench/ itself is on sys.path
    from corpus import SHORT_CHARS, Case, Drawer, Family, draw_doc, fill, fits, join_lines

_BOUNDARY = re.compile(r"[，。！？；,.!?;]")
EMOJI = tuple(chr(c) for c in range(0x1F600, 0x1F650)) + (
    "\U0001F44D", "\u2764\ufe0f", "\U0001F389", "\U0001F1E8\U0001F1F3",
    "\U0001F468\u200d\U0001F469\u200d\U0001F467",
)
# Real names and loanwords with Latin accents, as they turn up inside Chinese text.
ACCENTED = ("José", "Müller", "Zoë", "Dvořák", "Gödel", "Beyoncé", "Renée", "Brontë", "Pokémon",
            "Saint-Saëns", "café", "naïve", "Ångström", "Façade", "Citroën", "Björk")
NBSP, IDEOGRAPHIC_SPACE = "\u00a0", "\u3000"
_HAN_LATIN_EDGE = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])")
_FULLWIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def sprinkle(rng: random.Random, text: str, items: tuple[str, ...], most: int) -> str:
    """Insert up to `most` of `items` after clause punctuation or at the end of `text`."""
    spots = sorted({m.end() for m in _BOUNDARY.finditer(text)} | {len(text)})
    for spot in sorted(rng.sample(spots, min(most, len(spots))), reverse=True):
        text = text[:spot] + rng.choice(items) + text[spot:]
    return text


def _text(drawer: Drawer, size: str, family: Family) -> str | None:
    return draw_doc(drawer, None, family) if size == "doc" else drawer.next(size)


def _per_line(drawer: Drawer, size: str, family: Family, change: Callable[[str], str]) -> str | None:
    text = _text(drawer, size, family)
    if text is None:
        return None
    lines = text.splitlines(keepends=True)
    return "".join(change(line.rstrip("\r\n")) + line[len(line.rstrip("\r\n")):] for line in lines)


def make_emoji(drawer: Drawer, size: str, family: Family) -> str | None:
    return _per_line(drawer, size, family, lambda line: sprinkle(drawer.rng, line, EMOJI, 2))


def make_accented(drawer: Drawer, size: str, family: Family) -> str | None:
    return _per_line(drawer, size, family, lambda line: sprinkle(drawer.rng, line, ACCENTED, 1))


def make_spacing(drawer: Drawer, size: str, family: Family) -> str | None:
    """NBSP at Han/Latin edges, full-width ASCII, or ideographic spaces, in turn."""
    variant = len(family.cases) % 3
    text = _text(drawer, size, family)
    if text is None:
        return None
    if variant == 0:
        return _HAN_LATIN_EDGE.sub(NBSP, text).replace(" ", NBSP)
    if variant == 1:
        return "".join(line.rstrip("\r\n").translate(_FULLWIDTH) + line[len(line.rstrip("\r\n")):]
                       for line in text.splitlines(keepends=True))
    return re.sub(r"([，。！？])(?=\S)", lambda m: m.group(1) + IDEOGRAPHIC_SPACE, text)


_CODE_LINE = (
    "count = 0  # {0}", "let total = 0; // {0}", "int retries = 3; /* {0} */", "    print(\"{0}\")",
)
_CODE_BLOCK = (
    ('# {0}\ndef handle(items):\n    """{1}"""\n    total = 0\n    for item in items:\n'
    '        total += item  # {2}\n    return total\n'),
    "// {0}\nfunction handle(items) {{\n  /* {1} */\n  return items.map((item) => item * 2); // {2}\n}}\n",
    ('/* {0} */\n#include <stdio.h>\n\nint main(void) {{\n    // {1}\n    printf("%s\\n", "{2}");\n'
    "    return 0;\n}}\n"),
)


def make_code(drawer: Drawer, size: str, family: Family) -> str | None:
    """Boilerplate Python/JS/C wrapped around real sentences in comments and strings."""
    parts = [drawer.next("short") for _ in range(3)]
    if None in parts:
        return None
    kind = len(family.cases) % 3
    if size == "short":
        return _CODE_LINE[len(family.cases) % len(_CODE_LINE)].format(parts[0])
    text = _CODE_BLOCK[kind].format(*parts)
    if size == "doc":
        _, newline, final = drawer.layout()
        text = text.replace("\n", newline)
        text = text if final else text.rstrip("\r\n")
    return text


_HTML_DOC = ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n<title>{0}</title>\n</head>\n'
             '<body>\n<h1>{0}</h1>\n<ul>\n{1}\n</ul>\n<p class="note">{2}</p>\n</body>\n</html>\n')


def make_html(drawer: Drawer, size: str, family: Family) -> str | None:
    if size == "short":
        text = drawer.next("short")
        return None if text is None else f"<b>{text}</b>"
    if size == "sentence":
        text = drawer.next("sentence")
        return None if text is None else f'<p class="review">{text}</p>'
    items = [drawer.next("short") for _ in range(drawer.rng.randint(3, 8))]
    note = drawer.next("sentence")
    if None in items or note is None:
        return None
    return _HTML_DOC.format(items[0], "\n".join(f"<li>{item}</li>" for item in items[1:]), note)


# Plain ASCII: Python's own standard library sources, read from the running interpreter.
STDLIB_ASCII_FILES = ("textwrap.py", "string.py", "heapq.py", "bisect.py", "fractions.py", "json/decoder.py")
# Real Japanese: the sample text of CPython's codec tests (test/cjkencodings), when the test package is installed.
STDLIB_JAPANESE_FILES = ("shift_jis-utf8.txt", "euc_jp-utf8.txt", "iso2022_jp-utf8.txt", "euc_jisx0213-utf8.txt")
_JAPANESE_WORD = re.compile(r"^[\u3041-\u30ff\u4e00-\u9fff]+$")


@lru_cache(maxsize=1)
def stdlib_ascii_files() -> tuple[tuple[str, ...], ...]:
    """The lines of each file in STDLIB_ASCII_FILES that exists and is ASCII."""
    root = Path(sysconfig.get_paths()["stdlib"])
    files = []
    for name in STDLIB_ASCII_FILES:
        path = root / name
        if path.is_file() and path.read_bytes().isascii():
            files.append(tuple(path.read_text(encoding="ascii").splitlines()))
    return tuple(files)


@lru_cache(maxsize=1)
def japanese_sentences() -> tuple[str, ...]:
    folder = Path(sysconfig.get_paths()["stdlib"]) / "test" / "cjkencodings"
    seen: dict[str, None] = {}
    for name in STDLIB_JAPANESE_FILES:
        path = folder / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if "。" in line:   # the JIS X 0213 test line is a list of characters, not text
                    seen.setdefault(line.strip(), None)
    return tuple(seen)


@lru_cache(maxsize=1)
def japanese_word_lines() -> tuple[str, ...]:
    """Lines of 3-12 words from wordfreq's Japanese list, if wordfreq is installed (it is optional)."""
    try:
        import wordfreq
    except ImportError:
        return ()
    words = [word for word in wordfreq.top_n_list("ja", 3000) if _JAPANESE_WORD.match(word)]
    rng = random.Random("wordfreq-ja")
    return tuple("".join(rng.sample(words, rng.randint(3, 12))) for _ in range(400))


_JA_CLAUSE = re.compile(r"[^、。]+[、。]?")


def other_pool(name: str) -> tuple[str, ...]:
    source, _, size = name.partition("-")
    if source == "ascii":
        lines = [line.strip() for lines in stdlib_ascii_files() for line in lines]
        texts = list(dict.fromkeys(line for line in lines if line))
        bounds = SHORT_CHARS if size == "short" else (SHORT_CHARS[1] + 1, 100)
    elif source == "ja":
        sentences = japanese_sentences()
        clauses = [c for s in sentences for c in _JA_CLAUSE.findall(s)]
        texts = list(dict.fromkeys(clauses + list(sentences)))
        bounds = SHORT_CHARS if size == "short" else (SHORT_CHARS[1] + 1, 400)
    else:
        texts = list(japanese_word_lines())
        bounds = SHORT_CHARS if size == "short" else (SHORT_CHARS[1] + 1, 400)
    if size == "line":
        return tuple(texts)
    return tuple(text for text in texts if fits(text, bounds))


def make_ascii(drawer: Drawer, size: str, family: Family) -> str | None:
    if size != "doc":
        return drawer.next(size)
    files = stdlib_ascii_files()
    if not files:
        return None
    lines = drawer.rng.choice(files)
    count, newline, final = drawer.layout()
    start = drawer.rng.randrange(max(1, len(lines) - count))
    return join_lines(list(lines[start:start + count]), newline, final)


def make_japanese(drawer: Drawer, words: Drawer, size: str, family: Family) -> str | None:
    """Real Japanese sentences first; wordfreq word lines once those run out (counted in family.sources)."""
    text = _text(drawer, size, family)
    source = "CPython test/cjkencodings"
    if text is None:
        text, source = _text(words, size, family), "wordfreq word lines"
    if text is not None:
        family.sources[source] = family.sources.get(source, 0) + 1
    return text


# name -> (drawer pool prefix, script, maker or None for plain text, description)
CONTROL_FAMILIES: dict[str, tuple[str, str, Callable[..., str | None] | None, str]] = {
    "clean-simplified": ("", "simplified", None, "Simplified Chinese reviews"),
    "clean-traditional": ("", "traditional", None, "the same reviews converted with OpenCC s2t"),
    "clean-lookalike": ("lookalike-", "simplified", None,
                        "reviews holding characters common in mojibake (涓, 寰, 瑕, ...)"),
    "clean-latin-mix": ("latin-", "simplified", None, "reviews with English words or numbers"),
    "clean-code": ("", "simplified", make_code, "Python/JS/C boilerplate with Chinese comments and strings"),
    "clean-html": ("", "simplified", make_html, "HTML snippets and pages with Chinese"),
    "clean-emoji": ("", "simplified", make_emoji, "reviews with emoji inserted (incl. ZWJ, flag, VS16)"),
    "clean-accents": ("", "simplified", make_accented, "reviews with accented Latin names (José, Müller)"),
    "clean-spacing": ("latin-", "simplified", make_spacing, "NBSP, full-width ASCII, ideographic spaces"),
    "clean-ascii": ("ascii-", "simplified", make_ascii, "lines of Python's stdlib sources"),
    "clean-japanese": ("ja-", "simplified", None, "Japanese (CPython test text; wordfreq word lines)"),
}


def build_control(name: str, count: int, seed: int) -> Family:
    prefix, script, maker, description = CONTROL_FAMILIES[name]
    family = Family(name, "control", description)
    source = other_pool if prefix in ("ascii-", "ja-") else None
    drawer = Drawer(seed, name, script, prefix, source)
    words = Drawer(seed, name + ":words", script, "jawf-", other_pool)

    def make(size: str) -> Case | None:
        if name == "clean-japanese":
            text = make_japanese(drawer, words, size, family)
        elif maker is None:
            text = _text(drawer, size, family)
        else:
            text = maker(drawer, size, family)
        if text is None:
            return None
        family.attempts += 1
        return Case(name, size, text, text.encode("utf-8"), text)

    return fill(family, count, make)


def build_controls(count: int, seed: int) -> list[Family]:
    return [build_control(name, count, seed) for name in CONTROL_FAMILIES]
