"""Regular expressions compiled on first use, so that importing fixenc stays cheap (a pipe's
start-up pays for every module-level re.compile)."""
from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """Behaves as the compiled pattern; compiles it the first time it is used."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


def lazy(pattern: str, flags: int = 0) -> Any:
    return LazyPattern(pattern, flags)
