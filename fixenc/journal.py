"""The journal of an in-place run, and undo: which files and names changed, their SHA-256 before and
after, and where the backups are, kept under `.fixenc/` in the run's root. The writes themselves are
batch.py's and names.py's; printing is cli.py's.
"""
from __future__ import annotations

import contextlib
import datetime
import glob
import json
import os
from dataclasses import dataclass, field
from typing import Any

from . import fileio
from .errors import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, FixencError, InputError
from .report import Outcome

FOLDER = ".fixenc"
VERSION = 1
PARTIAL = ".partial"   # the journal of a run still going, or killed: one JSON entry per line
UNDONE = ".undone.json"


def stamp() -> str:
    """A UTC time that sorts as it reads and names one run: 20260126T132826.123456Z."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")


@dataclass
class Journal:
    """The journal of one run. Each entry is appended to the `.partial` journal just before its
    file is replaced (by whichever process writes it), so that a run killed at any moment leaves
    a partial journal that undo can use; close() turns it into the final JSON."""

    root: str
    stamp: str = field(default_factory=stamp)

    @property
    def path(self) -> str:
        return os.path.join(self.root, FOLDER, f"journal-{self.stamp}.json")

    @property
    def partial(self) -> str:
        return self.path + PARTIAL

    @property
    def backups(self) -> str:
        return os.path.join(self.root, FOLDER, "backups", self.stamp)

    def record(self, entry: dict[str, Any]) -> None:
        append(self.partial, entry)

    def close(self) -> str | None:
        """Write the journal (atomically) and drop the partial one; None when nothing changed.
        Contents come first, sorted by path whatever order the processes wrote them in; renames
        follow in the order they were made."""
        if not os.path.exists(self.partial):
            return None
        entries = load(self.partial)
        contents = sorted((entry for entry in entries if "rename" not in entry), key=lambda entry: entry["path"])
        renames = [entry for entry in entries if "rename" in entry]
        document = {"version": VERSION, "created": self.stamp, "entries": contents + renames}
        with fileio.AtomicWriter(self.path) as writer:
            writer.write(json.dumps(document, indent=1).encode("utf-8"))
            writer.commit()
        os.unlink(self.partial)
        return self.path


def append(partial: str, entry: dict[str, Any]) -> None:
    """Add one entry to a partial journal: one write() of one line in append mode, so that several
    processes can add entries at once without mixing them."""
    _start_folder(os.path.dirname(partial))
    line = (json.dumps(entry) + "\n").encode("utf-8")
    descriptor = os.open(partial, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)


def _start_folder(folder: str) -> None:
    """Create .fixenc/ with a .gitignore of its own, so that git never picks up the backups."""
    os.makedirs(folder, exist_ok=True)
    ignore = os.path.join(folder, ".gitignore")
    if not os.path.exists(ignore):
        with contextlib.suppress(FileExistsError), open(ignore, "x", encoding="utf-8") as stream:
            stream.write("*\n")


def latest(where: str) -> str:
    """The newest journal not yet undone in `where` (a folder holding .fixenc, or .fixenc itself)."""
    folder = where if os.path.basename(os.path.normpath(where)) == FOLDER else os.path.join(where, FOLDER)
    found = [path for pattern in ("journal-*.json", "journal-*.json" + PARTIAL)
             for path in glob.glob(os.path.join(glob.escape(folder), pattern)) if not path.endswith(UNDONE)]
    if not found:
        raise InputError(f"no journal to undo in {folder} (give the journal file, or the folder of the run)")
    return max(found, key=lambda path: os.path.basename(path).removesuffix(PARTIAL))


def load(path: str) -> list[dict[str, Any]]:
    """The entries of a journal, final or partial."""
    try:
        with open(path, encoding="utf-8") as stream:
            if path.endswith(PARTIAL):
                return [json.loads(line) for line in stream if line.strip()]
            document = json.load(stream)
    except OSError as error:
        raise InputError(f"cannot read the journal: {error.strerror}", path) from None
    except ValueError as error:
        raise InputError(f"not a fixenc journal: {error}", path) from None
    if not isinstance(document, dict) or document.get("version") != VERSION:
        raise InputError("not a fixenc journal (or from a newer fixenc)", path)
    return list(document["entries"])


def root_of(path: str) -> str:
    """The run's root: the folder that holds .fixenc/ holding the journal."""
    return os.path.dirname(os.path.dirname(os.path.abspath(path)))


def undo(path: str, force: bool = False) -> list[Outcome]:
    """Undo a journal: names back first (newest rename first), then contents from the backups.
    A file changed since the run is left alone unless `force`."""
    root = root_of(path)
    entries = load(path)
    outcomes = [_undo_entry(root, entry, force) for entry in reversed(entries) if "rename" in entry]
    outcomes += [_undo_entry(root, entry, force) for entry in entries if "rename" not in entry]
    if all(not outcome.error for outcome in outcomes):
        os.replace(path, path.removesuffix(PARTIAL).removesuffix(".json") + UNDONE)
    return outcomes


def _undo_entry(root: str, entry: dict[str, Any], force: bool) -> Outcome:
    display = os.path.join(os.path.relpath(root), *entry.get("to", entry.get("path", "")).split("/"))
    try:
        if "rename" in entry:
            return _rename_back(root, entry)
        return _restore(root, entry, force)
    except FixencError as error:
        return Outcome(display, error=str(error), exit_code=error.exit_code)
    except OSError as error:
        return Outcome(display, error=f"{display}: {error.strerror or error}", exit_code=EXIT_USAGE)


def _rename_back(root: str, entry: dict[str, Any]) -> Outcome:
    old = os.path.join(root, *entry["rename"].split("/"))
    new = os.path.join(root, *entry["to"].split("/"))
    shown_old, shown_new = os.path.relpath(old), os.path.relpath(new)
    if not os.path.lexists(new):
        if os.path.lexists(old):
            return Outcome(shown_old, exit_code=EXIT_OK)   # already back
        raise InputError("is gone; cannot rename it back", shown_new)
    if os.path.lexists(old):
        raise InputError(f"cannot rename it back: {shown_old} exists again (move it away first)", shown_new)
    os.rename(new, old)
    return Outcome(shown_new, changed=True, renamed=shown_old)


def _restore(root: str, entry: dict[str, Any], force: bool) -> Outcome:
    path = os.path.join(root, *entry["path"].split("/"))
    shown = os.path.relpath(path)
    if not entry.get("backup"):
        raise InputError("was repaired with --no-backup; nothing to restore from", shown)
    backup = os.path.join(root, *entry["backup"].split("/"))
    current = fileio.file_digest(path) if os.path.lexists(path) else None
    if current == entry["before"]:
        return Outcome(shown)
    if current != entry["after"] and not force:
        raise InputError("changed since fixenc repaired it; left alone (use --force to restore it anyway)", shown)
    if fileio.file_digest(backup) != entry["before"]:
        error = FixencError(f"backup {os.path.relpath(backup)} does not match the journal; left alone", shown)
        error.exit_code = EXIT_REFUSED
        raise error
    stat = os.stat(backup)
    with open(backup, "rb") as stream, fileio.AtomicWriter(path, backup,
                                                           times_ns=(stat.st_atime_ns, stat.st_mtime_ns)) as writer:
        for block in iter(lambda: stream.read(fileio.READ_BLOCK), b""):
            writer.write(block)
        writer.commit()
    return Outcome(shown, changed=True, written=shown)
