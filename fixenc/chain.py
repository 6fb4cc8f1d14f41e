"""Search over chains of strategies, per piece of a document, scored by the model.

The whole text is tried first (most garbled files are garbled throughout, and the evidence of a
whole document is strong); failing that each line, and failing that each run inside a line. A
piece is repaired only when the best chain makes it clearly more plausible and every lossless
step round-trips. The steps returned replay on the input to give the output.
"""
from __future__ import annotations

import itertools
import math
import re
import unicodedata
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from . import model as _model
from . import producers, screen, segment, suspect, utf8_stretches
from .strategies import Span, Step, Strategy, guesses

# Two layers of the same damage are common (`æ¶“æžƒ`); three are seen; more is noise.
MAX_LAYERS = 3
# Candidate chains kept per layer: codec strictness prunes most; this bounds the rest.
BEAM_WIDTH = 6
# A repair must buy MIN_GAIN nats of plausibility; each further layer must buy STEP_COST more, since
# a second layer of damage is far rarer than one. Set by bench/accuracy.py: the clean controls stay
# untouched at 8; a further layer of real damage buys 20 or more, while `嘎嘎嘎嘎` read through
# gbk-as-big5 as `骨骨骨骨` buys 8.
MIN_GAIN = 8.0
STEP_COST = 10.0
# A run repaired on its own, with no stronger run of the same damage in its line, must buy this
# much: `姐姐` read through gbk-as-big5 becomes `﹋﹋` for 9.5 nats, real one-character damage
# (`扂` for 我) buys 10-16.
RUN_MIN_GAIN = 12.0
# A repair must read as language, not merely beat the damage: garbage made from garbage (a
# shifted stretch read through big5-as-gbk) averages over 12 nats a character, repaired Chinese
# 5-7. Pieces shorter than MEAN_COST_MIN_CHARS are exempt (a lone emoji costs 11).
MAX_MEAN_COST = 10.5
MEAN_COST_MIN_CHARS = 4
# A repair of a whole text or line must not make any of its runs this much less plausible: a
# line that is half clean (`补充点评 2007年… 羆ぇ...`) fits big5-as-gbk as a whole, and the gain
# on the damaged half would pay for wrecking the clean half.
MAX_RUN_HARM = 4.0
# A text this short is tried even when the triage finds no rare character in it (see plan). On
# 58,565 strings of Debian's zh_CN and zh_TW translations, garbled, this repairs 0.1-0.3% more of
# them, and none of the clean ones changes.
ALWAYS_TRIED_CHARS = 40
# Above this many characters the whole-text gain is estimated from sampled lines.
SAMPLE_CHARS = 2_000


@dataclass
class Piece:
    """A stretch of the document and the chain chosen for it (empty: left alone)."""

    text: str
    chain: tuple[Strategy, ...] = ()
    confidence: float = 1.0
    gain: float = 0.0


@dataclass
class Plan:
    pieces: list[Piece] = field(default_factory=list)

    def steps(self) -> tuple[list[Step], str]:
        """Steps layer by layer, each with spans in the text as it stood before it; and the result."""
        texts = [piece.text for piece in self.pieces]
        steps: list[Step] = []
        depth = max((len(piece.chain) for piece in self.pieces), default=0)
        for layer in range(depth):
            order: list[Strategy] = []
            for piece in self.pieces:
                if len(piece.chain) > layer and piece.chain[layer] not in order:
                    order.append(piece.chain[layer])
            for strategy in order:
                spans, confidences, gain, offset, guessed, after = [], [], 0.0, 0, [], 0
                marks = getattr(strategy, "guessed", None)
                for index, piece in enumerate(self.pieces):
                    length = len(texts[index])
                    if len(piece.chain) > layer and piece.chain[layer] is strategy:
                        spans.append(Span(offset, offset + length))
                        confidences.append(piece.confidence)
                        gain += piece.gain if layer == 0 else 0.0
                        guessed += [after + position for position in marks(texts[index])] if marks else []
                        texts[index] = strategy.apply(texts[index])
                    offset += length
                    after += len(texts[index])
                steps.append(Step(strategy.name, tuple(spans), min(confidences), strategy.lossless, round(gain, 2),
                                  tuple(guessed)))
        return steps, "".join(texts)


