from pathlib import Path

import pytest

from converter import load_mappings

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The text extracted from samples/2019-shanghai-gov-office-2019format-saved-page.html: kept as a
# fixture (the 2019-format text layout), not a sample, so the samples hold each report once.
SHANGHAI_TEXT = FIXTURES / "2019-shanghai-gov-office-2019format-tabs-from-html.txt"


@pytest.fixture(scope="session")
def mappings():
    return load_mappings()


@pytest.fixture
def sample_path():
    return lambda name: SAMPLES / name


# Every report file among the samples (sub-folders too), as the CLI's folder walk finds them.
REPORTS = sorted(p for p in SAMPLES.rglob("*") if p.suffix in {".txt", ".html", ".docx", ".xlsx", ".pdf"})


def run(*args):
    """The `xxgk` command through click's CliRunner (stdout and stderr kept apart)."""
    from click.testing import CliRunner

    from converter.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def run_to_file(tmp_path_factory, command: str, name: str):
    """Run `xxgk COMMAND samples -o <tmp>/NAME` once; the path of what it wrote."""
    path = tmp_path_factory.mktemp(command) / name
    result = run(command, SAMPLES, "-o", path)
    assert result.exit_code == 0, result.stderr
    return path
