"""Text that fell one byte out of step: `態度?!痹商K說` -> `態度。”曾蒙蘇說`.

A decoder that meets a bad byte pair writes `?`, and from there reads every pair one byte late
until an ASCII byte brings it back in step; a late pair whose second byte was ASCII swallows that
byte (`(`, `<`). Here a `?` in Chinese text followed by rare characters is taken as such a place:
the text after it is turned back into bytes, the lost byte before it searched for (and each later
`?` as a lost byte plus perhaps a swallowed ASCII byte, each folded `!` as the full-width mark it
may have been), and the bytes re-read in step. The model chooses among the fillings.
"""
from __future__ import annotations

import os
import re
from functools import cached_property, lru_cache

from .. import model as _model
from .. import producers
from .base import NamedStrategy, Span
from .pinyin_residue import reading_annotations

# Characters the search may re-read after the `?`: a shift ends at the first ASCII letter or
# digit it reaches (or the end of the line), and rarely runs longer than this.
MAX_REGION = 48
BEAM_WIDTH = 24
# A lost lead byte can leave 126 readings waiting at once, each with its own beam: cap the lot.
MAX_STATES = 400
# A swallowed byte is one a double-byte lead cannot take as its trail: ASCII below 0x40, line
# breaks and tabs included (two lines merge into one).
_SWALLOWABLE = tuple(bytes((b,)) for b in (0x0A, 0x09, 0x0D, *range(0x20, 0x40)))
_LEADS = tuple(range(0x81, 0xFF))
# Marks a width filter folds, which inside a shifted stretch may stand for a full-width pair.
_FOLDABLE = ",?:;()!"
# What a shifted stretch is made of: non-ASCII characters, folded marks and `?`s.
_STRETCH = re.compile(f"(?:[^\\x00-\\x7f]|[{re.escape(_FOLDABLE)}])*")  # compiles fast, unlike [\x80-\U0010ffff]
# The re-read text must be this much more plausible than the shifted one (nats). `了?!!!!!?` read
# in step as `了。。。。。。` buys 6, `路?!?/p>` as `路。”</p>` 9; a clean `?` in Chinese loses tens
# of nats when re-read, and the stretch must look shifted before it is re-read at all.
MIN_GAIN = 5.0
# A character followed by its own reading in brackets, `聯(lián)`, is as good as evidence gets.
ANNOTATION_BONUS = 8.0
# An unmatched bracket, in the line as repaired, costs this much: the swallowed `(` of `(lián)`
# and `<` of `</p>` are chosen by the brackets they close.
UNMATCHED_BRACKET_COST = 6.0
_BRACKETS = {"(": ")", "<": ">", "[": "]"}


