"""Saved web pages whose tables are pictures beside them (`<img src="page_files/table1.png">`): when the
page's text holds no table, the pictures saved with it are read by OCR, each its own page named in the
provenance; a picture outside the page's folder, missing, or not a picture is never followed; a folder
walk reads the page once, never its pictures as reports of their own.
"""

from __future__ import annotations

import base64
import dataclasses
import os

import pytest

from converter import InputError, read_report
from converter.corpus.batch import walk
from converter.read import pictures as page_pictures
from converter.read import read_source

from .conftest import SAMPLES, run
from .fixtures.documents import png_image
from .test_ocr import (
    ONE_OF_EACH,
    needs_ocr,
    none_wrong,
    png,
    without_ocr,  # noqa: F401  (a fixture)
)
from .test_ocr import pictures as rendered
from .test_sources_errors import cli_error

TITLE = "某市某局2015年政府信息公开工作年度报告"
PROSE = "根据《中华人民共和国政府信息公开条例》，现公布本局政府信息公开工作年度报告，统计表见下图。"


def saved_page(folder, images: list[str], title: str = TITLE) -> os.PathLike:
    """page.html in `folder`: a heading, a sentence of prose, and one <img> per src, in that order."""
    shown = "\n".join(f'<p><img src="{src}" alt="统计表"></p>' for src in images)
    page = folder / "page.html"
    page.write_text(
        f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<h1>{title}</h1><p>{PROSE}</p>\n{shown}\n</body></html>",
        encoding="utf-8",
    )
    return page


def test_the_page_lists_its_pictures_in_document_order():
    page = (
        b'<html><body><p>a<img src="x_files/1.png"></p><table><tr><td><img src=" x_files/2.png "></td></tr></table>'
        b'<noscript><img src="hidden.png"></noscript><img alt="no src"><img src="x_files/3.png"></body></html>'
    )
    assert read_source(page).pictures == ["x_files/1.png", "x_files/2.png", "x_files/3.png"]


def test_only_pictures_saved_inside_the_page_folder_are_followed(tmp_path):
    (tmp_path / "site" / "page_files").mkdir(parents=True)
    folder = tmp_path / "site"
    (tmp_path / "outside.png").write_bytes(png_image())
    (folder / "page_files" / "table1.png").write_bytes(png_image())
    (folder / "page_files" / "style.png").write_text("body { color: red }", encoding="utf-8")
    (folder / "page_files" / "link.png").symlink_to(tmp_path / "outside.png")
    (folder / "page_files" / "表 1.png").write_bytes(png_image())
    os.mkfifo(folder / "page_files" / "pipe.png")  # never waited on
    embedded = "data:image/png;base64," + base64.b64encode(png_image()).decode("ascii")
    sources = [
        "page_files/table1.png",
        "./page_files/table1.png?v=2",  # the same picture again: read once
        "page_files/%E8%A1%A8%201.png",  # a name the browser %-escaped
        embedded,
        "../outside.png",
        "page_files/../../outside.png",
        "page_files/link.png",
        "/etc/passwd",
        "C:\\Users\\me\\table.png",
        "http://www.example.gov.cn/table.png",
        "page_files/missing.png",
        "page_files/style.png",
        "data:text/html;base64,PGI+",
        "http://[::1/broken.png",
        "page_files/nul\x00.png",
        "page_files/pipe.png",
        "page_files",
    ]
    found, passed_over = page_pictures._follow_all(sources, folder)
    assert [name for name, _ in found] == [
        "page_files/table1.png",
        "page_files/表 1.png",
        "data:image/png (in the page)",
    ]
    assert all(data == png_image() for _, data in found)
    assert dict(passed_over) == {
        "../outside.png": "outside the page's folder",
        "page_files/../../outside.png": "outside the page's folder",
        "page_files/link.png": "outside the page's folder",
        "/etc/passwd": "an absolute path: only pictures saved with the page are read",
        "C:\\Users\\me\\table.png": "an absolute path: only pictures saved with the page are read",
        "http://www.example.gov.cn/table.png": "a web address: only pictures saved with the page are read",
        "page_files/missing.png": "no such file next to the page",
        "page_files/style.png": "not a picture (PNG, JPEG, GIF, TIFF or BMP)",
        "data:text/html;base64,PGI+": "a data: URI that is not a base64 picture",
        "http://[::1/broken.png": "a web address: only pictures saved with the page are read",
        "page_files/nul\x00.png": "no such file next to the page",
        "page_files/pipe.png": "is not a regular file (a device, pipe or socket); only files are read",
        "page_files": "is a folder, not a file",
    }


def test_a_page_whose_pictures_cannot_be_followed_is_the_usual_refusal(tmp_path):
    """No picture to read: the page is what it was, a report whose tables were not found (no OCR needed)."""
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "table1.png").write_text("not a picture", encoding="utf-8")
    (tmp_path.parent / "elsewhere.png").write_bytes(png_image())
    page = saved_page(tmp_path, ["../elsewhere.png", "page_files/missing.png", "page_files/table1.png"])
    assert cli_error(page) == (
        f"Error: {page}: it looks like a 政府信息公开工作年度报告, but no statistical table of a known format was "
        "found in it (the tables may be images, attachments or on another page)"
    )


