"""The document-level strategies of issue 5 on real review sentences (tests/data/sentences.txt):
each restores the damage it models and leaves clean controls byte for byte alone."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import fixenc
from fixenc import model, producers
from fixenc.strategies import BY_NAME

SENTENCES = (Path(__file__).with_name("data") / "sentences.txt").read_text(encoding="utf-8").splitlines()
HAN = re.compile(r"[\u4e00-\u9fff]")


def traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def annotate(text: str) -> str:
    """What the converter of the seed article did: each converted character gets its reading."""
    from pypinyin import Style, pinyin

    from fixenc.strategies.pinyin_residue import is_converted

    readings = pinyin(text, style=Style.TONE, errors=lambda chars: [[c] for c in chars])
    out = []
    for char, reading in zip(text, readings):
        out.append(char + (f"({reading[0]})" if HAN.match(char) and is_converted(char) else ""))
    return "".join(out)


def fold(text: str) -> str:
    """A width filter on the marks issue 5 names: ，？：；（）！ to ASCII; 。、“” are not full-width forms."""
    return "".join(chr(ord(c) - 0xFEE0) if c in "，？：；（）！" else c for c in text)


ANNOTATED = [t for t in (traditional(s) for s in SENTENCES[::9]) if annotate(t) != t][:20]
FOLDABLE = [s for s in SENTENCES if "。" in s and sum(s.count(m) for m in "，：；！？（）") >= 3
            and not re.search(r"[\uff01-\uff5e]", fold(s))][:20]


@pytest.mark.parametrize("original", ANNOTATED)
def test_pinyin_residue_is_removed(original):
    assert fixenc.repair(annotate(original)).text == original


@pytest.mark.parametrize("original", ANNOTATED[:5])
def test_one_annotation_on_a_short_line_is_removed(original):
    first = HAN.search(original)
    clause = original[:first.end() + 6]
    assert fixenc.repair(annotate(clause)).text == clause or annotate(clause) == clause


@pytest.mark.parametrize(
    "text",
    [
        "函數(fn)的返回值",                 # a gloss, not a reading
        "拼音(pīnyīn)是漢字的注音方法",      # the reading of a two-character word
        "我(wǒ)愛(ài)你(nǐ)，他(tā)是(shì)老師(shī)。",  # a lesson that glosses ordinary characters
        "數據(shù jù)分析",                   # not a single syllable
    ],
)
def test_genuine_glosses_stay(text):
    assert fixenc.repair(text).text == text


@pytest.mark.parametrize("original", FOLDABLE)
def test_folded_punctuation_is_unfolded(original):
    assert fixenc.repair(fold(original)).text == original


@pytest.mark.parametrize(
    "text",
    [
        "宝宝一岁七个月,不是太喜欢,也许是因为色彩不够鲜艳.而且对他而言,可能太简单了.",  # ASCII on purpose
        "会议在17:12开始，3.0T设备，比例1/10，占5%。",   # full-width present: a mixed document
        "x = f(a, b);  // 计算结果：返回值\nif (x) { return; }\n",   # source code
        "时间:2021-11-24 17:12",                          # no kept mark, nothing to go on
        # Debian translations (gettext, glib, gstreamer, bash): `:` and `()` typed in ASCII on purpose
        "  -n, --add-location          生成“#: 文件名:行号”位置行(默认)\n",
        "逗号分隔的“类别名称:级别”列表用来为每个类别设置指定的调试级别。如:GST_AUTOPLUG:5,GST_ELEMENT_*:3",
        "if 指令 ; then 指令 ; [ elif 指令 ; then 指令 ; ]… [ else 指令 ; ] fi",
        # a spreadsheet's export: the commas separate fields
        "姓名,性别,年龄,备注\n张三,男,25,学生。\n李四,女,30,教师。\n王五,男,41,工人。\n",
        "编号;名称;说明\n1;打印机;已连接。\n2;扫描仪;未连接,请检查。\n3;显示器;正常。\n",
    ],
)
def test_punctuation_controls_stay(text):
    assert fixenc.repair(text).text == text


@pytest.mark.parametrize("original", SENTENCES[2:60:6])
def test_markup_residue_is_removed(original):
    damaged = f"{original}</p>\n{original}&nbsp;<br>\n"
    assert fixenc.repair(damaged).text == f"{original}\n{original}\xa0\n"


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html>\n<html><body><p>你好，世界</p></body></html>\n",
        "<p>第一段</p>\n<p>第二段</p>\n<p>第三段</p>\n",
        "if (a < b && c > d) { printf(\"中文\"); }\n",
        "价格 &lt; 100 元 &amp; 包邮",
    ],
)
def test_markup_controls_stay(text):
    assert fixenc.repair(text).text == text


# Clean strings of Debian's zh_CN and zh_TW translations (bash, binutils, git, glib, gettext,
# xkeyboard-config) that name things in angle brackets or write about entities.
UI_STRINGS = [
    "<aliases> 必须包含至少一个 <alias>",
    "组件缺少一个标识（<id/> 标签）。",
    "      --exclude-symbols <list> 不要导出 <list>\n",
    "一个有用的截图应该包含至少一个图片或视频。请添加<image/>给截图。",
    "  -e, --expression=SCRIPT       将<SCRIPT>添加到欲执行的命令中\n",
    "不能簽出原始 HEAD “%s”。請嘗試 “git bisect reset <commit>”。",
    "实体没有以分号结束。很可能您使用了与号（&）字符而又不是一个实体——将这个与号变为 &amp;",
    "发现空的实体“&;”。有效的实体为：&amp; &quot; &lt; &gt; &apos;",
    "“&lt; &gt;”键选择第五层",
    "解析“%-.*s”失败。它应该是字符引用中的数字（如 &#234;）——可能该数字太大了",
]


@pytest.mark.parametrize("text", UI_STRINGS)
def test_named_placeholders_and_entities_in_prose_stay(text):
    assert fixenc.repair(text).text == text


def test_entities_beside_other_residue_are_decoded():
    assert fixenc.repair("价格 &lt; 100 元 &amp; 包邮&#20013;").text == "价格 < 100 元 & 包邮中"
    assert fixenc.repair("价格 &lt; 100 元</p>\n").text == "价格 < 100 元\n"


def shift(text: str) -> str:
    """The seed article's damage: GBK bytes, a byte-level filter turning A3A1 (！) into `!` wherever
    it matches, then a decoder that writes `?` for a bad pair and swallows an ASCII trail."""
    return producers.decode_lossy(producers.fold_full_width_bytes(producers.encode(text, producers.CP936)),
                                  producers.CP936)


SHIFTABLE = []
for sentence in (s for s in SENTENCES if "！" not in s):
    for cut in re.finditer("。", sentence):
        # ASCII letters after the stretch: the first one is taken in as a trail byte, as the K of
        # 商K說 was, so nothing is lost and the whole stretch must come back exactly.
        candidate = sentence[:cut.end()] + "”" + sentence[cut.end():cut.end() + 8] + "abc"
        if shift(candidate) != candidate and "?" in shift(candidate) and len(SHIFTABLE) < 12:
            SHIFTABLE.append(candidate)
        break


def test_a_run_of_one_mark_is_typed_emphasis_not_folding():
    """`???` after a line with `。` or `【】` is three marks, but one act of typing: no evidence of a
    width filter, and the line stays as it is."""
    plain = [s for s in SENTENCES if "。" in s and not re.search("[\uff01-\uff5e]", s)][:10]
    assert len(plain) >= 5
    for sentence in plain:
        for text in (sentence + "真的吗???", "【公告】" + sentence + "!!!"):
            assert fixenc.repair(text).text == text


@pytest.mark.parametrize("original", SHIFTABLE)
def test_shifted_stretch_is_read_back_in_step(original):
    """The lost byte is guessed: the character it belonged to may come back as another one
    (`担保。` as `担。。`); everything else must be exact, and the step must say it is lossy."""
    result = fixenc.repair(shift(original))
    assert len(result.text) == len(original)
    assert sum(a != b for a, b in zip(result.text, original)) <= 1
    assert any(step.strategy == "shifted-gbk" and not step.lossless for step in result.steps)


def test_most_shifted_stretches_come_back_exactly():
    exact = sum(fixenc.repair(shift(original)).text == original for original in SHIFTABLE)
    assert exact >= 0.75 * len(SHIFTABLE)


def test_a_swallowed_bracket_comes_back():
    original = "“这是一条最为艱難卻注定能夠長遠的路。”(lián)abc"  # the quote opens in the line, as in the article
    damaged = shift(original)
    assert damaged.endswith("路?!?lián)abc")  # the `(` went with the lost byte
    assert fixenc.repair(damaged).text == original


def annotated_shifts(script) -> list[tuple[str, str]]:
    """The seed article's first two layers on other text: a converter's readings, then the width
    filter and the decoder out of step, where the `。”` follows a reading (`趨(qū)?!钡`). Every
    few characters an annotation's `(` or a trail byte brings the decoder back in step, so the
    stretches are short, and the lost byte's character is read between two annotations."""
    cases = []
    for sentence in SENTENCES:
        if "！" in sentence or "。" not in sentence[:-1]:
            continue
        cut = sentence.index("。") + 1
        original = script(sentence[:cut] + "”" + sentence[cut:])
        damaged = shift(annotate(original))
        if "?!" in damaged and damaged[damaged.index("?!") - 1] == ")":
            cases.append((original, damaged))
    return cases[:14]


