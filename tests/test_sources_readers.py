"""Each reader alone: what becomes a line, what becomes a cell, how text and numbers are written."""

from __future__ import annotations

import io

import pytest

from converter.read import read_source
from converter.read.common import tidy
from converter.read.xlsx import cell_text, number_text


def cells(source):
    return [(c.text, c.kind, c.line) for c in source.cells]


@pytest.mark.parametrize(
    "text, wrapped, expected",
    [
        ("本年新\n制作数量", False, "本年新制作数量"),
        ("信息\u00a0 内容", False, "信息 内容"),
        ("Annual\nreport", False, "Annual report"),
        ("251000\n元", False, "251000 元"),
        ("251000\n元", True, "251000元"),
        ("2.申请人逾期未按收费通知要求、行\n政机关不再处理", True, "2.申请人逾期未按收费通知要求、行政机关不再处理"),
        ("12\n34", True, "1234"),
        ("Annual\nreport", True, "Annual report"),
    ],
)
def test_tidy(text, wrapped, expected):
    assert tidy(text, wrapped=wrapped) == expected


# --- HTML


def html_source(body: str, head: str = "") -> object:
    return read_source(f"<html><head>{head}</head><body>{body}</body></html>".encode())


def test_html_paragraphs_rows_and_merged_cells():
    source = html_source(
        "<h2>标题</h2><p>一、总体<b>情况</b><br>第二行</p>"
        "<table><tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>3</td></tr>"
        "<tr><td>（二）部分<br/>公开</td><td>1</td><td>&nbsp;</td><td><p><span>0</span></p></td></tr></table>"
    )
    assert source.lines == [
        "标题",
        "一、总体情况",
        "第二行",
        "三、本年度办理结果\t（一）予以公开\t3",
        "（二）部分公开\t1\t\t0",
    ]
    assert cells(source)[-5:] == [
        ("3", "value", 4),
        ("（二）部分公开", "label", 5),
        ("1", "value", 5),
        ("", "blank", 5),
        ("0", "value", 5),
    ]
    assert {c.input_kind for c in source.cells} == {"html"}


def test_html_skips_scripts_styles_and_comments_and_reads_layout_tables():
    source = html_source(
        "<script>var t = '<table><tr><td>9</td></tr></table>';</script><!-- 注释 99 -->"
        "<table class=layout><tr><td><p>正文</p><table><tr><td>规章</td><td>13</td></tr></table></td></tr></table>",
        head="<style>td { color: red }</style><title>宝丰县商务局2023年报告</title>",
    )
    assert source.lines == ["宝丰县商务局2023年报告", "正文", "规章\t13"]


def test_html_charset_precedence():
    page = '<html><head><meta charset="gb2312"></head><body><p>政府信息公开</p></body></html>'
    assert read_source(page.encode("utf-8")).encoding == "utf-8"  # valid UTF-8 wins over a wrong declaration
    assert read_source(page.encode("gbk")).encoding == "gb18030"
    traditional = '<html><head><meta charset="big5"></head><body><p>政府資訊公開</p></body></html>'
    assert read_source(traditional.encode("big5")).lines == ["政府資訊公開"]
    xml = '<?xml version="1.0" encoding="gbk"?><html><body><p>年度报告</p></body></html>'
    assert read_source(xml.encode("gbk")).lines == ["年度报告"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_html_with_a_byte_order_mark(encoding):
    source = read_source("<!DOCTYPE html><html><body><p>年度报告</p></body></html>".encode(encoding))
    assert (source.kind, source.lines) == ("html", ["年度报告"])


def test_text_starting_with_a_bracket_is_not_html():
    assert read_source("<2023年报告>\n规章 | 0 |\n".encode()).kind == "text"


# --- Word


def test_docx_order_tabs_merges_and_nested_tables():
    from docx import Document

    document = Document()
    document.add_paragraph("宝丰县商务局2023年政府信息公开工作年度报告")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "（三）不予公开"
    table.cell(0, 1).text, table.cell(0, 2).text = "1.属于国家秘密", "0"
    table.cell(1, 1).text, table.cell(1, 2).text = "2.其他\n禁止公开", "4"
    table.cell(2, 0).merge(table.cell(2, 1)).text = "（七）总计"
    table.cell(2, 2).text = "4"
    document.add_paragraph("规章\t13\t13\t524")
    outer = document.add_table(rows=1, cols=1)
    outer.cell(0, 0).paragraphs[0].text = "附表"
    outer.cell(0, 0).add_table(rows=1, cols=2).rows[0].cells[1].text = "7"
    buffer = io.BytesIO()
    document.save(buffer)
    source = read_source(buffer.getvalue())
    assert source.kind == "docx"
    assert source.lines == [
        "宝丰县商务局2023年政府信息公开工作年度报告",
        "（三）不予公开\t1.属于国家秘密\t0",
        "2.其他禁止公开\t4",
        "（七）总计\t4",
        "规章\t13\t13\t524",
        "附表",
        "\t7",
        "",
    ]
    assert [c.text for c in source.cells if c.line == 5] == ["规章", "13", "13", "524"]


# --- Excel


@pytest.mark.parametrize(
    "value, text",
    [
        (3, "3"),
        (3.0, "3"),
        (0.2, "0.2"),
        (24252.311082, "24252.311082"),
        (0.1 + 0.2, "0.3"),
        (1e16, "10000000000000000"),
        (251000.0, "251000"),
        (-4.0, "-4"),
    ],
)
def test_numbers_as_printed(value, text):
    assert number_text(value) == text


def test_cell_text_of_other_values():
    import datetime

    assert cell_text(None) == "" and cell_text(" 行政\n许可 ") == "行政许可"
    assert cell_text(datetime.datetime(2024, 1, 31)) == "2024-01-31"


def test_xlsx_rows_sheets_and_merged_ranges():
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    first.title = "说明"
    first["B2"] = "嘉兴市商务局2024年政府信息公开工作年度报告"
    sheet = workbook.create_sheet("表二")
    sheet.append(["信息内容", "上一年项目数量", "本年增/减", None, "处理决定数量"])
    sheet.merge_cells("C1:D1")
    sheet.append(["行政许可", 3.0, None, "0.50", 111])
    sheet.merge_cells("B2:C2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = read_source(buffer.getvalue())
    # a line per Excel row from A1 on: on the first sheet the line is the row number
    assert source.lines == [
        "\t",
        "\t嘉兴市商务局2024年政府信息公开工作年度报告",
        "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
        "行政许可\t3\t0.50\t111",
    ]
    assert [(c.text, c.sheet, c.line) for c in source.cells] == [
        ("嘉兴市商务局2024年政府信息公开工作年度报告", "说明", 2),
        ("信息内容", "表二", 3),
        ("上一年项目数量", "表二", 3),
        ("本年增/减", "表二", 3),
        ("处理决定数量", "表二", 3),
        ("行政许可", "表二", 4),
        ("3", "表二", 4),
        ("0.50", "表二", 4),
        ("111", "表二", 4),
    ]


# --- PDF


def test_pdf_page_numbers_are_not_report_text(mappings):
    from converter import read_report

    from .conftest import SAMPLES
    from .fixtures.documents import document_for, to_pdf

    path = SAMPLES / "2017-jinxiang-commerce-legacy-table.txt"
    report = read_report(path, mappings=mappings)
    source = read_source(to_pdf(document_for(report, mappings, path.read_text(encoding="utf-8"))))
    pages = max(c.page for c in source.cells)
    assert pages > 1
    assert not [line for line in source.lines if line.strip("- ").isdigit()]
    assert "统 计 指 标\t单位\t统计数" in source.lines
