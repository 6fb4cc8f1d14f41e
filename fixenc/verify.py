"""Checks a repair must pass before anything is written: replay, round-trip, encodability.

Each failed check raises VerificationError saying which; nothing here touches files.
"""
from __future__ import annotations

from . import strategies
from .errors import OutputError, VerificationError
from .strategies import Step


def verify_steps(original: str, steps: list[Step] | tuple[Step, ...], repaired: str) -> None:
    """Replaying `steps` on `original` gives `repaired`, and each lossless span round-trips."""
    text = original
    for step in steps:
        strategy = strategies.BY_NAME[step.strategy]
        for span in reversed(step.spans):
            before = text[span.start:span.end]
            after = strategy.apply(before)
            if step.lossless and strategy.inverse(after) != before:
                raise VerificationError(f"{step.strategy} does not round-trip at characters {span.start}-{span.end}")
            text = text[:span.start] + after + text[span.end:]
    if text != repaired:
        raise VerificationError("replaying the steps does not give the repaired text")


def verify_encodable(text: str, encoding: str) -> bytes:
    """The text as bytes in `encoding`, or OutputError naming the first character that does not fit."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        char = error.object[error.start]
        line = error.object.count("\n", 0, error.start) + 1
        raise OutputError(f"{char!r} (U+{ord(char):04X}) on line {line} cannot be written as {encoding}") from None
    except LookupError:
        raise OutputError(f"unknown output encoding {encoding!r}") from None