@pytest.mark.parametrize("script", [traditional, str])
def test_short_shifts_between_readings_come_back(script):
    """0 of these 14 came back before a `?` after a reading's `)` started a stretch, the lost byte's
    character was scored beside the word it ends or begins rather than beside the annotation, and
    a stretch of two or three common characters cut short by ASCII was searched; 11 now."""
    cases = annotated_shifts(script)
    assert len(cases) == 14
    assert sum(fixenc.repair(damaged).text == original for original, damaged in cases) >= 10


def test_a_line_feed_swallowed_before_a_stretch_that_swallowed_a_bracket_comes_back_as_one():
    """`。。。` + line feed, and a later `?` on the joined line that swallowed the `(` of `(dān)`: the
    search judged brackets by the rest of the line as it stood, where that `)` closed nothing, and
    put a `(` back for the line feed (`送。。。(暈撲`; 2 of these 94 two-line texts). That `?`'s own
    re-reading puts its `(` back."""
    ends = [s.rstrip("。") for s in SENTENCES if "！" not in s and s.endswith("。")]
    texts = [traditional(first) + "。。。\n" + traditional(second) + "。\n" for first, second in zip(ends, ends[1:])]
    damaged = [(text, shift(annotate(text))) for text in texts]
    damaged = [(text, garbled) for text, garbled in damaged if "?" in garbled]
    assert len(damaged) >= 90
    stray = re.compile(r"。[()]")
    assert not [text for text, garbled in damaged if stray.search(fixenc.repair(garbled).text) and not stray.search(text)]


