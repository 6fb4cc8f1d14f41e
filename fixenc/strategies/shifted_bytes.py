"""Text that fell one byte out of step: `態度?!痹商K說` -> `態度。”曾蒙蘇說`.

A decoder that meets a bad byte pair writes `?`, and from there reads every pair one byte late
until an ASCII byte brings it back in step; a late pair whose second byte was ASCII swallows that
byte (`(`, `<`, a digit, a line end). Here a `?` in Chinese text followed by rare characters is
taken as such a place: the text after it is turned back into bytes, the lost byte before it
searched for (and each later `?` as a lost byte plus perhaps a swallowed ASCII byte, each folded
`!` as the full-width mark it may have been), and the bytes re-read in step. The model chooses
among the fillings, a line at a time, with the line's quotes and brackets; every character a
guessed byte touches is marked as a guess.
"""
from __future__ import annotations

import os
import re
from functools import cached_property, lru_cache

from .. import model as _model
from .. import producers, segment
from .base import NamedStrategy, Span
from .guessed_bytes import guessed_word_cost
from .pinyin_residue import SYLLABLE, reading_annotations

# Characters the search may re-read after the `?`: a shift ends at the first ASCII letter or
# digit it reaches, or at the line's end; one longer than this is left as it is.
MAX_REGION = 400
BEAM_WIDTH = 24
# A lost lead byte can leave 126 readings waiting at once, each with its own beam: cap the lot.
MAX_STATES = 400
# A swallowed byte is one a double-byte lead cannot take as its trail: ASCII below 0x40, line
# breaks and tabs included (two lines merge into one).
_SWALLOWABLE = tuple(bytes((b,)) for b in (0x0A, 0x09, 0x0D, *range(0x20, 0x40)))
# The model charges a space less than any other ASCII byte, but inside Chinese a decoder far more
# often swallows a digit or a mark (`买时4199元`, `送人了......`) than a space. (Priced instead by how
# often the text shows each byte after a Chinese character, the bytes chose worse: where the
# decoder swallowed most line ends, the text shows few.)
SWALLOWED_SPACE_COST = 3.0
_SWALLOWED = tuple((byte, SWALLOWED_SPACE_COST if byte in b" \t" else 0.0) for byte in _SWALLOWABLE)
# Where the text's last `?` ends it, the decoder may have swallowed the final line break of a
# text of several lines; most such texts end with one, so nothing swallowed costs this (300
# shifted review documents, 30% of them written without a final break: 3 more exact).
NO_FINAL_BREAK_COST = 1.5
# A slot's alternatives: bytes, each with its cost.
_Options = tuple[tuple[bytes, float], ...]
_ANY_LEAD: _Options = tuple((bytes((lead,)), 0.0) for lead in range(0x81, 0xFF))
# The decoder swallows the ASCII byte after a lead byte it cannot pair (the `(` of `(lián)`): a
# `?` followed by ASCII other than the `!` it keeps took one. Another decoder might not have, so
# the reading that swallowed nothing stays, at this price.
UNSWALLOWED_COST = 6.0
# A swallowed line break splits the line where it stood: where no sentence ended (`京东征` +
# break + `次`, against `京东这2次`) that needs evidence the model of characters cannot give.
MID_SENTENCE_BREAK_COST = 8.0
# A swallowed mark that repeats the one after it continues a run (`......`, `???`), a digit
# before a digit a number, which the model, blind to ASCII, cannot see.
RUN_BONUS = 4.0
_MARKS = frozenset(".,?;:-~*#")
# Marks a width filter folds, which inside a shifted stretch may stand for a full-width pair.
_FOLDABLE = ",?:;()!"
# What a shifted stretch is made of: non-ASCII characters, folded marks and `?`s.
_STRETCH = re.compile(f"(?:[^\\x00-\\x7f]|[{re.escape(_FOLDABLE)}])*")  # compiles fast, unlike [\x80-\U0010ffff]
# The re-read text must be this much more plausible than the shifted one (nats). `了?!!!!!?` read
# in step as `了。。。。。。` buys 6, `路?!?/p>` as `路。”</p>` 9; a clean `?` in Chinese loses tens
# of nats when re-read, and the stretch must look shifted before it is re-read at all.
MIN_GAIN = 5.0
# Where a text holds such a stretch, its others need less: `很小?!?` as `很小。。` buys 4.4, a typed
# `真的吗?!?` re-read buys 3.5 and stays typed in a text that shows no other damage.
SUPPORTED_MIN_GAIN = 2.0
# A stretch whose bytes are this much whole UTF-8 characters is UTF-8 read as GBK, with bytes lost
# to `?`: another damage, and another strategy's (see producers.utf8_share).
UTF8_SHARE = 0.6
# A reading's annotation later in the line whose `(` a `?` swallowed (`?dān)`): that `?`'s own
# re-reading puts the `(` back, so its `)` closes nothing this stretch opens.
_SWALLOWED_OPENING = re.compile(rf"\?{SYLLABLE}\)")
# A stretch after `?!` of at most this many characters, cut short by ASCII, is searched though it
# holds no rare character (see _looks_shifted).
SHORT_STRETCH = 3
# A character followed by its own reading in brackets, `聯(lián)`, is as good as evidence gets.
ANNOTATION_BONUS = 8.0
# An unmatched bracket, in the line as repaired, costs this much: the swallowed `(` of `(lián)`
# and `<` of `</p>` are chosen by the brackets they close.
UNMATCHED_BRACKET_COST = 6.0
# A reading being built: (cost so far, text, lead byte waiting for its trail, model cost of the
# text alone, whether that lead byte is a guess, balance of brackets in the text).
State = tuple[float, str, bytes, float, bool, tuple[int, ...]]
_BRACKETS = (("(", ")"), ("<", ">"), ("[", "]"), ("“", "”"), ("（", "）"), ("《", "》"), ("【", "】"))
_BRACKET_CHARS = frozenset("".join(opening + closing for opening, closing in _BRACKETS))


