"""converter (xxgk): Chinese government information-disclosure annual reports into one schema.

>>> from converter import read_report
>>> report = read_report("samples/2023-baofeng-commerce-2021format-tabs.txt")
>>> report.agency, report.year, report.format
('宝丰县商务局', 2023, '2021')
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from ._version import __version__
from .errors import ConverterError, InputError, MappingError, OutputError
from .model import Finding, Observation, Report, RuleCheck, SourceField

if TYPE_CHECKING:  # what the names below are, for readers and type checkers; imported on first use
    from .corpus.audit import audit_rows
    from .corpus.series import assemble, build_series
    from .mapping import Mappings, load_mappings
    from .pipeline import read_report
    from .write.audit import write_audit
    from .write.report_workbook import write_report_workbook
    from .write.series_workbook import write_series_workbook

# The rest of the public face, each name with the module it lives in. They are imported when first used
# (PEP 562), so that `import converter` and the command's start do not load the readers, the writers and
# their libraries (openpyxl, pandas) for a run that needs none of them.
_LAZY = {
    "Mappings": ".mapping",
    "load_mappings": ".mapping",
    "read_report": ".pipeline",
    "build_series": ".corpus.series",
    "assemble": ".corpus.series",
    "audit_rows": ".corpus.audit",
    "write_report_workbook": ".write.report_workbook",
    "write_series_workbook": ".write.series_workbook",
    "write_audit": ".write.audit",
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name], __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "ConverterError",
    "InputError",
    "MappingError",
    "OutputError",
    "Mappings",
    "load_mappings",
    "Finding",
    "Observation",
    "Report",
    "RuleCheck",
    "SourceField",
    "read_report",
    "build_series",
    "assemble",
    "write_report_workbook",
    "write_series_workbook",
    "audit_rows",
    "write_audit",
    "__version__",
]
