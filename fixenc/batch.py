"""Batch runs over files and trees: find the files (globs, .gitignore, hidden files, symlinks, size),
repair each one (binary files skipped) in a pool of processes, and hand the results back in sorted
order whatever the number of jobs. Printing is cli.py's job; the journal of edits is journal.py's.
"""
from __future__ import annotations

import contextlib
import fnmatch
import glob
import io
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from . import fileio, names
from .errors import EXIT_INTERRUPTED, EXIT_REFUSED, EXIT_USAGE, FixencError, OutputError
from .report import Diff, Outcome, Tally

# Folders never entered: version control, and fixenc's own journal and backups.
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", ".fixenc"})
# Binary sniffing looks at this many leading bytes, as git and grep do.
SNIFF_BYTES = 8192
# Formats that may hold no NUL byte in their first 8 KB but are never text.
BINARY_SIGNATURES = (
    b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"%PDF-", b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b",
    b"BZh", b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe",
    b"Rar!\x1a\x07", b"OggS", b"fLaC", b"ID3", b"SQLite format 3\x00", b"\x00asm", b"wOFF", b"wOF2",
)
WIDE_BOMS = fileio.WIDE_BOMS
DEFAULT_MAX_SIZE = 64 << 20
# Each worker should get at least this many files: forking one and warming it up costs about what
# repairing a few small files does, so a handful of files is done faster in-process.
MIN_FILES_PER_JOB = 4
GLOB_CHARS = frozenset("*?[")
PR_SET_PDEATHSIG = 1  # linux/prctl.h
_PARENT = 0  # in a worker: the pid of the fixenc process that started it


@dataclass(frozen=True)
class Target:
    """One file (or folder, for --names) of a batch run."""

    path: str       # the path to open
    display: str    # the path as the user would type it
    rel: str        # relative to the run's root, "/"-separated: the key in the journal and under --out-dir
    size: int = 0
    out_rel: str = ""  # where it goes under --out-dir (rel with repaired names under --names)


@dataclass(frozen=True)
class Filters:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    hidden: bool = False
    max_size: int = DEFAULT_MAX_SIZE
    prune: tuple[str, ...] = ()  # real paths of folders never entered (the --out-dir)


@dataclass
class Found:
    root: str
    files: list[Target] = field(default_factory=list)
    folders: list[Target] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)   # decided without reading: size, symlinks, errors


@dataclass(frozen=True)
class Settings:
    """What a worker needs to process one file; picklable."""

    to: str = "utf-8"
    encoding: str | None = None
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    script: str | None = None
    strict: bool = False
    write: str = ""              # "" (report only), "in-place" or "out-dir"
    out_dir: str = ""
    root: str = ""               # the run's root: journal paths are relative to it
    backups: str = ""            # folder of this run's backups (--in-place without --no-backup)
    journal: str = ""            # the partial journal each write is entered in, just before its rename
    diff: bool = False
    explain: bool = False
    max_size: int = DEFAULT_MAX_SIZE
    debug: bool = False


@dataclass
class FileResult:
    outcome: Outcome
    entry: dict[str, Any] | None = None   # the journal entry of an in-place write
    diff: str = ""
    explanation: list[str] = field(default_factory=list)


def common_root(paths: Sequence[str]) -> str:
    """The folder that holds every input: the input itself for one folder, else the common parent."""
    folders = [os.path.abspath(p) if os.path.isdir(p) else os.path.dirname(os.path.abspath(p)) for p in paths]
    return os.path.commonpath(folders) if folders else os.getcwd()


def expand(paths: Sequence[str]) -> tuple[list[str], list[str]]:
    """Paths with globs expanded (for shells that do not); and the patterns that matched nothing."""
    expanded: list[str] = []
    unmatched: list[str] = []
    for path in paths:
        if not os.path.lexists(path) and GLOB_CHARS & set(path):
            matches = sorted(glob.glob(path, recursive=True))
            expanded.extend(matches)
            if not matches:
                unmatched.append(path)
        else:
            expanded.append(path)
    return expanded, unmatched