class ShiftedBytes(NamedStrategy):
    lossless = False
    guesses = True  # --strict leaves these out
    scope = "document"

    def __init__(self, name: str, codec: str, summary: str):
        super().__init__(name, summary)
        self.codec = codec
        # find() repairs the lines to judge them, the chain applies it, verify replays it: the same
        # deterministic search each time, so its answers are kept.
        self._repair = lru_cache(maxsize=4)(self._repair)  # type: ignore[method-assign]
        self._repair_line = lru_cache(maxsize=256)(self._repair_line)  # type: ignore[method-assign]
        self._resync = lru_cache(maxsize=512)(self._resync)  # type: ignore[method-assign]
        # The search reads a waiting byte and a byte or two, over and over.
        self._read = lru_cache(maxsize=1 << 16)(self._read)  # type: ignore[method-assign]

    @cached_property
    def _trigger(self) -> re.Pattern[str]:
        # `?` at a line's start or after a Chinese character, a space or a `)` (a reading's
        # annotation before a sentence's end: `趨(qū)?!钡`), perhaps with a folded mark or another
        # `?` after it. The `?` comes first so that the regex engine skips from one `?` to the
        # next at C speed.
        return re.compile(r"\?(?<![\x00-\x09\x0b-\x1f\x21-\x28\x2a-\x7f]\?)(?=[!,:;?]{0,64}(?:[^\x00-\x7f]|\?))")

    def applies(self, text: str) -> bool:
        return "?" in text and self._trigger.search(text) is not None

    def find(self, text: str) -> tuple[Span, ...]:
        """The lines from the first that holds a stretch worth re-reading to the last: lines are
        the unit, since a line's brackets and quotes, closed or still open before a stretch, help
        choose the lost bytes, and the lines between are left as they are."""
        if not self.applies(text):
            return ()
        _, guessed, lines = self._repair(text)
        return (lines,) if guessed else ()

    def apply(self, text: str) -> str:
        repaired, guessed, _ = self._repair(text)
        if not guessed:
            raise ValueError("no in-step reading of these lines pays")
        return repaired

    def guessed(self, text: str) -> tuple[int, ...]:
        """Every character apply(text) re-read: each stands on the guess of a byte that was lost
        (not the character before the `?`, read in step, nor ASCII that came back in step)."""
        return self._repair(text)[1]

    def inverse(self, text: str) -> str:
        raise ValueError("the lost bytes of a shifted stretch are guessed, not restored")

    def _repair(self, text: str) -> tuple[str, tuple[int, ...], Span]:
        """Each line re-read, the positions of the re-read characters, and the lines from the
        first to the last that changed. A stretch that pays a little (`很小?!?`, which a hand
        could have typed) is re-read only where another in the same text paid MIN_GAIN: that
        text went through the decoder."""
        # The last line, where the text ends without a line break, may have had its break
        # swallowed: where the text has other lines ("lines"), or the line gets breaks back ("line").
        ending = "" if text.endswith("\n") else "lines" if "\n" in text else "line"
        # (start, end, ending where it is the last): each with its line feed, since what follows a
        # line's last `?` tells what it swallowed.
        lines: list[tuple[int, int, str]] = []
        for match in self._trigger.finditer(text):
            line_start = text.rfind("\n", 0, match.start()) + 1
            if not lines or line_start >= lines[-1][1]:
                line_end = text.find("\n", match.start())
                lines.append((line_start, line_end + 1, "") if line_end >= 0 else (line_start, len(text), ending))
        if not any(self._repair_line(text[start:end], MIN_GAIN, unfinished)[1] for start, end, unfinished in lines):
            return text, (), Span(0, 0)
        pieces: list[str] = []
        guessed: list[int] = []
        changed: list[tuple[int, int]] = []
        position = shift = 0
        for start, end, unfinished in lines:
            repaired, marks = self._repair_line(text[start:end], SUPPORTED_MIN_GAIN, unfinished)
            if marks:
                guessed += [shift + start + index for index in marks]
                pieces += [text[position:start], repaired]
                shift += len(repaired) - (end - start)
                position = end
                changed.append((start, end))
        return "".join(pieces) + text[position:], tuple(guessed), Span(changed[0][0], changed[-1][1])

    def _repair_line(self, line: str, min_gain: float, unfinished: str = "") -> tuple[str, tuple[int, ...]]:
        """The line with each shifted stretch that pays `min_gain` re-read in step, left to right,
        each judged after the ones before it; and the positions of the re-read characters.
        `unfinished`: the line ends the text without a line break ("lines" where the text has
        others, "line" where it is the text)."""
        pieces: list[str] = []
        guessed: list[int] = []
        position = 0
        for match in self._trigger.finditer(line):
            if match.start() < position:
                continue
            prefix = "".join(pieces) + line[position:match.start()]
            found = self._best_stretch(line, match.start(), prefix, min_gain, unfinished)
            if found is None:
                continue
            end, reading = found
            guessed += [len(prefix) + index for index in _guessed(line[match.start():end], reading)]
            pieces = [prefix, reading]
            position = end
        if not guessed:
            return line, ()
        return "".join(pieces) + line[position:], tuple(guessed)

    def _best_stretch(self, line: str, start: int, prefix: str, min_gain: float,
                      unfinished: str) -> tuple[int, str] | None:
        """Where the shifted stretch that starts with the `?` at line[start] ends, and its reading
        in step, if re-reading it pays; `prefix` is the line before it, as repaired so far.

        It ends where the decoder came back in step: at the first ASCII letter (kept with what
        follows it as context), or right after a `?` whose lost byte took an ASCII byte with it
        (`常?!?` + `也…`: the `?` swallowed a line feed, and `也` was read in step again).
        """
        stop, regular_end = self._stretch(line, start + 1)
        # (end, where the stretch itself stops): after a swallowing `?`, one in-step character follows.
        ends = [(index + 2, index + 1) for index in range(start + 2, stop - 1)
                if line[index] == "?" and not line[index + 1].isascii()]
        ends += [(regular_end, stop)] if regular_end is not None else []
        # Scored after the characters before the `?`, past a reading's annotation (擔 + 保。”, not
        # `(dān)` + 保。”: the search must see the word the lost byte's character ends).
        prefix = _unannotated(prefix)
        left = prefix[-2:]
        best, best_gain = None, min_gain
        for end, stretch_stop in ends:
            if not _looks_shifted(line[start + 1:stretch_stop], self.codec, stretch_stop < end):
                continue
            # The line's brackets and quotes outside the span: before it, less the two characters
            # the search reads with it, and after it.
            outside = tuple(a + b for a, b in zip(_balance(prefix[:-2]), _balance(_SWALLOWED_OPENING.sub("?", line[end:]))))
            # A lead byte at a line's end found no trail because the decoder took the byte after
            # it: a line feed would have gone with it (two lines in one), so it took the carriage
            # return of a CRLF line end.
            carriage = "\r" if line.startswith("\n", end) else ""
            tail: _Options = ()
            if carriage:
                tail = ((b"\r", 0.0),)
            elif end == len(line) and unfinished:
                tail = ((b"", NO_FINAL_BREAK_COST), (b"\n", 0.0))
            right = line[end:end + 1]
            found = self._resync(left, line[start:end], outside, tail, right)
            if found is not None and unfinished == "line" and "\n" not in prefix and "\n" not in found[0][:-1]:
                # A text of one line, as read back too: it had no final break to lose.
                found = self._resync(left, line[start:end], outside, (), right)
            if found is None:
                continue
            before, after = line[start:end] + carriage, found[0]  # the line had its carriage return
            if _nothing_read_late(before, after):
                continue
            gain = _judged_cost(left + before, outside) - _judged_cost(left + after, outside)
            if gain >= best_gain:
                best, best_gain = (end, after), gain
        return best

    def _resync(self, left: str, span: str, outside: tuple[int, ...], tail: _Options = (),
                right: str = "") -> tuple[str, float] | None:
        """The best in-step reading of span, by beam search over the fillings: span[0] is the `?`
        that stands for the lost byte, `left` the characters before it, `outside` the balance of
        brackets and quotes in the rest of the line, `tail` what a `?` that ends the span may
        have swallowed (where not nothing), `right` the character after the span."""
        stop, end = self._stretch(span, 1)
        if end is None or end != len(span):
            return None
        slots = self._slots(span[1:stop], span[stop:], tail)
        if slots is None:
            return None
        # The context after the stretch is read too; until it is, brackets are judged against it
        # as it stands: `(` before `lián)`.
        unread = [span[stop:]] * (len(slots) - len(span) + stop) + [span[index:] for index in range(stop + 1, len(span) + 1)]
        # The model's cost grows by what each step adds after the text's last characters, so a
        # step costs the length of what it reads, not of everything read so far.
        known = _model.load().unigrams
        beam: list[State] = [(0.0, left, b"", _model.load().cost(left), False, _balance(left))]
        for options, context in zip(slots, unread):
            around = tuple(a + b for a, b in zip(_balance(context), outside))
            closed = tuple(-count for count in around)  # the balance that leaves nothing unmatched
            grown: dict[tuple[str, bytes], tuple[float, float, bool, tuple[int, ...]]] = {}
            for _, text, pending, model_cost, pending_guessed, balance in beam:
                for option, option_cost in options:
                    read = self._read(pending + option)
                    if read is None:
                        continue
                    guess = options is _ANY_LEAD
                    if (guess or pending_guessed) and any(char not in known for char in read[0] if char > "\x7f"):
                        continue  # a guessed byte makes only characters the corpus knows: not `ぃ`, `〃`
                    key = (text + read[0], read[1])
                    if key not in grown:
                        added = option_cost
                        grown_balance = balance
                        if read[0]:
                            added += _model.added_cost(_seen(text[-2:]), _seen(read[0])) + _context_cost(text, read[0])
                            grown_balance = _add_balance(balance, read[0])
                            if guess or pending_guessed:
                                # A guessed character pays for the words it makes, as in lossy
                                # repair (two draws of 200 shifted review lines: 136 -> 142 and
                                # 146 -> 150 exact).
                                added += guessed_word_cost(text, read[0][0])
                        total = model_cost + added
                        extra = 0.0 if grown_balance == closed else _unmatched_cost(grown_balance, around)
                        extra -= _annotation_bonus(key[0], context)
                        # The byte left waiting is a guess if it is the guessed lead just read, or
                        # the one that waited before it where nothing was swallowed (b"").
                        waiting_guessed = bool(read[1]) and (guess if option else pending_guessed)
                        grown[key] = (total + extra, total, waiting_guessed, grown_balance)
            beam = _prune(grown)
            if not beam:
                return None
        finished = [(cost + _after_reading(text, right), text) for cost, text, pending, *_ in beam if not pending]
        if not finished:
            return None
        cost, text = min(finished)
        return text[len(left):], cost

    def _slots(self, region: str, context: str, tail: _Options = ()) -> list[_Options] | None:
        """Byte alternatives, each with its cost, for the stretch after the `?`: the lost lead byte
        first, then the context after it, whose bytes are as they stand."""
        slots: list[_Options] = [_ANY_LEAD]
        following = region + context
        try:
            for index, char in enumerate(region):
                if char == "?":
                    slots.append(_ANY_LEAD)
                    after = following[index + 1:index + 2]
                    slots.append(_swallowed(after) if after or not tail else tail)
                elif char in _FOLDABLE:
                    slots.append(((char.encode("ascii"), 0.0), (self._full_width(char), 0.0)))
                else:
                    slots.append(((producers.encode(char, self.codec), 0.0),))
            slots.extend(((producers.encode(char, self.codec), 0.0),) for char in context)
        except UnicodeEncodeError:
            return None
        return slots

    def _stretch(self, text: str, start: int) -> tuple[int, int | None]:
        """(stop, end) of a shifted stretch that begins at `start`, just after the `?`: see
        _stretch(). A pair read late never has an ASCII trail, since its trail is the next
        character's lead byte; one that has took in an ASCII letter after a character (`汗~` read
        as `箏`), and the decoder was back in step after it. Only after the `?!` of a folded mark,
        and not as the first character: half of Big5's characters have such a trail, and a typed
        `?` before two of them (`收到?瀝川`) is too little to go on."""
        stop, end = _stretch(text, start)
        if not text.startswith("!", start):
            return stop, end
        seen = 0
        for index in range(start, stop):
            if text[index] > "\x7f":
                if seen and _ascii_trail(text[index], self.codec):
                    return index + 1, index + 1
                seen += 1
        return stop, end

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


