"""Parser bugs the generated reports found, each kept as a small case of its own."""

from converter import read_report
from converter.read.values import parse_token

from .conftest import SAMPLES

BAOFENG = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"


def test_traditional_no_value_mark_is_not_a_label(tmp_path, mappings):
    """無 (无 in Traditional script) in a value cell is no value: once it was read as a row label."""
    assert parse_token("無").value is None
    lines = BAOFENG.read_text(encoding="utf-8").splitlines()
    lines[26] = "行政许可\t無\t\t"  # line 27
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = read_report(path, mappings=mappings)
    licensing = report.observations["art20.licensing.decisions"]
    assert (licensing.value, licensing.status) == (None, "missing")
    assert [f.code for f in report.findings if f.line == 27] == ["missing-value"]


def test_doubled_colon_after_qizhong(mappings):
    key = mappings.normalizer.key
    assert key("其中：：1.同意公开答复数") == key("其中:1.同意公开答复数") == key("同意公开答复数")


def test_a_space_inside_a_word_changes_no_key(mappings):
    """「答 覆」 converts to 答复 only without the space; 「其 它」 is 其它, folded to 其他."""
    key = mappings.normalizer.key
    assert key("2.同意部分公開答 覆數") == key("2.同意部分公开答复数")
    assert key("(11)其 它原因") == key("(11)其他原因")


PUTIAN = """莆田市某局2009年度政府信息公开工作年度报告
指 标 名 称 | 计量单位 | 2009 年度 | 历年累计
主动公开信息数 | 条 | 12 | 140
其中:1.政府网站 | 条 | 10 | 120
2.政府公报 | 条 | 2 | 20
受理依申请公开信息总数 | 件 | 3 | 30
本年度对申请的答复总数 | 件 | 3 | 30
"""


def test_first_row_of_a_local_form_is_read_in_that_form(tmp_path, mappings):
    """主动公开信息数 is the first row of both 定西's and 莆田's forms: the rest of the table says which."""
    path = tmp_path / "putian.txt"
    path.write_text(PUTIAN, encoding="utf-8")
    report = read_report(path, mappings=mappings)
    first = next(u for u in report.unmapped if u["key"] == "V2.01")
    assert (first["label"], first["value"]) == ("主动公开信息数", 12)
    assert first["reason"] == mappings.maps["legacy"]["V2.01"].note
    assert not [u for u in report.unmapped if u["key"].startswith("V1.")]


def test_a_repeated_unknown_label_is_matched_once(tmp_path, mappings, monkeypatch):
    """A huge line repeating an unknown label (the fuzz test makes them) took seconds: each repeat
    searched every row label for the closest one. It is searched once per label now."""
    import difflib

    searches = []
    real = difflib.get_close_matches
    monkeypatch.setattr(difflib, "get_close_matches", lambda *a, **k: searches.append(a[0]) or real(*a, **k))
    lines = BAOFENG.read_text(encoding="utf-8").splitlines()
    lines.insert(45, "\t".join(["网上申请数", "1"] * 2000))  # inside table 三
    path = tmp_path / "report.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = read_report(path, mappings=mappings)
    assert len([f for f in report.findings if f.code == "unknown-label"]) == 2000
    assert len(searches) == 1 and report.ledger["balanced"]


def test_pinyin_readings_do_not_make_a_legacy_label_prose(mappings, tmp_path):
    """A legacy label longer than 80 characters only with its pinyin readings is still a label: once it
    ended the table there, silently dropping every number after it."""
    from converter.normalize import to_traditional

    text = (SAMPLES / "2017-jinxiang-commerce-legacy-table.txt").read_text(encoding="utf-8")
    label = "(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)"
    dense = "".join(c + "(huí)" if "\u4e00" <= c <= "\u9fff" else c for c in to_traditional(label))
    assert len(dense) > 80
    path = tmp_path / "dense.txt"
    path.write_text(text.replace(label, dense), encoding="utf-8")
    report = read_report(path, mappings=mappings)
    assert report.ledger == {
        "source_numbers": 62,
        "mapped": 22,
        "unmapped": 40,
        "balanced": True,
    }  # L38 unmapped (issue 13)
    assert next(u for u in report.unmapped if u["key"] == "L11")["label"] == dense
