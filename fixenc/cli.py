"""The `fixenc` command (and `fixenc undo`): parse options, call the API, print, and map errors to
exit codes. Only this module talks to the terminal. fixenc.api and fixenc.batch are imported inside
the command, so that `fixenc --version` and `--help` never load the model, ftfy or charset-normalizer.
"""
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

import click

from . import __version__, fileio, parallel
from .errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_REFUSED, FixencError
from .report import Diff, Outcome, Report, Tally, _count, most_severe

STDIN = "-"
STDIN_NAME = "<stdin>"
GLOB_CHARS = frozenset("*?[")
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


@dataclass(frozen=True)
class Options:
    paths: tuple[str, ...]
    output: str | None
    to: str
    encoding: str | None
    only: tuple[str, ...]
    skip: tuple[str, ...]
    check: bool
    diff: bool
    explain: bool
    quiet: bool
    verbose: bool
    debug: bool
    in_place: bool
    out_dir: str | None
    no_backup: bool
    names: bool
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    hidden: bool
    max_size: int
    jobs: int | None
    report_file: str | None
    keep_punctuation: bool
    to_simplified: bool
    to_traditional: bool
    strict: bool

    @property
    def skips(self) -> tuple[str, ...]:
        return self.skip + (("folded-punctuation",) if self.keep_punctuation else ())

    @property
    def script(self) -> str | None:
        return "simplified" if self.to_simplified else "traditional" if self.to_traditional else None

    @property
    def writes(self) -> bool:
        return not (self.check or self.diff)

    @property
    def batch(self) -> bool:
        """Folders, globs, several inputs to write, or a batch option: a batch run (see batch.py)."""
        if self.in_place or self.out_dir or self.names or self.report_file:
            return True
        named = [path for path in self.paths if path != STDIN]
        if len(self.paths) > 1 and self.writes:
            return True
        return any(os.path.isdir(path) or (GLOB_CHARS & set(path) and not os.path.lexists(path)) for path in named)


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

        ctx.exit(_guarded(run_batch, options))
    report = Report(check=options.check)
    try:
        _run(options, report)
        code = report.exit_code
    except FixencError as error:  # raised before any input was read: a bad --only/--skip
        _echo_error(str(error))
        code = error.exit_code
    except KeyboardInterrupt:
        _echo_error("interrupted")
        code = EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`fixenc big.txt | head`): stop quietly
        _silence_stdout()
        code = report.exit_code
    ctx.exit(code)


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


def _run(options: Options, report: Report) -> None:
    from . import api

    api.select(options.only, options.skips)  # unknown names fail here, once, before any input
    paths = options.paths or (STDIN,)
    for path in paths:
        outcome = _process_safely(api, path, options)
        report.add(outcome)
        _echo_outcome(outcome, options)
    if len(paths) > 1 and not options.quiet:
        click.echo(report.summary(), err=True)


def _process_safely(api: Any, path: str, options: Options) -> Outcome:
    """Process one input; its errors become an Outcome, so a batch carries on past them."""
    display = STDIN_NAME if path == STDIN else path
    try:
        return _process(api, path, display, options)
    except BrokenPipeError:
        raise
    except FixencError as error:
        _print_traceback(options)
        if error.path is None:
            error.path = display
        return Outcome(display, error=str(error), exit_code=error.exit_code)
    except Exception as error:  # noqa: BLE001 - an unexpected error is reported, never swallowed
        _print_traceback(options)
        message = (f"{display}: internal error: {type(error).__name__}: {error} (this is a bug; please "
                   f"report it with the input{'' if options.debug else ' and the output of --debug'})")
        return Outcome(display, error=message, exit_code=EXIT_REFUSED)


