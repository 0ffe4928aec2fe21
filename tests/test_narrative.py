"""Figures from the reports' own prose (issue 18): 主动公开政府信息2258条 and the like, read with the phrasings
of mappings/narrative.csv from the lines outside the tables, checked against the table row of the same
quantity, and shown in the series as a supplementary block with status narrative.

The expected figures below were read by hand from each file's prose.
"""

from __future__ import annotations

import csv
import random
import re
import shutil
import unicodedata
from decimal import Decimal

import pandas
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from converter import load_mappings, read_report
from converter.corpus.audit import report_rows
from converter.corpus.series import narrative_values
from converter.errors import MappingError
from converter.generate import Generator, narrative_sentences
from converter.normalize import to_traditional
from converter.parse.narrative import read_narrative
from converter.write.series_narrative import NARRATIVE_FILL

from .conftest import FIXTURES, SAMPLES, SHANGHAI_TEXT, run
from .fixtures.documents import document_for, to_docx, to_html, to_pdf, to_xlsx

PROACTIVE, APPLICATIONS = "narrative.proactive.total", "narrative.applications.received"
WEBSITE, WEIBO, WECHAT = "narrative.website.posts", "narrative.weibo.posts", "narrative.wechat.posts"
JINXIANG = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"
PINGTAN = SAMPLES / "pingtan-series"
REAL = FIXTURES / "real"

# file -> every figure its prose gives for a narrative indicator: (id, value, line, status). not_taken: a
# phrasing matched, but the sentence makes the figure a part (其中, 含), so it is not the indicator's figure.
BY_HAND = {
    JINXIANG: [
        (PROACTIVE, 72, 14, "narrative"),  # 2017年,我局主动公开政府信息72条。
        (WEBSITE, 37, 14, "not_taken"),  # 含金乡县人民政府门户网站的“政府信息公开”栏目公开37条,
        (WECHAT, 20, 14, "not_taken"),  # … 微信公众号“金乡商务”公开20条 (the same 含 sentence)
    ],
    SAMPLES / "2021-fushun-market-regulation-2021format-traditional-broken-rows.txt": [
        (PROACTIVE, 1433, 7, "narrative"),  # 全年共主動公開各類政府信息1433條。
        (PROACTIVE, 876, 7, "not_taken"),  # 其中,門戶網站信息公開專欄主動公開和更新各類信息876條;
        (WEIBO, 176, 7, "narrative"),  # 政務微博信息發布量176條,
        (WECHAT, 381, 7, "narrative"),  # 微信公眾號發布量381條,
        ("narrative.press.conferences", 4, 16, "not_taken"),  # 共發布新聞稿件389篇,其中…,召開新聞發布會4次。
    ],
    SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt": [
        (PROACTIVE, 109, 9, "narrative"),  # 通过“微信公众号”平台公开发布信息共计 109 条。
        (APPLICATIONS, 0, 11, "narrative"),  # 本单位 2023 年受理依申请公开 0 件。
    ],
    SAMPLES / "2023-wulanchabu-commerce-2021format-one-cell-per-line.txt": [
        (WEBSITE, 453, 7, "narrative"),  # 一是2023年我局门户网站发布信息453条,
        ("narrative.website.visits", 159294, 7, "narrative"),  # 网站总访问量159294次;
        (WECHAT, 259, 7, "narrative"),  # 二是通过“乌兰察布商务之窗”微信公众号上发布信息259条,
    ],
    SAMPLES / "2024-jiaxing-commerce-2021format-traditional-pinyin-pipes.txt": [
        (
            PROACTIVE,
            2258,
            5,
            "narrative",
        ),  # 我局主動(dòng)公開(kāi)政府信息2258條 (微信公眾號共發布信息664期: 期, not 条)
        (APPLICATIONS, 3, 7, "narrative"),  # 我局共收到依申請(qǐng)公開(kāi)事項(xiàng)3件
    ],
    PINGTAN / "2018-pingtan-legacy-constructed-from-published-values.txt": [(PROACTIVE, 2069, 4, "narrative")],
    PINGTAN / "2019-pingtan-2019format-constructed-from-published-values.txt": [
        (PROACTIVE, 2599, 3, "narrative"),  # 共公布政府信息2599条，
        (PROACTIVE, 856, 3, "not_taken"),  # (其中……其他应主动公开政府信息856条)
    ],
    PINGTAN / "2020-pingtan-2019format-constructed-from-published-values.txt": [
        (PROACTIVE, 2602, 4, "narrative"),
        (PROACTIVE, 1053, 4, "not_taken"),
        (APPLICATIONS, 21, 4, "narrative"),  # 共受理政府信息公开申请21件
    ],
    PINGTAN / "2021-pingtan-2021format-constructed-from-published-values.txt": [
        (PROACTIVE, 2645, 4, "narrative"),  # 全年主动公开我区各级单位政府信息2645条
        (APPLICATIONS, 70, 4, "narrative"),  # 本年度全区共收到70件申请
    ],
    SAMPLES / "2019-shanghai-gov-office-2019format-saved-page.html": [
        ("narrative.interpretation.posts", 132, 10, "narrative"),  # 通过“中国上海”门户网站发布政策解读共132件。
        (APPLICATIONS, 859, 14, "narrative"),  # 共受理政府信息公开申请859件，申请数量较去年回落12.3%；
    ],
    SHANGHAI_TEXT: [("narrative.interpretation.posts", 132, 10, "narrative"), (APPLICATIONS, 859, 14, "narrative")],
    # real reports found earlier (tests/fixtures/real): their prose, read by hand
    REAL / "2019-yueyang-nanhu-bureau-2019format-cell-per-line-blanks-dropped-cut.txt": [
        (PROACTIVE, 25, 4, "narrative"),  # 全年我局主动公开信息25条。
        (APPLICATIONS, 3, 5, "narrative"),  # 全年收到依申请公开信息3条,答复率100%。
    ],
    REAL / "2022-songmutangzhen-2021format-pipe-rows-leading-pipe-cut.txt": [
        (PROACTIVE, 32, 6, "narrative"),  # 2022年,主动公开政府信息32条,包括领导信息类1条、…
        (APPLICATIONS, 0, 7, "narrative"),  # 2022年我镇全年共收到依申请公开0件,公开0件,…
    ],
    REAL / "2020-zhongcunxiang-2019format-one-cell-per-line-leading-spaces-cut.txt": [],
    REAL / "2021-dttz-xinfangju-2021format-cell-per-line-pipes-cut.txt": [],
}

