"""The legacy table of 金乡县商务局 2017 (seed 004) in the 2021 schema, and its variants."""

from decimal import Decimal

import pytest
from opencc import OpenCC

from converter import read_report

from .conftest import SAMPLES
from .properties import applicable_rules
from .regenerate_expected import expected as expected_counts
from .relayout import traditional_with_pinyin

JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"

# 2021 cell -> (status, legacy rows that feed it); every other printed cell is not collected.
# Issue 13: a sum whose placement is a matter of practice is approx (not summed); 法律法规规定的其他情形 (L38)
# is unmapped; 复议 维持具体行政行为数 is approx; 诉讼 维持/纠错 to the derived 合计 keep the meaning: exact.
MAPPED = {
    "art20.normative.issued": ("approx", ["L04"]),
    "apply.new.total": ("approx", ["L19"]),
    "apply.total.total": ("approx", ["L28", "L25"]),  # 申请答复数 preferred, 申请办结数 compared
    "apply.granted.total": ("approx", ["L29", "L30"]),  # 已主动公开 + 同意公开: placement by practice
    "apply.partial.total": ("approx", ["L31"]),
    "apply.withheld.total": ("approx", ["L32"]),  # aggregate: the derived （三） subtotal
    "apply.withheld.state_secret.total": ("exact", ["L33"]),
    "apply.withheld.third_party.total": ("approx", ["L34", "L35"]),
    "apply.withheld.three_safety.total": ("exact", ["L36"]),
    "apply.unable.not_held.total": ("approx", ["L39", "L40"]),
    "review.total": ("approx", ["L43"]),
    "review.upheld": ("approx", ["L44"]),  # the review label omits 驳回
    "review.corrected": ("exact", ["L45"]),
    "review.other": ("approx", ["L46"]),
    "litigation.all.total": ("approx", ["L47"]),
    "litigation.all.upheld": ("exact", ["L48"]),
    "litigation.all.corrected": ("exact", ["L49"]),
    "litigation.all.other": ("approx", ["L50"]),
}
UNMAPPED = [  # (legacy row, printed label, value) in table order
    ("L02", "(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)", 72),
    ("L03", "其中:主动公开规范性文件数", 0),
    ("L06", "1.政府网站公开政府信息数", 37),
    ("L07", "2.政务微博公开政府信息数", 0),
    ("L08", "3.政务微信公开政府信息数", 20),
    ("L09", "4.其他方式公开政府信息数", 15),
    ("L11", "(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)", 0),
    ("L13", "1.参加或举办新闻发布会总次数", 1),
    ("L14", "其中:主要负责同志参加新闻发布会次数", 1),
    ("L15", "2.政策解读稿件发布数", 0),
    ("L16", "3.微博微信回应事件数", 0),
    ("L17", "4.其他方式回应事件数", 0),
    ("L20", "1.当面申请数", 0),
    ("L21", "2.传真申请数", 0),
    ("L22", "3.网络申请数", 0),
    ("L23", "4.信函申请数", 0),
    ("L24", "5.其他形式", 0),
    ("L26", "1.按时办结数", 0),
    ("L27", "2.延期办结数", 0),
    ("L37", "不是《条例》所指政府信息", 0),
    ("L38", "法律法规规定的其他情形", 0),
    ("L41", "7.告知作出更改补充数", 0),
    ("L42", "8.告知通过其他途径办理数", 0),
    ("L51", "六、被举报投诉数量", 0),
    ("L52", "(一)维持具体行政行为数", 0),
    ("L53", "(二)被纠错数", 0),
    ("L54", "(三)其他情形数", 0),
    ("L55", "七、向图书馆、档案馆等查阅场所报送信息数", 0),
    ("L56", "(一)纸质文件数", 0),
    ("L57", "(二)电子文件数", 0),
    ("L58", "八、依申请公开信息收取的费用", 0),
    ("L60", "(一)政府信息公开工作专门机构数", 0),
    ("L61", "(二)设置政府信息公开查阅点数", 1),
    ("L62", "(三)从事政府信息公开工作人员数", 1),
    ("L63", "1.专职人员数(不包括政府网站工作人员数)", 0),
    ("L64", "2.兼职人员数", 1),
    ("L65", "(四)政府信息公开专项经费(不包括政府网站建设维护等方面的经费)", Decimal("0.2")),
    ("L67", "(一)召开政府信息公开工作会议或专题会议数", 1),
    ("L68", "(二)举办各类培训班数", 1),
    ("L69", "(三)接受培训人员数", 12),
]


