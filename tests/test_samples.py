"""Every samples/NAME.txt through the command line, compared byte for byte with NAME.expected.txt."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fixenc.cli import main

SAMPLES = Path(__file__).parent.parent / "samples"
# Samples whose repair needs strategies still to be built, by the issue that builds them.
PENDING: dict[str, str] = {}


def sample_names():
    for expected in sorted(SAMPLES.glob("*.expected.txt")):
        name = expected.name[: -len(".expected.txt")]
        marks = [pytest.mark.xfail(strict=True, reason=PENDING[name])] if name in PENDING else []
        yield pytest.param(name, id=name, marks=marks)


@pytest.mark.parametrize("name", list(sample_names()))
def test_sample_is_repaired_byte_for_byte(name):
    result = CliRunner().invoke(main, [str(SAMPLES / f"{name}.txt")])
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == (SAMPLES / f"{name}.expected.txt").read_bytes()


@pytest.mark.parametrize("name", [n for n in sample_names() if not n.marks])
def test_expected_output_is_already_clean(name):
    expected = SAMPLES / f"{name}.expected.txt"
    result = CliRunner().invoke(main, ["--check", str(expected)])
    assert result.exit_code == 0, result.stderr


def test_the_articles_guesses_are_the_three_re_read_stretches():
    """The characters rebuilt after the lost bytes are marked as guesses, and only they."""
    import fixenc

    result = fixenc.repair((SAMPLES / "garbled-article.txt").read_bytes())
    assert "".join(char for _, char in result.guesses) == "。”曾蒙蘇" + "。”聯" + "。”"
    explained = CliRunner().invoke(main, ["--explain", str(SAMPLES / "garbled-article.txt")])
    assert "guessed characters" in explained.stderr