# file -> the prose figures that agree with the table's figure for the same quantity: id -> table line
AGREES = {
    JINXIANG: {PROACTIVE: 41},  # table row (一)主动公开政府信息数 … 72
    PINGTAN / "2018-pingtan-legacy-constructed-from-published-values.txt": {PROACTIVE: 7},  # 主动公开文件数 2069
    PINGTAN / "2020-pingtan-2019format-constructed-from-published-values.txt": {APPLICATIONS: 26},  # 本年新收 21
    PINGTAN / "2021-pingtan-2021format-constructed-from-published-values.txt": {APPLICATIONS: 22},  # 本年新收 70
    SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt": {APPLICATIONS: 41},
    SAMPLES / "2024-jiaxing-commerce-2021format-traditional-pinyin-pipes.txt": {APPLICATIONS: 33},
    SHANGHAI_TEXT: {APPLICATIONS: 50},
    SAMPLES / "2019-shanghai-gov-office-2019format-saved-page.html": {APPLICATIONS: 50},
}


def prose(report):
    return [(f.id, f.value, f.line, f.status) for f in report.narrative if f.status != "exact"]


@pytest.fixture(scope="module")
def reports(mappings):
    return {path: read_report(path, mappings=mappings) for path in BY_HAND}


@pytest.mark.parametrize("path", list(BY_HAND), ids=lambda p: p.stem[:40])
def test_every_figure_of_the_prose_is_read_with_its_line(reports, path):
    assert sorted(prose(reports[path])) == sorted((i, Decimal(v), line, s) for i, v, line, s in BY_HAND[path])


