"""The producer codecs model Windows: cp936's euro sign and user-defined areas, cp950's, cp1252's gaps."""
from __future__ import annotations

import pytest

from fixenc import producers


@pytest.mark.parametrize(
    "data, text",
    [
        (b"\x80", "\u20ac"),                 # cp936 0x80 is the euro sign; Python's gbk rejects it
        (b"\xf8\xc3", "\ue256"),             # user-defined area F8A1-FEFE -> private use (the article's U+E256)
        (b"\xaa\xa1", "\ue000"),             # user-defined area AAA1-AFFE starts at U+E000
        (b"\xd6\xd0\xce\xc4", "中文"),
    ],
)
def test_cp936_decodes_like_windows_and_round_trips(data, text):
    assert producers.decode(data, producers.CP936) == text
    assert producers.encode(text, producers.CP936) == data


def test_cp936_refuses_what_windows_cannot_write():
    with pytest.raises(UnicodeEncodeError):
        producers.encode("\U0001f600", producers.CP936)  # gb18030 needs four bytes: not cp936


@pytest.mark.parametrize(
    "data, code_point",
    [(b"\xfa\x40", 0xE000), (b"\xfe\xfe", 0xE310), (b"\x8e\x40", 0xE311), (b"\xa0\xfe", 0xEEB7),
     (b"\x81\x40", 0xEEB8), (b"\x8d\xfe", 0xF6B0), (b"\xc8\xfe", 0xF848)],
)
def test_cp950_user_defined_areas_follow_microsofts_numbering(data, code_point):
    assert producers.decode(data, producers.CP950) == chr(code_point)
    assert producers.encode(chr(code_point), producers.CP950) == data


def test_cp1252_keeps_undefined_bytes_as_c1_controls():
    assert producers.decode(b"\x81\x8d\x8f\x90\x9d", producers.CP1252) == "\x81\x8d\x8f\x90\x9d"
    assert producers.encode("\x81\x9d", producers.CP1252) == b"\x81\x9d"
    assert producers.decode(b"\x80", producers.CP1252) == "\u20ac"


def test_cp1252_will_not_pass_u0080_for_the_euro_byte():
    with pytest.raises(UnicodeEncodeError):
        producers.encode("\x80", producers.CP1252)


def test_the_lossy_decoder_writes_a_question_mark_for_a_bad_pair_and_swallows_its_ascii_byte():
    # 好 is E5 A5 BD: E5A5 pairs, BD and the `.` after it do not, and go as one `?`.
    assert producers.decode_lossy("好.".encode(), producers.CP936, kept=b"") == "濂?"
    assert producers.decode_lossy("好!".encode(), producers.CP936) == "濂?!"  # `!` is kept
    # cp936's one-byte `€` (80) is read as itself, not as half of a bad pair: 一中 is E4 B8 80 E4 B8 AD.
    assert producers.decode_lossy("一中".encode(), producers.CP936, kept=b"") == "涓€涓?"
