"""Bytes in and bytes out: chunked reading, rendering a Result as output bytes, atomic writes, backups.

Everything works on bytes, never text-mode files, so line endings, BOMs and the final newline pass
through as they are. Deciding what to repair is api.py's job; printing is cli.py's.
"""
from __future__ import annotations

import codecs
import contextlib
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from .errors import InputError, OutputError, VerificationError

if TYPE_CHECKING:
    from .api import Result

# 1 MiB blocks: large enough that per-chunk overhead (detection, planning) is negligible, small
# enough that a 1 GB stream stays at a few MiB of memory.
CHUNK_SIZE = 1 << 20
# A "line" longer than this many blocks (minified files) is cut at a byte that cannot sit inside a
# GBK/GB18030/Big5/Shift-JIS/EUC character (their trail bytes are 0x30-0x39 or >= 0x40), so that
# memory stays bounded even without newlines.
LONG_LINE_BLOCKS = 16
SAFE_CUTS = (b" ", b"\t", b",", b".", b";", b">")
WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
READ_BLOCK = 1 << 16
BACKUP_SUFFIX = ".orig"
# Temporary files end like this; one left behind by a killed run must never be read as an input.
TEMP_NAME = re.compile(r"\.fixenc-[0-9a-f]{8}\.tmp$")


def is_wide(data: bytes) -> bool:
    """True for UTF-16/32-looking bytes, which cannot be cut at b"\\n": is_wide("中\\n".encode("utf-16")) is True."""
    if data.startswith(WIDE_BOMS):
        return True
    from .detection import NUL_SHARE_FOR_WIDE  # here, not at the top: `--version` must start fast

    return bool(data) and data.count(0) > NUL_SHARE_FOR_WIDE * len(data)


def is_wide_codec(encoding: str | None) -> bool:
    """True when --encoding names UTF-16/32, whose code units may contain the byte 0x0A."""
    if not encoding:
        return False
    try:
        return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        return False


def iter_chunks(stream: BinaryIO, size: int = CHUNK_SIZE, whole: bool = False) -> Iterator[bytes]:
    """Read `stream` in blocks of `size`, yielding chunks that end just after a b"\\n".

    >>> import io
    >>> list(iter_chunks(io.BytesIO(b"ab\\ncd\\nef"), size=4))
    [b'ab\\n', b'cd\\n', b'ef']

    UTF-16/32 input (a BOM, or many NULs in the first block) and `whole=True` come as one chunk.
    """
    carry = b""
    first = True
    while True:
        block = stream.read(size)
        if first and (whole or is_wide(block)):
            rest = stream.read()
            if block or rest:
                yield block + rest
            return
        first = False
        if not block:
            if carry:
                yield carry
            return
        carry += block
        cut = _cut(carry, size * LONG_LINE_BLOCKS)
        if cut:
            yield carry[:cut]
            carry = carry[cut:]


def _cut(data: bytes, limit: int) -> int:
    """Where to end a chunk: after the last newline, or after a safe byte once a line is too long."""
    cut = data.rfind(b"\n") + 1
    if not cut and len(data) >= limit:
        cut = max(data.rfind(mark) for mark in SAFE_CUTS) + 1
    return cut


def open_input(path: str) -> BinaryIO:
    """Open `path` for binary reading, turning OS errors into one-line InputErrors."""
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise InputError("no such file (check the path)", path) from None
    except IsADirectoryError:
        raise InputError("is a directory (give it with --in-place, --out-dir or --check)", path) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror} (check its permissions)", path) from None