def test_the_pictures_of_a_page_are_bounded(tmp_path, monkeypatch):
    (tmp_path / "page_files").mkdir()
    for n in (1, 2):
        (tmp_path / "page_files" / f"table{n}.png").write_bytes(png_image())
    page = saved_page(tmp_path, ["page_files/table1.png", "page_files/table2.png"])
    monkeypatch.setenv("XXGK_MAX_PAGE_PICTURES", "1")
    with pytest.raises(InputError, match=r"more than 1 pictures, over the limit of 1 .*XXGK_MAX_PAGE_PICTURES"):
        read_report(page)
    monkeypatch.delenv("XXGK_MAX_PAGE_PICTURES")
    just_one = dataclasses.replace(page_pictures.PAGE_PICTURES_SIZE, default=len(png_image()) + 1, unit="")
    monkeypatch.setattr(page_pictures, "PAGE_PICTURES_SIZE", just_one)  # the limit in bytes, not MB
    with pytest.raises(InputError, match="XXGK_MAX_PAGE_PICTURES_MB"):
        read_report(page)


def test_without_the_extra_a_page_of_pictures_is_one_line_naming_it(without_ocr, tmp_path):  # noqa: F811
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "table1.png").write_bytes(png_image())
    page = saved_page(tmp_path, ["page_files/table1.png"])
    assert cli_error(page) == (
        f"Error: {page}: reading scanned pages and images needs the OCR extra, which is not installed: "
        "pip install 'xxgk-converter[ocr]'"
    )


def test_a_walk_reads_the_page_not_its_pictures(tmp_path):
    """Pictures (and Word's other parts) in X_files / X.files beside X.html belong to the page; a picture on its
    own is still told."""
    for name in ("report_files", "other.files"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "image001.png").write_bytes(png_image())
    (tmp_path / "other.files" / "header.htm").write_text("<html><body>页眉</body></html>", encoding="utf-8")
    (tmp_path / "other.files" / "filelist.xml").write_text("<xml/>", encoding="utf-8")  # Word's parts of the page
    (tmp_path / "lonely_files").mkdir()  # no lonely.htm beside it: its picture stands alone
    (tmp_path / "lonely_files" / "scan.png").write_bytes(png_image())
    page = SAMPLES / "2019-shanghai-gov-office-2019format-saved-page.html"
    (tmp_path / "report.html").write_bytes(page.read_bytes() + b'<img src="report_files/image001.png">')
    (tmp_path / "other.HTM").write_text("<html><body><p>一个网页</p></body></html>", encoding="utf-8")
    found = walk([tmp_path])
    assert found.files == [tmp_path / "other.HTM", tmp_path / "report.html"]
    assert found.unreadable == [tmp_path / "lonely_files" / "scan.png"]
    result = run("inspect", "--json", tmp_path / "report.html", tmp_path / "lonely_files")
    assert result.exit_code == 0 and result.stdout.count('"format": "2019"') == 1


@needs_ocr
def test_a_saved_page_whose_tables_are_pictures_reads_back(mappings, tmp_path):
    """Heading and prose as text, the report's pages as pictures in page_files/: every value read is the
    printed one or missing with an ocr-uncertain finding, read by OCR from a picture the provenance names."""
    original, images = rendered(ONE_OF_EACH[2], mappings)
    (tmp_path / "page_files").mkdir()
    names = [f"page_files/table{n}.png" for n in range(1, len(images) + 1)]
    for name, image in zip(names, images):
        (tmp_path / name).write_bytes(png(image))
    title = f"{original.agency}{original.year}年政府信息公开工作年度报告"
    page = saved_page(tmp_path, [*names, "http://www.example.gov.cn/logo.png", "page_files/missing.png"], title)
    report = read_report(page, mappings=mappings)
    assert (report.input_kind, report.format, report.year, report.agency) == (
        "html",
        original.format,
        original.year,
        original.agency,
    )
    assert none_wrong(report, original) > 0
    sources = [s for o in report.observations.values() for s in o.sources if s.raw]
    assert {s.input_kind for s in sources} == {"ocr"}
    assert {s.image for s in sources} <= set(names) and len({s.image for s in sources}) > 1
    assert all(names.index(s.image) + 1 == s.page for s in sources)  # each picture its own page
    first = next(s for o in report.to_dict()["observations"] for s in o["sources"] if s["raw"])
    assert first["image"] in names and {"page", "confidence", "box"} <= set(first)
    [skipped] = [f for f in report.findings if f.code == "page-pictures-not-read"]
    assert "logo.png (a web address" in skipped.message and "missing.png (no such file" in skipped.message
