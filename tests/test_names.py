"""names: garbled file names, from one table of cases, as strings and as files renamed by the command."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixenc import cli, names

# (label, name on disk, repaired name or None when it must stay): names seen after unzip and copy.
CASES = [
    ("gbk-as-cp437 (unzip on Linux)", "╓╨╬─.txt", "中文.txt"),
    ("gbk-as-cp437, longer", "▓Γ╩╘╬─╡╡.txt", "测试文档.txt"),
    ("gbk-as-cp1252", "ÖÐÎÄ.txt", "中文.txt"),
    ("gbk-as-cp1252, longer", "Ð¡ËµÃû³Æ.txt", "小说名称.txt"),
    ("utf8-as-gbk", "娴嬭瘯鏂囨。.txt", "测试文档.txt"),
    ("clean Chinese", "测试文件夹", None),
    ("clean ASCII", "README.md", None),
    ("clean Traditional", "繁體中文.txt", None),
    ("clean Japanese", "日本語のテキスト.txt", None),
    ("clean accents", "café.txt", None),
]


@pytest.mark.parametrize(("label", "name", "expected"), CASES, ids=[case[0] for case in CASES])
def test_repair_name(label: str, name: str, expected: str | None) -> None:
    assert names.repair_name(name) == expected


@pytest.mark.parametrize(("label", "name", "expected"), CASES, ids=[case[0] for case in CASES])
def test_command_renames_the_file(tmp_path: Path, label: str, name: str, expected: str | None) -> None:
    (tmp_path / name).write_bytes(b"ascii\n")
    result = CliRunner().invoke(cli.main, ["--names", "--in-place", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    assert os.listdir(tmp_path) == [expected or name] or sorted(os.listdir(tmp_path)) == sorted(
        [expected or name, ".fixenc"])
    assert (tmp_path / (expected or name)).read_bytes() == b"ascii\n"


def test_raw_gbk_bytes_on_disk() -> None:
    raw = os.fsdecode("中文名字.txt".encode("gbk"))
    assert names.has_raw_bytes(raw)
    assert names.repair_name(raw) == "中文名字.txt"
    assert names.shown(raw) == "\\xd6\\xd0\\xce\\xc4\\xc3\\xfb\\xd7\\xd6.txt"


def test_repair_rel_repairs_every_part() -> None:
    assert names.repair_rel("╓╨╬─/ÖÐÎÄ.txt") == "中文/中文.txt"
    assert names.repair_rel("docs/readme.md") == "docs/readme.md"


def test_plan_is_deepest_first_and_refuses_shared_names(tmp_path: Path) -> None:
    entries = [(str(tmp_path / "╓╨╬─"), "╓╨╬─"), (str(tmp_path / "╓╨╬─" / "╓╨╬─.txt"), "╓╨╬─/╓╨╬─.txt"),
               (str(tmp_path / "ÖÐÎÄ.txt"), "ÖÐÎÄ.txt"), (str(tmp_path / "╓╨╬─.txt"), "╓╨╬─.txt")]
    renames, refused = names.plan(entries)
    assert [rename.new_rel for rename in renames] == ["╓╨╬─/中文.txt", "中文.txt", "中文"]
    assert len(refused) == 1 and "that name is already taken" in refused[0].error
