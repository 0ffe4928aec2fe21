"""The archivist's mapping-edit loop: export a copy, edit it, check it, use it (option or environment),
tables and manifests as Excel saves them (GBK or UTF-8, BOM or not), and manifest rows that match nothing."""

import pandas
from click.testing import CliRunner

from converter.cli import cli
from converter.mapping import default_directory, load_mappings

from .conftest import SAMPLES, run

BAOFENG = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"


def _invoke(*args, env=None):
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def test_export_writes_an_editable_copy_that_check_names(tmp_path):
    copy = tmp_path / "my-tables"
    result = run("mappings", "export", copy)
    assert result.exit_code == 0, result.stderr
    shipped = sorted(p.name for p in default_directory().glob("*.csv"))
    assert sorted(p.name for p in copy.glob("*.csv")) == shipped
    assert (copy / "schema.csv").read_bytes() == (default_directory() / "schema.csv").read_bytes()
    checked = run("mappings", "check", "--mappings", copy)
    assert checked.exit_code == 0
    assert checked.stdout.startswith(f"{copy}: mapping tables are consistent")
    assert f"映射表 mapping tables: {copy}" in checked.stderr


def test_export_does_not_overwrite_an_edited_copy_without_force(tmp_path):
    copy = tmp_path / "t"
    run("mappings", "export", copy)
    (copy / "rules.csv").write_text("edited", encoding="utf-8")
    again = run("mappings", "export", copy)
    assert again.exit_code == 1
    assert again.stderr.startswith(f"Error: {copy}: 已有映射表 already holds")
    assert (copy / "rules.csv").read_text(encoding="utf-8") == "edited"
    assert run("mappings", "export", copy, "--force").exit_code == 0
    assert (copy / "rules.csv").read_bytes() == (default_directory() / "rules.csv").read_bytes()


def test_an_edit_in_the_copy_is_what_check_sees_through_the_environment(tmp_path):
    copy = tmp_path / "t"
    run("mappings", "export", copy)
    schema = copy / "schema.csv"
    lines = schema.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    lines[1] = lines[1].replace(",printed,", ",printd,", 1)
    schema.write_text("".join(lines), encoding="utf-8")
    result = _invoke("mappings", "check", env={"XXGK_MAPPINGS": str(copy)})
    assert result.exit_code == 1
    assert f"{schema}:2:" in result.stdout
    assert result.stderr.strip().endswith(f"Error: {copy}: 1 problem(s) in the mapping tables")
    assert _invoke("mappings", "check", env={"XXGK_MAPPINGS": ""}).exit_code == 0


def test_every_command_with_other_tables_says_which_on_stderr(tmp_path):
    copy = tmp_path / "t"
    run("mappings", "export", copy)
    result = _invoke("inspect", BAOFENG, env={"XXGK_MAPPINGS": str(copy)})
    assert result.exit_code == 0
    assert (
        result.stderr.splitlines()[0]
        == f"映射表 mapping tables: {copy} (不是随 xxgk 安装的 not the ones shipped with xxgk)"
    )
    assert "映射表" not in run("inspect", BAOFENG).stderr


def test_tables_saved_by_excel_as_gbk_or_without_bom_read_the_same(tmp_path):
    copy = tmp_path / "t"
    run("mappings", "export", copy)
    for table in copy.glob("*.csv"):
        text = table.read_text(encoding="utf-8-sig")
        table.write_bytes(text.encode("gb18030") if table.name != "rules.csv" else text.encode("utf-8"))
    edited, shipped = load_mappings(copy), load_mappings()
    assert edited.schema == shipped.schema
    decisions = lambda m: {
        f: {k: (r.meaning, r.combination, r.target, r.note) for k, r in rows.items()} for f, rows in m.maps.items()
    }
    assert decisions(edited) == decisions(shipped)
    assert [r.name for r in edited.rules] == [r.name for r in shipped.rules]
    assert edited.statuses == shipped.statuses


def test_a_table_in_another_encoding_is_one_line_with_file_line_and_what_to_do(tmp_path):
    copy = tmp_path / "t"
    run("mappings", "export", copy)
    (copy / "formats.csv").write_bytes((copy / "formats.csv").read_text(encoding="utf-8-sig").encode("utf-16"))
    rules = copy / "rules.csv"
    lines = rules.read_bytes().split(b"\n")
    lines[3] = lines[3] + "，已改".encode("gbk")  # one cell typed on a GBK machine into a UTF-8 file
    rules.write_bytes(b"\n".join(lines))
    result = run("mappings", "check", "--mappings", copy)
    assert result.exit_code == 1
    problems = result.stdout.splitlines()
    assert any(p.startswith(f"{copy / 'formats.csv'}:1: ") and "UTF-16" in p and "CSV UTF-8" in p for p in problems)
    assert any(p.startswith(f"{rules}:4: ") and "CSV UTF-8" in p for p in problems)
    assert "Traceback" not in result.output


def test_a_manifest_saved_as_gbk_is_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_bytes(BAOFENG.read_bytes())
    manifest = folder / "manifest.csv"
    manifest.write_bytes("file,agency,year\nx.txt,某县商务局,2022\n".encode("gbk"))
    out = tmp_path / "s.xlsx"
    result = run("series", folder, "--manifest", manifest, "-o", out)
    assert result.exit_code == 0, result.stderr
    sources = pandas.read_excel(out, sheet_name="来源 Sources", dtype=object)
    assert list(zip(sources["机构 agency"], sources["年度 year"])) == [("某县商务局", 2022)]


def test_a_manifest_row_that_matches_no_input_is_a_warning_naming_the_row(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_bytes(BAOFENG.read_bytes())
    manifest = folder / "manifest.csv"
    manifest.write_text("file,agency,year\nx.txt,,2023\nmissing.txt,某县商务局,2022\n", encoding="utf-8-sig")
    result = run("series", folder, "--manifest", manifest, "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        f"Warning: {manifest}:3: 清单行 missing.txt 不对应任何输入文件 / manifest row matches no input file "
        f"({(folder / 'missing.txt').resolve()})"
    ]


def test_a_manifest_in_an_unknown_encoding_is_one_line(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_bytes("file,agency,year\nx.txt,某县,2022\n".encode("utf-16"))
    result = run("series", BAOFENG, "--manifest", manifest, "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"Error: {manifest}: line 1: ") and "UTF-16" in result.stderr


def test_checking_beside_an_edited_mappings_folder_says_which_tables_were_checked(tmp_path, monkeypatch):
    """An archivist in a folder holding ./mappings who runs a bare `mappings check` checks the installed
    tables; the note says so and how to check the edit."""
    run("mappings", "export", tmp_path / "mappings")
    monkeypatch.chdir(tmp_path)
    result = run("mappings", "check")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{default_directory()}: mapping tables are consistent")
    assert "提示 note: 检查的是随 xxgk 安装的映射表，不是 ./mappings" in result.stderr
    assert "add --mappings mappings" in result.stderr
    assert "提示 note" not in run("mappings", "check", "--mappings", "mappings").stderr
