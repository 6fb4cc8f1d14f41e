"""Accuracy benchmark: fixenc against ftfy and charset-normalizer on damaged, clean and legacy-encoded text.

Run `python bench/accuracy.py [--quick] [--seed N] [--json PATH] [--failures]`. The cases come from
bench/corpus.py; this module only runs them, counts, and prints a markdown report to stdout.
"""
from __future__ import annotations

import argparse
import difflib
import json
import platform
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import charset_normalizer
import ftfy

import fixenc
from fixenc import producers

try:
    from bench import controls, corpus
except ImportError:  # run as a script: bench/ itself is on sys.path
    import controls
    import corpus

# Cases per damaged family, per clean-control family and per codec of the detection family.
FULL_SIZES = (1000, 100, 150)
QUICK_SIZES = (60, 20, 20)
# Inputs up to this many characters are reported apart in the detection figures.
SHORT_INPUT_CHARS = 20
FAILURES_KEPT = 10
FAILURES_SHOWN = 3
EXCERPT_CHARS = 70
# ftfy as fixenc itself would call it (STYLE.md): no width folding, quote straightening, line-break or
# Unicode normalisation, which all rewrite clean Chinese (，→ , “” → "", CRLF → LF).
FTFY_CJK_SAFE = ftfy.TextFixerConfig(fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False,
                                     fix_latin_ligatures=False, normalization=None)


@dataclass
class Tally:
    """What one family scored. Counts, not rates: rates are computed when printed."""

    name: str
    kind: str
    description: str
    cases: int = 0
    attempts: int = 0
    not_constructible: int = 0
    doc_lines_skipped: int = 0
    fixenc_exact: int = 0
    ftfy_exact: int = 0
    cn_exact: int = 0
    fixenc_seconds: float = 0.0
    ftfy_cjk_exact: int = 0
    outcomes: dict = field(default_factory=dict)              # exact | untouched | wrong | error:<type>
    by_size: dict = field(default_factory=dict)               # size -> [exact, cases]
    not_utf8: int = 0                                         # controls: detection.encoding != "utf-8"
    sources: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    # Lossy families: characters of the originals, and how many each output has right (difflib).
    chars: int = 0
    chars_right: dict = field(default_factory=dict)           # fixenc | input | ftfy | charset-normalizer
    wrong: dict = field(default_factory=dict)                 # fixenc's wrong characters: guessed | left | other


def run_fixenc(data: bytes) -> tuple[fixenc.Result | None, str]:
    """fixenc.repair(data), or the error it raised, named; a benchmark records errors, it does not stop."""
    try:
        return fixenc.repair(data), ""
    except Exception as error:  # noqa: BLE001 - every failure mode is a result here
        return None, f"{type(error).__name__}: {error}"


def run_ftfy(text: str, config: ftfy.TextFixerConfig | None = None) -> str | None:
    try:
        return ftfy.fix_text(text, config)
    except Exception:  # noqa: BLE001 - counted as a miss
        return None


def run_charset_normalizer(data: bytes) -> str | None:
    try:
        best = charset_normalizer.from_bytes(data).best()
    except Exception:  # noqa: BLE001 - counted as a miss
        return None
    return None if best is None else str(best)


