import pytest

from converter import read_report
from converter.parse.detect import detect_agency_year, detect_format
from converter.read.cells import text_to_cells

from .conftest import SAMPLES


@pytest.mark.parametrize(
    "name, agency, year, fmt",
    [
        ("2017-jinxiang-commerce-legacy-table.txt", "金乡县商务局", 2017, "legacy"),
        ("2021-fushun-market-regulation-2021format-traditional-broken-rows.txt", "撫順市市場監督管理局", 2021, "2021"),
        ("2023-baofeng-commerce-2021format-tabs.txt", "宝丰县商务局", 2023, "2021"),
        ("2023-wulanchabu-commerce-2021format-one-cell-per-line.txt", "乌兰察布市市商务局", 2023, "2021"),
        ("2024-jiaxing-commerce-2021format-traditional-pinyin-pipes.txt", "嘉興市商務局", 2024, "2021"),
    ],
)
def test_samples(mappings, name, agency, year, fmt):
    lines = (SAMPLES / name).read_text(encoding="utf-8").splitlines()
    assert detect_agency_year(lines, mappings) == (agency, year)
    assert detect_format(text_to_cells(lines), mappings) == fmt


@pytest.mark.parametrize(
    "line, agency, year",
    [
        ("关于乾安县商务局2019年政府信息公开工作年度报告", "乾安县商务局", 2019),
        ("现将北京市海淀区人民政府2020年度政府信息公开工作年度报告公布如下", "北京市海淀区人民政府", 2020),
        ("2018年政府信息公开工作年度报告", None, 2018),
        # a place that reports for itself (a 管委会): no body word before the year
        ("平潭综合实验区2018年度政府信息公开工作年度报告", "平潭综合实验区", 2018),
        ("我区2019年政府信息公开工作年度报告", None, 2019),
    ],
)
def test_title_lines(mappings, line, agency, year):
    assert detect_agency_year([line], mappings) == (agency, year)


def test_options_override_detection(mappings):
    report = read_report(
        SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt",
        mappings=mappings,
        agency="宝丰县商务局（测试）",
        year=2022,
    )
    assert (report.agency, report.year) == ("宝丰县商务局（测试）", 2022)
