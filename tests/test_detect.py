"""Detection: BOMs, strict UTF-8, and the CJK codecs ranked by the model on short input."""
from __future__ import annotations

import codecs
import re
import sysconfig
from pathlib import Path

import pytest

import fixenc
from fixenc import producers
from fixenc.detection import forced
from fixenc.errors import InputError


@pytest.mark.parametrize(
    "data, encoding, method",
    [
        (b"plain", "utf-8", "ascii"),
        ("中文".encode(), "utf-8", "utf-8"),
        (codecs.BOM_UTF8 + "中文".encode(), "utf-8", "bom"),
        (codecs.BOM_UTF16_LE + "中文".encode("utf-16-le"), "utf-16-le", "bom"),
        ("中文".encode("gbk"), "cp936", "model"),
        ("醫療設備".encode("big5"), "cp950", "model"),
        ("中文乱码修复工具".encode("utf-16-le"), "utf-16-le", "model"),
        ("中文乱码修复工具".encode("utf-32-le"), "utf-32-le", "wide"),
    ],
)
def test_detect(data, encoding, method):
    detection = fixenc.detect(data)
    assert (detection.encoding, detection.method) == (encoding, method)


@pytest.mark.parametrize("text", ["中文", "你好", "打印机", "乱码恢复", "测试一下", "欢迎光临本店"])
def test_short_gbk_is_not_mistaken_for_big5(text):
    assert fixenc.repair(text.encode("gbk")).text == text


@pytest.mark.parametrize("text", ["醫療", "國際", "設備打破壟斷", "繁體中文"])
def test_short_big5_is_not_mistaken_for_gbk(text):
    assert fixenc.repair(text.encode("big5")).text == text


def test_forced_encoding_that_does_not_fit_is_an_input_error():
    with pytest.raises(InputError, match="not valid"):
        fixenc.repair("中文".encode(), encoding="big5")


def test_unknown_forced_encoding():
    with pytest.raises(InputError, match="unknown encoding"):
        forced(b"x", "no-such-codec")


# The sample texts of CPython's codec tests (test/cjkencodings), when the test package is installed:
# Japanese and Korean files in their legacy codecs must come out as their text, not as the Chinese
# that GBK makes of their bytes; HZ as its Chinese.
CPYTHON_CJK_TEXTS = Path(sysconfig.get_paths()["stdlib"]) / "test" / "cjkencodings"


@pytest.mark.parametrize("name", ["shift_jis", "euc_jp", "shift_jisx0213", "euc_jisx0213", "euc_kr", "cp949",
                                  "hz", "gb2312", "gbk", "gb18030", "big5", "big5hkscs"])
def test_legacy_texts_of_cpythons_codec_tests_come_out_as_written(name):
    legacy, written = CPYTHON_CJK_TEXTS / f"{name}.txt", CPYTHON_CJK_TEXTS / f"{name}-utf8.txt"
    if not legacy.exists():
        pytest.skip("CPython's test package is not installed")
    assert fixenc.repair(legacy.read_bytes()).text == written.read_text(encoding="utf-8")


@pytest.mark.parametrize("data", [b"x = a~{bc~} + 1\n", b"see ~{ab~} and ~{cd~}"])
def test_tilde_braces_in_ascii_are_not_hz(data):
    assert fixenc.detect(data).method == "ascii"


# Lines of Debian's fr, de, ru and el translations (the machine's gettext catalogues), saved in
# their Windows code pages: GBK and Big5 read such bytes too, into Chinese nobody wrote.
EUROPEAN_FILES = [
    (("L'option «\u00a0%s\u00a0» n'est pas prise en charge\nImpossible de créer le répertoire «\u00a0%s\u00a0»\n"
     "Voulez-vous autoriser l'installation du logiciel non signé\u00a0?\nCaractère «\u00a0%c\u00a0» inattendu.\n"), "cp1252"),
    (("Führt die Argumente als Shellkommando aus.\nZeigt die Locale für die Sortierreihenfolge an.\n"
     "Rückkehr aus einer Shell-Funktion.\nDie Größe der Datei konnte nicht ermittelt werden.\n"), "cp1252"),
    (("Не удается восстановить сведения аутентификации\nВ pam_*_item() передан неверный элемент\n"
     "Число неудачных попыток со времени последнего входа: %d.\n"), "cp1251"),
    ("Σφάλμα κατάτμησης (segmentation fault)\nτελικό σημείο write-ahead log: %s\nΕμφάνιση έκδοσης προγράμματος\n",
     "cp1253"),
]


