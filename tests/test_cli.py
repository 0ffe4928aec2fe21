"""The command line through click's CliRunner: output, JSON, errors, exit codes."""

import json
import re

from click.testing import CliRunner

from converter import read_report
from converter.cli import cli

from .conftest import SAMPLES
from .regenerate_expected import expected as expected_counts

BAOFENG = SAMPLES / "2023-baofeng-commerce-2021format-tabs.txt"
JIAXING = SAMPLES / "2024-jiaxing-commerce-2021format-traditional-pinyin-pipes.txt"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_inspect_summary():
    result = run("inspect", JIAXING)
    assert result.exit_code == 0
    out = result.output
    assert (
        "agency    嘉兴市商务局 (printed 嘉興市商務局)" in out and "year      2024" in out and "format    2021" in out
    )
    statuses = expected_counts(JIAXING)["status_counts"]
    cells = sum(statuses.values())
    assert f"values    {cells} cells: {statuses['reported']} reported, {statuses['derived']} derived" in out
    checked = re.search(r"sum rules (\d+) checked: (\d+) passed, 0 failed, 0 incomplete", out)
    assert checked and checked[1] == checked[2] and int(checked[1]) > 0  # every rule holds
    assert "[mojibake] line 9 holds garbled characters" in out


def test_inspect_json_is_the_library_result():
    result = run("inspect", "--json", BAOFENG)
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload == json.loads(json.dumps(read_report(BAOFENG).to_dict(), ensure_ascii=False))
    assert {"agency", "year", "format", "observations", "findings", "unmapped"} <= set(payload)
    first = payload["observations"][0]
    assert {k: first[k] for k in ("id", "value", "status", "line", "label")} == {
        "id": "art20.regulation.issued",
        "value": 0,
        "status": "reported",
        "line": 23,
        "label": "规章",
    }
    assert payload["unmapped"] == []


def test_inspect_overrides():
    payload = json.loads(run("inspect", "--json", "--agency", "某局", "--year", "2020", BAOFENG).output)
    assert (payload["agency"], payload["year"]) == ("某局", 2020)


def test_bad_file_is_one_line_and_others_go_on(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("inspect", empty, BAOFENG, tmp_path / "absent.txt")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert errors == [f"Error: {empty}: the file is empty", f"Error: {tmp_path / 'absent.txt'}: no such file"]
    assert "宝丰县商务局" in result.output
    assert "Traceback" not in result.output


def test_not_a_report(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("会议纪要\n今天讨论了三件事。\n", encoding="utf-8")
    result = run("inspect", path)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {path}: no statistical table of a known format was found (is this a 政府信息公开工作年度报告?)"
    )


def test_every_command_has_help_with_an_example():
    commands = [[name] for name in cli.commands if name != "mappings"] + [["mappings"], ["mappings", "check"]]
    assert sorted(c[-1] for c in commands) == ["audit", "check", "convert", "generate", "inspect", "mappings", "series"]
    result = run("--help")
    assert result.exit_code == 0 and "xxgk series samples -o series.xlsx" in result.output
    for command in commands:
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert f"xxgk {' '.join(command)}" in result.output.split("Examples:")[-1].split("Example:")[-1], command


def test_usage_error_exit_code():
    assert run("inspect").exit_code == 2
