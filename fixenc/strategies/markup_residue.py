"""Stray HTML in plain text: `長遠的路。”</p>` -> `長遠的路。”`, `&#20013;` -> `中`, `&amp;` -> `&`.

Copying from web pages leaves tags and entities in text that is not HTML. A real HTML or XML file,
or source code, keeps its markup: the strategy leaves any document that looks like one alone.
Plain text also names things in angle brackets (`导出 <list>`, `<PID>`, `<id/>`) and writes about
entities (`将与号变为 &amp;`): only tags of the HTML elements that carry a page's text count, and
`&lt;` `&gt;` `&amp;` `&quot;` `&apos;` only beside other residue.
"""
from __future__ import annotations

import re

from .. import segment
from ..patterns import lazy
from .base import Span

# Tag names as HTML writes them; a tag must touch Chinese text, or end a line, to count as residue.
_TAG = lazy(r"</?[a-zA-Z][a-zA-Z0-9]{0,9}(?:\s[^<>\n]{0,80})?/?>")
# The elements whose tags are left behind when a page's text is copied: paragraphs, breaks, inline
# formatting, links, images, lists and tables. (No library we depend on lists HTML's elements.)
_RESIDUE_ELEMENTS = frozenset((
    "p", "br", "div", "span", "font", "b", "i", "u", "s", "em", "strong", "small", "big", "sup", "sub",
    "strike", "tt", "a", "img", "hr", "center", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "nobr", "wbr"))
# What text about markup spells out, and what a page escapes twice: residue only beside other residue.
_SYNTAX_ENTITIES = frozenset(("&lt;", "&gt;", "&amp;", "&quot;", "&apos;"))
_ENTITY = lazy(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,10});")
_CJK = lazy(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u201c\u201d]")
# Openings of documents that are markup, and signs of source code, in which tags are content.
_MARKUP_DOCUMENT = lazy(r"\A\s*(?:<!DOCTYPE|<\?xml|<html|<svg)|^\s*<[a-zA-Z][^>]*>\s*$",
                              re.IGNORECASE | re.MULTILINE)
_CODE = lazy(r"[{}]\s*$|\)\s*;\s*$|//|/\*|^\s*(?:def|class|import|from|function|var|let|const|return|"
                   r"#include|public|private)\b", re.MULTILINE)


class MarkupResidue:
    name = "markup-residue"
    summary = "Stray HTML tags and entities in plain text: 路。”</p> -> 路。”, &#20013; -> 中"
    lossless = False
    scope = "document"

    def applies(self, text: str) -> bool:
        return ("<" in text or "&" in text) and segment.is_chinese(text) and not _looks_like_markup_or_code(text)

    def find(self, text: str) -> tuple[Span, ...]:
        # Residue in Chinese text is this tool's business; `tagu <table>` in a Czech sentence, or
        # `<p />` in a Japanese one, is not.
        if ("<" not in text and "&" not in text) or not segment.is_chinese(text):
            return ()
        # Candidates first (both patterns skip from one `<` or `&` to the next at C speed), then
        # the look over the whole document, which only a document with candidates needs.
        spans = [Span(*m.span()) for m in _TAG.finditer(text)
                 if _tag_name(m.group()) in _RESIDUE_ELEMENTS and _touches_chinese(text, m.start(), m.end())]
        entities = [m for m in _ENTITY.finditer(text) if _is_residue_entity(m.group())]
        if spans or any(m.group().lower() not in _SYNTAX_ENTITIES for m in entities):
            spans += [Span(*m.span()) for m in entities]
        if not spans or _looks_like_markup_or_code(text):
            return ()
        return tuple(sorted(spans, key=lambda span: span.start))

    def apply(self, text: str) -> str:
        return _unescape(text) if text.startswith("&") else ""

    def inverse(self, text: str) -> str:
        raise ValueError("removed markup cannot be rebuilt from the text alone")


def _looks_like_markup_or_code(text: str) -> bool:
    if _MARKUP_DOCUMENT.search(text[:2000]) or _CODE.search(text):
        return True
    tags = [match.group() for match in _TAG.finditer(text)]
    # An element opened and closed (`<p>…</p>`) is markup someone wrote; residue is a lone tag.
    opened = {_tag_name(tag) for tag in tags if not tag.startswith("</")}
    closed = {_tag_name(tag) for tag in tags if tag.startswith("</")}
    return bool(opened & closed)


def _is_residue_entity(entity: str) -> bool:
    """A named entity HTML knows, or a numeric one that spells a character of Chinese text (`&#20013;`,
    `&#8220;`); `&#234;` in a sentence is more likely an example of the syntax than residue."""
    decoded = _unescape(entity)
    if decoded == entity:
        return False
    return not entity.startswith("&#") or bool(_CJK.match(decoded))


def _unescape(entity: str) -> str:
    import html  # its table of entities costs a pipe's start-up 2-3 ms; most texts hold no entity

    return html.unescape(entity)


def _tag_name(tag: str) -> str:
    return re.split(r"[\s/>]", tag.lstrip("</"), maxsplit=1)[0].lower()


def _touches_chinese(text: str, start: int, end: int) -> bool:
    before, after = text[start - 1:start], text[end:end + 1]
    return bool(_CJK.match(before) or _CJK.match(after) or after in ("", "\n", "\r"))