def _nothing_read_late(stretch: str, reading: str) -> bool:
    """Whether every character of `stretch` but its `?`s stands in `reading` as it was, in order:
    then nothing was read one byte late, only `?`s replaced (`塑料??比較` as `塑料。\n比較`), and
    those are as likely typed."""
    rest = iter(reading)
    return all(char in rest for char in stretch if char != "?")


def _guessed(stretch: str, reading: str) -> list[int]:
    """Where `reading` holds a character built on a guessed byte: every non-ASCII one (each takes
    a byte from its neighbour, and the first a lost one) and the ASCII bytes a `?` swallowed (the
    ASCII of the reading that the stretch does not have, in order); not the context at the end
    that came back as it stood."""
    from difflib import SequenceMatcher  # only where a stretch was re-read

    same = len(os.path.commonprefix([stretch[::-1], reading[::-1]]))
    head = reading[:len(reading) - same]
    kept = [char for char in stretch[:len(stretch) - same] if char.isascii() and char != "?"]
    ascii_at = [index for index, char in enumerate(head) if char.isascii()]
    matched = set()
    for block in SequenceMatcher(None, kept, [head[index] for index in ascii_at], autojunk=False).get_matching_blocks():
        matched.update(ascii_at[block.b:block.b + block.size])
    return [index for index, char in enumerate(head) if not char.isascii() or index not in matched]