def discover(paths: Sequence[str], filters: Filters) -> Found:
    """Every file below `paths`, sorted by relative path, without duplicates."""
    found = Found(common_root(paths))
    for path in paths:
        if os.path.isdir(path):
            _Walk(found, filters, path).folder(path, path, _Ignore.above(path))
        else:
            _add_named_file(found, filters, path)
    seen: set[str] = set()
    files = []
    for target in sorted(found.files, key=lambda t: t.rel.split("/")):
        real = os.path.realpath(target.path)
        if real not in seen:
            seen.add(real)
            files.append(target)
    found.files = files
    found.folders.sort(key=lambda t: t.rel.split("/"))
    found.skipped.sort(key=lambda o: o.path)
    return found


def _add_named_file(found: Found, filters: Filters, path: str) -> None:
    """A file named on the command line is taken whatever its name (hidden, excluded)."""
    rel = _rel(path, found.root)
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        found.skipped.append(Outcome(path, error=f"{path}: no such file (check the path)", exit_code=EXIT_USAGE))
        return
    except OSError as error:
        found.skipped.append(_unreadable(path, error))
        return
    if size > filters.max_size:
        found.skipped.append(Outcome(path, skipped="too large"))
    else:
        found.files.append(Target(path, path, rel, size, rel))


class _Walk:
    """One folder given on the command line, walked in sorted order."""

    def __init__(self, found: Found, filters: Filters, top: str) -> None:
        self.found = found
        self.filters = filters
        self.top_real = os.path.realpath(top)

    def folder(self, path: str, display: str, ignore: _Ignore | None) -> None:
        if ignore is not None:
            ignore = ignore.below(path)
        try:
            entries = sorted(os.scandir(path), key=lambda entry: entry.name)
        except OSError as error:
            self.found.skipped.append(_unreadable(display, error))
            return
        for entry in entries:
            self.entry(entry, os.path.normpath(os.path.join(display, names.shown(entry.name))), ignore)

    def entry(self, entry: os.DirEntry[str], display: str, ignore: _Ignore | None) -> None:
        name, rel = entry.name, _rel(entry.path, self.found.root)
        if fileio.is_temporary(name) or (name.startswith(".") and not self.filters.hidden):
            return
        is_folder = entry.is_dir(follow_symlinks=False)
        if _matches(rel, name, self.filters.exclude) or (ignore is not None and ignore.ignores(entry.path, is_folder)):
            return
        if is_folder:
            if name not in SKIPPED_FOLDERS and os.path.realpath(entry.path) not in self.filters.prune:
                self.found.folders.append(Target(entry.path, display, rel))
                self.folder(entry.path, display, ignore)
        elif entry.is_symlink():
            self.symlink(entry, display, rel)
        elif entry.is_file(follow_symlinks=False) and (not self.filters.include
                                                        or _matches(rel, name, self.filters.include)):
            self.file(entry, display, rel)

    def symlink(self, entry: os.DirEntry[str], display: str, rel: str) -> None:
        """A link inside the tree is left to its target (repaired in its own right, never twice);
        a link out of the tree is not followed."""
        real = os.path.realpath(entry.path)
        if os.path.commonpath([real, self.top_real]) != self.top_real:
            self.found.skipped.append(Outcome(display, skipped="symlink out of the tree"))

    def file(self, entry: os.DirEntry[str], display: str, rel: str) -> None:
        try:
            size = entry.stat(follow_symlinks=False).st_size
        except OSError as error:
            self.found.skipped.append(_unreadable(display, error))
            return
        if size > self.filters.max_size:
            self.found.skipped.append(Outcome(display, skipped="too large"))
        else:
            self.found.files.append(Target(entry.path, display, rel, size, rel))