class Renderer:
    """Turns successive Results of one input into output bytes in the `--to` encoding.

    Clean UTF-8 that stays unchanged comes out as the original bytes, never re-encoded; a UTF-8 BOM
    is kept when the output is UTF-8. An incremental encoder writes a UTF-16 or utf-8-sig BOM once.
    """

    def __init__(self, to: str) -> None:
        self.to = to
        self.to_utf8 = codecs.lookup(to).name == "utf-8"
        # Bytes of a UTF-8 input that were no UTF-8 are kept (see unreadable.py): written
        # back as they came in UTF-8 output; in any other encoding they are refused.
        self._encoder = codecs.getincrementalencoder(to)("surrogateescape" if self.to_utf8 else "strict")
        self._first = True
        self._lines = 0  # newlines already rendered, so that errors name the line in the whole input

    def render(self, result: Result, data: bytes) -> bytes:
        """The output bytes for `result`, which was made from the input chunk `data`."""
        first, self._first = self._first, False
        if self.to_utf8 and result.detection.is_utf8 and not result.changed:
            out = data
        else:
            bom = result.detection.bom if first and self.to_utf8 and result.detection.bom == codecs.BOM_UTF8 else b""
            out = bom + self._encode(result.text)
        self._lines += result.text.count("\n")
        return out

    def finish(self) -> bytes:
        return self._encoder.encode("", final=True)

    def _encode(self, text: str) -> bytes:
        try:
            return self._encoder.encode(text)
        except UnicodeEncodeError:
            pass
        from .verify import verify_encodable

        verify_encodable(text, self.to, self._lines)
        raise OutputError(f"cannot be written as {self.to}")  # the encoder and verify disagree


class AtomicWriter:
    """Write to a temporary file beside `target`, then verify and rename it over `target`.

    Use as a context manager: write(), then commit(). Leaving the block without commit() (an error,
    Ctrl-C) removes the temporary file and leaves `target` as it was.
    """

    def __init__(self, target: str, mode_from: str | None = None, backup: bool = False, *,
                 backup_to: str | None = None, times_ns: tuple[int, int] | None = None,
                 expect: Fingerprint | None = None, before_replace: Callable[[], None] | None = None,
                 durable: bool = True) -> None:
        self.target = os.path.realpath(target)  # write through a symlink, do not replace it
        # fsync the file and its folder before and after the rename: a power cut then leaves the old
        # file or the new one. A copy written beside untouched inputs (--out-dir) can skip it: a
        # killed run still leaves whole files or none (the rename is atomic), and the inputs are there.
        self.durable = durable
        self.display = target
        self.mode_from = mode_from
        self.backup = backup or backup_to is not None
        self.backup_to = backup_to
        self.times_ns = times_ns    # (atime, mtime) given to the new file: batch runs keep mtimes
        self.expect = expect        # the target as it was read; a target changed since is left alone
        self.before_replace = before_replace  # runs after the backup, just before the rename (the journal)
        self._checksum = 0  # CRC-32 of what was written: the read-back check runs at memory speed
        self._size = 0
        self._file: BinaryIO | None = None
        self.temp = ""

    def __enter__(self) -> AtomicWriter:  # noqa: PYI034 - typing.Self needs Python 3.11
        folder, name = os.path.split(self.target)
        self.temp = os.path.join(folder, f".{name}.fixenc-{_token()}.tmp")
        try:
            # 0o666 lets the umask decide, as for any new file; commit() copies the real mode.
            descriptor = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except OSError as error:
            raise self._error("cannot write", error) from None
        self._file = os.fdopen(descriptor, "wb")
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._file is not None:
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temp)

    def write(self, data: bytes) -> None:
        assert self._file is not None
        try:
            self._file.write(data)
        except OSError as error:
            raise self._error("cannot write", error) from None
        self._checksum = zlib.crc32(data, self._checksum)
        self._size += len(data)

    def commit(self) -> None:
        """fsync, copy the mode (and times), re-read and compare, check that the target did not change
        since it was read, keep a backup if asked, then rename."""
        assert self._file is not None
        try:
            self._file.flush()
            if self.durable:
                os.fsync(self._file.fileno())
            self._file.close()
            self._file = None
            os.chmod(self.temp, _mode_of(self.target, self.mode_from))
            if self.times_ns is not None:
                os.utime(self.temp, ns=self.times_ns)
        except OSError as error:
            raise self._error("cannot write", error) from None
        # Re-read before the rename, so that a bad write never reaches the target.
        if file_checksum(self.temp) != self._checksum:
            raise VerificationError("the written file does not read back as written; left unchanged",
                                    self.display)
        if self.expect is not None and not self.expect.matches(self.target):
            raise OutputError("changed on disk while fixenc was working on it; left alone (run fixenc again)",
                              self.display)
        backup = make_backup(self.target, self.backup_to) if self.backup else None
        if self.before_replace is not None:
            self.before_replace()
        try:
            os.replace(self.temp, self.target)
        except OSError as error:
            if backup:  # the target is untouched, so the fresh backup is only clutter
                os.unlink(backup)
            raise self._error("cannot replace", error) from None
        if self.durable:
            _fsync_folder(os.path.dirname(self.target))
        if os.stat(self.target).st_size != self._size:
            raise VerificationError("the file changed size right after it was written", self.display)

    def _error(self, what: str, error: OSError) -> OutputError:
        hint = "check that the folder exists and is writable"
        return OutputError(f"{what}: {error.strerror or error} ({hint})", self.display)