def _swallowed(after: str) -> _Options:
    """What a `?` inside a stretch may have swallowed, by what follows it. The decoder wrote `?`
    for a lead byte whose next byte could not be a trail (ASCII below 0x40, a line break): had it
    left that byte, the byte would follow as ASCII. So before a non-ASCII character it took one;
    at the line's end it had none; before ASCII, one unless it is the `!` the decoder keeps."""
    if not after:
        return ((b"", 0.0),)
    taken = _SWALLOWED
    if not after.isascii():
        return taken
    if after in _MARKS:  # a run of marks goes on: `送人了` + `.` + `.....`
        taken = tuple((byte, cost - RUN_BONUS if byte == after.encode() else cost) for byte, cost in taken)
    elif after.isdigit():  # so does a number: `2` + `008/05/04`
        taken = tuple((byte, cost - RUN_BONUS if byte.isdigit() else cost) for byte, cost in taken)
    return ((b"", 0.0 if after == "!" else UNSWALLOWED_COST),) + taken


# The model learned digits from a newspaper that prints them full-width (`３天`): an ASCII digit is
# scored as its full-width form, so that a swallowed digit is judged by what follows it.
_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def _seen(text: str) -> str:
    return text.translate(_FULL_WIDTH_DIGITS)


def _context_cost(text: str, read: str) -> float:
    """What the ASCII in `read`, after `text`, costs by its neighbours, which the model, blind to
    ASCII, cannot weigh: a line break where no sentence ended; a digit right after a full-width
    sentence end, where a line break is likelier (`见总结。。。` + break + `5.随机`, not `05.随机`:
    that cancels the swallowed digit's RUN_BONUS)."""
    joined = text[-1:] + read
    cost = 0.0
    for before, char in zip(joined, joined[1:]):
        if char in "\r\n" and before not in segment.SENTENCE_ENDS and before not in "\r\n":
            cost += MID_SENTENCE_BREAK_COST
        elif char.isdigit() and before > "\x7f" and before in segment.SENTENCE_ENDS:
            cost += RUN_BONUS
    return cost


