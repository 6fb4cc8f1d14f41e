"""Script conversion through OpenCC, asked for by the user, never chosen by the chain:
`--to-simplified` (醫療 -> 医疗) and `--to-traditional` (医疗 -> 醫療)."""
from __future__ import annotations

from functools import lru_cache

from .base import NamedStrategy, Span


@lru_cache(maxsize=2)
def _converter(config: str):  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC(config)


class ScriptConversion(NamedStrategy):
    lossless = False
    scope = "document"

    def __init__(self, name: str, config: str, summary: str):
        super().__init__(name, summary)
        self.config = config

    def applies(self, text: str) -> bool:
        return not text.isascii()

    def find(self, text: str) -> tuple[Span, ...]:
        return (Span(0, len(text)),) if self.applies(text) and self.apply(text) != text else ()

    def apply(self, text: str) -> str:
        return _converter(self.config).convert(text)

    def inverse(self, text: str) -> str:
        raise ValueError("script conversion is one-way (several Traditional forms share one Simplified)")


TO_SIMPLIFIED = ScriptConversion("to-simplified", "t2s", "Convert to Simplified Chinese with OpenCC (only when asked)")
TO_TRADITIONAL = ScriptConversion("to-traditional", "s2t", "Convert to Traditional Chinese with OpenCC (only when asked)")