ASCII_FREE = [s for s in SENTENCES if "！" not in s and not re.search(r"[\x00-\x7f]", s)]


@pytest.mark.parametrize("index", range(0, 30, 3))
def test_a_stretch_out_of_step_to_the_line_end_comes_back(index):
    """`。。` folds out of step, and with no ASCII after it the decoder stays late to the line's end,
    30 to 150 characters on: all of it is read back, the lost byte of the `。` and the last
    character's lost trail aside."""
    original = ASCII_FREE[index] + "。。" + ASCII_FREE[index + 1] + ASCII_FREE[index + 2]
    damaged = shift(original)
    assert damaged.endswith("?")
    repaired = fixenc.repair(damaged).text
    assert len(repaired) == len(original)
    assert sum(a != b for a, b in zip(repaired, original)) <= 2


@pytest.mark.parametrize("index", range(0, 20, 2))
def test_a_stretch_ends_where_a_pair_took_in_an_ascii_letter(index):
    """`汗~` read late as the pair `箏`: the decoder is back in step after it, and what follows is
    left as it was."""
    original = ASCII_FREE[index] + "。。" + ASCII_FREE[index + 1][:4] + "~" + ASCII_FREE[index + 1][4:]
    damaged = shift(original)
    assert "~" not in damaged
    repaired = fixenc.repair(damaged).text
    assert len(repaired) == len(original) and repaired[-len(ASCII_FREE[index + 1]) + 3:] == original[-len(ASCII_FREE[index + 1]) + 3:]
    assert sum(a != b for a, b in zip(repaired, original)) <= 1


