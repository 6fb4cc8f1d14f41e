"""journal: the record of an in-place run, partial journals left by a kill, and undo's refusals."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from fixenc import journal
from fixenc.errors import InputError


def _entry(root: Path, rel: str, before: bytes, after: bytes, log: journal.Journal) -> dict[str, object]:
    """Do by hand what an in-place run does to one file: back it up, write the repair, journal it."""
    path = root / rel
    backup = Path(log.backups) / rel
    backup.parent.mkdir(parents=True, exist_ok=True)
    backup.write_bytes(before)
    path.write_bytes(after)
    entry = {"path": rel, "before": hashlib.sha256(before).hexdigest(), "after": hashlib.sha256(after).hexdigest(),
             "backup": os.path.relpath(backup, root), "mode": 0o644, "mtime_ns": 0}
    log.record(entry)
    return entry


def test_a_killed_run_leaves_a_partial_journal_that_undo_reads(tmp_path: Path) -> None:
    log = journal.Journal(str(tmp_path))
    _entry(tmp_path, "a.txt", "中文\n".encode("gbk"), "中文\n".encode(), log)
    partial = Path(log.path + journal.PARTIAL)
    assert partial.exists() and not Path(log.path).exists()  # close() never ran: as after kill -9
    assert (tmp_path / ".fixenc" / ".gitignore").read_text() == "*\n"
    assert journal.latest(str(tmp_path)) == str(partial)
    outcomes = journal.undo(str(partial))
    assert [o.error for o in outcomes] == [""]
    assert (tmp_path / "a.txt").read_bytes() == "中文\n".encode("gbk")
    with pytest.raises(InputError, match="no journal to undo"):
        journal.latest(str(tmp_path))


def test_close_writes_the_journal_and_latest_picks_the_newest(tmp_path: Path) -> None:
    older = journal.Journal(str(tmp_path), stamp="20250101T000000.000000Z")
    _entry(tmp_path, "a.txt", b"x", b"y", older)
    newer = journal.Journal(str(tmp_path), stamp="20260101T000000.000000Z")
    _entry(tmp_path, "b.txt", b"x", b"y", newer)
    assert older.close() == older.path and newer.close() == newer.path
    assert not Path(older.path + journal.PARTIAL).exists()
    assert journal.latest(str(tmp_path)) == newer.path
    assert journal.latest(str(tmp_path / ".fixenc")) == newer.path
    assert json.loads(Path(newer.path).read_text())["entries"][0]["path"] == "b.txt"
    assert journal.Journal(str(tmp_path)).close() is None  # nothing changed: no journal


def test_undo_refuses_a_damaged_backup(tmp_path: Path) -> None:
    log = journal.Journal(str(tmp_path))
    _entry(tmp_path, "a.txt", b"before\n", b"after\n", log)
    (Path(log.backups) / "a.txt").write_bytes(b"not the original\n")
    outcomes = journal.undo(log.close() or "")
    assert outcomes[0].exit_code == 3 and "does not match the journal" in outcomes[0].error
    assert (tmp_path / "a.txt").read_bytes() == b"after\n"
    assert Path(log.path).exists()  # kept, to try again


def test_undo_of_a_file_already_back_is_quiet(tmp_path: Path) -> None:
    log = journal.Journal(str(tmp_path))
    _entry(tmp_path, "a.txt", b"before\n", b"after\n", log)
    (tmp_path / "a.txt").write_bytes(b"before\n")
    outcomes = journal.undo(log.close() or "")
    assert not outcomes[0].changed and not outcomes[0].error


@pytest.mark.parametrize("text", ["not json", '{"version": 99, "entries": []}', "[]"])
def test_load_refuses_what_is_not_a_journal(tmp_path: Path, text: str) -> None:
    path = tmp_path / "journal-x.json"
    path.write_text(text)
    with pytest.raises(InputError, match="not a fixenc journal"):
        journal.load(str(path))