@pytest.mark.parametrize("path", [p for p in BY_HAND if p.suffix == ".txt"], ids=lambda p: p.stem[:40])
def test_no_figure_comes_from_a_table_line(reports, path):
    lines = path.read_text(encoding="utf-8").splitlines()
    for figure in reports[path].narrative:
        if figure.status != "exact":
            printed = lines[figure.line - 1]
            assert "|" not in printed and "\t" not in printed, (figure.id, figure.line)
            assert figure.raw in printed and figure.phrasing


def test_agreement_with_the_table_is_in_the_provenance(reports):
    for path, report in reports.items():
        checked = {f.id: f for f in report.narrative if f.check}
        assert {i: f.check for i, f in checked.items()} == {i: "agrees" for i in AGREES.get(path, {})}, path
        for cell_id, line in AGREES.get(path, {}).items():
            assert f"第{line}行" in checked[cell_id].note and "agrees" in checked[cell_id].note
        assert not [f for f in report.findings if f.code.startswith("narrative")], path


def test_the_traditional_seed_gives_its_headline(reports):
    path = SAMPLES / "2024-jiaxing-commerce-2021format-traditional-pinyin-pipes.txt"
    [figure] = [f for f in reports[path].narrative if f.id == PROACTIVE]
    assert (figure.value, figure.line, figure.phrasing) == (2258, 5, "主动公开…信息…N条")
    assert figure.sentence == "2024年,,我局主動(dòng)公開(kāi)政府信息2258條,。"  # as printed


def test_a_legacy_table_row_stands_for_its_year_with_the_prose_beside_it(reports):
    chosen = {f.id: f for f in narrative_values(reports[JINXIANG])}
    headline = chosen[PROACTIVE]
    assert (headline.value, headline.status, headline.line) == (72, "exact", 41)
    assert chosen[WECHAT].value == 20 and chosen[WECHAT].status == "exact"  # the table's row; the prose's 20 is a part


# --- near misses --------------------------------------------------------------------------------------------


def read(mappings, *lines, year=2021, table_lines=()):
    return [(f.id, f.value, f.status) for f in read_narrative(list(lines), table_lines, mappings, year=year)]


@pytest.mark.parametrize(
    "sentence, value",
    [
        ("2021年，我局主动公开政府信息1,234条。", 1234),
        ("全年共主动公开各类政府信息１２３４条。", 1234),
        ("全年共主动公开各类政府信息１，２３４条。", 1234),
        ("我局主動公開政府信息2258條。", 2258),
        ("主动公开政府信息 1433 条，同比增长12%。", 1433),  # the change is another clause, after the figure
        ("主动公开政府信息72条，其中规范性文件5条。", 72),  # 其中 after the figure
    ],
)
def test_a_figure_is_read_in_any_script_width_and_spacing(mappings, sentence, value):
    assert read(mappings, sentence) == [(PROACTIVE, Decimal(value), "narrative")]


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ("其中主动公开政府信息300条。", "part"),
        ("含门户网站主动公开政府信息300条。", "part"),
        ("全年主动公开政府信息约300条。", "approx"),
        ("主动公开政府信息300余条。", "approx"),
        ("主动公开政府信息较上年增加120条。", "change"),
        ("主动公开政府信息同比增加120条。", "change"),
        ("2021年上半年，我局主动公开政府信息300条。", "period"),
        ("1-6月主动公开政府信息300条。", "period"),
        ("2020年，我局主动公开政府信息300条。", "period"),  # a report of 2021
    ],
)
def test_a_part_an_approximation_a_change_or_another_period_is_not_taken(mappings, sentence, reason):
    [figure] = read_narrative([sentence], (), mappings, year=2021)
    assert figure.status == "not_taken" and f"{reason}:" in figure.note


@pytest.mark.parametrize(
    "sentence",
    [
        "主动公开政府信息同比增长15%。",  # a percentage
        "主动公开政府信息100-200条。",  # a range
        "通过政务新媒体微信公众号共发布信息664期。",  # 期 where 条 is meant
        "组织开展19期《问政平潭》，主动公开政府信息。",
        "主动公开政府信息1.2万条。",  # in 万: not a count as printed
    ],
)
def test_no_figure_where_the_sentence_gives_none(mappings, sentence):
    assert read(mappings, sentence) == []


