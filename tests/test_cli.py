"""The fixenc command, driven through click's CliRunner (plus a few real subprocesses)."""
from __future__ import annotations

import codecs
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import fixenc
from fixenc import api, cli, cli_single, fileio, parallel, report
from fixenc.errors import VerificationError

MOJIBAKE = "浣犲ソ涓栫晫"  # 你好世界 as UTF-8 bytes read as GBK
REPAIRED = "你好世界"

CLEAN_CONTROLS = {
    "simplified": "简体中文：你好，世界。\n".encode(),
    "traditional": "繁體中文：你好，世界。\n".encode(),
    "japanese": "日本語のテキストです。\n".encode(),
    "emoji": "emoji 😀🎉 表情\n".encode(),
    "crlf": "第一行\r\n第二行\r\n".encode(),
    "no-final-newline": "没有结尾换行".encode(),
    "utf8-bom": codecs.BOM_UTF8 + "带BOM的文本\n".encode(),
    "nbsp": "不换行空格\u00a0这里\n".encode(),
    "full-width": "全角字符：ＡＢＣ１２３，！\n".encode(),
    "code-comment": "x = 1  # 设置变量\n".encode(),
    "html": "<p>你好 &amp; “引号” — 破折号…</p>\n".encode(),
    "ascii": b"plain ascii\n",
    "empty": b"",
}


def run(*args: str, input: bytes | io.IOBase | None = None) -> Result:
    return CliRunner().invoke(cli.main, list(args), input=input)


def shown(result: Result) -> str:
    """Everything worth seeing when an assertion fails."""
    return (f"exit {result.exit_code}\nstdout {result.stdout_bytes!r}\nstderr {result.stderr!r}\n"
            f"exception {result.exception!r}")


def assert_one_error_line(result: Result, code: int, *fragments: str) -> None:
    assert result.exit_code == code, shown(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("fixenc: error: "), shown(result)
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], shown(result)


def test_gbk_on_stdin_becomes_utf8() -> None:
    result = run(input="中文\n".encode("gbk"))
    assert result.exit_code == 0, shown(result)
    assert result.stdout_bytes == "中文\n".encode()
    assert result.stderr == ""


def test_mojibake_on_stdin_is_repaired() -> None:
    result = run(input=MOJIBAKE.encode())
    assert result.exit_code == 0, shown(result)
    assert result.stdout_bytes == REPAIRED.encode()


def test_mojibake_keeps_crlf_and_the_bom() -> None:
    data = codecs.BOM_UTF8 + f"第一行\r\n{MOJIBAKE}\r\n".encode()
    result = run(input=data)
    assert result.stdout_bytes == codecs.BOM_UTF8 + f"第一行\r\n{REPAIRED}\r\n".encode(), shown(result)


@pytest.mark.parametrize("data", CLEAN_CONTROLS.values(), ids=CLEAN_CONTROLS.keys())
def test_clean_input_comes_out_byte_identical(data: bytes) -> None:
    result = run(input=data)
    assert result.exit_code == 0, shown(result)
    assert result.stdout_bytes == data
    checked = run("--check", input=data)
    assert checked.exit_code == 0, shown(checked)
    assert checked.stdout_bytes == b"" and checked.stderr == ""


def test_check_finds_mojibake() -> None:
    result = run("--check", input=MOJIBAKE.encode())
    assert result.exit_code == 1, shown(result)
    assert result.stdout_bytes == b""
    assert result.stderr == "would repair <stdin> (utf8-as-gbk, 1 span)\n"


def test_check_counts_a_change_of_codec() -> None:
    result = run("--check", input="中文\n".encode("gbk"))
    assert result.exit_code == 1, shown(result)
    assert result.stderr == "would repair <stdin> (cp936 → utf-8)\n"


def test_diff_shows_the_repair() -> None:
    result = run("--diff", input=f"第一行\n{MOJIBAKE}\n".encode())
    assert result.exit_code == 0, shown(result)
    assert result.stdout_bytes.decode() == (
        "--- <stdin> (original)\n+++ <stdin> (repaired)\n"
        f"@@ -1,2 +1,2 @@\n 第一行\n-{MOJIBAKE}\n+{REPAIRED}\n"
    )


