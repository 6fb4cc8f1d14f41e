"""The triage of long texts (suspect.py, chain's screen): clean lines with rare words cost nothing,
damaged lines are still found, on real review sentences (tests/data/sentences.txt)."""
from __future__ import annotations

from pathlib import Path

import pytest

import fixenc
from fixenc import api, producers, screen, suspect

SENTENCES = (Path(__file__).with_name("data") / "sentences.txt").read_text(encoding="utf-8").splitlines()
PIECE_STRATEGIES = tuple(s for s in api.select() if getattr(s, "scope", "piece") == "piece")
CLEAN_DOCUMENT = "\n".join(SENTENCES) + "\n"


def garble(line: str, source: str, misread_as: str) -> str | None:
    try:
        return producers.decode(producers.encode(line, source), misread_as)
    except UnicodeError:
        return None


def test_a_stretch_cut_from_valid_bytes_reads_and_garbage_does_not():
    data = "中文乱码".encode()
    for start in range(4):  # a cut may fall inside a character at either end
        reading, used = producers.decode_inside(data[start:len(data) - start], producers.UTF8)
        assert reading in "中文乱码" and used <= len(data)
    gbk = "中文乱码".encode("gbk")
    assert producers.decode_inside(gbk[1:], producers.CP936) is not None
    assert producers.decode_inside(b"\xd6\xd0\x80\x80", producers.UTF8) is None
    assert producers.decode_inside(b"\x80\x41\x80\x41\x80", producers.UTF8) is None


def test_the_clean_document_has_no_line_the_screen_passes():
    """Its suspect lines hold rare words (the clusters the triage finds), never damage."""
    lines = [CLEAN_DOCUMENT[start:end] for start, end in suspect.suspect_lines(CLEAN_DOCUMENT)]
    assert not [line for line in lines if screen.may_hold_damage(line, PIECE_STRATEGIES)]
    assert fixenc.repair(CLEAN_DOCUMENT).text == CLEAN_DOCUMENT


@pytest.mark.parametrize(("source", "misread_as"), [
    (producers.UTF8, producers.CP936),
    (producers.UTF8, producers.CP1252),
    (producers.CP936, producers.CP950),
    (producers.CP936, producers.CP1252),
])
def test_one_damaged_line_in_a_long_clean_document_is_found_and_repaired(source, misread_as):
    repaired = found = 0
    candidates = [(index, garble(line, source, misread_as)) for index, line in enumerate(SENTENCES[:120])]
    candidates = [(index, damaged) for index, damaged in candidates if damaged and 8 <= len(damaged) <= 60][:12]
    for index, damaged in candidates:
        lines = list(SENTENCES)
        lines[index] = damaged
        document = "\n".join(lines) + "\n"
        start = document.index(damaged)
        found += any(begin <= start < end for begin, end in suspect.suspect_lines(document))
        repaired += fixenc.repair(document).text == CLEAN_DOCUMENT
    assert len(candidates) >= 8
    assert found == len(candidates)
    assert repaired >= len(candidates) - 1


def test_a_short_line_of_merely_rare_characters_is_suspect():
    """`濂芥槸濂斤紝` (好是好，read through utf8-as-gbk) holds no pair rare enough for a long line."""
    document = CLEAN_DOCUMENT + garble("好是好，", producers.UTF8, producers.CP936) + "\n"
    assert fixenc.repair(document).text == CLEAN_DOCUMENT + "好是好，\n"


def test_typed_question_marks_are_not_lost_bytes():
    """A guess must be a character the corpus knows: `???` after a garbled review is not `࠰`."""
    assert fixenc.repair("褰撳綋鐨勫伐浣滀汉鍛樺彂涔︽椂闅鹃亾涓嶇‘璁や箞???").text == "当当的工作人员发书时难道不确认么???"
