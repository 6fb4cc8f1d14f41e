"""Batch runs over real trees built in tmp_path: discovery, report-only, --in-place, --out-dir,
parallel determinism, safety (changed files, kill -9), --report, --names and undo."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fixenc import api, batch, cli, cli_batch, fileio, producers

SENTENCES = (Path(__file__).parent / "data" / "sentences.txt").read_text(encoding="utf-8").splitlines()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def run(*args: str) -> Result:
    return CliRunner().invoke(cli.main, list(args))


def shown(result: Result) -> str:
    return f"exit {result.exit_code}\nstdout {result.stdout_bytes!r}\nstderr {result.stderr}\nexc {result.exception!r}"


@lru_cache(maxsize=1)
def mojibake_sentences() -> tuple[tuple[str, str], ...]:
    """(original, garbled) pairs: real sentences whose UTF-8 bytes Windows cp936 decodes whole.
    Only pairs the library repairs alone are kept: these tests are about the batch, not the model."""
    pairs = []
    for sentence in SENTENCES:
        try:
            garbled = producers.decode(sentence.encode(), producers.CP936)
        except UnicodeDecodeError:
            continue
        if api.repair(garbled.encode()).text == sentence:
            pairs.append((sentence, garbled))
    return tuple(pairs)


@lru_cache(maxsize=1)
def big5_sentences() -> tuple[str, ...]:
    """Traditional renderings (OpenCC s2t) of real sentences that Big5 can hold."""
    import opencc

    converter = opencc.OpenCC("s2t")
    found = []
    for sentence in SENTENCES:
        text = converter.convert(sentence)
        try:
            data = text.encode("big5")
        except UnicodeEncodeError:
            continue
        if api.repair(data).text == text:
            found.append(text)
    return tuple(found)


def text_of(index: int, lines: int = 3) -> str:
    return "".join(SENTENCES[(index + k) % len(SENTENCES)] + "\n" for k in range(lines))


def damaged_files(count: int) -> dict[str, tuple[bytes, bytes]]:
    """rel path -> (bytes on disk, expected bytes after repair), cycling through the kinds of damage."""
    pairs, big5 = mojibake_sentences(), big5_sentences()
    files = {}
    for index in range(count):
        kind = index % 4
        if kind == 0:
            text = text_of(index)
            files[f"gbk/{index:04d}.txt"] = (text.encode("gb18030"), text.encode())
        elif kind == 1:
            text = "\n".join(big5[(index + k) % len(big5)] for k in range(2)) + "\n"
            files[f"big5/{index:04d}.txt"] = (text.encode("big5"), text.encode())
        elif kind == 2:
            chosen = [pairs[(index + k) % len(pairs)] for k in range(2)]
            original = "".join(sentence + "\n" for sentence, _ in chosen)
            garbled = "".join(text + "\n" for _, text in chosen)
            files[f"mojibake/{index:04d}.md"] = (garbled.encode(), original.encode())
        else:
            text = text_of(index, 2).encode()
            files[f"clean/{index:04d}.txt"] = (text, text)
    return files


def build(root: Path, files: dict[str, tuple[bytes, bytes]]) -> None:
    for rel, (data, _) in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every path below root (folders as None), .fixenc left out."""
    found: dict[str, bytes | None] = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".fixenc"]
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = None
        for name in names:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = None if os.path.islink(path) else Path(path).read_bytes()
    return found


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, dict[str, tuple[bytes, bytes]]]:
    root = tmp_path / "tree"
    files = damaged_files(8)
    build(root, files)
    (root / "bin").mkdir()
    (root / "bin" / "logo.png").write_bytes(PNG)
    (root / "bin" / "data.bin").write_bytes(b"abc\x00def" * 10)
    return root, files