def test_diff_on_clean_input_is_empty_and_check_diff_exits_1_on_changes() -> None:
    clean = run("--diff", input="中文\n".encode())
    assert (clean.exit_code, clean.stdout_bytes) == (0, b""), shown(clean)
    both = run("--check", "--diff", input=MOJIBAKE.encode())
    assert both.exit_code == 1, shown(both)
    assert f"+{REPAIRED}\n\\ No newline at end of file\n" in both.stdout_bytes.decode()


def test_explain_tells_the_detection_and_the_steps() -> None:
    result = run("--explain", input=MOJIBAKE.encode())
    assert result.exit_code == 0, shown(result)
    assert result.stdout_bytes == REPAIRED.encode()
    assert "<stdin>: read as utf-8" in result.stderr
    assert "step 1: utf8-as-gbk (lossless" in result.stderr
    assert f"    {MOJIBAKE} → {REPAIRED}\n" in result.stderr
    assert "<stdin>: output in utf-8: the bytes differ from the input" in result.stderr
    clean = run("--explain", input="中文\n".encode())
    assert "<stdin>: no repair needed" in clean.stderr and clean.stdout_bytes == "中文\n".encode(), shown(clean)


def test_explain_shows_what_a_long_span_changed() -> None:
    """A shifted-bytes step's span is whole lines: --explain shows the changed part, not the line's start."""
    from fixenc.report import changed_part

    line = "不错。" * 20 + "態(tài)度?!痹\ue256商K說" + "很好。" * 20
    result = run("--explain", input=line.encode())
    assert result.exit_code == 0, shown(result)
    assert "step 1: shifted-gbk (lossy" in result.stderr
    assert "    …(tài)度?!痹" in result.stderr, result.stderr
    assert changed_part("甲乙丙丁戊己庚辛?!x", "甲乙丙丁戊己庚辛。”x") == ("…丙丁戊己庚辛?!x", "…丙丁戊己庚辛。”x")
    assert changed_part("ab", "ac") == ("ab", "ac")


def test_output_file_is_written_with_the_target_mode(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(MOJIBAKE.encode())
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    target.chmod(0o640)
    result = run(str(source), "-o", str(target))
    assert result.exit_code == 0, shown(result)
    assert result.stdout_bytes == b""
    assert result.stderr == f"repaired {source} (utf8-as-gbk, 1 span)\n"
    assert target.read_bytes() == REPAIRED.encode()
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(tmp_path)) == ["in.txt", "out.txt"]


def test_new_output_file_takes_the_input_mode(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes("中文\n".encode("gbk"))
    source.chmod(0o604)
    result = run(str(source), "-o", str(tmp_path / "out.txt"))
    assert result.exit_code == 0, shown(result)
    assert (tmp_path / "out.txt").read_bytes() == "中文\n".encode()
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o604


def test_output_onto_the_input_keeps_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(MOJIBAKE.encode())
    result = run(str(path), "-o", str(path))
    assert result.exit_code == 0, shown(result)
    assert path.read_bytes() == REPAIRED.encode()
    assert (tmp_path / "a.txt.orig").read_bytes() == MOJIBAKE.encode()
    again = run(str(path), "-o", str(path))  # clean now: nothing written, the backup is left alone
    assert again.exit_code == 0, shown(again)
    assert path.read_bytes() == REPAIRED.encode()
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "a.txt.orig"]


def test_output_onto_the_input_refuses_to_overwrite_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(MOJIBAKE.encode())
    (tmp_path / "a.txt.orig").write_bytes(b"older backup")
    result = run(str(path), "-o", str(path))
    assert_one_error_line(result, 2, "already exists")
    assert path.read_bytes() == MOJIBAKE.encode()
    assert (tmp_path / "a.txt.orig").read_bytes() == b"older backup"


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.txt"
    result = run("-o", str(target), input=MOJIBAKE.encode())
    assert_one_error_line(result, 2, f"fixenc: error: {target}: cannot write")
    assert result.stdout_bytes == b""


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_output_into_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = run("-o", str(folder / "out.txt"), input=MOJIBAKE.encode())
    finally:
        folder.chmod(0o755)
    assert_one_error_line(result, 2, "Permission denied")
    assert os.listdir(folder) == []


def test_missing_input_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert_one_error_line(run(str(missing)), 2, f"fixenc: error: {missing}: no such file")


