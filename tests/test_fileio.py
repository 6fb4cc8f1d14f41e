"""fileio: chunked reading, rendering Results as bytes, atomic writes and backups."""
from __future__ import annotations

import codecs
import io
import itertools
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fixenc import fileio
from fixenc.api import Result
from fixenc.detection import Detection
from fixenc.errors import InputError, OutputError, VerificationError


@pytest.mark.parametrize(
    ("data", "size", "expected"),
    [
        (b"", 4, []),
        (b"ab\n", 4, [b"ab\n"]),
        (b"ab\ncd\nef", 4, [b"ab\n", b"cd\n", b"ef"]),
        (b"abcdefgh\nij\n", 4, [b"abcdefgh\nij\n"]),  # a line longer than a block is carried
        (b"abcdefgh\nij\nkl", 4, [b"abcdefgh\nij\n", b"kl"]),
        (b"a\nb\nc\nd\n", 100, [b"a\nb\nc\nd\n"]),
        (b"a\r\nb\r\n", 3, [b"a\r\n", b"b\r\n"]),
    ],
)
def test_iter_chunks_cuts_after_newlines(data: bytes, size: int, expected: list[bytes]) -> None:
    assert list(fileio.iter_chunks(io.BytesIO(data), size=size)) == expected


@pytest.mark.parametrize(
    "data",
    [
        "第一行\n第二行\n".encode("utf-16"),
        "第一行\n第二行\n".encode("utf-32"),
        "line one\nline two\n".encode("utf-16-le"),  # no BOM, but half the bytes are NUL
    ],
)
def test_iter_chunks_keeps_wide_input_whole(data: bytes) -> None:
    assert list(fileio.iter_chunks(io.BytesIO(data), size=4)) == [data]


def test_iter_chunks_whole_on_request() -> None:
    data = "中\n文\n".encode("utf-16-le")  # 中 is 2D 4E, 文 is 87 65: few NULs, 0x0A in a code unit
    assert list(fileio.iter_chunks(io.BytesIO(data), size=2, whole=True)) == [data]


def test_is_wide_codec() -> None:
    assert fileio.is_wide_codec("UTF-16LE") and fileio.is_wide_codec("utf_32")
    assert not fileio.is_wide_codec("gbk") and not fileio.is_wide_codec(None)


def test_iter_chunks_cuts_a_very_long_line_at_a_safe_byte() -> None:
    data = "中文 ".encode("gbk") * 40  # no newline at all
    chunks = list(fileio.iter_chunks(io.BytesIO(data), size=8))
    assert b"".join(chunks) == data
    assert len(chunks) > 1
    assert all(chunk.endswith(b" ") for chunk in chunks)  # never inside a two-byte character


