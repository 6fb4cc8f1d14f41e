"""What happened to each input, and the exit code it adds up to: outcomes, the summary line,
the --explain account and the --diff hunks. Nothing here prints; cli.py writes the lines it gets.
"""
from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .errors import EXIT_CHANGES, EXIT_INTERRUPTED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from .segment import non_ascii_count

if TYPE_CHECKING:
    from .api import Result
    from .detection import Detection
    from .strategies import Step

# Most severe first: a batch ends with the first of these that any input produced.
SEVERITY = (EXIT_INTERRUPTED, EXIT_REFUSED, EXIT_USAGE, EXIT_CHANGES, EXIT_OK)
# --explain shows this many spans per step, each cut to EXCERPT_CHARS characters.
EXPLAIN_SPANS = 3
# --explain names this many guessed characters, then counts the rest.
EXPLAIN_GUESSES = 20
EXCERPT_CHARS = 40
EXCERPT_CONTEXT = 6  # characters kept either side of what a step changed
# Why a batch run leaves a file alone, in the order the summary lists them.
SKIP_REASONS = ("binary", "too large", "unreadable", "symlink out of the tree")
_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def most_severe(codes: Iterable[int]) -> int:
    """The exit code that wins: most_severe([0, 1, 3, 2]) == 3."""
    seen = set(codes)
    return next((code for code in SEVERITY if code in seen), EXIT_OK)


@dataclass
class Outcome:
    """One input's fate. `changed` means the output bytes differ from the input bytes.

    Batch runs fill the rest: why a file was skipped, how it was read, each step with its span count
    and the characters it recovered for certain or guessed (lossy), where the output went, a new name.
    """

    path: str
    changed: bool = False
    strategies: tuple[str, ...] = ()
    spans: int = 0
    lossy: bool = False
    conversion: str = ""      # "cp936 → utf-8" when the output is in another codec
    error: str = ""           # the one-line error, path included
    exit_code: int = EXIT_OK
    skipped: str = ""         # one of SKIP_REASONS
    encoding: str = ""
    steps: tuple[tuple[str, int, bool], ...] = ()   # (strategy, spans, lossless)
    recovered: int = 0        # characters repaired for certain: lossless spans, bytes a lossy step read
    guessed: int = 0          # characters inside lossy spans
    lost: int = 0             # U+FFFD left in the output: text that was gone before fixenc saw it
    written: str = ""         # the file written (--in-place or --out-dir)
    renamed: str = ""         # the repaired name (--names); `path` is the old one
    losses: tuple[str, ...] = ()  # what could not come back, one line each (`line 3: …`)

    def line(self, check: bool) -> str:
        """`repaired a.txt (utf8-as-gbk, 12 spans)`, `would repair b.txt (…)`, `unchanged c.txt`."""
        if self.error:
            return f"fixenc: error: {self.error}"
        if self.skipped:
            return f"skipped {self.path} ({self.skipped})"
        if self.renamed:
            return f"{'would rename' if check else 'renamed'} {self.path} -> {self.renamed}"
        if not self.changed:
            return f"unchanged {self.path}"
        verb = "would repair" if check else "repaired"
        return f"{verb} {self.path} ({self.details()})"

    def details(self) -> str:
        parts = list(self.strategies)
        if self.strategies:
            parts.append(_count(self.spans, "span"))
        if self.lossy:
            parts.append("lossy")
        if self.guessed or self.lost:
            parts.append(f"characters: {self.recovered} recovered, {self.guessed} guessed, {self.lost} lost")
        if self.conversion:
            parts.append(self.conversion)
        return ", ".join(parts) or "bytes differ"

    def as_json(self) -> dict[str, object]:
        """The entry of the --report file for this input."""
        entry: dict[str, object] = {
            "path": self.path, "encoding": self.encoding or None, "changed": self.changed,
            "steps": [{"strategy": name, "spans": spans, "lossless": lossless}
                      for name, spans, lossless in self.steps],
            "characters": {"recovered": self.recovered, "guessed": self.guessed, "lost": self.lost},
            "skipped": self.skipped or None, "error": self.error or None, "exit_code": self.exit_code,
            "losses": list(self.losses),
        }
        if self.written:
            entry["written"] = self.written
        if self.renamed:
            entry["renamed"] = self.renamed
        return entry