def test_forced_encoding_that_does_not_fit(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc\xff\xff\n")
    result = run("--encoding", "gbk", str(path))
    assert_one_error_line(result, 2, f"{path}: not valid", "at byte 3", "(omit --encoding to detect it)")
    assert result.stdout_bytes == b""


def test_forced_encoding_is_used() -> None:
    result = run("--encoding", "big5", input="中文\n".encode("big5"))
    assert result.stdout_bytes == "中文\n".encode(), shown(result)


def test_text_that_does_not_fit_the_output_codec(tmp_path: Path) -> None:
    result = run("--to", "ascii", input="中文\n".encode())
    assert_one_error_line(result, 2, "<stdin>: '中' (U+4E2D) on line 1 cannot be written as ascii")
    assert result.stdout_bytes == b""
    target = tmp_path / "out.txt"
    written = run("--to", "ascii", "-o", str(target), input="中文\n".encode())
    assert written.exit_code == 2, shown(written)
    assert not target.exists() and os.listdir(tmp_path) == []


def test_output_codec(tmp_path: Path) -> None:
    result = run("--to", "gb18030", input=MOJIBAKE.encode())
    assert result.stdout_bytes == REPAIRED.encode("gb18030"), shown(result)


@pytest.mark.parametrize("option", ["--only", "--skip"])
def test_unknown_strategy_name(option: str) -> None:
    result = run(option, "no-such-thing", input=b"x")
    assert_one_error_line(result, 2, "unknown strategy no-such-thing")


def test_only_and_skip_choose_strategies() -> None:
    skipped = run("--skip", "utf8-as-gbk", input=MOJIBAKE.encode())
    assert skipped.stdout_bytes != REPAIRED.encode(), shown(skipped)
    only = run("--only", "utf8-as-gbk", input=MOJIBAKE.encode())
    assert only.stdout_bytes == REPAIRED.encode(), shown(only)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--to", "no-such-codec"], "unknown text encoding"),
        (["--to", "base64"], "unknown text encoding"),
        (["--encoding", "no-such-codec"], "unknown text encoding"),
        (["--no-such-option"], "No such option"),
        (["--check", "-o", "out.txt"], "cannot be combined"),
        (["--quiet", "--explain"], "cannot be combined"),
        (["a.txt", "-"], "stdin (-) cannot be one"),
        (["-", "-", "--check"], "only once"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], fragment: str) -> None:
    result = run(*args, input=b"")
    assert_one_error_line(result, 2, fragment, "(see fixenc --help)")


def test_a_directory_is_a_report_only_batch_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(MOJIBAKE.encode())
    result = run(str(tmp_path))
    assert result.exit_code == 1, shown(result)
    assert result.stdout_bytes == b"" and (tmp_path / "a.txt").read_bytes() == MOJIBAKE.encode()
    assert result.stderr.startswith(f"would repair {tmp_path / 'a.txt'} (utf8-as-gbk, 1 span)\nfiles scanned  1\n")
    assert_one_error_line(run("-o", str(tmp_path), input=b"x"), 2, "names a directory")
    assert_one_error_line(run("-o", "x.txt", str(tmp_path)), 2, "-o/--output takes one input")


@pytest.mark.parametrize(
    ("codes", "expected"),
    [((), 0), ((0, 0), 0), ((0, 1, 0), 1), ((1, 2, 0), 2), ((2, 3, 1), 3), ((3, 130), 130)],
)
def test_most_severe_exit_code_wins(codes: tuple[int, ...], expected: int) -> None:
    assert report.most_severe(codes) == expected


def test_excerpts_stay_on_one_short_line() -> None:
    assert report.excerpt("第一行\r\n第二行") == "第一行\\r\\n第二行"
    long = report.excerpt("中" * 100)
    assert len(long) == report.EXCERPT_CHARS and long.endswith("…")


def test_list_strategies() -> None:
    result = run("--list-strategies")
    assert result.exit_code == 0, shown(result)
    lines = result.stdout_bytes.decode().splitlines()
    assert any(line.startswith("utf8-as-gbk  ") and "GBK" in line for line in lines)


def test_help_and_version() -> None:
    help_result = run("--help")
    assert help_result.exit_code == 0, shown(help_result)
    assert "cat x.txt | fixenc > y.txt" in help_result.stdout and "Exit codes:" in help_result.stdout
    version = run("--version")
    assert version.stdout == f"fixenc {fixenc.__version__}\n", shown(version)