@pytest.mark.parametrize("text, codec", EUROPEAN_FILES)
def test_european_files_in_windows_code_pages_are_not_read_as_chinese(text, codec):
    repaired = fixenc.repair(text.encode(codec)).text
    assert not re.search(r"[\u3400-\u9fff]", repaired)
    # charset-normalizer, asked once the Chinese readings fail, names cp1250 for this French (è as č)
    assert repaired == text or codec == "cp1252" and text.startswith("L'option")


@pytest.mark.parametrize("text", ["状态", "摘要", "未知状态"])  # Debian zh_CN labels
def test_short_gbk_that_is_also_valid_utf8_is_read_as_gbk(text):
    data = text.encode("gbk")
    data.decode("utf-8")  # the point: these bytes are valid UTF-8 too (`״̬`)
    assert fixenc.repair(data).text == text


@pytest.mark.parametrize("text", ["café", "é", "ü", "да", "я", "Müller", "naïve résumé", "°C", "±5%", "€100", "½"])
def test_short_utf8_stays_utf8(text):
    assert fixenc.detect(text.encode()).encoding == "utf-8"


def test_a_few_lines_of_german_in_windows_1252_are_not_read_as_chinese():
    """Three lines of Debian's de translations: as GBK, each `ü` and the letter after it make one real
    character (`F黨rt`), and charset-normalizer names cp775 for so little text; the letters inside
    words give it away, and Windows-1252 reads them as words."""
    text = ("Führt die Argumente als Shellkommando aus.\nZeigt die Locale für die Sortierreihenfolge an.\n"
            "Rückkehr aus einer Shell-Funktion.\n")
    assert fixenc.repair(text.encode("cp1252")).text == text


SENTENCES = (Path(__file__).with_name("data") / "sentences.txt").read_text(encoding="utf-8").splitlines()
_DAMAGED_UTF8 = {
    "a stray byte": lambda data: data[:12] + b"\xff" + data[12:],
    "a character cut short in the middle": lambda data: data[:9] + data[9:-9].replace(data[9:12], data[9:11], 1)
    + data[-9:],
    "a character cut short at the end": lambda data: data + "码".encode()[:2],
}


@pytest.mark.parametrize("damage", sorted(_DAMAGED_UTF8))
def test_utf8_with_a_few_bytes_that_are_not_is_utf8_with_the_bytes_kept(damage):
    """Not BOM-less UTF-16 (a UTF-8 file with one cut character came out as garbage) nor a refusal:
    the bytes are kept as they are, and reported."""
    data = _DAMAGED_UTF8[damage]("\n".join(SENTENCES[:3]).encode())
    assert not _is_utf8(data)
    detection = fixenc.detect(data)
    assert (detection.encoding, detection.method) == ("utf-8", "utf-8, invalid bytes kept")
    result = fixenc.repair(data)
    assert result.text == data.decode("utf-8", "surrogateescape") and not result.changed
    assert result.text.encode("utf-8", "surrogateescape") == data
    assert [loss.kind for loss in result.losses] == ["invalid"]


def _is_utf8(data: bytes) -> bool:
    return producers.decoded_or_none(data, producers.UTF8) is not None


@pytest.mark.parametrize("codec", ["gbk", "big5"])
def test_chinese_in_gbk_or_big5_is_not_utf8_with_bytes_kept(codec):
    """GBK and Big5 read as UTF-8 hold far more invalid bytes than a damaged UTF-8 file."""
    from fixenc.unreadable import mostly_utf8

    for sentence in SENTENCES:
        try:
            data = sentence.encode(codec)
        except UnicodeEncodeError:
            continue
        assert _is_utf8(data) or not mostly_utf8(data), sentence


def test_a_code_page_word_that_ends_in_a_lead_byte_is_not_utf8_cut_short():
    assert fixenc.detect("café".encode("cp1252")).encoding != "utf-8"


def _mixed(codecs_by_line: list[str]) -> tuple[bytes, str]:
    """Real sentences, line i in codecs_by_line[i] (Big5's in Traditional script, through OpenCC; a
    sentence the codec cannot hold is skipped)."""
    import opencc

    traditional = opencc.OpenCC("s2t").convert
    lines: list[tuple[str, bytes]] = []
    for simplified in SENTENCES:
        codec = codecs_by_line[len(lines)]
        sentence = traditional(simplified) if codec == "big5" else simplified
        try:
            lines.append((sentence, sentence.encode(codec)))
        except UnicodeEncodeError:
            continue
        if len(lines) == len(codecs_by_line):
            break
    return b"".join(data + b"\n" for _, data in lines), "".join(text + "\n" for text, _ in lines)