def test_table_lines_are_never_read(mappings):
    lines = ["2021年，我局主动公开政府信息72条。", "主动公开政府信息72条 | 条 | 72 |", "主动公开政府信息73条"]
    assert read(mappings, *lines, table_lines=range(2, 4)) == [(PROACTIVE, 72, "narrative")]


def test_a_sentence_wrapped_across_lines_is_one_sentence(mappings):
    figures = read_narrative(
        ["2021年，我局认真贯彻条例要求，全年主动公开政府信", "息2258条。"], (), mappings, year=2021
    )
    assert [(f.value, f.line) for f in figures] == [(2258, 2)]  # the line the figure is printed on
    assert figures[0].sentence == "2021年，我局认真贯彻条例要求，全年主动公开政府信息2258条。"


def test_a_real_page_of_pingtan_2020(mappings):
    """The whole of 一、总体情况 of 平潭's published 2020 report, as the archive stores it."""
    lines = (FIXTURES / "narrative" / "2020-pingtan-overall-situation-real-page.txt").read_text("utf-8").splitlines()
    assert read(mappings, *lines, year=2020) == [
        (PROACTIVE, 2602, "narrative"),  # 全年我区政府信息公开单位共公布政府信息2602条(其中…
        (PROACTIVE, 1053, "not_taken"),  # …其他应主动公开政府信息1053条)
        (APPLICATIONS, 21, "narrative"),  # 共受理政府信息公开申请21件
    ]  # 收到群众诉求348件, 共公开51条疫情防控相关信息, 公布网上信息…1000余条: none of the indicators


# --- cross-checks -------------------------------------------------------------------------------------------


def _edited(tmp_path, path, line, change):
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[line - 1] = change(lines[line - 1])
    out = tmp_path / path.name
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def test_prose_against_the_table_mismatch(tmp_path, mappings):
    path = _edited(tmp_path, JINXIANG, 14, lambda text: text.replace("信息72条", "信息73条"))
    report = read_report(path, mappings=mappings)
    [finding] = [f for f in report.findings if f.code.startswith("narrative")]
    assert (finding.code, finding.line, finding.id) == ("narrative-table-mismatch", 14, PROACTIVE)
    assert "says 73" in finding.message and "says 72" in finding.message and "第41行" in finding.message
    assert [f.code for f in report.findings] == ["narrative-table-mismatch"]
    [prose_figure] = [f for f in report.narrative if f.id == PROACTIVE and f.status == "narrative"]
    assert prose_figure.check == "differs" and prose_figure.value == 73
    assert [(r.kind, r.line, r.id) for r in report_rows(report) if r.kind == "narrative-table-mismatch"] == [
        ("narrative-table-mismatch", 14, PROACTIVE)
    ]


def test_two_figures_for_one_indicator_are_both_kept(tmp_path, mappings):
    path = _edited(tmp_path, JINXIANG, 4, lambda text: text + "全年共主动公开各类政府信息80条。")
    report = read_report(path, mappings=mappings)
    assert sorted((f.value, f.line) for f in report.narrative if f.id == PROACTIVE and f.status == "narrative") == [
        (72, 14),
        (80, 4),
    ]
    codes = sorted(f.code for f in report.findings)
    assert codes == ["narrative-conflict", "narrative-table-mismatch"]
    [conflict] = [f for f in report.findings if f.code == "narrative-conflict"]
    assert "= 80" in conflict.message and "= 72" in conflict.message


# --- every input kind -----------------------------------------------------------------------------------------

KINDS = {"html": to_html, "docx": to_docx, "xlsx": to_xlsx, "pdf": to_pdf}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "path", [JINXIANG, SHANGHAI_TEXT, *sorted(PINGTAN.glob("201*.txt"))], ids=lambda p: p.stem[:30]
)
def test_same_figures_in_every_input_kind(reports, mappings, tmp_path, path, kind):
    original = reports.get(path) or read_report(path, mappings=mappings)
    blocks = document_for(original, mappings, path.read_text(encoding="utf-8"))
    document = tmp_path / f"report.{kind}"
    document.write_bytes(KINDS[kind](blocks))
    report = read_report(document, mappings=mappings)
    assert [(f.id, f.value, f.status, f.check) for f in report.narrative] == [
        (f.id, f.value, f.status, f.check) for f in original.narrative
    ]
    assert {f.input_kind for f in report.narrative if f.status != "exact"} <= {kind}


