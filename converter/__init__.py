"""converter (xxgk): Chinese government information-disclosure annual reports into one schema.

>>> from converter import read_report
>>> report = read_report("samples/2023-baofeng-commerce-2021format-tabs.txt")
>>> report.agency, report.year, report.format
('宝丰县商务局', 2023, '2021')
"""

from ._version import __version__
from .corpus.audit import audit_rows
from .corpus.series import assemble, build_series
from .errors import ConverterError, InputError, MappingError, OutputError
from .mapping import Mappings, load_mappings
from .model import Finding, Observation, Report, RuleCheck, SourceField
from .pipeline import read_report
from .write.audit import write_audit
from .write.report_workbook import write_report_workbook
from .write.series_workbook import write_series_workbook

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