def _try(strategy: Strategy, text: str) -> str | None:
    if not strategy.applies(text):
        return None
    try:
        candidate = strategy.apply(text)
        if candidate == text or (strategy.lossless and strategy.inverse(candidate) != text):
            return None
    except (UnicodeError, ValueError):
        return None
    return candidate


def _candidates(text: str, strategies: tuple[Strategy, ...], first: tuple[Strategy, ...] | None = None
                ) -> list[tuple[tuple[Strategy, ...], str]]:
    """Every chain of up to MAX_LAYERS strategies that fits `text` exactly, with its result (each
    beginning with one of `first`, if given)."""
    frontier: list[tuple[tuple[Strategy, ...], str]] = [((), text)]
    found: list[tuple[tuple[Strategy, ...], str]] = []
    seen = {text}
    # Guessing strategies last: a guess undoes the outermost damage (the lossy decode), never a
    # layer under another; and where a lossless reading leaves nothing suspect, no byte was lost,
    # and the search for lost ones would only find that reading again.
    ordered = sorted(strategies, key=guesses)
    for layer in range(MAX_LAYERS):
        next_frontier, unsettled, settled = [], [], False
        for chain, current in frontier:
            for strategy in ordered:
                if guesses(strategy) and (layer or settled) or (not layer and first and strategy not in first):
                    continue
                candidate = _try(strategy, current)
                if candidate is not None and candidate not in seen:
                    seen.add(candidate)
                    item = (chain + (strategy,), candidate)
                    next_frontier.append(item)
                    # A candidate the triage finds nothing in needs no further layer: a further
                    # layer of damage leaves clusters of rare characters, which the triage finds.
                    if _settled(candidate):
                        settled = True
                    else:
                        unsettled.append(item)
        found.extend(next_frontier)
        next_frontier = unsettled
        if not next_frontier:
            break
        frontier = next_frontier[:BEAM_WIDTH] if len(next_frontier) <= BEAM_WIDTH else _best(next_frontier)
    return found


def _settled(text: str) -> bool:
    """Nothing left to repair that the triage can see."""
    return not _any(suspect.suspect_lines(text[:SAMPLE_CHARS]))


def _cost(text: str) -> float:
    """The model's cost, kept: every candidate of a piece is compared with the same `before`."""
    return _totals(text)[-1] if text else 0.0


@lru_cache(maxsize=256)
def _totals(text: str) -> array[float]:
    """The model's cost of `text` so far after each character, kept (as doubles, 8 bytes a
    character): the gain, the mean cost and the runs checked for harm all read it, so a piece and
    each candidate are scored once."""
    totals = array("d")
    _model.load().cost(text, totals=totals)
    return totals


def _run_cost(text: str, start: int, end: int) -> float:
    """The cost of text[start:end] on its own, from the text's totals: a run starts after ASCII
    below 0x40, which the model does not score its first character after (a digit aside, so the
    first is scored alone), and every later character looks back only inside the run."""
    totals = _totals(text)
    return _model.load().cost(text[start]) + totals[end - 1] - totals[start]


@lru_cache(maxsize=4)
def _lines(text: str) -> list[str]:
    return text.split("\n")


def _any(items: Iterator[object]) -> bool:
    return next(items, None) is not None


def _best(items: list[tuple[tuple[Strategy, ...], str]]) -> list[tuple[tuple[Strategy, ...], str]]:
    scorer = _model.load()
    return sorted(items, key=lambda item: scorer.cost(item[1][:SAMPLE_CHARS]))[:BEAM_WIDTH]


def _confidence(gain: float, needed: float) -> float:
    """0.5 at the threshold, approaching 1 as the margin grows."""
    return round(1.0 - 0.5 * math.exp(-(gain - needed) / needed), 4)


def _sample(text: str) -> list[int]:
    """Indexes of lines to score when a text is too long to score whole."""
    count = text.count("\n") + 1
    stride = max(1, math.ceil(len(text) / SAMPLE_CHARS))
    return list(range(0, count, stride))


