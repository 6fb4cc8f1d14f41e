"""repair() and detect(): read the bytes, plan the repair, check it, and return a Result.

Nothing here prints or writes files; fileio.py writes what the CLI asks for.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from . import chain, losses, parallel, strategies, verify
from . import detection as _detect
from .detection import Detection
from .errors import InputError
from .losses import Loss
from .strategies import Step

# Passes over a text after the first that may still repair something, each on what the one before
# left; one more must then find nothing, or the repair fails verification.
MAX_PASSES = 2


@dataclass(frozen=True)
class Result:
    """What repair() found and did. `text` is the repaired text; `original` the decoded input."""

    text: str
    original: str
    detection: Detection
    steps: tuple[Step, ...]
    losses: tuple[Loss, ...] = ()  # what could not come back (lines count from 1 in `text`)

    @property
    def changed(self) -> bool:
        """True when the text itself changed (a transcoding alone does not count here)."""
        return self.text != self.original

    @property
    def lossy(self) -> bool:
        return any(not step.lossless for step in self.steps)

    @property
    def guesses(self) -> tuple[tuple[int, str], ...]:
        """Every character of `text` with a guessed byte in it, as (position in `text`, character):
        repair("涓�鏂囦贡鐮佷慨澶嶅伐鍏").guesses == ((0, "中"), (7, "具"))."""
        if not any(step.guessed for step in self.steps):
            return ()
        positions = verify.guessed_positions(self.original, self.steps)
        return tuple((position, self.text[position]) for position in positions)


def detect(data: bytes) -> Detection:
    """How `data` is encoded: detect("中文".encode("gbk")).encoding == "cp936"."""
    return _detect.detect(data)


def decode(data: bytes, encoding: str | None = None, offset: int = 0) -> tuple[str, Detection]:
    """The text of `data` and how it was read; `offset` places `data` in a longer stream."""
    detection = _detected(data, encoding)
    return _decode_as(data, detection, encoding, offset)[0], detection


def _detected(data: bytes, encoding: str | None) -> Detection:
    """How to read `data`: as `encoding` (--encoding) if given, else as detected."""
    return _detect.forced(data, encoding) if encoding else _detect.detect(data)


def _decode_as(data: bytes, detection: Detection, asked: str | None, offset: int) -> tuple[str, bool]:
    """The text, and whether some bytes were not of the encoding (see detection.read)."""
    try:
        return _detect.read(data, detection)
    except UnicodeDecodeError as error:
        name = asked or detection.encoding
        hint = " (omit --encoding to detect it)" if asked else " (name it with --encoding)"
        raise InputError(f"not valid {name} at byte {offset + error.start + len(detection.bom)}{hint}") from None


def repair(
    data: bytes | str,
    *,
    encoding: str | None = None,
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
    script: str | None = None,
    strict: bool = False,
) -> Result:
    """Detect, repair and verify: repair("浣犲ソ涓栫晫").text == "你好世界".

    `data` may be bytes (detected, or read as `encoding`) or already-decoded text. `script`
    ("simplified" or "traditional") converts the repaired text with OpenCC as a last step.
    `strict` refuses guesses: lost bytes are not rebuilt, and such spans stay as they are.
    """
    chosen = select(only, skip, script, strict)
    if isinstance(data, str):
        return _repair_text(data, False, Detection("utf-8", b"", 1.0, "text"), chosen)
    detection = _detected(data, encoding)
    return _repair_text(*_decode_as(data, detection, encoding, 0), detection, chosen)


def _repair_text(text: str, lenient: bool, detection: Detection, chosen: tuple[strategies.Strategy, ...]) -> Result:
    """Repair decoded text; `lenient` if some of its bytes were not of the encoding (see
    detection.read), which are then reported as losses."""
    steps, repaired = chain.plan(text, chosen).steps()
    cleanup_steps, repaired = chain.clean_up(repaired, chosen)
    steps += cleanup_steps
    # Repairing a piece can bring out damage beside it that the triage of the longer text let
    # pass (a line read on its own is judged more closely): repair again until a pass finds
    # nothing, which is also the proof that the result is stable. Guesses are left out of the
    # later passes, which would only place them differently over what is still lost (`�`).
    settled = tuple(strategy for strategy in chosen if not strategies.guesses(strategy))
    more = steps
    for _ in range(MAX_PASSES + 1):
        if not more:
            break
        more, again = chain.plan(repaired, settled).steps()
        more_cleanup, again = chain.clean_up(again, settled)
        more += more_cleanup
        steps += more
        repaired = again
    verify.verify_idempotent(repaired, more)
    verify.verify_steps(text, steps, repaired)
    found = losses.find(repaired)
    if lenient:
        unread = losses.kept(text) if detection.is_utf8 else losses.replaced(text, detection.encoding)
        found = tuple(sorted(unread + found, key=lambda loss: loss.line))
    return Result(repaired, text, detection, tuple(steps), found)


def select(
    only: tuple[str, ...] = (), skip: tuple[str, ...] = (), script: str | None = None, strict: bool = False
) -> tuple[strategies.Strategy, ...]:
    """The strategies --only/--skip leave, in search order (without those that guess, if `strict`),
    and a script conversion if asked for; an unknown name is an InputError."""
    try:
        chosen = strategies.select(only, skip)
    except KeyError as error:
        raise InputError(f"unknown strategy {error.args[0]} (see --list-strategies)") from None
    if strict:
        chosen = tuple(strategy for strategy in chosen if not strategies.guesses(strategy))
    if script is None:
        return chosen
    conversion = strategies.BY_NAME.get(f"to-{script}")
    if conversion is None:
        raise InputError(f"unknown script {script!r} (simplified or traditional)")
    return chosen + (conversion,)


def replay(text: str, steps: tuple[Step, ...] | list[Step]) -> str:
    """Apply recorded steps to the text they were planned on; gives Result.text back."""
    return verify.replay(text, steps)


def repair_chunks(
    chunks: Iterable[bytes],
    *,
    encoding: str | None = None,
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
    script: str | None = None,
    strict: bool = False,
) -> Iterator[Result]:
    """repair() over a stream cut at line ends (b"\\n"): detect on the first chunk, then read
    every later chunk the same way, so that memory stays bounded by the chunk size. Only the
    first chunk's Detection carries the BOM."""
    for _chunk, result in repair_stream(chunks, encoding=encoding, only=only, skip=skip, script=script,
                                        strict=strict):
        yield result