@dataclass
class Report:
    """All outcomes of a run; it alone decides the exit code and the summary line."""

    check: bool = False
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    @property
    def exit_code(self) -> int:
        return most_severe(outcome.exit_code for outcome in self.outcomes)

    def summary(self) -> str:
        """`2 files would be repaired, 1 file unchanged, 1 error.`"""
        errors = sum(1 for outcome in self.outcomes if outcome.error)
        changed = sum(1 for outcome in self.outcomes if outcome.changed and not outcome.error)
        clean = len(self.outcomes) - errors - changed
        verb = "would be repaired" if self.check else "repaired"
        parts = [f"{_count(changed, 'file')} {verb}", f"{_count(clean, 'file')} unchanged"]
        if errors:
            parts.append(_count(errors, "error"))
        return ", ".join(parts) + "."


class Tally:
    """Adds up the Results of one input, chunk by chunk, into an Outcome and an explanation."""

    def __init__(self, path: str, to: str, explain: bool = False) -> None:
        self.path = path
        self.to = to
        self.explain = explain
        self.changed = False
        self.lossy = False
        self.recovered = 0                 # characters repaired for certain (see add)
        self.guessed = 0                   # characters rebuilt from guessed bytes
        self.guesses: list[str] = []       # for --explain: `中 (line 1)`
        self.lost = 0
        self.detections: list[Detection] = []
        self.steps: dict[tuple[int, str], _StepNote] = {}
        self.losses: list[str] = []
        self._lines = 0  # line breaks in the chunks added so far: losses count lines in the whole input

    def add(self, result: Result, data: bytes, out: bytes) -> None:
        """Count one chunk: `data` came in, `out` goes out."""
        self.changed = self.changed or out != data
        self.lossy = self.lossy or result.lossy
        if not self.detections or result.detection != self.detections[-1]:
            self.detections.append(result.detection)
        self.lost += result.text.count("\ufffd")
        self.losses += [replace(loss, line=loss.line + self._lines).describe() for loss in result.losses]
        if result.lossy:
            guesses = result.guesses
            self.guessed += len(guesses)
            if self.explain:
                self.guesses += [f"{_shown(char)} (line {self._lines + result.text.count(chr(10), 0, position) + 1})"
                                 for position, char in guesses]
        self._lines += result.text.count("\n")
        text = result.original
        for index, step in enumerate(result.steps):
            note = self.steps.setdefault((index, step.strategy), _StepNote(step.strategy, step.lossless))
            note.add(step, text if self.explain else "")
            inside = sum(span.end - span.start for span in step.spans)
            after = _replay(text, step) if self.explain or result.lossy else text
            if step.lossless:
                self.recovered += inside
            else:
                # A lossy step reads most characters from the bytes that survived, for certain: all
                # it wrote but its guesses and the U+FFFD that stand for what is gone (the
                # characters outside its spans stay as they were; ASCII is not counted).
                written = non_ascii_count(after) - non_ascii_count(text) + sum(non_ascii_count(text[span.start:span.end])
                                                                     for span in step.spans)
                gone = after.count("\ufffd") - text.count("\ufffd")
                self.recovered += max(0, written - len(step.guessed) - max(0, gone))
            text = after

    def outcome(self, check: bool) -> Outcome:
        names = tuple(dict.fromkeys(note.name for note in self.steps.values()))
        spans = sum(note.spans for note in self.steps.values())
        code = EXIT_CHANGES if check and self.changed else EXIT_OK
        steps = tuple((note.name, note.spans, note.lossless) for note in self.steps.values())
        return Outcome(self.path, self.changed, names, spans, self.lossy, self._conversion(), exit_code=code,
                       encoding=self._source(), steps=steps, recovered=self.recovered,
                       guessed=self.guessed, lost=self.lost, losses=tuple(self.losses))

    def explanation(self) -> list[str]:
        """Lines for --explain: how the input was read, then every step with a few excerpts."""
        lines = [f"{self.path}: read as {_describe(detection)}" for detection in self.detections]
        for number, note in enumerate(self.steps.values(), 1):
            kind = "lossless" if note.lossless else "lossy"
            lines.append(f"{self.path}: step {number}: {note.name} ({kind}, confidence {note.confidence:.2f}, "
                         f"{_count(note.spans, 'span')})")
            lines.extend(f"    {excerpt(before)} → {excerpt(after)}" for before, after in note.excerpts)
        if self.guesses:
            shown = ", ".join(self.guesses[:EXPLAIN_GUESSES])
            more = f", and {len(self.guesses) - EXPLAIN_GUESSES} more" if len(self.guesses) > EXPLAIN_GUESSES else ""
            lines.append(f"{self.path}: guessed characters (each a guess from the model, not read): {shown}{more}")
        if not self.steps:
            lines.append(f"{self.path}: no repair needed")
        lines.extend(f"{self.path}: {loss}" for loss in self.losses)
        verdict = "differ from" if self.changed else "are the same as"
        lines.append(f"{self.path}: output in {self.to}: the bytes {verdict} the input")
        return lines

    def _source(self) -> str:
        if not self.detections:
            return ""
        return next((d.encoding for d in reversed(self.detections) if d.method != "ascii"),
                    self.detections[-1].encoding)

    def _conversion(self) -> str:
        source = self._source()
        if source and _canonical(source) != _canonical(self.to):
            return f"{source} → {self.to}"
        return ""