class _EndlessLines(io.RawIOBase):
    """An unbounded stream of lines, to show that chunks come out before the input ends."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        line = b"0123456789\n"
        count = len(buffer) // len(line) * len(line) or len(buffer)
        buffer[:count] = (line * (count // len(line) + 1))[:count]
        return count


def test_iter_chunks_is_lazy() -> None:
    chunks = fileio.iter_chunks(_EndlessLines(), size=64)
    first = list(itertools.islice(chunks, 3))
    assert len(first) == 3 and all(chunk.endswith(b"\n") for chunk in first)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.binary(max_size=200), st.integers(min_value=1, max_value=32))
def test_iter_chunks_loses_nothing(data: bytes, size: int) -> None:
    chunks = list(fileio.iter_chunks(io.BytesIO(data), size=size))
    assert b"".join(chunks) == data
    assert all(chunk for chunk in chunks)


def _result(text: str, original: str, encoding: str = "utf-8", bom: bytes = b"") -> Result:
    return Result(text, original, Detection(encoding, bom, 1.0, "bom" if bom else "utf-8"), ())


def test_render_clean_utf8_returns_the_input_bytes() -> None:
    data = codecs.BOM_UTF8 + "中文\r\n".encode()
    out = fileio.Renderer("utf-8").render(_result("中文\r\n", "中文\r\n", bom=codecs.BOM_UTF8), data)
    assert out is data


def test_render_keeps_the_utf8_bom_on_the_first_chunk_only() -> None:
    renderer = fileio.Renderer("utf8")
    bom = codecs.BOM_UTF8
    first = renderer.render(_result("你好\n", "浣犲ソ\n", bom=bom), bom + "浣犲ソ\n".encode())
    second = renderer.render(_result("世界\n", "涓栫晫\n", bom=bom), "涓栫晫\n".encode())
    assert first + second == bom + "你好\n世界\n".encode()


def test_render_drops_the_utf8_bom_for_another_codec() -> None:
    out = fileio.Renderer("gbk").render(_result("中文", "中文", bom=codecs.BOM_UTF8), codecs.BOM_UTF8 + "中文".encode())
    assert out == "中文".encode("gbk")


def test_render_transcodes_gbk_input() -> None:
    out = fileio.Renderer("utf-8").render(_result("中文\n", "中文\n", encoding="cp936"), "中文\n".encode("gbk"))
    assert out == "中文\n".encode()


def test_render_writes_one_utf16_bom_for_many_chunks() -> None:
    renderer = fileio.Renderer("utf-16")
    parts = [renderer.render(_result(text, text, "cp936"), text.encode("gbk")) for text in ("中\n", "文\n")]
    assert b"".join(parts) + renderer.finish() == "中\n文\n".encode("utf-16")


def test_render_error_names_the_line_in_the_whole_input() -> None:
    renderer = fileio.Renderer("ascii")
    renderer.render(_result("a\nb\n", "a\nb\n"), b"a\nb\n")
    with pytest.raises(OutputError) as caught:
        renderer.render(_result("c\n中\n", "c\n中\n"), "c\n中\n".encode())
    assert "U+4E2D" in str(caught.value) and "on line 4 " in str(caught.value)


def test_open_input_missing_file(tmp_path) -> None:
    with pytest.raises(InputError) as caught:
        fileio.open_input(str(tmp_path / "nope.txt"))
    assert str(caught.value) == f"{tmp_path / 'nope.txt'}: no such file (check the path)"


def test_atomic_writer_writes_and_copies_the_mode(tmp_path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(b"x")
    source.chmod(0o640)
    target = tmp_path / "out.txt"
    with fileio.AtomicWriter(str(target), str(source)) as writer:
        writer.write("中文\n".encode())
        writer.commit()
    assert target.read_bytes() == "中文\n".encode()
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(tmp_path)) == ["in.txt", "out.txt"]


def test_atomic_writer_keeps_the_mode_of_an_existing_target(tmp_path) -> None:
    target = tmp_path / "out.sh"
    target.write_bytes(b"old")
    target.chmod(0o751)
    with fileio.AtomicWriter(str(target)) as writer:
        writer.write(b"new")
        writer.commit()
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o751


def test_atomic_writer_leaves_the_target_alone_on_error(tmp_path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), fileio.AtomicWriter(str(target)) as writer:
        writer.write(b"half")
        raise RuntimeError("stop")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_writer_failed_rename(tmp_path, monkeypatch) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fileio.os, "replace", refuse)
    with pytest.raises(OutputError) as caught, fileio.AtomicWriter(str(target), backup=True) as writer:
        writer.write(b"new")
        writer.commit()
    assert "Permission denied" in str(caught.value)
    assert os.listdir(tmp_path) == ["out.txt"]  # no temporary file, no stray backup
    assert target.read_bytes() == b"old"


def test_atomic_writer_refuses_what_does_not_read_back(tmp_path, monkeypatch) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    monkeypatch.setattr(fileio, "file_checksum", lambda path: -1)
    with pytest.raises(VerificationError), fileio.AtomicWriter(str(target)) as writer:
        writer.write(b"new")
        writer.commit()
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.txt"]


def test_atomic_writer_missing_folder(tmp_path) -> None:
    with pytest.raises(OutputError) as caught, fileio.AtomicWriter(str(tmp_path / "missing" / "out.txt")):
        pass
    assert "No such file or directory" in str(caught.value)


def test_atomic_writer_writes_through_a_symlink(tmp_path) -> None:
    real = tmp_path / "real.txt"
    real.write_bytes(b"old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with fileio.AtomicWriter(str(link)) as writer:
        writer.write(b"new")
        writer.commit()
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_make_backup_keeps_the_original_and_never_overwrites(tmp_path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"original")
    backup = fileio.make_backup(str(path))
    assert backup == str(path) + ".orig"
    assert (tmp_path / "a.txt.orig").read_bytes() == b"original"
    with pytest.raises(OutputError, match="already exists"):
        fileio.make_backup(str(path))


def test_is_temporary_names_only_fixenc_temporaries() -> None:
    assert fileio.is_temporary(".a.txt.fixenc-0a1b2c3d.tmp")
    assert fileio.is_temporary("a.txt.fixenc-0a1b2c3d.tmp")
    assert not fileio.is_temporary("a.txt") and not fileio.is_temporary("notes.fixenc.tmp")


def test_atomic_writer_keeps_times_and_refuses_a_target_changed_since_read(tmp_path) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")
    os.utime(target, ns=(1, 1_500_000_000_000_000_000))
    stat = os.stat(target)
    expect = fileio.Fingerprint.of(stat, b"old")
    assert expect.matches(str(target))
    with fileio.AtomicWriter(str(target), times_ns=(stat.st_atime_ns, stat.st_mtime_ns), expect=expect) as writer:
        writer.write(b"new")
        writer.commit()
    assert target.read_bytes() == b"new" and target.stat().st_mtime_ns == 1_500_000_000_000_000_000
    assert not expect.matches(str(target))
    with pytest.raises(OutputError, match="changed on disk"), fileio.AtomicWriter(str(target), expect=expect) as w:
        w.write(b"newer")
        w.commit()
    assert target.read_bytes() == b"new" and os.listdir(tmp_path) == ["a.txt"]


def test_make_backup_into_a_new_folder_and_by_copy(tmp_path, monkeypatch) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"original")
    linked = fileio.make_backup(str(path), str(tmp_path / "backups" / "x" / "a.txt"))
    assert os.path.samefile(linked, path)

    def no_links(*args: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(fileio.os, "link", no_links)
    copied = fileio.make_backup(str(path), str(tmp_path / "copy" / "a.txt"))
    assert not os.path.samefile(copied, path) and (tmp_path / "copy" / "a.txt").read_bytes() == b"original"
    assert os.listdir(tmp_path / "copy") == ["a.txt"]
    with pytest.raises(OutputError, match="already exists"):
        fileio.make_backup(str(path), copied)
