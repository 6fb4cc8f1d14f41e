"""Issue 6: what cannot come back is reported, not invented; `锟斤拷` becomes `�` again."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

import fixenc
from fixenc import cli, producers

SENTENCES = (Path(__file__).with_name("data") / "sentences.txt").read_text(encoding="utf-8").splitlines()
REPLACEMENT = "\ufffd"


def as_gbk(text: str) -> str:
    """Text saved as UTF-8 and read as cp936: how `�` becomes `锟斤拷`."""
    return producers.decode(text.encode("utf-8"), producers.CP936)


def test_replacement_characters_read_as_gbk_come_back_as_replacement_characters():
    for count in (2, 4, 6):
        residue = as_gbk(REPLACEMENT * count)
        assert set(residue) <= set("锟斤拷")
        sentence = SENTENCES[count]
        result = fixenc.repair(sentence[:10] + residue + sentence[10:])
        assert result.text == sentence[:10] + REPLACEMENT * count + sentence[10:]
        assert all(step.lossless for step in result.steps)


def test_an_odd_replacement_character_takes_the_ascii_byte_after_it():
    residue = as_gbk(REPLACEMENT + "_")
    assert residue == "锟絖"
    assert fixenc.repair(SENTENCES[0][:8] + residue).text == SENTENCES[0][:8] + REPLACEMENT + "_"


def test_a_text_about_mojibake_keeps_its_quotes():
    text = "乱码常见的样子：锟斤拷、烫烫烫。\n"
    assert fixenc.repair(text).text == text


def test_lost_lines_and_uninitialised_memory_are_reported_with_their_line_numbers():
    fill = producers.decode(b"\xcc" * 8, producers.CP936)  # 烫烫烫烫
    text = "\n".join([SENTENCES[0], REPLACEMENT * 5 + "，" + REPLACEMENT * 3, SENTENCES[1], fill, SENTENCES[2]]) + "\n"
    result = fixenc.repair(text)
    assert result.text == text
    assert [(loss.line, loss.kind) for loss in result.losses] == [(2, "lost"), (4, "uninitialised")]


def test_a_sentence_with_some_characters_lost_is_not_a_lost_line():
    text = SENTENCES[3][:5] + REPLACEMENT * 2 + SENTENCES[3][5:] + "\n"
    assert fixenc.repair(text).losses == ()


def test_the_cli_reports_losses_in_the_whole_input_by_line(monkeypatch):
    from fixenc import fileio

    monkeypatch.setattr(fileio, "CHUNK_SIZE", 256)  # the lost line is in a later chunk
    lines = SENTENCES[:20] + [REPLACEMENT * 6] + SENTENCES[20:25]
    data = ("\n".join(lines) + "\n").encode()
    result = CliRunner().invoke(cli.main, ["-j", "1"], input=data)
    assert result.exit_code == 0
    assert result.stdout_bytes == data
    assert "<stdin>: line 21: every character is U+FFFD" in result.stderr