@pytest.fixture(scope="module")
def jinxiang(mappings):
    return read_report(JINXIANG, mappings=mappings)


def test_metadata(jinxiang):
    assert (jinxiang.agency, jinxiang.year, jinxiang.format) == ("金乡县商务局", 2017, "legacy")


def test_every_mapped_value_and_status(jinxiang):
    for cell_id, (status, sources) in MAPPED.items():
        obs = jinxiang.observations[cell_id]
        assert (obs.value, obs.status) == (0, status), cell_id
        assert [s.key for s in obs.sources] == sources, cell_id
    assert jinxiang.observations["litigation.all.total"].relation == "aggregate, approx"
    assert jinxiang.observations["apply.granted.total"].relation == "summed, approx"
    assert jinxiang.observations["apply.withheld.state_secret.total"].relation == "single, exact"
    assert "prefers" not in " ".join(f.message for f in jinxiang.findings)  # 申请办结数 = 申请答复数 = 0


def test_every_other_cell_is_not_collected(jinxiang, mappings):
    mapped_or_derived = set(MAPPED)
    for cell in mappings.schema.values():
        obs = jinxiang.observations[cell.id]
        if cell.id in mapped_or_derived:
            continue
        assert (obs.value, obs.status) == (None, "not_collected"), cell.id
    assert jinxiang.status_counts() == expected_counts(JINXIANG)["status_counts"]


def test_complete_unmapped_list(jinxiang, mappings):
    got = [(u["key"], u["label"], u["value"]) for u in jinxiang.unmapped]
    assert got == [(key, label, Decimal(value)) for key, label, value in UNMAPPED]
    for entry in jinxiang.unmapped:
        assert entry["reason"] == mappings.maps["legacy"][entry["key"]].note
        assert entry["line"] and entry["section"] is not None
    fee = next(u for u in jinxiang.unmapped if u["key"] == "L58")
    assert fee["unit"] == "万元" and "容易混淆" in fee["reason"]
    complaints = next(u for u in jinxiang.unmapped if u["key"] == "L52")
    assert complaints["section"] == "六、被举报投诉数量" and complaints["line"] == 91


def test_ledger_and_source_rules(jinxiang, mappings):
    assert jinxiang.ledger == expected_counts(JINXIANG)["ledger"] and jinxiang.ledger["balanced"]
    channels = next(c for c in jinxiang.source_checks if c.rule == "legacy-channels")
    assert (channels.left_value, channels.right_value, channels.status) == (72, 72, "passed")  # 72 = 37+0+20+15
    assert {c.status for c in jinxiang.source_checks} == {"passed"}
    assert {c.rule for c in jinxiang.source_checks} >= applicable_rules(jinxiang, mappings, "legacy")
    # the one 2021 rule that applies: the aggregate-filled （三） subtotal is at least its mapped members
    assert [(c.rule, c.right, c.status) for c in jinxiang.checks] == [
        (
            "withheld-subtotal[total]",
            tuple(f"apply.withheld.{m}.total" for m in ("state_secret", "three_safety", "third_party")),
            "passed",
        )
    ]
    assert jinxiang.findings == []


def _numbered(tmp_path):
    """Seed 004 with every table value replaced by its line number, so that each mapping shows."""
    lines = JINXIANG.read_text(encoding="utf-8").splitlines()
    for index in range(40, 109):
        cells = lines[index].split(" | ")
        if len(cells) == 3 and cells[2].strip(" |").replace(".", "").isdigit():
            cells[2] = f"{index + 1} |"
            lines[index] = " | ".join(cells)
    path = tmp_path / "numbered.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return read_report(path)