def test_report_only_writes_nothing_and_exits_1(tree) -> None:
    root, files = tree
    before = snapshot(root)
    result = run(str(root))
    assert result.exit_code == 1, shown(result)
    assert snapshot(root) == before
    lines = result.stderr.splitlines()
    changed = sorted(rel for rel, (data, expected) in files.items() if data != expected)
    assert [line.split()[2] for line in lines if line.startswith(f"would repair {root}")] == [str(root / r) for r in changed]
    assert "files scanned  10" in lines and "would repair   6" in lines and "clean          2" in lines
    assert "skipped        2 (binary 2)" in lines
    assert any(line.startswith("strategies") and "utf8-as-gbk 2" in line and "cp950 → utf-8 2" in line
               for line in lines), shown(result)


def test_in_place_repairs_keeps_mode_and_mtime_and_second_run_is_clean(tree) -> None:
    root, files = tree
    gbk = root / "gbk" / "0000.txt"
    gbk.chmod(0o640)
    os.utime(gbk, ns=(1_600_000_000_000_000_000, 1_500_000_000_123_456_789))
    result = run("--in-place", str(root))
    assert result.exit_code == 0, shown(result)
    for rel, (_, expected) in files.items():
        assert (root / rel).read_bytes() == expected, rel
    assert (root / "bin" / "logo.png").read_bytes() == PNG
    assert gbk.stat().st_mode & 0o777 == 0o640
    assert gbk.stat().st_mtime_ns == 1_500_000_000_123_456_789
    assert f"repaired {gbk} (cp936 → utf-8)" in result.stderr.splitlines()
    journals = list((root / ".fixenc").glob("journal-*.json"))
    assert len(journals) == 1 and "undo with: fixenc undo" in result.stderr
    again = run("--in-place", str(root))
    assert again.exit_code == 0, shown(again)
    assert "repaired" not in again.stderr.replace("repaired       0", "")
    assert again.stderr.endswith("nothing to change.\n")
    assert len(list((root / ".fixenc").glob("journal-*.json"))) == 1  # a run that changes nothing keeps none
    assert run("--check", str(root)).exit_code == 0


def test_undo_restores_every_byte_and_name(tree) -> None:
    root, _ = tree
    (root / "╓╨╬─").mkdir()
    (root / "╓╨╬─" / "ÖÐÎÄ.txt").write_bytes("中文\n".encode("gbk"))
    before = snapshot(root)
    done = run("--in-place", "--names", str(root))
    assert done.exit_code == 0, shown(done)
    assert (root / "中文" / "中文.txt").read_bytes() == "中文\n".encode()
    assert snapshot(root) != before
    undone = CliRunner().invoke(cli.main, ["undo", str(root)])
    assert undone.exit_code == 0, shown(undone)
    assert snapshot(root) == before
    assert "7 files restored, 2 names given back." in undone.stderr
    assert list((root / ".fixenc").glob("journal-*.undone.json"))
    nothing = CliRunner().invoke(cli.main, ["undo", str(root)])
    assert nothing.exit_code == 2 and "no journal to undo" in nothing.stderr, shown(nothing)


def test_undo_refuses_to_clobber_a_file_edited_since(tree) -> None:
    root, files = tree
    before = snapshot(root)
    assert run("--in-place", str(root)).exit_code == 0
    edited = root / "gbk" / "0000.txt"
    edited.write_bytes(b"edited by hand\n")
    refused = CliRunner().invoke(cli.main, ["undo", str(root)])
    assert refused.exit_code == 2, shown(refused)
    assert f"{os.path.relpath(edited)}: changed since fixenc repaired it" in refused.stderr
    assert edited.read_bytes() == b"edited by hand\n"
    assert (root / "big5" / "0001.txt").read_bytes() == files["big5/0001.txt"][0]  # the others came back
    forced = CliRunner().invoke(cli.main, ["undo", "--force", str(root)])
    assert forced.exit_code == 0, shown(forced)
    assert snapshot(root) == before


