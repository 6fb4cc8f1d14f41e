"""Inputs that are not one clean encoding: real sentences (tests/data/sentences.txt) in UTF-8 or GBK,
with one or two bytes lost or added at random, through fixenc.repair(). Counts what came out:

- kept: UTF-8 whose bytes came out as they came in (the bytes that are not UTF-8 kept);
- restored: the original text;
- close: not the original, but 80% of it or more by difflib's ratio (GBK with U+FFFD, or a line read
  out of step after a lost byte);
- garbage: less than that (a wrong codec's reading); each is printed;
- refused: an InputError (one line on the command line).

    /work/venv/bin/python bench/damaged_bytes.py              # seeds 1 and 2, 400 texts each (~1 min)
    /work/venv/bin/python bench/damaged_bytes.py --seeds 3 4 5
"""
from __future__ import annotations

import argparse
import collections
import difflib
import random
import sys
from pathlib import Path

import fixenc

SENTENCES = (Path(__file__).resolve().parent.parent / "tests" / "data" / "sentences.txt").read_text(
    encoding="utf-8").splitlines()
TEXTS = 400
CLOSE = 0.8


def damaged(chooser: random.Random) -> tuple[str, str, bytes] | None:
    """(codec, original text, damaged bytes), or None where GBK cannot hold the sentences drawn."""
    original = "\n".join(chooser.sample(SENTENCES, chooser.randint(1, 12))) + "\n"
    codec = chooser.choice(["utf-8", "utf-8", "gbk"])
    try:
        data = bytearray(original.encode(codec))
    except UnicodeEncodeError:
        return None
    for _ in range(chooser.randint(1, 2)):
        position = chooser.randrange(len(data))
        if chooser.random() < 0.5:
            data.insert(position, chooser.randrange(0x80, 0x100))
        else:
            del data[position]
    return codec, original, bytes(data)


def outcome(codec: str, original: str, data: bytes) -> str:
    try:
        result = fixenc.repair(data)
    except fixenc.FixencError:
        return "refused"
    if result.text == original:
        return "restored"
    if codec == "utf-8" and result.text.encode("utf-8", "surrogateescape") == data:
        return "kept"
    if difflib.SequenceMatcher(None, result.text, original).ratio() >= CLOSE:
        return "close"
    print(f"garbage: {codec} read as {result.detection.encoding} ({result.detection.method}): "
          f"{result.text[:40]!r}", file=sys.stderr)
    return "garbage"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print("| seed | texts | kept | restored | close | garbage | refused |\n|---:|---:|---:|---:|---:|---:|---:|")
    for seed in args.seeds:
        chooser = random.Random(seed)
        counts: collections.Counter[str] = collections.Counter()
        for _ in range(TEXTS):
            drawn = damaged(chooser)
            counts["texts"] += 1
            counts[outcome(*drawn) if drawn else "skipped"] += 1
        print(f"| {seed} | {counts['texts'] - counts['skipped']} | {counts['kept']} | {counts['restored']} | "
              f"{counts['close']} | {counts['garbage']} | {counts['refused']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