def test_mapping_arithmetic_with_distinct_values(tmp_path):
    report = _numbered(tmp_path)
    values = {i: o.value for i, o in report.observations.items() if o.value is not None}
    assert values == {
        "art20.normative.issued": 43,
        "apply.new.total": 58,
        "apply.total.total": 67,
        "apply.granted.total": 68 + 69,
        "apply.partial.total": 70,
        "apply.withheld.total": 71,
        "apply.withheld.state_secret.total": 72,
        "apply.withheld.third_party.total": 73 + 74,
        "apply.withheld.three_safety.total": 75,
        "apply.unable.not_held.total": 78 + 79,
        "review.total": 82,
        "review.upheld": 83,
        "review.corrected": 84,
        "review.other": 85,
        "litigation.all.total": 86,
        "litigation.all.upheld": 87,
        "litigation.all.corrected": 88,
        "litigation.all.other": 89,
    }
    conflicts = [f for f in report.findings if f.code == "conflicting-sources"]
    assert len(conflicts) == 1 and "采用 「(三)申请答复数」（第67行） = 67" in conflicts[0].message
    assert "「(二)申请办结数」（第64行）= 64" in conflicts[0].message
    failed = {c.rule: (c.left_value, c.right_value) for c in report.source_checks if c.status == "failed"}
    # 主动公开政府信息数 <= the channels (an item on several channels counts once): 41 <= 186 holds
    channels = next(c for c in report.source_checks if c.rule == "legacy-channels")
    assert (channels.left_value, channels.right_value, channels.status) == (41, 45 + 46 + 47 + 48, "passed")
    assert "legacy-channels" not in failed and failed["legacy-received"] == (58, 59 + 60 + 61 + 62 + 63)
    # the aggregate-filled （三） subtotal is at least its mapped members: 71 < 72 + 73 + 74 + 75
    subtotal = next(c for c in report.checks if c.rule == "withheld-subtotal[total]")
    assert (subtotal.left_value, subtotal.right_value, subtotal.status) == (71, 72 + 73 + 74 + 75, "failed")
    assert len([f for f in report.findings if f.code == "sum-mismatch"]) == 9 + 1
    assert report.ledger["balanced"] and report.ledger["source_numbers"] == 62


@pytest.mark.parametrize("layout", ["tabs", "traditional-pinyin", "cell-per-line"])
def test_other_layouts_and_scripts(jinxiang, tmp_path, layout):
    text = JINXIANG.read_text(encoding="utf-8")
    head, table = text.split("统 计 指 标", 1)
    rows = [line.rstrip(" |").split(" | ") for line in ("统 计 指 标" + table).splitlines()]
    if layout == "tabs":
        body = "\n".join("\t".join(cells) for cells in rows)
    elif layout == "cell-per-line":
        body = "\n".join(f"{c} |" for cells in rows for c in cells)
    else:
        body = traditional_with_pinyin("\n".join(" | ".join(cells) for cells in rows))
        head = OpenCC("s2t").convert(head)
    path = tmp_path / "relaid.txt"
    path.write_text(head + body + "\n", encoding="utf-8")
    report = read_report(path)
    assert {i: (o.value, o.status) for i, o in report.observations.items()} == {
        i: (o.value, o.status) for i, o in jinxiang.observations.items()
    }
    assert [(u["key"], u["value"]) for u in report.unmapped] == [(u["key"], u["value"]) for u in jinxiang.unmapped]
    assert report.ledger == jinxiang.ledger