class _Ignore:
    """The .gitignore rules of a git work tree that apply in one folder, shallowest file first."""

    def __init__(self, specs: tuple[tuple[str, Any], ...]) -> None:
        self.specs = specs

    @classmethod
    def above(cls, folder: str) -> _Ignore | None:
        """Rules from the work tree's root down to `folder`'s parent; None outside a git work tree."""
        real = os.path.realpath(folder)
        chain = [real]
        while not os.path.exists(os.path.join(chain[-1], ".git")):
            parent = os.path.dirname(chain[-1])
            if parent == chain[-1]:
                return None
            chain.append(parent)
        top = chain[-1]
        specs = cls._read(top, os.path.join(top, ".git", "info", "exclude"))
        for ancestor in reversed(chain[1:]):
            specs += cls._read(ancestor, os.path.join(ancestor, ".gitignore"))
        return cls(specs)

    def below(self, folder: str) -> _Ignore:
        added = self._read(os.path.realpath(folder), os.path.join(folder, ".gitignore"))
        return _Ignore(self.specs + added) if added else self

    def ignores(self, path: str, is_folder: bool) -> bool:
        """git's verdict: the last rule that matches wins, and deeper files come later."""
        verdict = False
        real = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
        for base, spec in self.specs:
            relative = os.path.relpath(real, base).replace(os.sep, "/") + ("/" if is_folder else "")
            include = spec.check_file(relative).include
            if include is not None:
                verdict = include
        return verdict

    @staticmethod
    def _read(base: str, path: str) -> tuple[tuple[str, Any], ...]:
        try:
            with open(path, encoding="utf-8", errors="surrogateescape") as stream:
                lines = stream.read().splitlines()
        except OSError:
            return ()
        import pathspec  # only runs inside a git work tree need it

        return ((base, pathspec.GitIgnoreSpec.from_lines(lines)),)