@pytest.mark.parametrize("legacy, expected", [("gbk", "utf-8+cp936"), ("big5", "utf-8+cp950")])
@pytest.mark.parametrize("share", [1, 10, 19])
def test_a_file_of_utf8_and_legacy_lines_is_read_line_by_line(legacy, expected, share):
    """A log appended to by two programs: no single codec reads it; each line is read in its own."""
    data, text = _mixed([legacy if index % 20 < share else "utf-8" for index in range(40)])
    detection = fixenc.detect(data)
    assert (detection.encoding, detection.method) == (expected, "mixed lines")
    result = fixenc.repair(data)
    assert result.text == text and not result.changed


def test_a_legacy_line_that_is_valid_utf8_too_is_read_as_legacy():
    """GBK's 袁鹰 is the valid UTF-8 `Ԭӥ`, whose letters cost a little less than a rare name."""
    name = "袁鹰\n".encode("gbk")
    assert name.decode("utf-8") == "Ԭӥ\n"
    data, text = _mixed(["gbk", "utf-8"] * 5)
    assert fixenc.repair(data + name).text == text + "袁鹰\n"


@pytest.mark.parametrize("codec", ["gbk", "big5"])
def test_a_legacy_file_is_not_read_as_mixed(codec):
    from fixenc import mixed_lines

    data, _ = _mixed([codec] * 200)
    assert mixed_lines.legacy_codec(data) is None
    assert fixenc.detect(data).method == "model"


@pytest.mark.parametrize("codec, name", [("gbk", "cp936"), ("big5", "cp950")])
@pytest.mark.parametrize("damage", ["a stray byte", "a character cut short"])
def test_gbk_or_big5_with_a_few_bytes_that_are_not_is_read_with_them_replaced(codec, name, damage):
    """No codec reads such a file whole; the rest reads as Chinese, so it is read so, each byte that is
    not written as U+FFFD and reported (a UTF-8 output cannot keep them)."""
    data, text = _mixed([codec] * 12)
    cut = data.index(b"\n", len(data) // 2)  # the end of a line in the middle
    broken = data[:cut] + b"\xff" + data[cut:] if damage == "a stray byte" else data[:cut - 1] + data[cut:]
    assert fixenc.detect(broken).encoding == name  # read so whole, or so in the first bytes detection reads
    result = fixenc.repair(broken)
    line = data[:cut].count(b"\n")
    expected = text.splitlines(keepends=True)
    expected[line] = (expected[line][:-1] if damage == "a stray byte" else expected[line][:-2]) + "\ufffd\n"
    assert result.text == "".join(expected)
    assert [(loss.line, loss.kind) for loss in result.losses] == [(line + 1, "replaced")]


def test_a_short_gbk_text_with_a_stray_byte_is_detected_with_it_replaced():
    data, text = _mixed(["gbk"] * 2)
    broken = data.replace(b"\n", b"\xff\n", 1)
    detection = fixenc.detect(broken)
    assert (detection.encoding, detection.method) == ("cp936", "cp936, invalid bytes replaced")
    assert fixenc.repair(broken).text == text.replace("\n", "\ufffd\n", 1)


def test_a_bom_does_not_stop_a_mixed_file_being_read_line_by_line():
    data, text = _mixed(["utf-8", "gbk"] * 6)
    result = fixenc.repair(codecs.BOM_UTF8 + data)
    assert (result.detection.encoding, result.detection.bom) == ("utf-8+cp936", codecs.BOM_UTF8)
    assert result.text == text


def test_a_line_of_utf8_with_a_byte_lost_keeps_its_bytes():
    """Short UTF-8 with a byte lost has too few whole characters for the bytes-kept rule of long
    texts, and GBK, BOM-less UTF-16 or charset-normalizer's code pages read some of these lines
    whole, as garbage; the bytes come out as they came instead."""
    for sentence in SENTENCES[:120]:
        data = (sentence + "\n").encode()
        for cut in (len(data) // 3, len(data) // 2):
            damaged = data[:cut] + data[cut + 1:]
            if _is_utf8(damaged):
                continue
            result = fixenc.repair(damaged)
            assert result.text.encode("utf-8", "surrogateescape") == damaged, (sentence, result.detection)


@pytest.mark.parametrize("text", ["我主动说我是携程订的", "键盘超赞，", "房间很脏，", "那网速快得简直像拔号，"])
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_short_bomless_utf16_chinese_that_costs_a_little_more_is_still_read(codec, text):
    """Informal review text costs a little over detection.NOT_CHINESE_MEAN a character; BOM-less UTF-16
    is refused only where its reading costs what garbage does (see WIDE_GARBAGE_MEAN)."""
    assert fixenc.repair(text.encode(codec)).text == text