def test_a_crlf_line_end_swallowed_comes_back():
    """`。。` + CRLF: the lead byte of the last `。` found no trail because the decoder took the CR
    with it (a line feed would have gone too, joining two lines): every line gets its CR back.
    The first line, out of step from its middle, is what shows the text went through the decoder;
    the others, `?!?` alone, could have been typed."""
    lines = [ASCII_FREE[0] + "。。" + ASCII_FREE[1]] + [sentence.rstrip("。，") + "。。" for sentence in ASCII_FREE[2:7]]
    original = "".join(line + "\r\n" for line in lines)
    damaged = shift(original)
    assert damaged.count("\r") == 0 and damaged.count("?\n") == 6
    repaired = fixenc.repair(damaged).text
    assert repaired.count("\r\n") == 6 and repaired.count("\n") == 6
    assert sum(a != b for a, b in zip(repaired, original)) <= 8


def test_a_guessed_lead_byte_makes_only_characters_the_corpus_knows():
    """A line feed swallowed after `保。` joins two lines, and the `?` of the next `。。` lies inside
    the stretch read late from the first: its guessed lead byte, waiting while the `!` after it
    swallowed nothing, must still make a character the corpus knows (`。`, not the kana `ぃ`)."""
    known = model.load().unigrams
    tried = 0
    for index, sentence in enumerate(ASCII_FREE[:80]):
        cut = next((at for at, char in enumerate(sentence) if "\u4e00" <= char and char.encode("gbk")[-1] == 0xA3), None)
        if cut is None:
            continue
        other = (index * 7) % (len(ASCII_FREE) - 1)
        original = sentence[:cut + 1] + "。\n" + ASCII_FREE[other].rstrip("。") + "。。" + ASCII_FREE[other + 1]
        damaged = shift(original)
        if "\n" in damaged:
            continue
        tried += 1
        repaired = fixenc.repair(damaged).text
        assert not [char for char in repaired if char > "\x7f" and char not in known and char not in original]
    assert tried >= 8


def test_a_final_line_break_swallowed_comes_back():
    """The last `?` of a text of several lines that ends without a line break took the final line
    feed with it, as the `?`s before it took theirs."""
    lines = [ASCII_FREE[0] + "。。" + ASCII_FREE[1]] + [sentence.rstrip("。，") + "。。" for sentence in ASCII_FREE[2:7]]
    original = "".join(line + "\n" for line in lines)
    damaged = shift(original)
    assert damaged.endswith("?") and "\n" not in damaged
    assert fixenc.repair(damaged).text.endswith("。。\n")


def test_question_marks_in_a_heap_are_lost_bytes_not_a_shift():
    """UTF-8 read as Big5 with `?` for what was lost holds runs of `?` and rare characters, as a
    stretch read late does; but a decoder out of step writes one `?` per lead byte it could not
    pair, never three in a row: no such stretch is re-read as shifted GBK."""
    opencc = pytest.importorskip("opencc")
    from fixenc.strategies.shifted_bytes import _looks_shifted

    traditional = opencc.OpenCC("s2t").convert
    heaps = []
    for sentence in SENTENCES[:60]:
        damaged = traditional(sentence).encode("utf-8").decode("cp950", "replace").replace("\ufffd", "?")
        heaps += [match.group() for match in re.finditer(r"[^\x00-\x7f]+\?{3,}[^\x00-\x7f]+", damaged)]
    assert len(heaps) >= 10
    assert not any(_looks_shifted(heap, producers.CP936) for heap in heaps)
    assert _looks_shifted("!痹\ue256商", producers.CP936)  # the seed article's first stretch still is