def test_several_files_with_check(tmp_path: Path) -> None:
    clean, broken, missing = tmp_path / "clean.txt", tmp_path / "broken.txt", tmp_path / "missing.txt"
    clean.write_bytes("中文\n".encode())
    broken.write_bytes(MOJIBAKE.encode())
    result = run("--check", str(clean), str(broken))
    assert result.exit_code == 1, shown(result)
    assert result.stderr == (f"would repair {broken} (utf8-as-gbk, 1 span)\n"
                             "1 file would be repaired, 1 file unchanged.\n")
    worst = run("--check", str(missing), str(broken), str(clean))
    assert worst.exit_code == 2, shown(worst)  # an error outranks "changes found"
    assert worst.stderr.splitlines() == [
        f"fixenc: error: {missing}: no such file (check the path)",
        f"would repair {broken} (utf8-as-gbk, 1 span)",
        "1 file would be repaired, 1 file unchanged, 1 error.",
    ]
    quiet = run("--check", "--quiet", str(clean), str(broken))
    assert (quiet.exit_code, quiet.stderr) == (1, ""), shown(quiet)
    verbose = run("--check", "--verbose", str(clean))
    assert verbose.stderr == f"unchanged {clean}\n", shown(verbose)


def test_streaming_gives_the_one_shot_result(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["第一行很干净。\n", f"{MOJIBAKE}\n", "english only\n", "中文标点，“引号”。\n", f"{MOJIBAKE} ok\n"] * 5
    data = "".join(lines).encode()
    expected = api.repair(data).text.encode()
    monkeypatch.setattr(fileio, "CHUNK_SIZE", 40)
    chunks = list(fileio.iter_chunks(io.BytesIO(data), 40))
    assert len(chunks) > 5
    result = run(input=data)
    assert result.exit_code == 0, shown(result)
    assert result.stdout_bytes == expected
    assert REPAIRED in result.stdout_bytes.decode() and MOJIBAKE not in result.stdout_bytes.decode()


def test_streaming_clean_and_gbk_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "CHUNK_SIZE", 16)
    clean = codecs.BOM_UTF8 + "干净的文本，第一行。\r\n第二行\r\n".encode() * 4
    assert run(input=clean).stdout_bytes == clean
    text = "ascii first line\n" * 3 + "这是国标码的中文。\n" * 4
    result = run(input=text.encode("gbk"))
    assert result.stdout_bytes == text.encode(), shown(result)
    utf16 = run("--to", "utf-16", input=text.encode("gbk"))
    assert utf16.stdout_bytes == text.encode("utf-16"), shown(utf16)


class _WatchedStdin(io.RawIOBase):
    """Stdin that, before each new line, records how much has already reached stdout."""

    def __init__(self, lines: int) -> None:
        self.left = lines
        self.pending = b""
        self.stdout_seen: list[int] = []

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if not self.pending and self.left and len(buffer):
            self.left -= 1
            self.stdout_seen.append(len(sys.stdout.buffer.getvalue()))  # type: ignore[attr-defined]
            self.pending = f"{MOJIBAKE}\n".encode()
        count = min(len(buffer), len(self.pending))
        buffer[:count], self.pending = self.pending[:count], self.pending[count:]
        return count


def test_stdout_is_written_while_stdin_is_still_being_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "CHUNK_SIZE", 8)
    stdin = _WatchedStdin(lines=6)
    result = run(input=stdin)
    assert result.stdout_bytes == f"{REPAIRED}\n".encode() * 6, shown(result)
    assert stdin.stdout_seen[-1] > 0  # earlier lines were out before the last one was read


def test_verification_refusal_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(chunks, **options):  # type: ignore[no-untyped-def]
        next(iter(chunks))
        raise VerificationError("utf8-as-gbk does not round-trip at characters 0-6")

    monkeypatch.setattr(api, "repair_stream", refuse)
    target = tmp_path / "out.txt"
    result = run("-o", str(target), input=MOJIBAKE.encode())
    assert_one_error_line(result, 3, "<stdin>: utf8-as-gbk does not round-trip")
    assert os.listdir(tmp_path) == []


