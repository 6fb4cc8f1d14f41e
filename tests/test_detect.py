"""Detection: BOMs, strict UTF-8, and the CJK codecs ranked by the model on short input."""
from __future__ import annotations

import codecs

import pytest

import fixenc
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