def excerpt(text: str | None, line: int | None, start: int = 0) -> str:
    """Line `line` of a multi-line text (or the text), from character `start`, cut to EXCERPT_CHARS."""
    if text is None:
        return "None"
    if line is not None:
        lines = text.splitlines()
        text = lines[line] if line < len(lines) else ""
    head = "…" if start else ""
    text = text[start:]
    return head + repr(text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…")


def diff_start(expected: str, got: str | None, line: int | None) -> int:
    """Where to start the got/expected excerpts: a little before their first difference."""
    if got is None:
        return 0
    if line is not None:
        expected, got = (text.splitlines()[line] if line < len(text.splitlines()) else "" for text in (expected, got))
    first = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b), min(len(expected), len(got)))
    return max(0, first - EXCERPT_CHARS // 3) if first > EXCERPT_CHARS // 2 else 0


def first_diff_line(expected: str, got: str | None) -> int | None:
    """For multi-line texts, the index of the first line that differs; None for one-line texts."""
    if "\n" not in expected or got is None:
        return None
    for index, (want, have) in enumerate(zip(expected.splitlines(), got.splitlines())):
        if want != have:
            return index
    return min(len(expected.splitlines()), len(got.splitlines())) - 1


def outcome(case: corpus.Case, result: fixenc.Result | None, error: str) -> str:
    if result is None:
        return "error:" + error.split(":")[0]
    if result.text == case.original:
        return "exact"
    return "untouched" if result.text == result.original else "wrong"


def record_failure(tally: Tally, case: corpus.Case, got: str | None, status: str, error: str, result) -> None:
    if len(tally.failures) >= FAILURES_KEPT:
        return
    line = first_diff_line(case.original, got)
    start = diff_start(case.original, got, line)
    tally.failures.append({
        "size": case.size, "status": status, "line": line, "error": error,
        "input": excerpt(case.garbled or case.original, line), "got": excerpt(got, line, start),
        "expected": excerpt(case.original, line, start),
        "steps": [step.strategy for step in result.steps] if result else [],
        "detected": result.detection.encoding if result else "",
    })


def score_case(tally: Tally, case: corpus.Case) -> None:
    start = time.perf_counter()
    result, error = run_fixenc(case.data)
    tally.fixenc_seconds += time.perf_counter() - start
    status = outcome(case, result, error)
    tally.outcomes[status] = tally.outcomes.get(status, 0) + 1
    exact = status == "exact"
    size = tally.by_size.setdefault(case.size, [0, 0])
    size[0] += exact
    size[1] += 1
    tally.fixenc_exact += exact
    if tally.kind == "control" and result is not None and result.detection.encoding != producers.UTF8:
        tally.not_utf8 += 1
    if not exact:
        record_failure(tally, case, result.text if result else None, status, error, result)
    ftfy_text = run_ftfy(case.garbled)
    cn_text = run_charset_normalizer(case.data)
    tally.ftfy_exact += ftfy_text == case.original
    tally.ftfy_cjk_exact += run_ftfy(case.garbled, FTFY_CJK_SAFE) == case.original
    tally.cn_exact += cn_text == case.original
    if tally.name in corpus.LOSSY_FAMILIES:
        tally.chars += len(case.original)
        outputs = {"fixenc": result.text if result else None, "input": case.garbled, "ftfy": ftfy_text,
                   "charset-normalizer": cn_text}
        right = {name: matched_positions(case.original, text) if text is not None else set()
                 for name, text in outputs.items()}
        for name, positions in right.items():
            tally.chars_right[name] = tally.chars_right.get(name, 0) + len(positions)
        if result is not None:
            wrong = set(range(len(result.text))) - right["fixenc"]
            guessed = wrong & {position for position, _ in result.guesses}
            left = (wrong - guessed) & matched_positions(case.garbled, result.text)
            for kind, positions in (("guessed", guessed), ("left", left), ("other", wrong - guessed - left)):
                tally.wrong[kind] = tally.wrong.get(kind, 0) + len(positions)


def matched_positions(reference: str, text: str) -> set[int]:
    """Positions of `text` that difflib's alignment matches to `reference`: as many as the
    characters of `reference` that `text` has in place."""
    matcher = difflib.SequenceMatcher(None, reference, text, autojunk=False)
    return {block.b + offset for block in matcher.get_matching_blocks() for offset in range(block.size)}


def run_family(family: corpus.Family) -> Tally:
    tally = Tally(family.name, family.kind, family.description, len(family.cases), family.attempts,
                  family.not_constructible, family.doc_lines_skipped, sources=dict(family.sources))
    for case in family.cases:
        score_case(tally, case)
    return tally


# ---------------------------------------------------------------- detection


def decode_detected(data: bytes, detection: fixenc.Detection) -> str:
    body = data[len(detection.bom):]
    if producers.is_producer(detection.encoding):
        return producers.decode(body, detection.encoding)
    return body.decode(detection.encoding)


def detect_case(case: corpus.Case) -> dict:
    """Did fixenc.detect name a codec that reads the original back, and did repair() give it back?"""
    try:
        detection = fixenc.detect(case.data)
        named, detected_ok = detection.encoding, decode_detected(case.data, detection) == case.original
    except Exception as error:  # noqa: BLE001 - a miss, named
        named, detected_ok = f"error:{type(error).__name__}", False
    result, _ = run_fixenc(case.data)
    return {
        "codec": case.codec, "short": len(case.original) <= SHORT_INPUT_CHARS, "named": named,
        "detect": detected_ok, "repair": result is not None and result.text == case.original,
        "cn": run_charset_normalizer(case.data) == case.original,
    }


def run_detection(family: corpus.Family) -> dict:
    rows: dict[str, dict] = {}
    failures: list[dict] = []
    start = time.perf_counter()
    for case in family.cases:
        outcome_row = detect_case(case)
        row = rows.setdefault(case.codec, Counter())
        for scope in ("all", "short") if outcome_row["short"] else ("all",):
            row[f"{scope}:cases"] += 1
            for key in ("detect", "repair", "cn"):
                row[f"{scope}:{key}"] += outcome_row[key]
        if not outcome_row["detect"]:
            row[f"named:{outcome_row['named']}"] += 1
            if len(failures) < FAILURES_KEPT:
                failures.append({"codec": case.codec, "named": outcome_row["named"],
                                 "data": repr(case.data[:EXCERPT_CHARS]), "expected": excerpt(case.original, None)})
    return {"codecs": {codec: dict(row) for codec, row in rows.items()}, "seconds": time.perf_counter() - start,
            "attempts": family.attempts, "not_constructible": family.not_constructible, "failures": failures}


# ---------------------------------------------------------------- report


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "—"


def main_table(tallies: list[Tally]) -> list[str]:
    lines = [
        ("| family | cases | fixenc exact % | ftfy exact % | ftfy CJK-safe exact % | charset-normalizer exact % "
        "| false positives (fixenc / ftfy / ftfy CJK-safe / c-n) | fixenc ms/case |"),
        "|---|---:|---:|---:|---:|---:|---|---:|",
    ]
    for tally in tallies:
        lines.append(_main_row(tally.name, tally.kind, [tally]))
    for kind, label in (("repair", "**all damaged families**"), ("control", "**all clean controls**")):
        lines.append(_main_row(label, kind, [t for t in tallies if t.kind == kind]))
    return lines


_SCORES = ("fixenc_exact", "ftfy_exact", "ftfy_cjk_exact", "cn_exact")


def _main_row(label: str, kind: str, group: list[Tally]) -> str:
    """One row; for a group of families the figures are pooled over all their cases."""
    cases = sum(t.cases for t in group)
    exact = [sum(getattr(t, key) for t in group) for key in _SCORES]
    fp = " / ".join(str(cases - ok) for ok in exact) if kind == "control" else "—"
    seconds = sum(t.fixenc_seconds for t in group)
    rates = " | ".join(percent(ok, cases) for ok in exact)
    return f"| {label} | {cases} | {rates} | {fp} | {1000 * seconds / cases if cases else 0:.1f} |"


def breakdown_table(tallies: list[Tally]) -> list[str]:
    """fixenc's misses by kind, and exact % by size; for damaged families, how many originals were skipped."""
    lines = [
        ("| family | not constructible / drawn | exact % short | exact % sentence | exact % doc "
        "| untouched | wrong | error | detected not utf-8 |"),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for tally in tallies:
        sizes = [tally.by_size.get(size, [0, 0]) for size in ("short", "sentence", "doc")]
        size_cells = " | ".join(f"{percent(ok, n)} ({n})" for ok, n in sizes)
        errors = sum(n for status, n in tally.outcomes.items() if status.startswith("error"))
        skipped = f"{tally.not_constructible} / {tally.attempts}" if tally.kind == "repair" else "—"
        not_utf8 = str(tally.not_utf8) if tally.kind == "control" else "—"
        lines.append(f"| {tally.name} | {skipped} | {size_cells} | {tally.outcomes.get('untouched', 0)} "
                     f"| {tally.outcomes.get('wrong', 0)} | {errors} | {not_utf8} |")
    return lines


def lossy_table(tallies: list[Tally]) -> list[str]:
    """Lossy families' figures: exact restoration and character accuracy, beside the input's own."""
    lines = [("| family | cases | fixenc exact % | fixenc characters right % | input as it was % "
              "| ftfy % | charset-normalizer % | fixenc's wrong characters: guessed / left as they came / other |"),
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for tally in tallies:
        if tally.name not in corpus.LOSSY_FAMILIES or not tally.chars:
            continue
        right = [percent(tally.chars_right.get(name, 0), tally.chars)
                 for name in ("fixenc", "input", "ftfy", "charset-normalizer")]
        lines.append(f"| {tally.name} | {tally.cases} | {percent(tally.fixenc_exact, tally.cases)} | "
                     + " | ".join(right) + " | " + " / ".join(str(tally.wrong.get(kind, 0))
                                                              for kind in ("guessed", "left", "other")) + " |")
    return lines if len(lines) > 2 else []


def detection_table(detection: dict) -> list[str]:
    lines = [
        (f"| encoding | cases | fixenc.detect % | … ≤ {SHORT_INPUT_CHARS} chars | repair() text % "
        f"| charset-normalizer % | … ≤ {SHORT_INPUT_CHARS} chars | fixenc wrong names |"),
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    total = Counter()
    for codec, row in detection["codecs"].items():
        total.update({k: v for k, v in row.items() if not k.startswith("named:")})
        wrong = ", ".join(f"{k[6:]}×{v}" for k, v in sorted(row.items()) if k.startswith("named:")) or "—"
        lines.append(_detection_row(codec, row, wrong))
    lines.append(_detection_row("**all**", total, ""))
    return lines


def _detection_row(label: str, row, wrong: str) -> str:
    def rate(scope: str, key: str) -> str:
        return f"{percent(row.get(f'{scope}:{key}', 0), row.get(f'{scope}:cases', 0))}"
    return (f"| {label} | {row.get('all:cases', 0)} ({row.get('short:cases', 0)} short) | {rate('all', 'detect')} "
            f"| {rate('short', 'detect')} | {rate('all', 'repair')} | {rate('all', 'cn')} | {rate('short', 'cn')} "
            f"| {wrong} |")


def print_failures(tallies: list[Tally], stream) -> None:
    for tally in tallies:
        if not tally.failures:
            continue
        print(f"\n## {tally.name}: {tally.cases - tally.fixenc_exact} of {tally.cases} not exact", file=stream)
        for failure in tally.failures[:FAILURES_SHOWN]:
            where = "" if failure["line"] is None else f" line {failure['line']}"
            how = failure["error"] or f"steps={failure['steps']} detected={failure['detected']}"
            print(f"- [{failure['size']}{where}] {failure['status']} ({how})\n"
                  f"    input    {failure['input']}\n    got      {failure['got']}\n"
                  f"    expected {failure['expected']}", file=stream)


def provenance() -> dict:
    """Versions, and the git commit of the tree under test (with 'dirty' if fixenc/ has local edits)."""
    root = Path(__file__).resolve().parent.parent
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""
    commit = git("rev-parse", "--short", "HEAD")
    dirty = bool(git("status", "--porcelain", "--", "fixenc"))
    return {"fixenc": fixenc.__version__, "commit": commit + ("-dirty" if dirty else ""),
            "ftfy": ftfy.__version__, "charset_normalizer": charset_normalizer.__version__,
            "python": platform.python_version()}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small subset (about a tenth)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    parser.add_argument("--json", metavar="PATH", help="also save the results as JSON here")
    parser.add_argument("--failures", action="store_true", help=f"print {FAILURES_SHOWN} fixenc failures "
                        "per family to stderr")
    parser.add_argument("--family", action="append", default=[], help="run only this family (repeatable)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    info = provenance()  # the code as it is when the run starts: commits made during a run do not count
    repair_count, control_count, detect_count = QUICK_SIZES if args.quick else FULL_SIZES
    families = (corpus.build_damaged(repair_count, args.seed) + controls.build_controls(control_count, args.seed)
                + [corpus.build_detect(detect_count, args.seed)])
    if args.family:
        families = [family for family in families if family.name in args.family]
    built = time.perf_counter()
    fixenc.repair("浣犲ソ".encode())  # load the model once, outside the timed cases
    warmed = time.perf_counter()
    tallies, detection = [], None
    for family in families:
        family_start = time.perf_counter()
        if family.kind == "detect":
            detection = run_detection(family)
        else:
            tallies.append(run_family(family))
        print(f"{family.name}: {len(family.cases)} cases, {time.perf_counter() - family_start:.1f}s", file=sys.stderr)
    elapsed = time.perf_counter() - started
    report = [(f"# fixenc accuracy ({'quick' if args.quick else 'full'}, seed {args.seed}, "
              f"fixenc {info['fixenc']} at {info['commit']}, ftfy {info['ftfy']}, "
              f"charset-normalizer {info['charset_normalizer']})"), ""]
    report += main_table(tallies) + ["", "fixenc in detail:", ""] + breakdown_table(tallies)
    lossy = lossy_table(tallies)
    if lossy:
        report += ["", "Lossy damage (issues 5 and 6): characters of the originals in place, by difflib's alignment:", ""]
        report += lossy
    if detection:
        report += ["", "Detection (clean text in each encoding; a name counts if it decodes to the original):", ""]
        report += detection_table(detection)
    report += [f"\n{t.name} texts: " + ", ".join(f"{n} from {src}" for src, n in t.sources.items())
               for t in tallies if t.sources]
    report += ["", (f"Run time {elapsed:.1f}s (building cases {built - started:.1f}s, "
               f"loading the model {warmed - built:.2f}s).")]
    print("\n".join(report))
    if args.failures:
        print_failures(tallies, sys.stderr)
        for failure in (detection or {}).get("failures", [])[:FAILURES_SHOWN]:
            print(f"- detection of {failure['codec']}: named {failure['named']}\n    data     {failure['data']}\n"
                  f"    expected {failure['expected']}", file=sys.stderr)
    if args.json:
        payload = {"args": vars(args), "provenance": info, "seconds": round(elapsed, 2),
                   "families": [asdict(t) for t in tallies], "detection": detection}
        Path(args.json).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
