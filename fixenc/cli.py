"""The `fixenc` command (and `fixenc undo`): parse and check the options, then hand the run to
cli_single.py (stdin or files one by one) or cli_batch.py (trees). Only the CLI layer talks to the
terminal. fixenc.api and fixenc.batch are imported inside the command, so that `fixenc --version`
and `--help` never load the model, ftfy or charset-normalizer.
"""
from __future__ import annotations

import os
import sys
from typing import Any

import click

from . import __version__
from .cli_single import STDIN, Options, echo_error, guarded, run
from .errors import FixencError
from .report import _count, most_severe

SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}

EPILOG = """\b
Examples:
  cat x.txt | fixenc > y.txt    repair stdin, write UTF-8 to stdout
  fixenc --explain a.txt        show what was detected and every repair step
  fixenc --check a.txt          exit 1 if a.txt would change
  fixenc src/                   report what would change below src/ (writes nothing)
  fixenc --in-place src/        repair every text file below src/, with backups
  fixenc --out-dir fixed/ src/  write repaired copies of src/ to fixed/
  fixenc undo                   undo the latest --in-place run (journal in ./.fixenc)

\b
Exit codes:
  0    done; under --check, nothing would change
  1    --check (or a run over folders without --in-place/--out-dir)
       found something to change
  2    usage or input/output error (bad option, unreadable file, --encoding
       does not fit, text not representable in --to, unwritable output)
  3    a repair was refused by verification, or an internal error;
       nothing was written
  130  interrupted
"""


class OneLineUsageError(click.UsageError):
    """A usage error shown as one line, like every other fixenc error."""

    def show(self, file: Any = None) -> None:
        click.echo(f"fixenc: error: {self.format_message()} (see fixenc --help)", err=True)


class FixencCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except OneLineUsageError:
            raise
        except click.UsageError as error:
            raise OneLineUsageError(error.format_message(), ctx) from None