def test_unexpected_error_is_one_line_asking_for_a_report(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(chunks, **options):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(api, "repair_stream", explode)
    result = run(input=b"x")
    assert_one_error_line(result, 3, "internal error: ZeroDivisionError", "bug")
    debug = run("--debug", input=b"x")
    assert debug.exit_code == 3 and "Traceback" in debug.stderr, shown(debug)


def test_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(chunks, **options):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "repair_stream", interrupt)
    result = run(input=b"x")
    assert result.exit_code == 130, shown(result)
    assert result.stderr == "fixenc: error: interrupted\n"


def test_broken_pipe_exits_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    def closed(data: bytes) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli_single, "write_stdout", closed)
    result = run(input=MOJIBAKE.encode())
    assert (result.exit_code, result.stderr) == (0, ""), shown(result)


def run_without(modules: tuple[str, ...], setup: str, args: list[str]) -> bytes:
    """Run the CLI in a fresh interpreter and check that it never imported `modules`; its stdout."""
    code = (f"import sys, fixenc.cli\n{setup}\n"
            f"fixenc.cli.main({args!r}, standalone_mode=False)\n"
            f"heavy = [m for m in {modules!r} if m in sys.modules]\n"
            "assert not heavy, heavy\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def test_version_does_not_load_heavy_modules() -> None:
    out = run_without(("ftfy", "charset_normalizer", "fixenc.model"), "", ["--version"])
    assert out.decode().startswith("fixenc ")


def test_version_is_answered_before_click_loads() -> None:
    """`fixenc --version` answers from fixenc._entry, the same line click's option prints."""
    code = ("import sys\nsys.argv = ['fixenc', '--version']\nfrom fixenc._entry import main\nmain()\n"
            "assert 'click' not in sys.modules and 'fixenc.cli' not in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (0, b""), done.stderr.decode()
    assert done.stdout.decode() == run("--version").stdout == f"fixenc {fixenc.__version__}\n"


def test_plain_pipe_runs_without_click() -> None:
    """A plain `fixenc` (no argument) repairs stdin without loading the option parser."""
    code = ("import sys\nsys.argv = ['fixenc']\nfrom fixenc._entry import main\n"
            "try:\n    main()\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
            "assert 'click' not in sys.modules and 'fixenc.cli' not in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], input=MOJIBAKE.encode(), capture_output=True, timeout=60,
                          check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, REPAIRED.encode(), b""), done.stderr.decode()


def test_plain_pipe_options_are_the_parsers_defaults() -> None:
    """The options a plain `fixenc` runs with are those click makes of no argument at all."""
    context = cli.main.make_context("fixenc", [])
    assert cli_single.Options(**context.params) == cli_single.Options()


def test_python_dash_m_fixenc() -> None:
    done = subprocess.run([sys.executable, "-m", "fixenc"], input="中文\n".encode("gbk"),
                          capture_output=True, timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "中文\n".encode(), b"")


def test_installed_script() -> None:
    script = shutil.which("fixenc", path=os.path.dirname(sys.executable))
    assert script, "the fixenc script is not installed next to this Python"
    done = subprocess.run([script, "--check"], input=MOJIBAKE.encode(), capture_output=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr.decode()
    assert done.stderr.decode() == "would repair <stdin> (utf8-as-gbk, 1 span)\n"


SENTENCES = (Path(__file__).with_name("data") / "sentences.txt").read_text(encoding="utf-8").splitlines()


def _long_document() -> tuple[str, str]:
    """Real sentences, every third one read through utf8-as-gbk: (garbled, original)."""
    original, garbled = [], []
    for index, line in enumerate(SENTENCES * 3):
        try:
            damaged = line.encode("utf-8").decode("gbk") if index % 3 == 0 else line
        except UnicodeDecodeError:
            damaged = line
        original.append(line)
        garbled.append(damaged)
    return "\n".join(garbled) + "\n", "\n".join(original) + "\n"


def test_chunks_repaired_by_several_processes_come_out_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "CHUNK_SIZE", 4096)
    used = []
    in_workers = parallel.map_in_order

    def spy(*arguments):  # type: ignore[no-untyped-def]
        used.append(True)
        yield from in_workers(*arguments)

    monkeypatch.setattr(parallel, "map_in_order", spy)
    garbled, original = _long_document()
    outputs = [run("-j", jobs, input=garbled.encode()) for jobs in ("1", "2")]
    assert [result.exit_code for result in outputs] == [0, 0]
    assert outputs[0].stdout_bytes == outputs[1].stdout_bytes == original.encode()
    assert used == [True]  # -j 2 used the workers, -j 1 did not


def test_a_bad_byte_in_a_chunk_a_worker_read_names_its_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "CHUNK_SIZE", 4096)
    clean = "\n".join(SENTENCES).encode() + b"\n"
    data = clean + b"\xff" + clean
    result = run("-j", "2", "--encoding", "utf-8", input=data)
    assert_one_error_line(result, 2, f"not valid utf-8 at byte {len(clean)}")


def test_a_one_line_pipe_starts_no_workers() -> None:
    """Start-up matters for pipes: a single chunk is repaired in this process, and neither
    multiprocessing nor charset-normalizer is imported."""
    setup = "import io; sys.stdin = io.TextIOWrapper(io.BytesIO('涓枃\\n'.encode()))"
    out = run_without(("multiprocessing", "concurrent.futures", "charset_normalizer", "ftfy"), setup, ["-j", "2"])
    assert out == "中文\n".encode()


def test_bytes_that_are_not_utf8_in_a_utf8_file_are_kept_and_named() -> None:
    clean = "\n".join(SENTENCES[:4]).encode() + b"\n"
    cut = clean.index(b"\n") + 8  # the middle byte of the second line's third character
    data = clean[:cut] + clean[cut + 1:]
    result = run(input=data)
    assert (result.exit_code, result.stdout_bytes) == (0, data), shown(result)
    kept = " ".join(f"{byte:02X}" for byte in (clean[cut - 1], clean[cut + 1]))
    assert result.stderr.splitlines() == [f"<stdin>: line 2: bytes {kept} are not UTF-8; kept as they are"], \
        shown(result)


def test_bytes_that_are_not_utf8_cannot_go_to_another_encoding() -> None:
    data = "\n".join(SENTENCES[:2]).encode() + b"\xff\n"
    result = run("--to", "gb18030", input=data)
    assert_one_error_line(result, 2, "byte FF on line 2 is not UTF-8 and cannot be written as gb18030")


def test_a_gbk_file_cut_short_in_a_later_chunk_is_read_with_the_cut_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "CHUNK_SIZE", 4096)
    lines = [sentence for sentence in SENTENCES if _fits(sentence, "gbk")]
    data = "\n".join(lines).encode("gbk") + b"\n" + "码".encode("gbk")[:1]
    result = run(input=data)
    assert result.exit_code == 0, shown(result)
    assert result.stdout_bytes == ("\n".join(lines) + "\n\ufffd").encode()
    assert result.stderr == f"<stdin>: line {len(lines) + 1}: bytes that are not cp936 were written as U+FFFD\n"


