"""Checks a repair must pass before anything is written: replay, round-trip, encodability.

Each failed check raises VerificationError saying which; nothing here touches files.
"""
from __future__ import annotations

from . import strategies, unreadable
from .errors import OutputError, VerificationError
from .strategies import Step


def replay(text: str, steps: list[Step] | tuple[Step, ...], check_inverse: bool = False) -> str:
    """Apply `steps` in order; with `check_inverse`, each lossless span must round-trip."""
    for step in steps:
        strategy = strategies.BY_NAME[step.strategy]
        for span in reversed(step.spans):
            before = text[span.start:span.end]
            after = strategy.apply(before)
            if check_inverse and step.lossless and strategy.inverse(after) != before:
                raise VerificationError(f"{step.strategy} does not round-trip at characters {span.start}-{span.end}")
            text = text[:span.start] + after + text[span.end:]
    return text


def guessed_positions(text: str, steps: list[Step] | tuple[Step, ...]) -> list[int]:
    """Where the characters the steps guessed stand once every step has run: each step's own
    positions, carried through the steps after it (a character a later step rewrote is dropped)."""
    positions: list[int] = []
    for step in steps:
        strategy = strategies.BY_NAME[step.strategy]
        replaced = [strategy.apply(text[span.start:span.end]) for span in step.spans]
        carried, shift, index = [], 0, 0
        for old in positions:
            while index < len(step.spans) and step.spans[index].end <= old:
                shift += len(replaced[index]) - (step.spans[index].end - step.spans[index].start)
                index += 1
            if index == len(step.spans) or old < step.spans[index].start:
                carried.append(old + shift)
        pieces, position = [], 0
        for span, new in zip(step.spans, replaced):
            pieces += [text[position:span.start], new]
            position = span.end
        text = "".join(pieces) + text[position:]
        positions = sorted(carried + list(step.guessed))
    return positions


def verify_steps(original: str, steps: list[Step] | tuple[Step, ...], repaired: str) -> None:
    """Replaying `steps` on `original` gives `repaired`, and each lossless span round-trips."""
    if replay(original, steps, check_inverse=True) != repaired:
        raise VerificationError("replaying the steps does not give the repaired text")


def verify_idempotent(repaired: str, second_pass: list[Step] | tuple[Step, ...]) -> None:
    """A second pass over the repaired text must find nothing more to do."""
    if second_pass:
        names = ", ".join(sorted({step.strategy for step in second_pass}))
        raise VerificationError(f"the repair is not stable: a second pass would apply {names}")


def verify_encodable(text: str, encoding: str, line_offset: int = 0) -> bytes:
    """The text as bytes in `encoding`, or OutputError naming the first character that does not fit;
    `line_offset` is the number of lines before `text` in the whole output."""
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        char = error.object[error.start]
        line = line_offset + error.object.count("\n", 0, error.start) + 1
        if unreadable.ESCAPED_BYTES.match(char):  # a byte of a UTF-8 input that was no UTF-8, kept
            raise OutputError(f"byte {unreadable.escaped_hex(char)} on line {line} is not UTF-8 and cannot be written "
                              f"as {encoding} (only UTF-8 output keeps such bytes as they are)") from None
        raise OutputError(f"{char!r} (U+{ord(char):04X}) on line {line} cannot be written as {encoding}") from None
    except LookupError:
        raise OutputError(f"unknown output encoding {encoding!r}") from None