# --- the series -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    out = tmp_path_factory.mktemp("narrative") / "series.xlsx"
    assert run("series", SAMPLES, "-o", out).exit_code == 0
    return out


def _narrative_rows(sheet, agency):
    """id -> row of the agency's narrative block in the wide sheet (every row names its agency and, at the
    end, its id)."""
    header = [c.value for c in sheet[1]]
    id_column = header.index("编号 id")
    rows = {}
    for row in sheet.iter_rows(min_row=2):
        cell_id = row[id_column].value
        if row[0].value == agency and cell_id and str(cell_id).startswith("narrative."):
            rows[cell_id] = row
    return rows


def test_series_runs_the_headline_across_the_format_changes(workbook):
    book = load_workbook(workbook)
    sheet = book["宽表 Series"]
    header = {c.value: c.column - 1 for c in sheet[1] if c.value}
    rows = _narrative_rows(sheet, "平潭综合实验区")
    headline = {year: rows[PROACTIVE][header[year]] for year in ("2018", "2019", "2020", "2021")}
    assert {year: cell.value for year, cell in headline.items()} == {
        "2018": 2069,  # the legacy table's 主动公开文件数 (the prose agrees)
        "2019": 2599,
        "2020": 2602,
        "2021": 2645,
    }
    assert headline["2018"].fill.fgColor.rgb[-6:] == "DDEBF7"  # exact: a table row of the same quantity
    assert {headline[y].fill.fgColor.rgb[-6:] for y in ("2019", "2020", "2021")} == {NARRATIVE_FILL}
    assert "共公布政府信息2599条" in headline["2019"].comment.text and "第3行" in headline["2019"].comment.text
    assert headline["2019"].border.left.style == "thick"  # the break line runs on through the block
    assert rows[PROACTIVE][2].value == "主动公开政府信息数"
    legend = pandas.read_excel(workbook, sheet_name="图例 Legend", dtype=object)
    assert "narrative" in list(legend["状态 status"])


def test_long_table_holds_the_narrative_rows(workbook):
    frame = pandas.read_excel(workbook, sheet_name="长表 Long", dtype=object)
    mine = frame[(frame["机构 agency"] == "平潭综合实验区") & (frame["编号 id"] == PROACTIVE)]
    assert list(zip(mine["年度 year"], mine["数值 value"], mine["状态 status"])) == [
        (2018, 2069, "exact"),
        (2019, 2599, "narrative"),
        (2020, 2602, "narrative"),
        (2021, 2645, "narrative"),
    ]
    assert set(frame[frame["状态 status"] == "narrative"]["表 table"]) == {"文字 narrative"}


def test_to_dict_lists_the_figures(reports):
    [figure] = [f for f in reports[JINXIANG].to_dict()["narrative"] if f["status"] == "narrative"]
    assert figure == {
        "id": PROACTIVE,
        "label": "主动公开政府信息数",
        "unit": "条",
        "value": 72,
        "status": "narrative",
        "line": 14,
        "sentence": "2017年,我局主动公开政府信息72条。",
        "phrasing": "主动公开…信息…N条",
        "raw": "72",
        "check": "agrees",
        "note": "与表格「(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)」(L02) 第41行 table line 41 一致 agrees: 72",
        "input_kind": "text",
    }


# --- the generator's prose ------------------------------------------------------------------------------------


@settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(st.integers(0, 2**32), st.sampled_from([2019, 2021]), st.booleans())
def test_generated_prose_gives_exactly_its_figures(mappings, seed, year, traditional):
    """The generator's sentences, near misses among them, read back as the figures it says it wrote."""
    sentences = narrative_sentences(random.Random(seed), year, "2021" if year >= 2021 else "2019")
    lines = [to_traditional(s) if traditional else s for s, _ in sentences]
    taken = [(f.id, f.value) for f in read_narrative(lines, (), mappings, year=year) if f.status == "narrative"]
    assert taken == [(i, Decimal(v)) for _, figure in sentences if figure for i, v in [figure]]


