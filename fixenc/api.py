"""repair() and detect(): read the bytes, plan the repair, check it, and return a Result.

Nothing here prints or writes files; fileio.py writes what the CLI asks for.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import chain, detect as _detect, strategies, verify
from .detect import Detection
from .errors import InputError
from .strategies import Step


@dataclass(frozen=True)
class Result:
    """What repair() found and did. `text` is the repaired text; `original` the decoded input."""

    text: str
    original: str
    detection: Detection
    steps: tuple[Step, ...]

    @property
    def changed(self) -> bool:
        """True when the text itself changed (a transcoding alone does not count here)."""
        return self.text != self.original

    @property
    def lossy(self) -> bool:
        return any(not step.lossless for step in self.steps)


def detect(data: bytes) -> Detection:
    """How `data` is encoded: detect("中文".encode("gbk")).encoding == "cp936"."""
    return _detect.detect(data)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, Detection]:
    detection = _detect.forced(data, encoding) if encoding else _detect.detect(data)
    try:
        return _detect.decode(data, detection), detection
    except UnicodeDecodeError as error:
        raise InputError(
            f"not valid {detection.encoding} at byte {error.start + len(detection.bom)}"
            + (" (omit --encoding to detect it)" if encoding else "")
        ) from None


def repair(
    data: bytes | str,
    *,
    encoding: str | None = None,
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
) -> Result:
    """Detect, repair and verify: repair("浣犲ソ涓栫晫").text == "你好世界".

    `data` may be bytes (detected, or read as `encoding`) or already-decoded text.
    """
    if isinstance(data, str):
        text, detection = data, Detection("utf-8", b"", 1.0, "text")
    else:
        text, detection = decode(data, encoding)
    chosen = select(only, skip)
    steps, repaired = chain.plan(text, chosen).steps()
    verify.verify_steps(text, steps, repaired)
    return Result(repaired, text, detection, tuple(steps))


def select(only: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> tuple[strategies.Strategy, ...]:
    try:
        return strategies.select(only, skip)
    except KeyError as error:
        raise InputError(f"unknown strategy {error.args[0]} (see --list-strategies)") from None


def replay(text: str, steps: tuple[Step, ...] | list[Step]) -> str:
    """Apply recorded steps to the text they were planned on; gives Result.text back."""
    for step in steps:
        strategy = strategies.BY_NAME[step.strategy]
        for span in reversed(step.spans):
            text = text[:span.start] + strategy.apply(text[span.start:span.end]) + text[span.end:]
    return text


def repair_chunks(
    chunks: Iterable[bytes],
    *,
    encoding: str | None = None,
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
) -> Iterator[Result]:
    """repair() over a stream cut at line ends (b"\\n"): detect on the first chunk, then read
    every later chunk the same way, so that memory stays bounded by the chunk size."""
    detection: Detection | None = None
    for chunk in chunks:
        if detection is None or detection.method == "ascii":  # ASCII so far says nothing yet
            result = repair(chunk, encoding=encoding, only=only, skip=skip)
            detection = result.detection
        else:
            text = _detect.decode(chunk, Detection(detection.encoding))
            chosen = select(only, skip)
            steps, repaired = chain.plan(text, chosen).steps()
            verify.verify_steps(text, steps, repaired)
            result = Result(repaired, text, detection, tuple(steps))
        yield result