def _sampled(before: str, after: str) -> tuple[str, str, float] | None:
    """A long text and its repair cut down to the same sampled lines, with the factor that scales a
    gain on them back to the whole; None where the lines do not pair up."""
    before_lines, after_lines = _lines(before), after.split("\n")
    if len(before_lines) != len(after_lines):
        return None
    picked = _sample(before)
    return ("\n".join(before_lines[i] for i in picked), "\n".join(after_lines[i] for i in picked),
            len(before_lines) / len(picked))


def _gain(before: str, after: str, left: str = "", right: str = "") -> float:
    """Nats of plausibility bought by turning `before` into `after`, between context characters."""
    if len(before) <= SAMPLE_CHARS:
        return _cost(left + before + right) - _cost(left + after + right)
    sampled = _sampled(before, after)
    if sampled is None:
        return _cost(before[:SAMPLE_CHARS]) - _cost(after[:SAMPLE_CHARS])
    # Line breaks cost the same on both sides, so the joined lines score as the sum of the lines.
    return (_cost(sampled[0]) - _cost(sampled[1])) * sampled[2]


def choose(text: str, strategies: tuple[Strategy, ...], left: str = "", right: str = "",
           first: tuple[Strategy, ...] | None = None) -> Piece:
    """The piece with the most plausible chain that clears the bar, or left alone; `first`, the
    strategies a chain may begin with, where the others are known not to fit (see screen.py)."""
    best: Piece | None = None
    best_margin = 0.0
    rare = _rare_count(text)
    for chain, candidate in _candidates(text, strategies, first):
        # Repairs make rare characters common; a candidate with more is not worth scoring.
        if _rare_count(candidate) > rare:
            continue
        if _unjudged(chain, text, candidate):
            continue  # symbols or letters for a CJK codec's symbols: no word to judge by
        if len(candidate) >= MEAN_COST_MIN_CHARS and _mean_cost(candidate) > MAX_MEAN_COST:
            continue
        needed = MIN_GAIN + STEP_COST * (len(chain) - 1)
        margin = _gain(text, candidate, left, right) - needed
        if margin >= 0 and (best is None or margin > best_margin) and not _harms_a_run(text, candidate):
            best = Piece(text, chain, _confidence(margin + needed, needed), margin + needed)
            best_margin = margin
    return best or Piece(text)


def _unjudged(chain: tuple[Strategy, ...], text: str, candidate: str) -> bool:
    """Whether a chain that repairs into GBK or Big5 text leaves no Han character on either side
    (see WrongCodec.needs_han); from a single-byte misreading, CJK punctuation around ASCII will do
    (`“hello”`, GBK's quotes read as cp1252: `¡°hello¡±`)."""
    if not any(getattr(step, "needs_han", False) for step in chain):
        return False
    before, after = text[:SAMPLE_CHARS], candidate[:SAMPLE_CHARS]
    if segment.han_count(before) or segment.han_count(after):
        return False
    if any(getattr(step, "between_cjk", False) for step in chain):
        return True
    marks = [char for char in after if char > "\x7f"]
    return not (marks and all(_is_cjk_mark(char) for char in marks))


@lru_cache(maxsize=1024)
def _is_cjk_mark(char: str) -> bool:
    return ("\u2010" <= char < "\u2070" or "\u3000" <= char < "\u3040" or "\uff00" <= char < "\uffef") \
        and unicodedata.category(char).startswith("P")


def _harms_a_run(before: str, after: str) -> bool:
    """Whether some run of `after` is much less plausible than the same run of `before`.

    Codec repairs keep every ASCII character below 0x40 (no trail byte is that low), so the
    runs between them pair up one to one. A long text is judged on its sampled lines.
    """
    if len(before) > SAMPLE_CHARS:
        sampled = _sampled(before, after)
        if sampled is None:
            return False
        before, after, _ = sampled
    before_runs, after_runs = list(segment.runs(before)), list(segment.runs(after))
    if len(before_runs) != len(after_runs):
        return False
    return any(before[old[0]:old[1]] != after[new[0]:new[1]]
               and _run_cost(after, *new) - _run_cost(before, *old) > MAX_RUN_HARM
               for old, new in zip(before_runs, after_runs))


def _mean_cost(text: str) -> float:
    sample = text[:SAMPLE_CHARS]
    return _cost(sample) / len(sample)