# A character's bytes in the codec, or None where it has none; kept.
_char_bytes = lru_cache(maxsize=8192)(producers.encoded_or_none)


def _ascii_trail(char: str, codec: str) -> bool:
    data = _char_bytes(char, codec)
    return data is not None and len(data) == 2 and data[1] < 0x80


@lru_cache(maxsize=65536)
def _pair(data: bytes, codec: str) -> str | None:
    try:
        return producers.decode(data, codec)
    except UnicodeDecodeError:
        return None


def _looks_shifted(stretch: str, codec: str, cut_short: bool = False) -> bool:
    """Pairs read one byte late make rare characters: at least one, and a fifth of the stretch's
    non-ASCII characters. Or the `?!` of a folded mark begins it and another mark or `?` follows
    (`变形?!!２凰?`), and the stretch, if it is nothing but marks, ends in the `?` of a lead byte
    that found no trail (`路?!?/p>`). Or the `?!` begins a stretch of a few characters that ASCII
    cuts short (`cut_short`: `?!杯h(huán)`, where the h is the trail of 環 read in step): where
    reading annotations follow every few characters, shifts are that short, and two characters
    are too few to show a rare one. Clean `吗?我一共定了2本` is none of these, nor is a typed
    `满意????`, `住啊????!!!!` or `天 ??:??`: no search."""
    if "???" in stretch:
        # A decoder out of step writes one `?` per lead byte it cannot pair, and what follows it
        # reads: three in a row are bytes lost in a heap, UTF-8 read as Big5 or GBK with `?` for
        # them (`銝剜???????亙`). Never so in 300 shifted review documents.
        return False
    non_ascii = segment.non_ascii_count(stretch)
    if not non_ascii:
        # Marks alone need the `!` of a folded A3A1: `??:??` is a clock nobody set, not a shift.
        return stretch.endswith("?") and "!" in stretch
    folded = stretch.startswith("!") and (any(char in _FOLDABLE for char in stretch[1:])
                                          or (cut_short and non_ascii <= SHORT_STRETCH))
    if not folded:
        rare = _model.load().rare_count(stretch)
        if not (rare >= 1 and 5 * rare >= non_ascii):
            return False
    # UTF-8 read as GBK is not GBK read late: its bytes are UTF-8 (asked last, being the dearest).
    return producers.utf8_share(stretch, codec) < UTF8_SHARE


