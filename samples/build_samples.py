"""Write the garbled samples and their expected outputs from real sentences.

The expected file is always the original text (review sentences from tests/data/sentences.txt,
or their OpenCC Traditional form); the garbled file is what a producer made of it
(fixenc/producers.py models the Windows codecs). Run: python samples/build_samples.py
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from fixenc import producers as P  # noqa: E402

SENTENCES = (HERE.parent / "tests" / "data" / "sentences.txt").read_text(encoding="utf-8").splitlines()


def traditional(lines: list[str]) -> list[str]:
    import opencc

    converter = opencc.OpenCC("s2t")
    return [converter.convert(line) for line in lines]


def clauses(lines: list[str]) -> list[str]:
    return [part for line in lines for part in re.split(r"[，。！？、,.!?\s]+", line) if len(part) >= 2 and not part.isascii()]


def fits(damage, line: str) -> bool:
    try:
        damage(line)
        return True
    except UnicodeError:
        return False


def document(damage, start: int, count: int = 6, source: list[str] | None = None) -> list[str]:
    """`count` consecutive-ish lines from `start` that the producer can damage losslessly."""
    pool = source or SENTENCES
    return [line for line in pool[start:] if fits(damage, line)][:count]


def misread(source: str, misread_as: str):
    return lambda text: P.decode(P.encode(text, source), misread_as)


def twice(first, second):
    return lambda text: second(first(text).encode("utf-8").decode("utf-8"))


def write(name: str, garbled: bytes, expected: str) -> None:
    (HERE / f"{name}.txt").write_bytes(garbled)
    (HERE / f"{name}.expected.txt").write_bytes(expected.encode("utf-8"))


def main() -> None:
    families = {
        "utf8-as-gbk": (misread(P.UTF8, P.CP936), SENTENCES, 0, "\n"),
        "utf8-as-cp1252": (misread(P.UTF8, P.CP1252), SENTENCES, 20, "\n"),
        "utf8-as-latin1": (misread(P.UTF8, P.LATIN1), SENTENCES, 40, "\r\n"),
        "gbk-as-cp1252": (misread(P.CP936, P.CP1252), SENTENCES, 60, "\n"),
        # Whole sentences rarely survive this one losslessly (Big5 has no trail bytes 0x80-0xA0):
        # the sample uses the clauses that do.
        "utf8-as-big5": (misread(P.UTF8, P.CP950), clauses(traditional(SENTENCES)), 0, "\n"),
        "big5-as-gbk": (misread(P.CP950, P.CP936), traditional(SENTENCES[140:200]), 0, "\n"),
        "gbk-as-big5": (misread(P.CP936, P.CP950), SENTENCES, 100, "\n"),
        "double-utf8-as-gbk": (twice(misread(P.UTF8, P.CP936), misread(P.UTF8, P.CP936)), SENTENCES, 120, "\n"),
    }
    for name, (damage, pool, start, newline) in families.items():
        lines = document(damage, start, source=pool)
        assert lines, f"no sentence survives {name} losslessly"
        write(name, newline.join(damage(line) for line in lines).encode("utf-8"), newline.join(lines))
    # A mixed document: every other line damaged, the rest clean; no final newline.
    damage = misread(P.UTF8, P.CP936)
    lines = document(damage, 150, count=8)
    mixed = [damage(line) if i % 2 else line for i, line in enumerate(lines)]
    write("mixed-lines", "\n".join(mixed).encode("utf-8"), "\n".join(lines))
    # Files in a legacy codec: fixenc writes them out as UTF-8.
    lines = SENTENCES[160:170]
    write("gbk-file", "\r\n".join(lines).encode("gbk") + b"\r\n", "\r\n".join(lines) + "\r\n")
    lines = [line for line in traditional(SENTENCES[170:200]) if fits(lambda t: t.encode("cp950"), line)][:10]
    write("big5-file", "\n".join(lines).encode("cp950") + b"\n", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