def test_question_marks_with_nothing_read_late_after_them_stay():
    """`塑料??比較粗糙`: re-read in step, nothing after the `??` changes, only the marks would become
    `。` and a line break; that is no shift, and typed marks stay (with them the `!`s of the line,
    which the made-up `。` would have let the folded-punctuation strategy unfold)."""
    opencc = pytest.importorskip("opencc")
    traditional = opencc.OpenCC("s2t").convert
    texts = [traditional(s) for s in SENTENCES if s.count("!") >= 2]
    assert len(texts) >= 3
    for text in texts:
        for match in re.finditer("(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", text):
            damaged = text[:match.start()] + "??" + text[match.start():]
            assert fixenc.repair(damaged).text == damaged


def test_a_swallowed_digit_does_not_become_a_line_break():
    """The `?` that swallowed the `3` of `3和` may have swallowed a line feed instead, for all the
    bytes say; but a line break in mid-sentence needs evidence, and the line stays one."""
    kept = 0
    for index in range(30):
        original = ASCII_FREE[index] + "。。" + ASCII_FREE[index + 1][:5] + "3" + ASCII_FREE[index + 1][5:]
        repaired = fixenc.repair(shift(original)).text
        kept += "\n" not in repaired and len(repaired) == len(original)
    assert kept >= 28


@pytest.mark.parametrize("text", ["你好吗?我很好。", "真的?!太好了", "这是什么?不知道,abc", "问题?答案", "真的吗?!?",
                                  "到半夜竟然没暖气,怎么住啊????!!!!!!!!!!", "週五收到?瀝川往事?,週六一口氣讀完",
                                  "已启动 ???? 天 ??:??， "])  # procps: a clock nobody set
def test_question_marks_in_clean_text_stay(text):
    assert fixenc.repair(text).text == text


@pytest.mark.parametrize("name", ["pinyin-residue", "markup-residue", "folded-punctuation", "shifted-gbk"])
def test_document_strategies_are_registered_with_a_summary(name):
    assert BY_NAME[name].summary


def test_script_conversion_only_when_asked():
    text = "醫療設備打破國際壟斷"
    assert fixenc.repair(text).text == text
    assert fixenc.repair(text, script="simplified").text == "医疗设备打破国际垄断"
    assert fixenc.repair("医疗设备", script="traditional").text == "醫療設備"


def test_cli_keep_punctuation_and_script_options():
    from click.testing import CliRunner

    from fixenc.cli import main

    garbled = "醫(yī)療設(shè)備,十年圖破壁,會有什么收效?不久前舉行。".encode()
    kept = CliRunner().invoke(main, ["--keep-punctuation"], input=garbled)
    assert kept.stdout_bytes.decode() == "醫療設備,十年圖破壁,會有什么收效?不久前舉行。", kept.stderr
    simplified = CliRunner().invoke(main, ["--to-simplified"], input=garbled)
    assert simplified.stdout_bytes.decode() == "医疗设备，十年图破壁，会有什么收效？不久前举行。", simplified.stderr
    both = CliRunner().invoke(main, ["--to-simplified", "--to-traditional"], input=garbled)
    assert both.exit_code == 2


@pytest.mark.parametrize("text", ["”你们才满意????", "笔记本包和鼠标和屏幕保??", "真的吗??我不信"])
def test_typed_question_marks_are_not_a_shifted_stretch(text):
    """bench/accuracy.py found these: a run of `?` with no folded mark is typed, not a lost byte."""
    assert "shifted-gbk" not in [step.strategy for step in fixenc.repair(text).steps]


def test_a_bracket_unfolds_with_its_partner():
    folded = "散热不错,质感也可以,硬件配置体现了一个e(easy)字,能省则省;预装的操作系统也是免费的。"
    assert fixenc.repair(folded).text == "散热不错，质感也可以，硬件配置体现了一个e（easy）字，能省则省；预装的操作系统也是免费的。"