def _judged_cost(text: str, outside: tuple[int, ...]) -> float:
    """The model's cost of `text` (a stretch with the characters before it), with its brackets
    judged against those left open or closed outside it, less a bonus for each character
    followed by its own reading."""
    return _model.load().cost(text) + _unmatched_cost(_balance(text), outside) - _annotation_bonus(text, "")


def _unannotated(text: str) -> str:
    """`text` less the reading's annotation it ends with, if it ends with one."""
    if not text.endswith(")"):
        return text
    found = reading_annotations(text[-10:])
    if found and found[-1].end() == len(text[-10:]):
        return text[:len(text) - (found[-1].end() - found[-1].start())]
    return text


def _after_reading(text: str, right: str) -> float:
    """What the character after a span that ends in a reading's annotation costs after the
    character annotated (担 of `担(dān)` + 忧): the bytes of a row of GB2312 spell characters of
    one reading (担 单 丹 耽 are B5 A3-A5 and B5 A2), so where the guessed byte is that
    character's trail, the annotation cannot choose, and the word it begins can. Counted only as
    much as the character annotated makes it cheaper than alone: after ASCII the model charges a
    character no back-off, and after the others every reading pays the same, nothing."""
    annotated = _unannotated(text) if right else text
    if annotated == text:
        return 0.0
    alone = _model.added_cost("", _seen(right))
    return min(0.0, _model.added_cost(_seen(annotated[-2:]), _seen(right)) - alone)