def _token() -> str:
    """Eight random hex digits for a temporary name (os.urandom: the secrets module costs start-up)."""
    return os.urandom(4).hex()


def is_temporary(name: str) -> bool:
    """True for fixenc's own temporary files: is_temporary(".a.txt.fixenc-0a1b2c3d.tmp") is True."""
    return TEMP_NAME.search(name) is not None


def file_checksum(path: str) -> int:
    """CRC-32 of a file read in blocks: enough to catch a write that did not land as written."""
    checksum = 0
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(READ_BLOCK), b""):
            checksum = zlib.crc32(block, checksum)
    return checksum


def file_digest(path: str) -> str:
    """SHA-256 of a file read in blocks."""
    import hashlib  # batch runs only: a pipe's start-up never pays for it

    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(READ_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """A file as it was read: size, modification time and SHA-256 of its bytes."""

    size: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, stat: os.stat_result, data: bytes) -> Fingerprint:
        import hashlib

        return cls(stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def matches(self, path: str) -> bool:
        """True when `path` still has this size, mtime and content (the hash is checked last)."""
        try:
            stat = os.stat(path)
            return ((stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)
                    and file_digest(path) == self.sha256)
        except OSError:
            return False


def backup_path(path: str) -> str:
    return path + BACKUP_SUFFIX


def make_backup(path: str, backup: str | None = None) -> str:
    """Keep `path` as `backup` (default `path.orig`): a hard link where possible, else a copy that
    appears whole or not at all. Refuse to overwrite an older backup."""
    backup = backup or backup_path(path)
    if os.path.lexists(backup):
        raise OutputError(f"backup {backup} already exists (move it away first)", path)
    try:
        os.makedirs(os.path.dirname(backup) or ".", exist_ok=True)
        os.link(path, backup)
    except OSError:
        _copy_no_clobber(path, backup)
    return backup


def _copy_no_clobber(path: str, backup: str) -> None:
    """Copy to a temporary name, then link it into place: a kill never leaves half a backup."""
    temp = f"{backup}.fixenc-{_token()}.tmp"
    try:
        with open(path, "rb") as source, open(temp, "xb") as copy:
            copy.writelines(iter(lambda: source.read(READ_BLOCK), b""))
            copy.flush()
            os.fsync(copy.fileno())
        os.chmod(temp, _mode_of(path, None))
        stat = os.stat(path)
        os.utime(temp, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        _link_or_move(temp, backup)
    except OSError as error:
        raise OutputError(f"cannot keep a backup: {error.strerror} (check the folder)", path) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _link_or_move(temp: str, backup: str) -> None:
    """Link `temp` in as `backup`, which fails if `backup` exists; where links are not supported
    (FAT, some network shares), check and rename instead."""
    try:
        os.link(temp, backup)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(backup):
            raise FileExistsError(17, "File exists", backup) from None
        os.replace(temp, backup)


def _mode_of(target: str, fallback: str | None) -> int:
    """Permission bits of the target if it exists, else of `fallback`, else 0o666 minus the umask."""
    for path in (target, fallback):
        if path:
            with contextlib.suppress(OSError):
                return os.stat(path).st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable; some filesystems cannot open a folder, which is fine."""
    try:
        descriptor = os.open(folder or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
