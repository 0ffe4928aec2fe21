"""The audit of a corpus: one row per thing a reviewer must look at (an unmapped field, an unknown
label, a failed sum rule, a missing value, conflicting sources, an unreadable file, mojibake …), and
a summary of which labels are most often unmapped or unknown, so archivists know which mapping rows
to add next.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..mapping import Mappings
from ..mapping_rules import in_chinese
from ..model import Report, json_number
from ..normalize import Normalizer
from .batch import Outcome
from .crossyear import MISMATCH, YearFacts, check_facts, year_facts

HEADER = (
    "文件 file",
    "机构 agency",
    "年度 year",
    "格式 format",
    "类别 kind",
    "原表标签 printed label",
    "栏目 section",
    "编号 id",
    "数值 value",
    "原表行 line",
    "说明 message",
)
# Findings told through their unmapped entries (which carry the values) are not listed twice.
TOLD_BY_ENTRIES = {"unknown-label", "stray-value", "row-misfit"}
LABEL_KINDS = ("unmapped-field", "unknown-label", "row-misfit")
NEAR_MISS = "narrative-not-taken"  # a figure of the prose a phrasing found but the sentence disqualified
NARRATIVE_SECTION = "文字部分 narrative"
KIND_HEADER = ("类别 kind", "条数 rows", "报告数 reports")
LABEL_HEADER = ("类别 kind", "原表标签 printed label", "栏目 section", "报告数 reports", "条数 rows", "例 example file")


@dataclass(frozen=True)
class AuditRow:
    file: str
    agency: str
    year: int | None
    format: str
    kind: str
    label: str
    section: str
    id: str
    value: int | float | None
    line: int | None
    message: str


def audit_rows(outcomes: list[Outcome], mappings: Mappings | None = None) -> list[AuditRow]:
    """Every report's rows; with the mapping tables, also each failed check across years (one agency's
    report against its report of the year before)."""
    rows: list[AuditRow] = []
    facts: list[YearFacts] = []
    messages = mappings.messages if mappings else None
    for outcome in outcomes:
        if outcome.error:
            error = in_chinese(outcome.error or "", "unreadable-file", messages)
            rows.append(AuditRow(str(outcome.job.path), "", None, "", "unreadable-file", "", "", "", None, None, error))
        elif outcome.report is not None:
            rows += report_rows(outcome.report, messages)
            if mappings is not None:
                facts.append(year_facts(outcome.report, mappings))
        elif isinstance(outcome.result, AuditPart):  # made where the report was read (a parallel run)
            rows += outcome.result.rows
            facts += [outcome.result.facts] if outcome.result.facts else []
        else:
            rows += outcome.result
    if mappings is not None:
        rows += crossyear_rows(facts, mappings)
    return rows


@dataclass(frozen=True)
class AuditPart:
    """What a worker sends back of one report: its audit rows and what the checks across years need."""

    rows: list[AuditRow]
    facts: YearFacts | None


def audit_part(report: Report, mappings: Mappings) -> AuditPart:
    return AuditPart(report_rows(report, mappings.messages), year_facts(report, mappings))


def crossyear_rows(facts: list[YearFacts], mappings: Mappings) -> list[AuditRow]:
    """A row per failed check across years, on the later report, naming both reports in its message."""
    rows = []
    for check in check_facts(facts, mappings):
        if check.status != "failed":
            continue
        later, finding = check.later, check.finding()
        value = json_number(check.difference)
        rows.append(
            AuditRow(
                later.path,
                later.agency or "",
                later.year,
                later.format,
                MISMATCH,
                "",
                check.years,
                check.rule,
                value,
                None,
                finding.message,
            )
        )
    return rows


def report_rows(report: Report, messages: dict | None = None) -> list[AuditRow]:
    """A report's unmapped entries, then its findings not already told by those entries; with the findings
    catalogue (mappings.messages) every reason and message reads in Chinese."""
    head = (str(report.path), report.agency or "", report.year, report.format)
    rows, told = [], set()
    for entry in report.unmapped:
        kind = entry["code"]  # one of model.UNMAPPED_CODES: the kind, never told from the wording
        told.add((kind, entry["line"]))
        reason = in_chinese(entry["reason"], "", messages)
        message = reason + (
            f"；最接近的已知标签 closest known label:「{entry['suggestion']}」" if entry["suggestion"] else ""
        )
        rows.append(
            AuditRow(
                *head,
                kind,
                entry["label"],
                entry["section"],
                entry["key"],
                json_number(entry["value"]),
                entry["line"],
                message,
            )
        )
    for finding in report.findings:
        if finding.code in TOLD_BY_ENTRIES and (finding.code, finding.line) in told:
            continue
        message = in_chinese(finding.message, finding.code, messages)
        rows.append(AuditRow(*head, finding.code, "", "", finding.id, None, finding.line, message))
    return rows + _near_misses(report, head)


def _near_misses(report: Report, head: tuple) -> list[AuditRow]:
    """Sentences of the prose whose figure matched a phrasing but was not taken (a part, an approximation, a
    change, another period): a reader decides whether one is the figure after all."""
    return [
        AuditRow(
            *head,
            NEAR_MISS,
            figure.label,
            NARRATIVE_SECTION,
            figure.id,
            json_number(figure.value),
            figure.line,
            f"未采用 not taken, {figure.note}: 「{figure.sentence}」",
        )
        for figure in getattr(report, "narrative", ())
        if figure.status == "not_taken"
    ]


def count_kinds(rows: list[AuditRow]) -> list[tuple[str, int, int]]:
    """(kind, rows, reports), most rows first."""
    counts, files = Counter(), defaultdict(set)
    for row in rows:
        counts[row.kind] += 1
        files[row.kind].add(row.file)
    return [(kind, n, len(files[kind])) for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def count_labels(rows: list[AuditRow], normalizer: Normalizer) -> list[tuple[str, str, str, int, int, str]]:
    """(kind, label, section, reports, rows, example file) for unmapped and unknown labels across the
    corpus, labels compared in Simplified script; most widespread first."""
    groups: dict[tuple[str, str, str], list[AuditRow]] = defaultdict(list)
    for row in rows:
        if row.kind in LABEL_KINDS and row.label:
            groups[(row.kind, normalizer.clean(row.label), row.section)].append(row)
    table = [
        (kind, label, section, len({r.file for r in members}), len(members), members[0].file)
        for (kind, label, section), members in groups.items()
    ]
    return sorted(table, key=lambda t: (-t[3], -t[4], t[0], t[1]))


def describe(rows: list[AuditRow], outcomes: list[Outcome], normalizer: Normalizer, *, top: int = 15) -> str:
    """The audit as a few paragraphs for the terminal."""
    unreadable = sum(1 for o in outcomes if o.error)
    lines = [
        f"Audit of {len(outcomes)} files ({len(outcomes) - unreadable} read, {unreadable} unreadable): "
        f"{len(rows)} things to look at"
    ]
    if rows:
        lines.append("  by kind:")
        lines += [f"    {kind:<22} {n:>6} in {files} report(s)" for kind, n, files in count_kinds(rows)]
    labels = count_labels(rows, normalizer)
    if labels:
        lines.append(f"  labels most often unmapped or unknown (top {min(top, len(labels))} of {len(labels)}):")
        lines += [
            f"    {files:>4} report(s) {n:>4} value(s)  {kind:<15} 「{label}」" + (f" ({section})" if section else "")
            for kind, label, section, files, n, _ in labels[:top]
        ]
    return "\n".join(lines)