def _matches(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def _rel(path: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def _unreadable(display: str, error: OSError) -> Outcome:
    message = f"{display}: cannot read: {error.strerror or error} (check its permissions)"
    return Outcome(display, skipped="unreadable", error=message, exit_code=EXIT_USAGE)


def is_binary(head: bytes) -> bool:
    """NUL bytes (outside UTF-16/32 with a BOM) or a known signature: is_binary(b"\\x89PNG\\r\\n") is True."""
    if head.startswith(WIDE_BOMS):
        return False
    return b"\x00" in head[:SNIFF_BYTES] or head.startswith(BINARY_SIGNATURES)


def run(targets: Sequence[Target], settings: Settings, jobs: int) -> Iterator[FileResult]:
    """Process `targets`, yielding their results in the order given, with `jobs` processes."""
    work = partial(process, settings)
    jobs = min(jobs, len(targets) // MIN_FILES_PER_JOB)
    if jobs <= 1:
        yield from map(work, targets)
        return
    import concurrent.futures
    import multiprocessing

    _warm_up()  # forked workers share the loaded model instead of each loading it
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    chunk = max(1, min(64, len(targets) // (jobs * 8)))
    pool = concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker)
    try:
        yield from pool.map(work, targets, chunksize=chunk)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _warm_up() -> None:
    from . import api

    api.repair("中文")


def _start_worker() -> None:
    """A worker dies with the run: a `kill -9` of fixenc must not leave workers writing files."""
    global _PARENT
    _PARENT = os.getppid()
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != _PARENT:  # the parent died before prctl took effect
        os._exit(EXIT_INTERRUPTED)
    _warm_up()


def _check_parent() -> None:
    """Between files, a worker whose parent is gone (no prctl here) stops."""
    if _PARENT and os.getppid() != _PARENT:
        os._exit(EXIT_INTERRUPTED)


def process(settings: Settings, target: Target) -> FileResult:
    """Read, sniff, repair and (if asked) write one file; every error becomes its Outcome."""
    _check_parent()
    try:
        return _process(settings, target)
    except FixencError as error:
        if error.path is None:
            error.path = target.display
        return FileResult(Outcome(target.display, error=str(error), exit_code=error.exit_code))
    except Exception as error:  # noqa: BLE001 - an unexpected error is reported, never swallowed
        if settings.debug:
            import traceback

            traceback.print_exc(file=sys.stderr)
        message = (f"{target.display}: internal error: {type(error).__name__}: {error} (this is a bug; "
                   "please report it with the file and the output of --debug)")
        return FileResult(Outcome(target.display, error=message, exit_code=EXIT_REFUSED))


def _process(settings: Settings, target: Target) -> FileResult:
    try:
        with open(target.path, "rb") as stream:
            stat = os.fstat(stream.fileno())
            data = stream.read(settings.max_size + 1)
    except OSError as error:
        return FileResult(_unreadable(target.display, error))
    if len(data) > settings.max_size:
        return FileResult(Outcome(target.display, skipped="too large"))
    if is_binary(data[:SNIFF_BYTES]):
        return FileResult(Outcome(target.display, skipped="binary"))
    out, tally, diff = _repair(settings, target, data)
    result = FileResult(tally.outcome(check=not settings.write), diff=diff,
                        explanation=tally.explanation() if settings.explain else [])
    if settings.write == "in-place" and tally.changed:
        result.entry = _write_in_place(settings, target, stat, data, out)
        result.outcome.written = target.display
    elif settings.write == "out-dir":
        result.outcome.written = _write_out(settings, target, stat, out)
    return result


def _repair(settings: Settings, target: Target, data: bytes) -> tuple[bytes, Tally, str]:
    """The output bytes, the tally of what was done, and the diff if asked; the same code path as
    `fixenc FILE`, so a file repaired in a batch comes out as it would alone."""
    from . import api

    tally = Tally(target.display, settings.to, settings.explain)
    differ = Diff(target.display) if settings.diff else None
    renderer = fileio.Renderer(settings.to)
    chunks = fileio.iter_chunks(io.BytesIO(data), fileio.CHUNK_SIZE, whole=fileio.is_wide_codec(settings.encoding))
    parts, hunks = [], []
    # One process per file: the batch runs files in parallel, never the chunks of one.
    for chunk, result in api.repair_stream(chunks, encoding=settings.encoding, only=settings.only,
                                           skip=settings.skip, script=settings.script, strict=settings.strict):
        out = renderer.render(result, chunk)
        tally.add(result, chunk, out)
        parts.append(out)
        if differ:
            hunks.append(differ.chunk(result.original, result.text))
    parts.append(renderer.finish())
    out = b"".join(parts)
    tally.changed = out != data
    return out, tally, "".join(hunks)


def _write_in_place(settings: Settings, target: Target, stat: os.stat_result, data: bytes,
                    out: bytes) -> dict[str, Any]:
    """Replace the file atomically (backup first, mtime kept) unless it changed since it was read."""
    import hashlib

    from . import journal

    expect = fileio.Fingerprint.of(stat, data)
    backup = os.path.join(settings.backups, *target.rel.split("/")) if settings.backups else None
    entry = {"path": target.rel, "before": expect.sha256, "after": hashlib.sha256(out).hexdigest(),
             "backup": backup and os.path.relpath(backup, settings.root).replace(os.sep, "/"),
             "mode": stat.st_mode & 0o7777, "mtime_ns": stat.st_mtime_ns}
    # Entered before the rename: after a kill, every replaced file is in the partial journal.
    enter = partial(journal.append, settings.journal, entry) if settings.journal else None
    with fileio.AtomicWriter(target.path, target.path, backup_to=backup, expect=expect, before_replace=enter,
                             times_ns=(stat.st_atime_ns, stat.st_mtime_ns)) as writer:
        writer.write(out)
        writer.commit()
    return entry


def _write_out(settings: Settings, target: Target, stat: os.stat_result, out: bytes) -> str:
    """Write the file's output (repaired or as it was) to its place under --out-dir."""
    destination = os.path.join(settings.out_dir, *(target.out_rel or target.rel).split("/"))
    try:
        os.makedirs(os.path.dirname(destination), exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create its folder: {error.strerror}", destination) from None
    with fileio.AtomicWriter(destination, target.path, times_ns=(stat.st_atime_ns, stat.st_mtime_ns),
                             durable=False) as writer:
        writer.write(out)
        writer.commit()
    return destination
