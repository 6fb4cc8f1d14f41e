"""Exceptions raised by the fixenc library, each carrying the exit code the CLI maps it to.

The library never prints or exits; `cli.py` turns these into one stderr line.
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_CHANGES = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_INTERRUPTED = 130


class FixencError(Exception):
    """Base class: `exit_code` tells the CLI how to end; `path` names the file, if any."""

    exit_code = EXIT_REFUSED

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __reduce__(self) -> tuple[type, tuple[str, str | None]]:
        # Raised in a worker process (parallel.py), it crosses back pickled: keep the path.
        return type(self), (self.message, self.path)


class InputError(FixencError):
    """The input cannot be read or decoded as asked (missing file, bad --encoding)."""

    exit_code = EXIT_USAGE


class OutputError(FixencError):
    """The output cannot be written or represented (unwritable path, text not in --to)."""

    exit_code = EXIT_USAGE


class VerificationError(FixencError):
    """A repair failed its checks (round-trip, idempotence, re-read); nothing was written."""

    exit_code = EXIT_REFUSED