class ShiftedBytes(NamedStrategy):
    lossless = False
    guesses = True  # --strict leaves these out
    scope = "document"

    def __init__(self, name: str, codec: str, summary: str):
        super().__init__(name, summary)
        self.codec = codec
        # find() re-reads a stretch to judge it, the chain applies it, verify replays it: the same
        # deterministic search each time, so its answer is kept.
        self._resync = lru_cache(maxsize=512)(self._resync)  # type: ignore[method-assign]

    @cached_property
    def _trigger(self) -> re.Pattern[str]:
        # `?` between Chinese characters, perhaps with a folded mark or another `?` after it. The
        # `?` comes first so that the regex engine skips from one `?` to the next at C speed.
        return re.compile(r"\?(?<=[^\x00-\x7f]\?)(?=[!,:;?]{0,8}(?:[^\x00-\x7f]|\?))")

    def applies(self, text: str) -> bool:
        return "?" in text and self._trigger.search(text) is not None

    def find(self, text: str) -> tuple[Span, ...]:
        if not self.applies(text):
            return ()
        spans: list[Span] = []
        position = 0
        for match in self._trigger.finditer(text):
            start = match.start() - 1  # the character before `?` is the search's left context
            if start < position:
                continue
            end = self._best_end(text, start)
            if end:
                spans.append(Span(start, end))
                position = end
        return tuple(spans)

    def apply(self, text: str) -> str:
        best = self._resync(text)
        if best is None:
            raise ValueError("no in-step reading of this stretch")
        return best[0]

    def guessed(self, text: str) -> tuple[int, ...]:
        """Every character apply(text) re-read: each stands on the guess of the byte that was lost
        (not the character before the `?`, read in step, nor ASCII that came back in step)."""
        repaired = self.apply(text)
        kept = len(os.path.commonprefix([text, repaired]))
        return tuple(index for index, char in enumerate(repaired) if index >= kept and not char.isascii())

    def inverse(self, text: str) -> str:
        raise ValueError("the lost bytes of a shifted stretch are guessed, not restored")

    def _best_end(self, text: str, start: int) -> int | None:
        """Where the shifted stretch that starts at text[start + 1] ends, if re-reading it pays.

        It ends where the decoder came back in step: at the first ASCII letter (kept with what
        follows it as context), or right after a `?` whose lost byte took an ASCII byte with it
        (`常?!?` + `也…`: the `?` swallowed a line feed, and `也` was read in step again).
        """
        stop, regular_end = _stretch(text, start + 2)
        # (end, where the stretch itself stops): after a swallowing `?`, one in-step character follows.
        ends = [(index + 2, index + 1) for index in range(start + 3, stop - 1)
                if text[index] == "?" and not text[index + 1].isascii()]
        ends += [(regular_end, stop)] if regular_end is not None else []
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        scorer = _model.load()
        best_end, best_gain = None, MIN_GAIN
        for end, stretch_stop in ends:
            if not _looks_shifted(text[start + 2:stretch_stop]):
                continue
            found = self._resync(text[start:end])
            if found is None:
                continue
            before, after = text[start:end], found[0]
            gain = (_cost(scorer, before, "") + _bracket_cost(text[line_start:line_end])
                    - _cost(scorer, after, "") - _bracket_cost(text[line_start:start] + after + text[end:line_end]))
            if gain >= best_gain:
                best_end, best_gain = end, gain
        return best_end

    def _resync(self, span: str) -> tuple[str, float] | None:
        """The best in-step reading of span[1:], by beam search over the fillings: span[0] is
        context, span[1] the `?` that stands for the lost byte."""
        stop, end = _stretch(span, 2)
        if end is None or end != len(span):
            return None
        slots = self._slots(span[2:stop], span[stop:])
        if slots is None:
            return None
        scorer = _model.load()
        context = span[stop:]
        # States: (cost so far, text, lead byte waiting for its trail, model cost of text alone).
        # The model's cost grows by what each step adds after the text's last characters, so a
        # step costs the length of what it reads, not of everything read so far.
        beam: list[tuple[float, str, bytes, float]] = [(0.0, span[0], b"", scorer.cost(span[0]))]
        for options in slots:
            grown: dict[tuple[str, bytes], tuple[float, float]] = {}
            for _, text, pending, model_cost in beam:
                for option in options:
                    read = self._read(pending + option)
                    if read is None:
                        continue
                    key = (text + read[0], read[1])
                    if key not in grown:
                        added = _model.added_cost(text[-2:], read[0]) if read[0] else 0.0
                        total = model_cost + added
                        # Brackets are judged against the context still to come: `(` before `lián)`.
                        grown[key] = (total + _extra_cost(key[0], context), total)
            beam = _prune(grown)
            if not beam:
                return None
        finished = [(cost, text) for cost, text, pending, _ in beam if not pending]
        if not finished:
            return None
        cost, text = min(finished)
        return text, cost

    def _slots(self, region: str, context: str) -> list[tuple[bytes, ...]] | None:
        """Byte alternatives for the stretch after the `?`, the lost lead byte first, then the
        context after it, whose bytes are as they stand."""
        slots: list[tuple[bytes, ...]] = [tuple(bytes((lead,)) for lead in _LEADS)]
        following = region + context
        try:
            for index, char in enumerate(region):
                if char == "?":
                    slots.append(tuple(bytes((lead,)) for lead in _LEADS))
                    slots.append(_swallowed(following[index + 1:index + 2]))
                elif char in _FOLDABLE:
                    slots.append((char.encode("ascii"), self._full_width(char)))
                else:
                    slots.append((producers.encode(char, self.codec),))
            slots.extend((producers.encode(char, self.codec),) for char in context)
        except UnicodeEncodeError:
            return None
        return slots

    def _full_width(self, char: str) -> bytes:
        return producers.encode(chr(ord(char) + 0xFEE0), self.codec)

    def _read(self, data: bytes) -> tuple[str, bytes] | None:
        """Decode whole characters of `data` in step; (text, the lead byte still waiting)."""
        text = []
        index = 0
        while index < len(data):
            byte = data[index]
            if byte < 0x80:
                text.append(chr(byte))
                index += 1
                continue
            if index + 1 == len(data):
                return "".join(text), data[index:]
            char = _pair(data[index:index + 2], self.codec)
            if char is None:
                return None
            text.append(char)
            index += 2
        return "".join(text), b""


