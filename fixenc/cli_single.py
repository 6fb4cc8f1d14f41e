"""One input at a time: stdin, or each file named, repaired to stdout or -o FILE. Part of the CLI
layer, as cli.py is, but free of click: a pipe's plain `fixenc` (no option to parse) starts here
without loading the parser (about 20 ms of imports), and cli.py calls run() after parsing.
"""
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from . import fileio, parallel
from .errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_REFUSED, FixencError
from .report import Diff, Outcome, Report, Tally

STDIN = "-"
STDIN_NAME = "<stdin>"
GLOB_CHARS = frozenset("*?[")
DEFAULT_MAX_SIZE = 64 << 20
# What could not come back is reported for this many lines of an input, then counted.
SHOWN_LOSSES = 10


@dataclass(frozen=True)
class Options:
    """The command line's options, as click parses them (cli.py); Options() is a plain `fixenc`."""

    paths: tuple[str, ...] = ()
    output: str | None = None
    to: str = "utf-8"
    encoding: str | None = None
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    check: bool = False
    diff: bool = False
    explain: bool = False
    quiet: bool = False
    verbose: bool = False
    debug: bool = False
    in_place: bool = False
    out_dir: str | None = None
    no_backup: bool = False
    names: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    hidden: bool = False
    max_size: int = DEFAULT_MAX_SIZE
    jobs: int | None = None
    report_file: str | None = None
    keep_punctuation: bool = False
    to_simplified: bool = False
    to_traditional: bool = False
    strict: bool = False

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


def run(options: Options) -> int:
    """Repair each input of a run that is not a batch (see Options.batch); the exit code."""
    report = Report(check=options.check)
    try:
        _run(options, report)
        return report.exit_code
    except FixencError as error:  # raised before any input was read: a bad --only/--skip
        echo_error(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        echo_error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (`fixenc big.txt | head`): stop quietly
        silence_stdout()
        return report.exit_code


def echo(line: str) -> None:
    """One line to stderr, where everything but the repaired text goes."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _run(options: Options, report: Report) -> None:
    from . import api

    api.select(options.only, options.skips)  # unknown names fail here, once, before any input
    paths = options.paths or (STDIN,)
    for path in paths:
        outcome = _process_safely(api, path, options)
        report.add(outcome)
        _echo_outcome(outcome, options)
    if len(paths) > 1 and not options.quiet:
        echo(report.summary())


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
                write_stdout(diff.chunk(result.original, result.text).encode("utf-8", "backslashreplace"))
        _emit(renderer.finish(), writer, options)
        _finish(writer, tally, options)
    if options.explain:
        for line in tally.explanation():
            echo(line)
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
        write_stdout(data)


def _finish(writer: fileio.AtomicWriter | None, tally: Tally, options: Options) -> None:
    if writer is None:
        if options.writes or options.diff:
            flush_stdout()
    # Rewriting a file onto itself with the same bytes would only leave a needless backup.
    elif tally.changed or not writer.backup:
        writer.commit()


def _echo_outcome(outcome: Outcome, options: Options) -> None:
    """Errors always; changes under --check or -o FILE unless --quiet; clean inputs with --verbose."""
    wrote_file = options.output not in (None, STDIN)
    changed = outcome.changed and (options.check or wrote_file) and not options.quiet
    if outcome.error or changed or options.verbose:
        echo(outcome.line(options.check))
    if outcome.losses and not options.quiet and not options.explain:  # --explain lists them itself
        for loss in outcome.losses[:SHOWN_LOSSES]:
            echo(f"{outcome.path}: {loss}")
        if len(outcome.losses) > SHOWN_LOSSES:
            echo(f"{outcome.path}: … and {len(outcome.losses) - SHOWN_LOSSES} more lines like these")


def echo_error(message: str) -> None:
    echo(f"fixenc: error: {message}")


def _print_traceback(options: Options) -> None:
    if options.debug:
        import traceback  # only for --debug: a pipe's start-up never pays for it

        traceback.print_exc(file=sys.stderr)


def _stdout() -> BinaryIO:
    return sys.stdout.buffer


def write_stdout(data: bytes) -> None:
    if data:
        _stdout().write(data)


def flush_stdout() -> None:
    _stdout().flush()


def silence_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's last flush does not fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def guarded(command: Callable[[Options], int], options: Options) -> int:
    """Run a whole command; an error that escapes it becomes one line and its exit code."""
    try:
        return command(options)
    except FixencError as error:
        _print_traceback(options)
        echo_error(str(error))
        return error.exit_code
    except KeyboardInterrupt:
        echo_error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        return EXIT_OK
