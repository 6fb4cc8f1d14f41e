"""Every case table in tests/cases/ through the library: output, replay, inverses, one more layer."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import fixenc
from fixenc import strategies

CASES_DIR = Path(__file__).with_name("cases")


def load_cases():
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            marks = [pytest.mark.xfail(strict=True)] if case["expect"] == "fail" else []
            yield pytest.param(case, id=f"{path.stem}:{case['label']}", marks=marks)


CASES = list(load_cases())


@pytest.mark.parametrize("case", CASES)
def test_repair_gives_expected(case):
    result = fixenc.repair(case["garbled"])
    assert result.text == case["expected"]


@pytest.mark.parametrize("case", CASES)
def test_repair_of_utf8_bytes_gives_expected(case):
    assert fixenc.repair(case["garbled"].encode("utf-8")).text == case["expected"]


@pytest.mark.parametrize("case", CASES)
def test_steps_replay_and_invert(case):
    result = fixenc.repair(case["garbled"])
    assert fixenc.replay(result.original, result.steps) == result.text
    text = result.original
    for step in result.steps:
        strategy = strategies.BY_NAME[step.strategy]
        for span in reversed(step.spans):
            before = text[span.start:span.end]
            after = strategy.apply(before)
            if step.lossless:
                assert strategy.inverse(after) == before
            text = text[:span.start] + after + text[span.end:]


@pytest.mark.parametrize("case", [c for c in CASES if c.values[0]["garbled"] != c.values[0]["expected"]])
def test_one_more_layer_of_the_same_damage_is_repaired(case):
    first = fixenc.repair(case["garbled"])
    if not first.steps or first.text != case["expected"]:
        pytest.skip("not repaired in the first place")
    outermost = strategies.BY_NAME[first.steps[0].strategy]
    try:
        deeper = outermost.inverse(case["garbled"])
    except UnicodeError:
        pytest.skip("the extra layer cannot be produced for this text")
    assert fixenc.repair(deeper).text == case["expected"]


@pytest.mark.parametrize("case", CASES)
def test_repair_is_idempotent(case):
    once = fixenc.repair(case["garbled"]).text
    assert fixenc.repair(once).text == once