def _process(api: Any, path: str, display: str, options: Options) -> Outcome:
    """Repair one input chunk by chunk, writing each verified chunk to its sink as it comes."""
    tally = Tally(display, options.to, options.explain)
    diff = Diff(display) if options.diff else None
    renderer = fileio.Renderer(options.to)
    with contextlib.ExitStack() as stack:
        stream = sys.stdin.buffer if path == STDIN else stack.enter_context(fileio.open_input(path))
        writer = _open_writer(stack, path, options)
        chunks = fileio.iter_chunks(stream, fileio.CHUNK_SIZE, whole=fileio.is_wide_codec(options.encoding))
        results = api.repair_stream(chunks, encoding=options.encoding, only=options.only, skip=options.skips,
                                    script=options.script, strict=options.strict,
                                    jobs=options.jobs or parallel.cpu_count())
        for chunk, result in results:
            out = renderer.render(result, chunk)
            tally.add(result, chunk, out)
            _emit(out, writer, options)
            if diff:
                _write_stdout(diff.chunk(result.original, result.text).encode("utf-8", "backslashreplace"))
        _emit(renderer.finish(), writer, options)
        _finish(writer, tally, options)
    if options.explain:
        for line in tally.explanation():
            click.echo(line, err=True)
    return tally.outcome(options.check)


def _open_writer(stack: contextlib.ExitStack, path: str, options: Options) -> fileio.AtomicWriter | None:
    """An AtomicWriter for -o FILE; None when the output goes to stdout or nowhere."""
    if not options.writes or options.output in (None, STDIN):
        return None
    target: str = options.output  # type: ignore[assignment]
    same = path != STDIN and os.path.exists(target) and os.path.samefile(path, target)
    return stack.enter_context(fileio.AtomicWriter(target, None if path == STDIN else path, backup=same))


def _emit(data: bytes, writer: fileio.AtomicWriter | None, options: Options) -> None:
    if writer is not None:
        writer.write(data)
    elif options.writes:
        _write_stdout(data)


def _finish(writer: fileio.AtomicWriter | None, tally: Tally, options: Options) -> None:
    if writer is None:
        if options.writes or options.diff:
            _flush_stdout()
    # Rewriting a file onto itself with the same bytes would only leave a needless backup.
    elif tally.changed or not writer.backup:
        writer.commit()


def _echo_outcome(outcome: Outcome, options: Options) -> None:
    """Errors always; changes under --check or -o FILE unless --quiet; clean inputs with --verbose."""
    wrote_file = options.output not in (None, STDIN)
    changed = outcome.changed and (options.check or wrote_file) and not options.quiet
    if outcome.error or changed or options.verbose:
        click.echo(outcome.line(options.check), err=True)
    if outcome.losses and not options.quiet and not options.explain:  # --explain lists them itself
        for loss in outcome.losses[:SHOWN_LOSSES]:
            click.echo(f"{outcome.path}: {loss}", err=True)
        if len(outcome.losses) > SHOWN_LOSSES:
            click.echo(f"{outcome.path}: … and {len(outcome.losses) - SHOWN_LOSSES} more lines like these", err=True)


# What could not come back is reported for this many lines of an input, then counted.
SHOWN_LOSSES = 10


def _echo_error(message: str) -> None:
    click.echo(f"fixenc: error: {message}", err=True)


def _print_traceback(options: Options) -> None:
    if options.debug:
        import traceback  # only for --debug: a pipe's start-up never pays for it

        traceback.print_exc(file=sys.stderr)


def _stdout() -> BinaryIO:
    return sys.stdout.buffer


def _write_stdout(data: bytes) -> None:
    if data:
        _stdout().write(data)


def _flush_stdout() -> None:
    _stdout().flush()


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush does not fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)



def _guarded(run: Callable[[Options], int], options: Options) -> int:
    """Run a whole command; an error that escapes it becomes one line and its exit code."""
    try:
        return run(options)
    except FixencError as error:
        _print_traceback(options)
        _echo_error(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        _echo_error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK


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
        _echo_error(str(error))
        ctx.exit(error.exit_code)
    for outcome in outcomes:
        if outcome.error:
            click.echo(f"fixenc: error: {outcome.error}", err=True)
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
