"""The registry of repair strategies. The order of STRATEGIES is the search order."""
from __future__ import annotations

from .. import producers as _p
from .base import Span, Step, Strategy, guesses
from .folded_punctuation import FoldedPunctuation
from .guessed_bytes import GuessedBytes
from .markup_residue import MarkupResidue
from .pinyin_residue import PinyinResidue
from .replacement_residue import ReplacementResidue
from .script import TO_SIMPLIFIED, TO_TRADITIONAL
from .shifted_bytes import ShiftedBytes
from .wrong_codec import WrongCodec

STRATEGIES: tuple[Strategy, ...] = (
    WrongCodec("utf8-as-gbk", _p.UTF8, _p.CP936, "UTF-8 text that was read as GBK/cp936 (涓枃 -> 中文)"),
    WrongCodec("utf8-as-cp1252", _p.UTF8, _p.CP1252, "UTF-8 text that was read as Windows-1252 (ä¸­æ–‡ -> 中文)"),
    WrongCodec("utf8-as-latin1", _p.UTF8, _p.LATIN1, "UTF-8 text that was read as Latin-1"),
    WrongCodec("utf8-as-big5", _p.UTF8, _p.CP950, "UTF-8 text that was read as Big5/cp950"),
    WrongCodec("gbk-as-cp1252", _p.CP936, _p.CP1252, "GBK text that was read as Windows-1252 (ÖÐÎÄ -> 中文)"),
    WrongCodec("gbk-as-latin1", _p.CP936, _p.LATIN1, "GBK text that was read as Latin-1"),
    WrongCodec("big5-as-cp1252", _p.CP950, _p.CP1252, "Big5 text that was read as Windows-1252"),
    WrongCodec("big5-as-latin1", _p.CP950, _p.LATIN1, "Big5 text that was read as Latin-1"),
    WrongCodec("gbk-as-cp437", _p.CP936, _p.CP437, "GBK file names unpacked as DOS cp437 (╓╨╬─ -> 中文)"),
    WrongCodec("utf8-as-cp437", _p.UTF8, _p.CP437, "UTF-8 file names unpacked as DOS cp437"),
    WrongCodec("gbk-as-big5", _p.CP936, _p.CP950, "GBK text that was read as Big5 (笢恅 -> 中文)"),
    WrongCodec("big5-as-gbk", _p.CP950, _p.CP936, "Big5 text that was read as GBK"),
    # Lossy: tried after every lossless reading, chosen only where the lossless ones do not fit.
    GuessedBytes("utf8-as-gbk-lossy", _p.CP936,
                 "UTF-8 read as GBK with bytes lost to �/? or private-use characters dropped: "
                 "涓�鏂囦贡 -> 中文乱, 涓枃 -> 中文 (guessed)"),
    GuessedBytes("utf8-as-big5-lossy", _p.CP950,
                 "UTF-8 read as Big5 with bytes lost to �/?: 銝剜?? -> 中文 (guessed)"),
    GuessedBytes("utf8-as-cp1252-lossy", _p.CP1252,
                 "UTF-8 read as Windows-1252 with bytes lost (invisible C1 characters dropped, A0 as a space, �/?): "
                 "ä½ å¥½ -> 你好 (guessed)"),
    # Document-level clean-up, after the codec repairs, in this order: `锟斤拷` first (its own
    # evidence, exact); a shifted stretch may hide
    # the `(` of an annotation or the `<` of a tag; pinyin annotations use ASCII parentheses, which
    # the punctuation strategy would otherwise unfold.
    ReplacementResidue(),
    ShiftedBytes("shifted-gbk", _p.CP936, "GBK read one byte out of step after a lost byte: 度?!痹商K說 -> 度。”曾蒙蘇說"),
    ShiftedBytes("shifted-big5", _p.CP950, "Big5 read one byte out of step after a lost byte"),
    PinyinResidue(),
    MarkupResidue(),
    FoldedPunctuation(),
)

# Applied only when the user asks (--to-simplified, --to-traditional), after everything else.
ON_REQUEST: tuple[Strategy, ...] = (TO_SIMPLIFIED, TO_TRADITIONAL)

BY_NAME: dict[str, Strategy] = {strategy.name: strategy for strategy in STRATEGIES + ON_REQUEST}


def select(only: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> tuple[Strategy, ...]:
    """The registry filtered by --only/--skip; unknown names raise KeyError naming them."""
    unknown = [name for name in (*only, *skip) if name not in BY_NAME or BY_NAME[name] in ON_REQUEST]
    if unknown:
        raise KeyError(", ".join(unknown))
    chosen = [s for s in STRATEGIES if (not only or s.name in only) and s.name not in skip]
    return tuple(chosen)


__all__ = ["BY_NAME", "STRATEGIES", "Span", "Step", "Strategy", "WrongCodec", "guesses", "select"]