# --- the table of phrasings -----------------------------------------------------------------------------------


def test_broken_phrasing_rows_are_refused_with_file_and_line(tmp_path):
    folder = tmp_path / "mappings"
    shutil.copytree(load_mappings().directory, folder)
    path = folder / "narrative.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    first = len(rows) + 1
    rows += [
        ["indikator", "narrative.x", "x", "条", "x…N条", "", "", ""],
        ["indicator", "narrative.y", "y", "条", "没有数字", "", "", ""],
        ["indicator", "narrative.z", "z", "条", "(受理|收到…N件", "", "", ""],
        ["indicator", "narrative.w", "w", "件", "w…N件", "L999", "no.such.cell", ""],
        ["indicator", PROACTIVE, "另一个名字", "", "主动公开N条", "", "", ""],
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(MappingError) as error:
        load_mappings(folder)
    for offset, words in enumerate(
        (["kind must be one of"], ["exactly once"], ["cannot be read"], ["L999", "no.such.cell"], ["label"])
    ):
        said = " ".join(p for p in error.value.problems if f"narrative.csv:{first + offset}: " in p)
        assert all(word in said for word in words), (offset, said)


def test_the_audit_lists_the_sentences_not_taken(reports):
    rows = [r for r in report_rows(reports[JINXIANG]) if r.kind == "narrative-not-taken"]
    assert [(r.id, r.value, r.line, r.section) for r in rows] == [
        (WEBSITE, 37, 14, "文字部分 narrative"),
        (WECHAT, 20, 14, "文字部分 narrative"),
    ]
    assert all("含金乡县人民政府门户网站" in r.message and "part" in r.message for r in rows)


def test_an_archivist_adds_a_phrasing(tmp_path):
    """A row added in a spreadsheet is read at once, even one that names no unit after its figure."""
    folder = tmp_path / "mappings"
    shutil.copytree(load_mappings().directory, folder)
    with (folder / "narrative.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(
            ["indicator", "narrative.visits.total", "网站访问量", "次", "总访问量达N", "", "", ""]
        )
    mine = load_mappings(folder)
    found = read_narrative(["2021年，门户网站总访问量达１２,３４５。"], (), mine, year=2021)
    assert [(f.id, f.value, f.phrasing) for f in found] == [("narrative.visits.total", 12345, "总访问量达N")]


@settings(max_examples=40, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2**32), st.integers(0, 300))
def test_generated_reports_give_the_headline_they_print(mappings, tmp_path_factory, seed, index):
    """Whole generated reports (any layout, script, encoding): the figures taken are printed on their lines,
    none makes a finding, and a Simplified report's 全年共主动公开政府信息N条 is its headline."""
    made = Generator(mappings).report(seed, index, formats=("2019", "2021"))
    path = tmp_path_factory.getbasetemp() / made.name
    path.write_bytes(made.data)
    report = read_report(path, mappings=mappings)
    lines = made.data.decode(made.truth["encoding"]).lstrip("\ufeff").splitlines()
    taken = [f for f in report.narrative if f.status == "narrative"]
    for figure in taken:
        assert figure.raw in unicodedata.normalize("NFKC", lines[figure.line - 1]).replace(",", "")
    assert not [f for f in report.findings if f.code.startswith("narrative")]
    printed = re.search(r"全年共主动公开政府信息([0-9０-９,]+)条", "\n".join(lines))
    if printed:
        headline = int(unicodedata.normalize("NFKC", printed.group(1)).replace(",", ""))
        assert [f.value for f in taken if f.id == PROACTIVE] == [headline]


def test_the_line_of_a_figure_in_a_wrapped_sentence_is_where_it_is_printed(mappings):
    lines = ["在2023年度，我局认真贯彻条例要求，全年主动公开政府信", "息3条，各项工作有序开展，取得一定成效。"]
    [figure] = read_narrative(lines, (), mappings, year=2023)
    assert (figure.value, figure.line) == (3, 2)  # not line 1, whose 2023 holds a 3