DINGXI = """定西市某局2009年政府信息公开工作年度报告（测试用，按定西市统计报表格式构造）
一、概述
本年度按统计制度填报。
指 标 名 称 | 计量单位 | 代码 | 本期实际 | 本年累计
主动公开信息数 | 条 | 01 | 12 | 140
申请总数 | 条 | 10 | 2 | 25
其中:1.当面申请数 | 条 | 11 | 1 | 20
对申请的答复总数 | 条 | 17 | 2 | 24
其中:1.同意公开答复数 | 条 | 18 | 1 | 15
2.同意部分公开答复数 | 条 | 19 | 0 | 3
3.否决公开答复总数 | 条 | 20 | 1 | 6
其中:(1)“非《规定》所指政府信息”数 | 条 | 21 | 0 | 1
(2)“信息不存在”数 | 条 | 22 | 1 | 2
(3)“非本部门掌握”数 | 条 | 23 | 0 | 1
(5)“免予公开范围1”数 | 条 | 25 | 0 | 1
(6)“免予公开范围2”数 | 条 | 26 | 0 | 0
(7)“免予公开范围3”数 | 条 | 27 | 0 | 1
(4)“申请人满意度调查”数 | 条 | 99 | 0 | 4
行政复议数 | 件 | 32 | 0 | 1
"""


def test_dingxi_variant_takes_the_annual_column(tmp_path):
    path = tmp_path / "dingxi.txt"
    path.write_text(DINGXI, encoding="utf-8")
    report = read_report(path)
    obs = report.observations
    assert (report.agency, report.year, report.format) == ("定西市某局", 2009, "legacy")
    assert (obs["apply.new.total"].value, obs["apply.new.total"].status) == (25, "approx")
    assert (obs["apply.total.total"].value, obs["apply.granted.total"].value, obs["apply.partial.total"].value) == (
        24,
        15,
        3,
    )
    assert (obs["apply.unable.not_held.total"].value, obs["apply.unable.not_held.total"].status) == (3, "approx")
    assert (obs["apply.withheld.state_secret.total"].value, obs["apply.withheld.state_secret.total"].status) == (
        1,
        "exact",
    )
    assert (obs["apply.withheld.third_party.total"].value, obs["review.total"].value) == (1, 1)
    monthly = [u for u in report.unmapped if u["column"] == "本期实际"]
    assert len(monthly) == 14 and "一个月" in monthly[0]["reason"]
    unknown = [f for f in report.findings if f.code == "unknown-label"]
    assert (
        len(unknown) == 1 and "申请人满意度调查" in unknown[0].message and "closest known label" in unknown[0].message
    )
    assert [u["value"] for u in report.unmapped if u["reason"] == "unknown-label"] == [0, 4]
    assert report.ledger == {
        "source_numbers": 30,
        "mapped": 10,
        "unmapped": 20,
        "ambiguous": 0,
        "unplaced": 0,
        "balanced": True,
    }  # codes are not data


def test_invented_row_is_unknown_with_a_suggestion(tmp_path):
    lines = JINXIANG.read_text(encoding="utf-8").splitlines()
    lines.insert(81, "9.告知申请人撤回申请数 | 件 | 2 |")
    path = tmp_path / "invented.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = read_report(path)
    unknown = [f for f in report.findings if f.code == "unknown-label"]
    assert len(unknown) == 1 and "「9.告知申请人撤回申请数」" in unknown[0].message
    assert "closest known label: 「6.申请信息不存在数」" in unknown[0].message
    entry = next(u for u in report.unmapped if u["reason"] == "unknown-label")
    assert (entry["value"], entry["line"], entry["suggestion"]) == (2, 82, "6.申请信息不存在数")
    assert (
        report.ledger["balanced"] and report.ledger["unmapped"] == expected_counts(JINXIANG)["ledger"]["unmapped"] + 1
    )


def test_row_printed_twice_keeps_the_first(tmp_path):
    lines = JINXIANG.read_text(encoding="utf-8").splitlines()
    lines.insert(58, "(一)收到申请数 | 件 | 5 |")  # again right after line 58
    path = tmp_path / "twice.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = read_report(path)
    assert report.observations["apply.new.total"].value == 0
    twice = [u for u in report.unmapped if u["reason"].endswith("the row is printed twice: the first one is used")]
    assert [(u["label"], u["value"], u["line"]) for u in twice] == [("(一)收到申请数", 5, 59)]
    assert report.ledger["balanced"]