@dataclass
class _StepNote:
    name: str
    lossless: bool
    confidence: float = 1.0
    spans: int = 0
    excerpts: list[tuple[str, str]] = field(default_factory=list)

    def add(self, step: Step, text: str) -> None:
        """Count the step; with `text` (the text before it), keep the first few spans as excerpts."""
        self.confidence = min(self.confidence, step.confidence)
        self.spans += len(step.spans)
        self.lossless = self.lossless and step.lossless
        from .strategies import BY_NAME  # here: the CLI module must stay cheap to import

        strategy = BY_NAME[step.strategy]
        for span in step.spans[:EXPLAIN_SPANS - len(self.excerpts)] if text else ():
            before = text[span.start:span.end]
            self.excerpts.append(changed_part(before, strategy.apply(before)))


def counts(outcomes: list[Outcome]) -> dict[str, Any]:
    """What a batch run adds up to: files scanned, clean, changed, skipped (by reason), failed,
    renamed, characters, and how many files each strategy (or codec change) was used on."""
    files = [outcome for outcome in outcomes if not outcome.renamed]
    changed = [o for o in files if o.changed and not o.error]
    failed = sum(1 for o in files if o.error and not o.skipped)
    skipped = {reason: sum(1 for o in files if o.skipped == reason) for reason in SKIP_REASONS}
    uses: dict[str, int] = {}
    for outcome in changed:
        for name in (*outcome.strategies, *([outcome.conversion] if outcome.conversion else [])):
            uses[name] = uses.get(name, 0) + 1
    return {
        "scanned": len(files), "clean": len(files) - len(changed) - failed - sum(skipped.values()),
        "changed": len(changed), "skipped": skipped, "failed": failed,
        "renamed": sum(1 for o in outcomes if o.renamed and not o.error),
        "characters": {"recovered": sum(o.recovered for o in changed), "guessed": sum(o.guessed for o in changed),
                       "lost": sum(o.lost for o in files)},
        "strategies": dict(sorted(uses.items())),
    }