def _fits(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def test_a_mixed_file_keeps_its_utf8_bom() -> None:
    lines = [sentence for sentence in SENTENCES if _fits(sentence, "gbk")][:8]
    data = codecs.BOM_UTF8 + b"".join((line.encode("gbk" if index % 2 else "utf-8") + b"\n")
                                      for index, line in enumerate(lines))
    result = run(input=data)
    assert (result.exit_code, result.stdout_bytes) == (0, codecs.BOM_UTF8 + ("\n".join(lines) + "\n").encode()), \
        shown(result)


def test_a_line_neither_codec_of_a_mixed_file_reads_is_named_at_its_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "CHUNK_SIZE", 1024)
    lines = [sentence for sentence in SENTENCES if _fits(sentence, "gbk")][:40]
    data = b"".join(line.encode("gbk" if index % 2 else "utf-8") + b"\n" for index, line in enumerate(lines))
    broken = data + b"\xff\xfe\xff\xfe\n"
    result = run("-j", "1", input=broken)
    assert_one_error_line(result, 2, f"not valid utf-8+cp936 at byte {len(data)}")


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 16,                                  # every byte value: no text at all
    b"\x89PNG\r\n\x1a\n" + bytes((index * 37 + 11) % 256 for index in range(4000)),
])
def test_bytes_that_are_no_text_are_refused_with_one_line(data: bytes) -> None:
    """Not read as UTF-16, UTF-8 with bytes kept, or GBK with bytes replaced: nothing reads them."""
    result = run(input=data)
    assert_one_error_line(result, 2, "cannot tell the encoding")
    assert result.stdout_bytes == b""
