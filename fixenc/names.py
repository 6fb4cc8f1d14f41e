"""Garbled file and folder names: `╓╨╬─.txt` (GBK shown as CP437 after unzip), `ÖÐÎÄ.txt`, UTF-8
names read as GBK, and names stored as raw GBK bytes on a UTF-8 system. The repair itself is the
library's (fixenc.api); this module plans renames, deepest first, and refuses collisions.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from . import unreadable
from .errors import EXIT_USAGE, FixencError
from .report import Outcome

# Characters no repaired name may hold: they would change the path, not the name.
_FORBIDDEN = frozenset("/\\\x00")


def has_raw_bytes(name: str) -> bool:
    """True for a name whose bytes were not valid in the file-system encoding (kept as surrogates)."""
    return unreadable.ESCAPED_BYTES.search(name) is not None


def repair_name(name: str) -> str | None:
    """The repaired name, or None when `name` is fine: repair_name("╓╨╬─.txt") == "中文.txt"."""
    if name.isascii():
        return None
    from . import api

    text = name
    try:
        if has_raw_bytes(name):
            text, _ = api.decode(os.fsencode(name))
        text = api.repair(text).text
    except FixencError:
        return None
    if text == name or not text or text in (".", "..") or _FORBIDDEN & set(text) or has_raw_bytes(text):
        return None
    return text


def repair_rel(rel: str) -> str:
    """A "/"-separated relative path with every part repaired (for --out-dir under --names)."""
    return "/".join(repair_name(part) or part for part in rel.split("/"))


def shown(path: str) -> str:
    """A path fit for a terminal: raw bytes that are not UTF-8 appear as \\xNN escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace") if has_raw_bytes(path) else path


@dataclass(frozen=True)
class Rename:
    path: str        # current path
    new_path: str
    rel: str         # relative to the run's root, before and after
    new_rel: str


def plan(entries: Sequence[tuple[str, str]]) -> tuple[list[Rename], list[Outcome]]:
    """Renames for (path, rel) pairs, deepest first so that a folder is renamed after what it holds;
    and the refusals: a new name that already exists, or that two old names would share."""
    renames: list[Rename] = []
    refused: list[Outcome] = []
    taken: set[str] = set()
    for path, rel in sorted(entries, key=lambda item: (-item[1].count("/"), item[1])):
        name = repair_name(os.path.basename(path))
        if name is None:
            continue
        new_path = os.path.join(os.path.dirname(path), name)
        if os.path.lexists(new_path) or new_path in taken:
            message = (f"{shown(path)}: cannot rename to {shown(name)}: that name is already taken "
                       "(rename one of them by hand)")
            refused.append(Outcome(shown(path), error=message, exit_code=EXIT_USAGE))
            continue
        taken.add(new_path)
        new_rel = "/".join([*rel.split("/")[:-1], name])
        renames.append(Rename(path, new_path, rel, new_rel))
    return renames, refused


def apply(rename: Rename) -> Outcome:
    """Rename one entry, refusing to clobber a name that appeared meanwhile."""
    display = shown(rename.path)
    if os.path.lexists(rename.new_path):
        message = f"{display}: cannot rename to {shown(rename.new_path)}: it exists now; left alone"
        return Outcome(display, error=message, exit_code=EXIT_USAGE)
    try:
        os.rename(rename.path, rename.new_path)
    except OSError as error:
        return Outcome(display, error=f"{display}: cannot rename: {error.strerror}", exit_code=EXIT_USAGE)
    return Outcome(display, changed=True, renamed=shown(rename.new_path))