def _rare_count(text: str) -> int:
    return _model.load().rare_count(text[:SAMPLE_CHARS])


def plan(text: str, strategies: tuple[Strategy, ...]) -> Plan:
    """Decide what to do with each piece of `text`: whole, else per suspect line, else per run."""
    strategies = tuple(s for s in strategies if getattr(s, "scope", "piece") == "piece")
    if not strategies or not segment.has_non_ascii(text):
        return Plan([Piece(text)])
    suspects = suspect.suspect_lines(text)
    first = list(itertools.islice(suspects, screen.WHOLE_LINES))
    screened = len(text) > suspect.SHORT_TEXT
    if not first:
        # Nothing rare: a long text is clean. A label may not be: its few characters can each be
        # common enough (`鍛戒护` for 命令), so it is tried whole.
        return Plan([choose(text, strategies) if len(text) <= ALWAYS_TRIED_CHARS else Piece(text)])
    readers = screen.whole_readers(text, first, strategies) if screened else strategies
    if readers is not None:
        whole = choose(text, strategies, first=readers)
        if whole.chain:
            return Plan([whole])
    placed: list[tuple[int, int, list[Piece]]] = []
    for start, end in itertools.chain(first, suspects):
        line = text[start:end]
        if screened and not screen.may_hold_damage(line, strategies):
            continue
        piece = choose(line, strategies)
        if piece.chain:
            placed.append((start, end, [piece]))
        else:
            # A line that is one run was tried whole already: only damage inside it is left to find.
            repaired = _plan_runs(line, strategies, tried_whole=_single_run(line))
            if any(piece.chain for piece in repaired):
                placed.append((start, end, repaired))
    return Plan(_assemble(text, placed))


def _assemble(text: str, placed: list[tuple[int, int, list[Piece]]]) -> list[Piece]:
    """The pieces of `text`: those placed at (start, end), in order, and the clean text between."""
    pieces: list[Piece] = []
    position = 0
    for start, end, repaired in placed:
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.extend(repaired)
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces


def _single_run(line: str) -> bool:
    spans = list(segment.runs(line))
    if len(spans) != 1 or line[spans[0][0]:spans[0][1]] != line.rstrip("\r\n"):
        return False
    return segment.punctuation_parts(line, *spans[0], _latin_damage_marks()) == [spans[0]]


@lru_cache(maxsize=1)
def _latin_damage_marks() -> re.Pattern[str]:
    """Marks a run is not cut at: the rare ones that cp1252 makes of high bytes (`‚` `‡` `‰`), which
    stand inside Latin-1 mojibake, not beside it. (A part of such a run fits gbk-as-cp1252 by chance
    and becomes other garbage; common marks, `“` `”` `…`, still cut.)"""
    scorer = _model.load()
    high = producers.decode(bytes(range(0x80, 0x100)), producers.CP1252)
    marks = sorted({char for char in high if scorer.rarity(char) >= _model.RARE_COST})
    return re.compile("[" + re.escape("".join(marks)) + "]")


def _plan_runs(line: str, strategies: tuple[Strategy, ...], tried_whole: bool = False) -> list[Piece]:
    """Runs of a line, each repaired on its own; failing that, the parts of a run between its
    marks; failing both, the stretches inside the run that a codec repair reads (see _inner);
    only the last where the line is one run, `tried_whole` already. A weak run needs a strong one
    beside it in the same line with the same chain: alone, a run of one or two characters is too
    little evidence."""
    chosen: list[tuple[int, int, Piece]] = []
    for run_start, run_end in segment.runs(line):
        spans = [] if tried_whole else [(run_start, run_end)]
        before = len(chosen)
        while spans:
            start, end = spans.pop(0)
            if not _rare_count(line[start:end]):  # every damage leaves a rare character
                continue
            piece = choose(line[start:end], strategies, line[start - 1:start], line[end:end + 1])
            if piece.chain:
                chosen.append((start, end, piece))
            elif (start, end) == (run_start, run_end):
                parts = segment.punctuation_parts(line, start, end, _latin_damage_marks())
                spans = parts if parts != [(start, end)] else []
        found = chosen[before:]
        if not found and _rare_count(line[run_start:run_end]):
            chosen += _inner(line, run_start, run_end, strategies)[0]
        elif found:
            repaired = _with_pieces(line, run_start, run_end, found)
            if _rare_count(repaired):
                # Parts repaired, but rare characters left: a mark inside damage may have cut it
                # there (`ä¸”` is 且, `æ—©` 早, and `”` `—` common marks), where the stretches a
                # lossless repair reads cross the cut.
                inner, inner_cost = _inner(line, run_start, run_end, strategies)
                if inner and inner_cost < _cost(repaired):
                    chosen[before:] = inner
    strong = {piece.chain for _, _, piece in chosen if piece.gain >= RUN_MIN_GAIN}
    kept = [(start, end, [piece]) for start, end, piece in chosen
            if piece.gain >= RUN_MIN_GAIN or piece.chain in strong]
    return _assemble(line, kept)


