"""The command line's tree runs: discover the files, repair them in a pool, rename, journal, and
print each outcome, a progress bar and the summary. Part of the CLI layer, as cli.py is: it talks to
the terminal; the library under it does not.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from . import __version__, fileio, parallel
from .cli_single import Options, flush_stdout, write_stdout
from .errors import EXIT_CHANGES, EXIT_USAGE
from .report import Outcome, counts, most_severe, summary_table

# A progress bar is worth drawing from this many files on.
PROGRESS_MIN_FILES = 50

def run_batch(options: Options) -> int:
    """Folders, globs or several files: discover, repair in a pool, rename, journal, summarise."""
    from . import api, batch, journal

    api.select(options.only, options.skips)  # unknown names fail here, once, before any file
    paths, unmatched = batch.expand(options.paths)
    prune = (os.path.realpath(options.out_dir),) if options.out_dir else ()
    filters = batch.Filters(options.include, options.exclude, options.hidden, options.max_size, prune)
    found = batch.discover(paths, filters)
    log = journal.Journal(found.root) if options.in_place and not options.no_backup else None
    run = _BatchRun(options, found, log)
    for pattern in unmatched:
        run.add(Outcome(pattern, error=f"{pattern}: no such file (nothing matches it)", exit_code=EXIT_USAGE))
    try:
        run.files()
        if options.names and not options.out_dir:
            run.names()
    finally:
        run.close_journal()
    run.finish()
    return most_severe(outcome.exit_code for outcome in run.outcomes)


class _BatchRun:
    """The outcomes of one batch run, printed as they come (after the bar, when one is drawn)."""

    def __init__(self, options: Options, found: Any, log: Any) -> None:
        self.options = options
        self.found = found
        self.log = log
        self.outcomes: list[Outcome] = []
        self.deferred: list[str] | None = None
        self.check = not (options.in_place or options.out_dir)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        if outcome.error or (outcome.changed and not self.options.quiet) or self.options.verbose:
            self.echo(outcome.line(self.check))

    def echo(self, line: str) -> None:
        if self.deferred is not None:
            self.deferred.append(line)
        else:
            click.echo(line, err=True)

    def files(self) -> None:
        from . import batch

        for outcome in self.found.skipped:
            self.add(outcome)
        targets = self._targets()
        jobs = self.options.jobs or parallel.cpu_count()
        with self._progress(targets) as bar:
            for done, (target, result) in enumerate(zip(targets, batch.run(targets, self._settings(), jobs)), 1):
                self.add(result.outcome)
                for line in result.explanation:
                    self.echo(line)
                if result.diff:
                    write_stdout(result.diff.encode("utf-8", "backslashreplace"))
                if bar is not None:
                    bar.update(max(target.size, 1), f"{done}/{len(targets)} files")
        if self.options.diff:
            flush_stdout()

    def _settings(self) -> Any:
        from . import batch

        write = "in-place" if self.options.in_place else "out-dir" if self.options.out_dir else ""
        return batch.Settings(
            to=self.options.to, encoding=self.options.encoding, only=self.options.only, skip=self.options.skips,
            script=self.options.script, strict=self.options.strict,
            write=write, out_dir=os.path.abspath(self.options.out_dir or ""), root=self.found.root,
            backups=self.log.backups if self.log else "", journal=self.log.partial if self.log else "", diff=self.options.diff, explain=self.options.explain,
            max_size=self.options.max_size, debug=self.options.debug)

    def _targets(self) -> list[Any]:
        """The files to process; under --out-dir --names each goes to its repaired path, once."""
        if not (self.options.out_dir and self.options.names):
            return list(self.found.files)
        from dataclasses import replace

        from . import names

        targets, taken = [], set()
        for target in self.found.files:
            out_rel = names.repair_rel(target.rel)
            if out_rel in taken:
                self.add(Outcome(target.display, error=f"{target.display}: its repaired name {out_rel} is taken "
                                 "by another file; left out", exit_code=EXIT_USAGE))
                continue
            taken.add(out_rel)
            targets.append(replace(target, out_rel=out_rel))
        return targets

    @contextlib.contextmanager
    def _progress(self, targets: list[Any]) -> Iterator[Any]:
        """A bar (files, bytes, ETA) on a terminal for long runs; per-file lines wait until it ends."""
        if self.options.quiet or len(targets) < PROGRESS_MIN_FILES or not _stderr_is_terminal():
            yield None
            return
        self.deferred = []
        total = sum(max(target.size, 1) for target in targets)
        try:
            with click.progressbar(length=total, label="fixenc", file=sys.stderr, show_eta=True,
                                   item_show_func=lambda item: item) as bar:
                yield bar
        finally:
            lines, self.deferred = self.deferred, None
            for line in lines:
                click.echo(line, err=True)

    def names(self) -> None:
        from . import names

        entries = [(target.path, target.rel) for target in [*self.found.files, *self.found.folders]]
        renames, refused = names.plan(entries)
        for outcome in refused:
            self.add(outcome)
        for rename in renames:
            if self.check:
                self.add(Outcome(names.shown(rename.path), changed=True, renamed=names.shown(rename.new_path),
                                 exit_code=EXIT_CHANGES))
                continue
            outcome = names.apply(rename)
            if outcome.changed and self.log:
                self.log.record({"rename": rename.rel, "to": rename.new_rel})
            self.add(outcome)

    def close_journal(self) -> None:
        path = self.log.close() if self.log else None
        if path and not self.options.quiet:
            self.echo(f"journal {os.path.relpath(path)} (undo with: fixenc undo{_undo_hint(path)})")

    def finish(self) -> None:
        changed = any(outcome.changed and not outcome.error for outcome in self.outcomes)
        if self.options.no_backup and changed:
            self.echo("note: --no-backup: there is no journal, so this run cannot be undone")
        if not self.options.quiet:
            for line in summary_table(self.outcomes, self.check):
                self.echo(line)
            if not changed and not any(outcome.error for outcome in self.outcomes):
                self.echo("nothing to change.")
        if self.options.report_file:
            self._write_report()

    def _write_report(self) -> None:

        document = {"version": 1, "fixenc": __version__, "root": self.found.root,
                    "mode": "in-place" if self.options.in_place else "out-dir" if self.options.out_dir else "check",
                    "summary": counts(self.outcomes), "files": [outcome.as_json() for outcome in self.outcomes]}
        with fileio.AtomicWriter(self.options.report_file) as writer:  # type: ignore[arg-type]
            writer.write(json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8", "surrogateescape"))
            writer.commit()


def _undo_hint(path: str) -> str:
    """`fixenc undo` finds the latest journal of the current folder; elsewhere it needs the folder."""
    root = os.path.dirname(os.path.dirname(path))
    return "" if os.path.samefile(root, ".") else f" {os.path.relpath(root)}"


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


