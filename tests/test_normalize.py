import pytest

from converter.normalize import Normalizer, strip_pinyin


@pytest.mark.parametrize(
    "printed, key",
    [
        ("三,、本年度辦理結果", "本年度办理结果"),
        ("(二)部分公開(kāi)(區(qū)分處理的,,只計(jì)這一情形,不計(jì)其他情形)", "部分公开"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开"),
        ("3.危及“三安全一穩(wěn)定”", "危及三安全一稳定"),
        ("商业 企业", "商业企业"),
        ("統 計 指 標", "统计指标"),
        ("其中:涉及国家秘密", "涉及国家秘密"),
        ("(5)“免予公开范围1”数", "免予公开范围1"),
        ("本年收費(fèi)金額(單位:萬(wàn)元)", "本年收费金额"),
        ("第二十条第（一）项", "第二十条第一项"),
        ("(一) 予以公开", "予以公开"),
        ("其它原因", "其他原因"),
        ("６.其它形式申请数", "其他形式申请"),
        ("一,、本年新收政府信息公開(kāi)申請(qǐng)數(shù)量", "本年新收政府信息公开申请数量"),
    ],
)
def test_keys(printed, key):
    assert Normalizer().key(printed) == key


def test_pinyin_removed_only_after_characters():
    assert strip_pinyin("嘉興市商務(wù)局(PDF)(一)") == "嘉興市商務局(PDF)(一)"
    assert strip_pinyin("總計（jì）") == "總計"


def test_protected_names_survive_conversion():
    assert Normalizer().clean("乾安縣商務局") == "干安县商务局"  # what opencc alone does
    assert Normalizer(("乾安县",)).clean("乾安县商務局") == "乾安县商务局"


def _every_line_of_the_samples_and_real_pages() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [*root.joinpath("samples").rglob("*.txt"), *root.joinpath("tests/fixtures/real").rglob("*.txt")]
    return [line for path in files for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]


def test_the_shortcut_past_opencc_gives_what_opencc_gives():
    """Text holding none of the characters OpenCC changes is returned as is; it must be what OpenCC returns."""
    from converter.normalize import _opencc, _traditional_marks

    t2s = _opencc("t2s")
    marks = _traditional_marks()
    assert marks, "the characters OpenCC converts could not be read from its dictionaries"
    lines = _every_line_of_the_samples_and_real_pages()
    skipped = [line for line in lines if marks.isdisjoint(line)]
    assert skipped and len(skipped) < len(lines)  # both paths are exercised
    assert [t2s.convert(line) for line in skipped] == skipped
    converted = [line for line in lines if not marks.isdisjoint(line)]
    assert [Normalizer().simplified(line) for line in converted] == [t2s.convert(line) for line in converted]
    assert "沈" in marks  # 沈船 -> 沉船: a phrase whose characters OpenCC keeps one by one


def test_half_width_is_nfkc():
    """The quick path of half_width (plain characters, changed one by one) gives what NFKC gives: on every line
    of the samples and real pages, on random text made of the plain characters, and on text outside them."""
    import random
    import unicodedata

    from converter.normalize import _IDEOGRAPH_RANGES, _PLAIN_RANGES, half_width

    lines = _every_line_of_the_samples_and_real_pages()
    assert [half_width(line) for line in lines] == [unicodedata.normalize("NFKC", line) for line in lines]
    for first, last in _IDEOGRAPH_RANGES:
        assert all(unicodedata.normalize("NFKC", chr(c)) == chr(c) for c in range(first, last + 1))
    plain = [chr(c) for first, last in _PLAIN_RANGES for c in range(first, last + 1)] + ["乾", "務", "㐀"]
    odd = ["\u0301", "\u3099", "ｶ", "ﾞ", "\u302a", "ᄀ", "\u1161", "é", "\ufb01", "\u00a8"]
    for character in plain:  # each plain character beside each character that could join it
        for other in odd:
            for text in (character + other, other + character, character + other + character):
                assert half_width(text) == unicodedata.normalize("NFKC", text), repr(text)
    generator = random.Random(20261130)
    for _ in range(3000):
        text = "".join(generator.choice(plain) for _ in range(generator.randint(0, 12)))
        assert half_width(text) == unicodedata.normalize("NFKC", text), repr(text)
        mixed = "".join(generator.choice(plain + odd) for _ in range(generator.randint(0, 12)))
        assert half_width(mixed) == unicodedata.normalize("NFKC", mixed), repr(mixed)
