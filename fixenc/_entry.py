"""Where `fixenc` and `python -m fixenc` start: `--version` alone is answered before the command
line parser and the modules behind it (30-50 ms of imports) are loaded; anything else goes to
fixenc.cli."""
from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from ._version import __version__

        sys.stdout.write(f"fixenc {__version__}\n")
        return
    from .cli import main as command

    command()