def test_undo_of_a_journal_file_and_no_backup_runs(tree) -> None:
    root, files = tree
    assert run("--in-place", str(root)).exit_code == 0
    journal_file = next((root / ".fixenc").glob("journal-*.json"))
    undone = CliRunner().invoke(cli.main, ["undo", "-q", str(journal_file)])
    assert (undone.exit_code, undone.stderr) == (0, ""), shown(undone)
    no_backup = run("--in-place", "--no-backup", str(root))
    assert no_backup.exit_code == 0, shown(no_backup)
    assert "cannot be undone" in no_backup.stderr
    assert not list((root / ".fixenc").glob("journal-*[0-9]Z.json"))
    assert all((root / rel).read_bytes() == expected for rel, (_, expected) in files.items())


def test_out_dir_mirrors_the_tree_and_leaves_inputs_alone(tree, tmp_path: Path) -> None:
    root, files = tree
    before = snapshot(root)
    out = tmp_path / "out"
    result = run("--out-dir", str(out), str(root))
    assert result.exit_code == 0, shown(result)
    assert snapshot(root) == before
    assert {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} == set(files)
    for rel, (_, expected) in files.items():
        assert (out / rel).read_bytes() == expected, rel
    assert not (root / ".fixenc").exists()
    again = run("--out-dir", str(out), str(root))  # overwrites its own mirror
    assert again.exit_code == 0, shown(again)


def test_out_dir_inside_the_tree_is_not_read_back(tree) -> None:
    root, files = tree
    for _ in range(2):
        result = run("-v", "--out-dir", str(root / "fixed"), str(root))
        assert result.exit_code == 0, shown(result)
        assert str(root / "fixed" / "gbk") not in result.stderr.replace(f"-> {root / 'fixed'}", "")
    assert not (root / "fixed" / "fixed").exists()
    assert len([p for p in (root / "fixed").rglob("*") if p.is_file()]) == len(files)


def test_diff_and_explain_over_a_tree(tree) -> None:
    root, files = tree
    result = run("--diff", "--explain", "-j", "1", str(root / "mojibake"))
    assert result.exit_code == 1, shown(result)
    original = files["mojibake/0002.md"][1].decode().splitlines()[0]
    diff = result.stdout_bytes.decode()
    assert diff.startswith(f"--- {root / 'mojibake' / '0002.md'} (original)\n") and f"+{original}\n" in diff
    assert f"{root / 'mojibake' / '0002.md'}: step 1: utf8-as-gbk (lossless" in result.stderr


