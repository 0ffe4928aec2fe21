"""The counts of each sample that are the point of a test (how many values each status has, the
ledger, how many numbers are unmapped), kept in tests/expected/<sample>.json.

They change only when a sample or the meaning of the mapping tables changes (a decision's relation or
target, a schema cell); adding a mapping row, a legacy edition or a sum rule leaves them as they are.
After such a change, regenerate them and review the difference before committing:

    python -m tests.regenerate_expected
    git diff tests/expected/
"""

from __future__ import annotations

import json
from pathlib import Path

from converter import load_mappings, read_report

from .conftest import REPORTS, SAMPLES

EXPECTED = Path(__file__).resolve().parent / "expected"


def expected_path(sample: Path) -> Path:
    """tests/expected/<sample path below samples/, '/' as '__'>.json"""
    return EXPECTED / (str(sample.relative_to(SAMPLES)).replace("/", "__") + ".json")


def counts(report) -> dict:
    """What the expected file holds for one report."""
    return {
        "agency": report.agency,
        "year": report.year,
        "format": report.format,
        "status_counts": report.status_counts(),
        "ledger": dict(report.ledger),
        "unmapped": len(report.unmapped),
    }


def expected(sample: Path) -> dict:
    return json.loads(expected_path(sample).read_text(encoding="utf-8"))


def main() -> None:
    mappings = load_mappings()
    EXPECTED.mkdir(exist_ok=True)
    for sample in REPORTS:
        text = json.dumps(counts(read_report(sample, mappings=mappings)), ensure_ascii=False, indent=2) + "\n"
        path = expected_path(sample)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"{path}: written")
    print(f"{len(REPORTS)} samples: tests/expected/ is up to date; review `git diff tests/expected/`")


if __name__ == "__main__":
    main()
