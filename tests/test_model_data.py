"""The shipped model: it loads, has its source note, stays in budget, and rebuilds byte for byte."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from fixenc import model
from fixenc.data import build

DATA = Path(model.__file__).with_name("data")
SIZE_BUDGET = 1_500_000


def test_model_loads_and_ranks_chinese_above_mojibake():
    assert model.cost("中文") < model.cost("涓枃")
    assert model.cost("你好世界") < model.cost("浣犲ソ涓栫晫")


def test_model_has_source_note_and_stays_in_budget():
    assert "People's Daily" in (DATA / "SOURCE.md").read_text(encoding="utf-8")
    assert (DATA / "model.bin").stat().st_size < SIZE_BUDGET


def test_model_tables_hold_no_ascii():
    assert not any(char.isascii() for char in model.load().unigrams)


@pytest.mark.skipif(
    not all(importlib.util.find_spec(name) for name in ("snownlp", "jieba", "opencc")),
    reason="the build extra (snownlp, jieba, opencc) is not installed",
)
def test_build_is_deterministic(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "OUTPUT", tmp_path / "model.bin")
    build.main()
    assert (tmp_path / "model.bin").read_bytes() == (DATA / "model.bin").read_bytes()