def _annotation_bonus(text: str, context: str) -> float:
    if "(" not in text and "(" not in context:
        if not context.endswith(")") or len(context) > 8:
            return 0.0
        # `dān)` yet to be read, its `(` swallowed by the `?` before it: the characters the
        # guessed byte makes are ranked, and the beam cut, before that is settled, so the
        # character the syllable reads (担 among the 94 of B5 xx) must not be cut for want of it.
        context = "(" + context
    return ANNOTATION_BONUS * len(reading_annotations(text + context))


def _balance(text: str) -> tuple[int, ...]:
    """Openings less closings of each kind of bracket and quote in `text`."""
    return tuple(text.count(opening) - text.count(closing) for opening, closing in _BRACKETS)


def _add_balance(balance: tuple[int, ...], text: str) -> tuple[int, ...]:
    """`balance` after `text`: most text holds no bracket, and the search asks for every state."""
    if not any(char in _BRACKET_CHARS for char in text):
        return balance
    return tuple(a + b for a, b in zip(balance, _balance(text)))


def _unmatched_cost(balance: tuple[int, ...], outside: tuple[int, ...]) -> float:
    """Cost of brackets without a partner, counted, not nested, given the balance of a text and
    of what lies outside it in the line."""
    return UNMATCHED_BRACKET_COST * sum(abs(a + b) for a, b in zip(balance, outside))


def _prune(grown: dict[tuple[str, bytes], tuple[float, float, bool, tuple[int, ...]]]) -> list[State]:
    """The best BEAM_WIDTH readings for each waiting lead byte (readings that differ only in a
    byte not yet read score alike, and must not push each other out), MAX_STATES in all."""
    groups: dict[bytes, list[State]] = {}
    for (text, pending), (cost, model_cost, guessed, balance) in grown.items():
        groups.setdefault(pending, []).append((cost, text, pending, model_cost, guessed, balance))
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
    if stop == len(text) and stop - start >= 2 and text[-2] == "?" and not text[-1].isascii():
        # A span that ends one character after a `?` that swallowed a byte: that character was
        # read in step again and is context (`常?!?` + `也`).
        return stop - 1, stop
    if stop > start and (stop == len(text) or text[stop] in "\r\n"):
        # Out of step to the end of the line, where the last lead byte found no trail (`天?!?`),
        # or where a folded `!` brought the decoder back in step before it.
        return stop, stop
    if stop > start and stop < limit and text[stop - 1] == "?" and text[stop] in " \t":
        # The last `?` swallowed a byte and the decoder read the space after it in step (`了?!!? 用`):
        # the space is context, for the choice of what was swallowed.
        return stop, stop + 1
    if stop == start or stop >= limit or not text[stop].isascii() or text[stop].isspace():
        return stop, None
    end = stop
    while end < limit and not text[end].isspace() and text[end] < "\u3000":
        end += 1
    return stop, end