def summary_table(outcomes: list[Outcome], check: bool) -> list[str]:
    """The table that ends a batch run, one row per count of counts()."""
    total = counts(outcomes)
    skipped = total["skipped"]
    chars = total["characters"]
    rows = [("files scanned", total["scanned"]), ("clean", total["clean"]),
            ("would repair" if check else "repaired", total["changed"]),
            ("skipped", _skipped(skipped)),
            ("failed", total["failed"])]
    if total["renamed"]:
        rows.append(("would rename" if check else "renamed", total["renamed"]))
    rows.append(("characters", f"{chars['recovered']} recovered, {chars['guessed']} guessed, {chars['lost']} lost"))
    if total["strategies"]:
        rows.append(("strategies", ", ".join(f"{name} {count}" for name, count in total["strategies"].items())))
    width = max(len(label) for label, _ in rows)
    return [f"{label:<{width}}  {value}" for label, value in rows]


def _skipped(skipped: dict[str, int]) -> str:
    """`3 (binary 2, too large 1)`, or `0`."""
    reasons = ", ".join(f"{reason} {count}" for reason, count in skipped.items() if count)
    return f"{sum(skipped.values())} ({reasons})" if reasons else "0"


class Diff:
    """Unified diff of one input, produced chunk by chunk with line numbers for the whole input."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.started = False
        self.line_before = 0
        self.line_after = 0

    def chunk(self, before: str, after: str) -> str:
        """The hunks for one chunk (with the file header before the first hunk), or ""."""
        hunks = []
        if before != after:
            import difflib  # only for --diff

            lines = difflib.unified_diff(_lines(before), _lines(after), n=3)
            hunks = [self._shift(line) for index, line in enumerate(lines) if index >= 2]
        self.line_before += before.count("\n")
        self.line_after += after.count("\n")
        if not hunks:
            return ""
        header = "" if self.started else f"--- {self.path} (original)\n+++ {self.path} (repaired)\n"
        self.started = True
        return header + "".join(hunks)

    def _shift(self, line: str) -> str:
        match = _HUNK.match(line)
        if match:
            old, old_len, new, new_len = match.groups()
            return (f"@@ -{int(old) + self.line_before}{old_len or ''} "
                    f"+{int(new) + self.line_after}{new_len or ''} @@\n")
        if not line.endswith("\n"):
            return line + "\n\\ No newline at end of file\n"
        return line


def changed_part(before: str, after: str) -> tuple[str, str]:
    """What changed, with EXCERPT_CONTEXT characters either side, for spans that cover more than
    they change (a shifted-bytes step's span is whole lines): ("甲乙丙丁戊己庚辛?!x", "甲乙丙丁戊己庚辛。”x")
    keeps "…丙丁戊己庚辛?!x" and "…丙丁戊己庚辛。”x"."""
    head = len(os.path.commonprefix([before, after]))
    tail = len(os.path.commonprefix([before[head:][::-1], after[head:][::-1]]))
    start = max(0, head - EXCERPT_CONTEXT)
    cut = max(0, tail - EXCERPT_CONTEXT)
    ellipsis = "…" if start else ""
    return ellipsis + before[start:len(before) - cut], ellipsis + after[start:len(after) - cut]


def _shown(char: str) -> str:
    """A guessed character as --explain names it: an ASCII byte put back (a space, a CR) visibly."""
    return repr(char) if char.isspace() or not char.isprintable() else char


def excerpt(text: str) -> str:
    """A short one-line view of `text`: excerpt("第一行\\n第二行") == '第一行\\\\n第二行'."""
    shown = text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return shown if len(shown) <= EXCERPT_CHARS else shown[:EXCERPT_CHARS - 1] + "…"


def _lines(text: str) -> list[str]:
    """Split after each "\\n" only (str.splitlines also splits at \\x0c, \\u2028 and friends)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines


def _replay(text: str, step: Step) -> str:
    from .api import replay

    return replay(text, (step,))


def _describe(detection: Detection) -> str:
    bom = f"BOM {detection.bom.hex(' ')}" if detection.bom else "no BOM"
    return f"{detection.encoding} (detected by {detection.method}, confidence {detection.confidence:.2f}, {bom})"


def _canonical(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
