"""The quarterly 通报: aggregation from the store, renderers, quarter-over-quarter and rectification."""
from .aggregate import (ATTACHMENT_TITLES, ReportError, attachment_rows, build_report, join_problems,
                        overview_text, pass_rate, period_note)
from .compare import compare_quarters, rectification_status
from .render import FORMATS, to_csv, to_docx, to_json, to_markdown, to_xlsx, write_report

__all__ = [
    "ATTACHMENT_TITLES", "FORMATS", "ReportError", "attachment_rows", "build_report", "compare_quarters",
    "join_problems", "overview_text", "pass_rate", "period_note", "rectification_status", "to_csv", "to_docx",
    "to_json", "to_markdown", "to_xlsx", "write_report",
]
