"""The chain's pieces: damage inside a run of clean Chinese, with no mark to cut it out at."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import fixenc
from fixenc import producers

SENTENCES = (Path(__file__).with_name("data") / "sentences.txt").read_text(encoding="utf-8").splitlines()


def garbled_inside(sentence: str, misread_as: str) -> str | None:
    """Six Han characters in the middle of `sentence` misread: a field pasted from another system."""
    middle = len(sentence) // 2
    stretch = sentence[middle - 3:middle + 3]
    if not re.fullmatch(r"[\u4e00-\u9fff]{6}", stretch):
        return None
    try:
        return sentence[:middle - 3] + producers.decode(stretch.encode(), misread_as) + sentence[middle + 3:]
    except UnicodeDecodeError:
        return None


def cases(misread_as: str) -> list[tuple[str, str]]:
    found = [(s, garbled_inside(s, misread_as)) for s in SENTENCES if len(s) >= 16]
    return [(original, damaged) for original, damaged in found if damaged][:30]


@pytest.mark.parametrize(("misread_as", "least"), [(producers.CP936, 27), (producers.CP1252, 27)])
def test_damage_inside_clean_chinese_is_cut_out_and_repaired(misread_as, least):
    """1 of 30 came back (each codec) when a run that fitted no codec as a whole, nor in its parts
    between marks, was left alone; now the stretches whose bytes are whole UTF-8 are tried, and
    those that leave the run most plausible are taken, also where a part cut at a mark inside the
    damage (`ä¸”` is 且, `æ—©` 早) was repaired but left rare characters, and where the line is that
    one run (30 and 30 of 30 when this was written)."""
    found = cases(misread_as)
    assert len(found) == 30
    assert sum(fixenc.repair(damaged).text == original for original, damaged in found) >= least


def test_a_clean_character_beside_the_damage_stays_clean():
    """也 is D2 B2 in GBK, and D2 B2 is whole UTF-8 (`Ҳ`): the stretch read must not take it in."""
    original = "只是房间没有什么电脑，也不知道它说的免费上网在什么地方可以。"
    damaged = original.replace("不知道它说的", producers.decode("不知道它说的".encode(), producers.CP936))
    assert fixenc.repair(damaged).text == original


def test_clean_sentences_with_rare_characters_stay():
    """The search inside runs only starts where a run has a rare character and fits no codec whole."""
    for sentence in SENTENCES[:200]:
        assert fixenc.repair(sentence).text == sentence
