"""Where `fixenc` and `python -m fixenc` start. `--version` alone is answered before the command
line parser and the modules behind it (30-50 ms of imports) are loaded; a plain `fixenc` (a pipe's
usual form: no option to parse) goes straight to cli_single.run without click (about 20 ms);
anything else goes to fixenc.cli."""
from __future__ import annotations

import sys


def main() -> None:
    arguments = sys.argv[1:]
    if arguments == ["--version"]:
        from ._version import __version__

        sys.stdout.write(f"fixenc {__version__}\n")
        return
    if not arguments:
        from .cli_single import Options, run

        sys.exit(run(Options()))
    from .cli import main as command

    command()