def test_output_is_the_same_whatever_the_job_count(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    build(root, damaged_files(40))
    one = run("-j", "1", "--report", str(tmp_path / "one.json"), str(root))
    two = run("-j", "2", "--report", str(tmp_path / "two.json"), str(root))
    assert one.exit_code == two.exit_code == 1, shown(two)
    assert one.stderr == two.stderr
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    written = run("-j", "2", "--in-place", str(root))
    assert written.exit_code == 0, shown(written)
    assert len(json.loads(next((root / ".fixenc").glob("journal-*.json")).read_text())["entries"]) == 30


def test_json_report(tree, tmp_path: Path) -> None:
    root, _ = tree
    report_file = tmp_path / "report.json"
    result = run("--report", str(report_file), str(root))
    assert result.exit_code == 1, shown(result)
    document = json.loads(report_file.read_text(encoding="utf-8"))
    assert document["mode"] == "check" and document["summary"]["changed"] == 6
    by_path = {entry["path"]: entry for entry in document["files"]}
    mojibake = by_path[str(root / "mojibake" / "0002.md")]
    assert mojibake["encoding"] == "utf-8" and mojibake["changed"] is True and mojibake["error"] is None
    assert mojibake["steps"][0]["strategy"] == "utf8-as-gbk" and mojibake["steps"][0]["spans"] >= 1
    assert by_path[str(root / "gbk" / "0000.txt")]["encoding"] == "cp936"
    assert by_path[str(root / "bin" / "logo.png")]["skipped"] == "binary"
    assert by_path[str(root / "clean" / "0003.txt")]["changed"] is False


def test_gitignore_vcs_hidden_include_exclude(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    garbled = "中文\n".encode("gbk")
    for rel in ["a.txt", "build/b.txt", "logs/c.log", "logs/keep.log", "sub/d.txt", "sub/e.tmp.txt",
                "sub/deep/f.txt", ".hidden/g.txt", ".h.txt", ".git/config.txt", ".svn/x.txt", "node/n.txt"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(garbled)
    (root / ".gitignore").write_text("build/\n*.log\n!keep.log\n")
    (root / "sub" / ".gitignore").write_text("*.tmp.txt\ndeep/\n")
    found = batch.discover([str(root)], batch.Filters())
    assert [t.rel for t in found.files] == ["a.txt", "logs/keep.log", "node/n.txt", "sub/d.txt"]
    found = batch.discover([str(root)], batch.Filters(hidden=True, exclude=("node",), include=("*.txt",)))
    assert [t.rel for t in found.files] == [".h.txt", ".hidden/g.txt", "a.txt", "sub/d.txt"]
    named = batch.discover([str(root / ".h.txt"), str(root / "build" / "b.txt")], batch.Filters())
    assert [t.display for t in named.files] == [str(root / ".h.txt"), str(root / "build" / "b.txt")]


def test_gitignore_only_inside_a_git_work_tree(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.txt\n")
    (tmp_path / "a.txt").write_text("x")
    assert [t.rel for t in batch.discover([str(tmp_path)], batch.Filters()).files] == ["a.txt"]


def test_symlinks_are_not_followed_out_of_the_tree(tmp_path: Path) -> None:
    root, outside = tmp_path / "tree", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_bytes("中文\n".encode("gbk"))
    (root / "real.txt").write_bytes("中文\n".encode("gbk"))
    (root / "inner-link.txt").symlink_to(root / "real.txt")
    (root / "outer-link.txt").symlink_to(outside / "secret.txt")
    (root / "outer-dir").symlink_to(outside, target_is_directory=True)
    result = run("--in-place", str(root))
    assert result.exit_code == 0, shown(result)
    assert (outside / "secret.txt").read_bytes() == "中文\n".encode("gbk")
    assert (root / "real.txt").read_bytes() == "中文\n".encode()
    assert (root / "inner-link.txt").is_symlink() and (root / "outer-link.txt").is_symlink()
    assert f"skipped {root / 'outer-link.txt'} (symlink out of the tree)" not in result.stderr  # not verbose
    assert "skipped        2 (symlink out of the tree 2)" in result.stderr.splitlines()


def test_binary_sniffing() -> None:
    assert batch.is_binary(PNG) and batch.is_binary(b"%PDF-1.7\n") and batch.is_binary(b"text\x00more")
    assert not batch.is_binary("中文\n".encode("utf-16"))  # NULs behind a BOM are UTF-16 text
    assert not batch.is_binary("中文\n".encode("gbk")) and not batch.is_binary(b"")


def test_too_large_and_temporary_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes("中文\n".encode("gbk") * 100)
    (tmp_path / ".small.txt.fixenc-0123abcd.tmp").write_bytes(b"half a file")
    result = run("--check", "--hidden", "--max-size", "100", str(tmp_path))
    assert result.exit_code == 0, shown(result)
    assert "skipped        1 (too large 1)" in result.stderr.splitlines()
    assert "files scanned  1" in result.stderr.splitlines()


def test_unreadable_file_is_reported_and_the_batch_goes_on(tree, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, for whom chmod 000 does not stop reading: refuse the open instead.
    root, files = tree
    locked = str(root / "gbk" / "0000.txt")
    real_open = open

    def guarded_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if path == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(batch, "open", guarded_open, raising=False)
    result = run("--in-place", "-j", "1", str(root))
    assert result.exit_code == 2, shown(result)
    assert f"fixenc: error: {locked}: cannot read: Permission denied (check its permissions)" in result.stderr
    assert "skipped        3 (binary 2, unreadable 1)" in result.stderr.splitlines()
    assert (root / "gbk" / "0000.txt").read_bytes() == files["gbk/0000.txt"][0]
    assert (root / "big5" / "0001.txt").read_bytes() == files["big5/0001.txt"][1]


def test_a_file_changed_during_the_run_is_not_overwritten(tree, monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = tree
    target = root / "gbk" / "0000.txt"
    real = api.repair_stream

    def meddle(chunks, **options):  # type: ignore[no-untyped-def]
        for chunk, result in real(chunks, **options):
            if target.exists() and target.read_bytes().startswith(b"\xce"):  # still the GBK original
                target.write_bytes("另一个程序写的。\n".encode("gbk"))
            yield chunk, result

    monkeypatch.setattr(api, "repair_stream", meddle)
    result = run("--in-place", "-j", "1", str(root / "gbk"))
    assert result.exit_code == 2, shown(result)
    assert f"{target}: changed on disk while fixenc was working on it; left alone" in result.stderr
    assert target.read_bytes() == "另一个程序写的。\n".encode("gbk")


def test_names_are_repaired_only_with_names(tmp_path: Path) -> None:
    root = tmp_path / "unzipped"
    (root / "╓╨╬─").mkdir(parents=True)
    (root / "╓╨╬─" / "▓Γ╩╘╬─╡╡.txt").write_bytes(b"ascii\n")
    (root / "Ð¡ËµÃû³Æ.txt").write_bytes(b"ascii\n")
    raw = os.path.join(os.fsencode(root), "中文名字.txt".encode("gbk"))
    with open(raw, "wb") as stream:
        stream.write(b"ascii\n")
    before = snapshot(root)
    assert run("--check", str(root)).exit_code == 0
    report = run("--names", str(root))
    assert report.exit_code == 1, shown(report)
    assert snapshot(root) == before
    assert f"would rename {root / 'Ð¡ËµÃû³Æ.txt'} -> {root / '小说名称.txt'}" in report.stderr.splitlines()
    done = run("--names", "--in-place", str(root))
    assert done.exit_code == 0, shown(done)
    assert sorted(snapshot(root)) == ["中文", "中文/测试文档.txt", "中文名字.txt", "小说名称.txt"]
    undone = CliRunner().invoke(cli.main, ["undo", str(root)])
    assert undone.exit_code == 0, shown(undone)
    assert snapshot(root) == before


def test_name_collisions_are_refused(tmp_path: Path) -> None:
    (tmp_path / "╓╨╬─.txt").write_bytes(b"one\n")
    (tmp_path / "中文.txt").write_bytes(b"two\n")
    result = run("--names", "--in-place", str(tmp_path))
    assert result.exit_code == 2, shown(result)
    assert "cannot rename to 中文.txt: that name is already taken" in result.stderr
    assert (tmp_path / "╓╨╬─.txt").read_bytes() == b"one\n" and (tmp_path / "中文.txt").read_bytes() == b"two\n"


def test_out_dir_with_names(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "╓╨╬─").mkdir(parents=True)
    (root / "╓╨╬─" / "ÖÐÎÄ.txt").write_bytes("中文\n".encode("gbk"))
    result = run("--names", "--out-dir", str(tmp_path / "out"), str(root))
    assert result.exit_code == 0, shown(result)
    assert (tmp_path / "out" / "中文" / "中文.txt").read_bytes() == "中文\n".encode()
    assert (root / "╓╨╬─" / "ÖÐÎÄ.txt").exists()


def test_globs_and_several_files(tree) -> None:
    root, _ = tree
    result = run(str(root / "gbk" / "*.txt"), str(root / "clean" / "0003.txt"))
    assert result.exit_code == 1, shown(result)
    assert f"would repair {root / 'gbk' / '0000.txt'} (cp936 → utf-8)" in result.stderr
    missing = run("--check", str(root / "nothing" / "*.txt"))
    assert missing.exit_code == 2 and "nothing matches it" in missing.stderr, shown(missing)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--in-place", "--check", "x"], "cannot be combined"),
        (["--in-place", "--out-dir", "o", "x"], "cannot be combined"),
        (["--no-backup", "x", "y"], "--no-backup goes only with --in-place"),
        (["--in-place"], "needs paths"),
        (["--in-place", "-"], "needs paths"),
        (["--max-size", "lots", "x"], "is not a size"),
        (["-j", "0", "x"], "0"),
    ],
)
def test_batch_usage_errors(args: list[str], fragment: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, shown(result)
    assert result.stderr.startswith("fixenc: error: ") and fragment in result.stderr, shown(result)


def test_out_dir_cannot_be_the_input(tmp_path: Path) -> None:
    result = run("--out-dir", str(tmp_path), str(tmp_path))
    assert result.exit_code == 2 and "is an input folder" in result.stderr, shown(result)


def test_progress_bar_only_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "tree"
    build(root, {f"{index:03d}.txt": (b"ascii\n", b"ascii\n") for index in range(cli_batch.PROGRESS_MIN_FILES)})
    piped = run("-j", "1", str(root))
    assert "fixenc  [" not in piped.stderr and "files scanned" in piped.stderr, shown(piped)
    drawn: list[int] = []

    class Bar:
        def __init__(self, **options: object) -> None:
            drawn.append(0)

        def __enter__(self) -> Bar:  # noqa: PYI034 - typing.Self needs Python 3.11
            return self

        def __exit__(self, *exc_info: object) -> None:
            pass

        def update(self, steps: int, item: str) -> None:
            drawn[-1] += 1

    monkeypatch.setattr(cli_batch, "_stderr_is_terminal", lambda: True)
    monkeypatch.setattr(cli_batch.click, "progressbar", Bar)
    shown_bar = run("-j", "1", str(root))
    assert drawn == [cli_batch.PROGRESS_MIN_FILES], shown(shown_bar)
    assert run("-j", "1", "-q", str(root)).stderr == "" and drawn == [cli_batch.PROGRESS_MIN_FILES]


def test_pre_commit_hook_is_shipped() -> None:
    text = (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: fixenc" in text and "entry: fixenc --check" in text
    assert "language: python" in text and "types: [text]" in text


def test_kill_9_leaves_every_file_whole(tmp_path: Path) -> None:
    """SIGKILL a parallel --in-place run mid-way: each file is its original or its repair, never half."""
    root = tmp_path / "tree"
    files = damaged_files(300)
    build(root, files)
    process = subprocess.Popen([sys.executable, "-m", "fixenc", "--in-place", "-j", "2", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    first_repaired = root / "gbk" / "0000.txt"
    while time.monotonic() < deadline and first_repaired.read_bytes() == files["gbk/0000.txt"][0]:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)  # as soon as the first file is repaired: mid-way, not at the end
    process.wait(timeout=10)
    after_kill = snapshot(root)
    time.sleep(0.3)
    assert snapshot(root) == after_kill  # no orphaned worker goes on writing
    states = {"original": 0, "repaired": 0}
    for rel, (data, expected) in files.items():
        now = (root / rel).read_bytes()
        assert now in (data, expected), rel
        if data != expected:
            states["original" if now == data else "repaired"] += 1
    assert states["repaired"] > 0 and states["original"] > 0, states
    # Every replaced file was entered in the partial journal before its rename: undo brings all back.
    undone = CliRunner().invoke(cli.main, ["undo", str(root)])
    assert undone.exit_code == 0, shown(undone)
    for rel, (data, _) in files.items():
        assert (root / rel).read_bytes() == data, rel
    # Temporary files a kill leaves behind are never taken for inputs, even with --hidden.
    again = run("--in-place", "--hidden", "-j", "1", str(root))
    assert again.exit_code == 0, shown(again)
    assert ".fixenc-" not in again.stderr
    for rel, (_, expected) in files.items():
        assert (root / rel).read_bytes() == expected, rel
    leftovers = [p for p in root.rglob("*") if fileio.is_temporary(p.name)]
    assert all(p.name.startswith(".") for p in leftovers)