def _swallowed(after: str) -> tuple[bytes, ...]:
    """What a `?` inside a stretch may have swallowed, by what follows it. The decoder wrote `?`
    for a lead byte whose next byte could not be a trail (ASCII below 0x40, a line break): had it
    left that byte, the byte would follow as ASCII. So before a non-ASCII character it took one;
    at the line's end it had none; before ASCII, either."""
    if not after:
        return (b"",)
    if not after.isascii():
        return _SWALLOWABLE
    return (b"",) + _SWALLOWABLE


@lru_cache(maxsize=65536)
def _pair(data: bytes, codec: str) -> str | None:
    try:
        return producers.decode(data, codec)
    except UnicodeDecodeError:
        return None


def _looks_shifted(stretch: str) -> bool:
    """Pairs read one byte late make rare characters: at least one, and a third of the stretch's
    non-ASCII characters; or, with no such characters at all, another `?` and a folded mark
    (`路?!?/p>`). Clean `吗?我一共定了2本` has none, nor has a typed `满意????`: no search."""
    non_ascii = len(stretch) - len(stretch.encode("ascii", "ignore"))
    if not non_ascii:
        return "?" in stretch and any(char in _FOLDABLE and char != "?" for char in stretch)
    rare = _model.load().rare_count(stretch)
    return rare >= 1 and 3 * rare >= non_ascii


def _cost(scorer: _model.Model, text: str, context: str) -> float:
    """The model's cost, plus brackets judged against the context still to come (`(` before
    `lián)`), less a bonus for each character followed by its own reading."""
    return scorer.cost(text) + _extra_cost(text, context)


def _extra_cost(text: str, context: str) -> float:
    whole = text + context
    cost = _bracket_cost(whole)
    if "(" in whole:
        cost -= ANNOTATION_BONUS * len(reading_annotations(whole))
    return cost


def _prune(grown: dict[tuple[str, bytes], tuple[float, float]]) -> list[tuple[float, str, bytes, float]]:
    """The best BEAM_WIDTH readings for each waiting lead byte (readings that differ only in a
    byte not yet read score alike, and must not push each other out), MAX_STATES in all."""
    groups: dict[bytes, list[tuple[float, str, bytes, float]]] = {}
    for (text, pending), (cost, model_cost) in grown.items():
        groups.setdefault(pending, []).append((cost, text, pending, model_cost))
    kept = [state for group in groups.values() for state in sorted(group)[:BEAM_WIDTH]]
    return sorted(kept)[:MAX_STATES] if len(kept) > MAX_STATES else kept


def _stretch(text: str, start: int) -> tuple[int, int | None]:
    """(stop, end) of a shifted stretch that begins at `start`, just after the `?`.

    text[start:stop] is the stretch itself: marks, `?`s and non-ASCII characters, up to the line's
    end or MAX_REGION. The first ASCII letter after it brought the decoder back in step, perhaps
    as the trail of a pair (`商K說`); text[stop:end], the run of letters and marks from there to
    the next Chinese character or space, is kept as context, so that a swallowed `(` or `<` is
    chosen by the bracket it closes (`lián)`, `/p>`). `end` is None where no such letter ends it.
    """
    limit = min(len(text), start + MAX_REGION)
    stop = _STRETCH.match(text, start, limit).end()  # type: ignore[union-attr]
    if stop > start and (stop == len(text) or text[stop] in "\r\n") and text[stop - 1] == "?":
        # Out of step to the end of the line: the last lead byte found no trail (`天?!?`).
        return stop, stop
    if stop == len(text) and stop - start >= 2 and text[-2] == "?" and not text[-1].isascii():
        # A span that ends one character after a `?` that swallowed a byte: that character was
        # read in step again and is context (`常?!?` + `也`).
        return stop - 1, stop
    if stop == start or stop >= limit or not text[stop].isascii() or text[stop].isspace():
        return stop, None
    end = stop
    while end < limit and not text[end].isspace() and text[end] < "\u3000":
        end += 1
    return stop, end


def _bracket_cost(text: str) -> float:
    """Cost of brackets without a partner, counted, not nested: cheap enough for every state."""
    unmatched = sum(abs(text.count(opening) - text.count(closing)) for opening, closing in _BRACKETS.items())
    return unmatched * UNMATCHED_BRACKET_COST