def repair_stream(
    chunks: Iterable[bytes],
    *,
    encoding: str | None = None,
    only: tuple[str, ...] = (),
    skip: tuple[str, ...] = (),
    script: str | None = None,
    strict: bool = False,
    jobs: int = 1,
) -> Iterator[tuple[bytes, Result]]:
    """(chunk, its Result) for each chunk, in order: repair_chunks() with the chunks, and with
    `jobs` processes once the encoding is settled (the results are the same for any `jobs`)."""
    options = (encoding, only, skip, script, strict)
    chosen = select(only, skip, script, strict)
    detection: Detection | None = None
    offset = 0
    chunks = iter(chunks)
    for chunk in chunks:
        if detection is None or detection.method == "ascii":  # ASCII so far says nothing yet
            found = _detected(chunk, encoding)
            text, lenient = _decode_as(chunk, found, encoding, offset)
            if detection is not None:  # a later chunk: the BOM, if any, was the first one's
                found = replace(found, bom=b"")
            detection = found
            result = _repair_text(text, lenient, detection, chosen)
        else:
            detection = replace(detection, bom=b"")
            result = _repair_text(*_decode_as(chunk, detection, encoding, offset), detection, chosen)
        offset += len(chunk)
        yield chunk, result
        if jobs > 1 and detection.method != "ascii":
            following = next(chunks, None)  # a one-chunk input (a pipe's line) never starts workers
            if following is None:
                return
            chunks = itertools.chain((following,), chunks)
            if parallel.available():
                break
    else:
        return
    yield from parallel.map_in_order(_repair_chunk, _with_offsets(chunks, detection, offset, options), jobs)


def _with_offsets(chunks: Iterator[bytes], detection: Detection, offset: int, options: tuple[object, ...]
                  ) -> Iterator[tuple[bytes, tuple[object, ...]]]:
    for chunk in chunks:
        yield chunk, (chunk, detection, offset, options)
        offset += len(chunk)


def _repair_chunk(chunk: bytes, detection: Detection, offset: int, options: tuple[object, ...]) -> Result:
    """One later chunk of a stream, in a worker process (see parallel.py)."""
    encoding, only, skip, script, strict = options
    chosen = select(only, skip, script, strict)  # type: ignore[arg-type]
    return _repair_text(*_decode_as(chunk, detection, encoding, offset), detection, chosen)  # type: ignore[arg-type]