def _inner(line: str, start: int, end: int, strategies: tuple[Strategy, ...]) -> tuple[list[tuple[int, int, Piece]], float]:
    """Damage inside a run, between clean characters with no mark to cut at, or with marks inside
    it (`季度全国瑙勬ā浠ヤ笂宸ヤ笟增加值`: a pasted field, a name from another system): of the
    stretches a codec repair reads, those whose repairs leave the run most plausible, and the
    run's cost with them. (The longest such stretch may take in a clean character after the
    damage: 太 is CC AB in GBK, whole UTF-8 for a combining mark.)"""
    run = line[start:end]
    scorer = _model.load()
    repairs: list[tuple[int, int, Piece, str]] = []
    lossless = tuple(strategy for strategy in strategies if strategy.lossless)  # the spans are what these read
    for first, last in utf8_stretches.find(run, lossless):
        piece = choose(run[first:last], lossless, line[start + first - 1:start + first], run[last:last + 1])
        if piece.chain:
            repairs.append((first, last, piece, _applied(piece)))
    taken: list[tuple[int, int, Piece, str]] = []
    best = scorer.cost(run)
    while True:
        found = None
        for repair in repairs:
            if any(repair[0] < other[1] and other[0] < repair[1] for other in taken):
                continue
            total = scorer.cost(_replaced(run, sorted([*taken, repair])))
            if total < best:
                best, found = total, repair
        if found is None:
            return [(start + first, start + last, piece) for first, last, piece, _ in sorted(taken)], best
        taken.append(found)


def _with_pieces(line: str, start: int, end: int, pieces: list[tuple[int, int, Piece]]) -> str:
    """line[start:end] with each piece (placed in the line) repaired by its chain."""
    repairs = [(first - start, last - start, piece, _applied(piece)) for first, last, piece in pieces]
    return _replaced(line[start:end], sorted(repairs, key=lambda repair: repair[0]))


def _applied(piece: Piece) -> str:
    """The piece's text repaired by its chain."""
    text = piece.text
    for strategy in piece.chain:
        text = strategy.apply(text)
    return text


def _replaced(text: str, repairs: list[tuple[int, int, Piece, str]]) -> str:
    """`text` with each (first, last) stretch replaced by its repair (in order, apart)."""
    pieces, position = [], 0
    for first, last, _, repaired in repairs:
        pieces += [text[position:first], repaired]
        position = last
    return "".join(pieces) + text[position:]


def clean_up(text: str, strategies: tuple[Strategy, ...]) -> tuple[list[Step], str]:
    """Document-level strategies, in registry order, after the codec repairs: each finds its own
    spans from evidence across the whole text, and becomes one step."""
    steps: list[Step] = []
    for strategy in strategies:
        if getattr(strategy, "scope", "piece") != "document":
            continue
        spans = strategy.find(text)  # type: ignore[attr-defined]
        if not spans:
            continue
        pieces, position, after, guessed = [], 0, 0, []
        marks = getattr(strategy, "guessed", None)
        for span in spans:
            before = text[span.start:span.end]
            after += span.start - position
            guessed += [after + index for index in marks(before)] if marks else []
            pieces += [text[position:span.start], strategy.apply(before)]
            after += len(pieces[-1])
            position = span.end
        text = "".join(pieces) + text[position:]
        steps.append(Step(strategy.name, tuple(spans), 1.0, strategy.lossless, guessed=tuple(guessed)))
    return steps, text