def _text_codec(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Accept only codecs that turn text into bytes (not base64, rot13 and the like)."""
    if value is not None:
        try:
            "".encode(value)
        except LookupError:
            raise click.BadParameter(f"unknown text encoding {value!r}") from None
    return value


def _size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """`64M`, `500K`, `1G` or a number of bytes."""
    text = value.strip().upper().removesuffix("IB").removesuffix("B")
    unit = text[-1:] if text[-1:] in SIZE_UNITS else ""
    try:
        return int(float(text[: len(text) - len(unit)]) * SIZE_UNITS[unit])
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a size (like 64M, 500K or 1048576)") from None


def _list_strategies(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .strategies import STRATEGIES

    width = max(len(strategy.name) for strategy in STRATEGIES)
    for strategy in STRATEGIES:
        click.echo(f"{strategy.name:<{width}}  {strategy.summary}")
    ctx.exit(0)


class MainCommand(FixencCommand):
    """`fixenc undo ...` runs the undo command; anything else is the repair command, as always."""

    def main(self, args: Any = None, prog_name: str | None = None, **extra: Any) -> Any:
        arguments = list(sys.argv[1:] if args is None else args)
        if arguments[:1] == ["undo"]:
            return undo.main(arguments[1:], prog_name="fixenc undo", **extra)
        return super().main(arguments, prog_name, **extra)


@click.command(cls=MainCommand, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE (atomically) instead of stdout.")
@click.option("--to", default="utf-8", show_default=True, callback=_text_codec, metavar="ENCODING",
              help="Encoding of the output.")
@click.option("--encoding", callback=_text_codec, metavar="ENC", help="Read the input as ENC instead of detecting it.")
@click.option("--only", multiple=True, metavar="NAME", help="Use only this strategy (repeatable).")
@click.option("--skip", multiple=True, metavar="NAME", help="Never use this strategy (repeatable).")
@click.option("--strict", is_flag=True, help="Make no guesses: leave lost bytes (�, ?) and shifted stretches as they are.")
@click.option("--keep-punctuation", is_flag=True, help="Never unfold ASCII punctuation (same as --skip folded-punctuation).")
@click.option("--to-simplified", is_flag=True, help="Also convert the text to Simplified Chinese (OpenCC).")
@click.option("--to-traditional", is_flag=True, help="Also convert the text to Traditional Chinese (OpenCC).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if anything would change.")
@click.option("--diff", is_flag=True, help="Write nothing; print a unified diff of the repair.")
@click.option("--explain", is_flag=True, help="Tell on stderr what was detected and every step taken.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also report inputs that are already clean.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.option("-i", "--in-place", is_flag=True, help="Repair the files themselves (backups in .fixenc/, undoable).")
@click.option("--out-dir", metavar="DIR", help="Write repaired copies of the inputs' tree under DIR.")
@click.option("--no-backup", is_flag=True, help="With --in-place: keep no backups (the run cannot be undone).")
@click.option("--names", is_flag=True, help="Also repair garbled file and folder names.")
@click.option("--include", multiple=True, metavar="GLOB", help="In folders, take only files matching GLOB.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="In folders, leave out paths matching GLOB.")
@click.option("--hidden", is_flag=True, help="In folders, also take hidden files and folders (.name).")
@click.option("--max-size", default="64M", show_default=True, callback=_size, metavar="SIZE",
              help="Skip files larger than SIZE.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N", help="Processes to use [default: CPUs].")
@click.option("--report", "report_file", metavar="FILE.json", help="Write a JSON report of every file to FILE.")
@click.option("--list-strategies", is_flag=True, is_eager=True, expose_value=False, callback=_list_strategies,
              help="List the repair strategies and exit.")
@click.version_option(__version__, "--version", prog_name="fixenc", message="%(prog)s %(version)s")
@click.pass_context
def main(ctx: click.Context, **values: Any) -> None:
    """Repair garbled Chinese text (乱码) read from PATH or stdin.

    With no PATH, or PATH "-", read stdin and write the repaired text to stdout. With folders, globs
    or several files, repair every text file below them: --in-place, --out-dir DIR, or neither to
    only report what would change.
    """
    options = Options(**values)
    _check_usage(options)
    if options.batch:
        from .cli_batch import run_batch

        ctx.exit(guarded(run_batch, options))
    ctx.exit(run(options))


def _check_usage(options: Options) -> None:
    paths = options.paths or (STDIN,)
    _check_batch_usage(options)
    if options.output is not None and not options.writes:
        raise OneLineUsageError("-o/--output cannot be combined with --check or --diff, which write nothing")
    if options.quiet and (options.verbose or options.explain):
        raise OneLineUsageError("--quiet cannot be combined with --verbose or --explain")
    if options.to_simplified and options.to_traditional:
        raise OneLineUsageError("--to-simplified and --to-traditional cannot be combined")
    if paths.count(STDIN) > 1:
        raise OneLineUsageError("stdin (-) can be read only once")
    if options.output not in (None, STDIN) and os.path.isdir(options.output):
        raise OneLineUsageError(f"{options.output}: -o/--output names a directory (give a file name)")


def _check_batch_usage(options: Options) -> None:
    writes = "--in-place" if options.in_place else "--out-dir" if options.out_dir else ""
    if options.in_place and options.out_dir:
        raise OneLineUsageError("--in-place and --out-dir cannot be combined")
    if writes and (options.check or options.diff or options.output is not None):
        raise OneLineUsageError(f"{writes} writes files; it cannot be combined with --check, --diff or -o")
    if options.no_backup and not options.in_place:
        raise OneLineUsageError("--no-backup goes only with --in-place")
    if not options.batch:
        return
    if not options.paths or STDIN in options.paths:
        raise OneLineUsageError("a run over folders or several files needs paths; stdin (-) cannot be one")
    if options.output is not None:
        raise OneLineUsageError("-o/--output takes one input; use --out-dir DIR for several")
    if options.out_dir and any(os.path.isdir(path) and os.path.samefile(path, options.out_dir)
                               for path in options.paths if os.path.exists(options.out_dir)):
        raise OneLineUsageError(f"{options.out_dir}: --out-dir is an input folder (use --in-place for that)")


@click.command(cls=FixencCommand, name="undo", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("journal_path", required=False, metavar="[JOURNAL]")
@click.option("--force", is_flag=True, help="Restore files even if they changed since the run.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
def undo(ctx: click.Context, journal_path: str | None, force: bool, quiet: bool) -> None:
    """Undo an --in-place run: give names back, restore every file byte for byte from its backup.

    JOURNAL is a journal file (.fixenc/journal-*.json), or a folder whose .fixenc/ holds the latest
    one (default: the current folder). A file changed since the run is left alone unless --force.
    """
    from . import journal

    try:
        path = journal_path if journal_path and os.path.isfile(journal_path) else journal.latest(journal_path or ".")
        outcomes = journal.undo(path, force)
    except FixencError as error:
        echo_error(str(error))
        ctx.exit(error.exit_code)
    for outcome in outcomes:
        if outcome.error:
            echo_error(outcome.error)
        elif outcome.changed and not quiet:
            click.echo(f"renamed {outcome.path} -> {outcome.renamed}" if outcome.renamed
                       else f"restored {outcome.path}", err=True)
    if not quiet:
        restored = sum(1 for o in outcomes if o.changed and not o.renamed)
        renamed = sum(1 for o in outcomes if o.renamed)
        errors = sum(1 for o in outcomes if o.error)
        tail = f", {errors} left alone (see above)" if errors else ""
        click.echo(f"undid {os.path.relpath(path)}: {_count(restored, 'file')} restored, "
                   f"{_count(renamed, 'name')} given back{tail}.", err=True)
    ctx.exit(most_severe(outcome.exit_code for outcome in outcomes))
