"""The plan-document parser: .txt/.docx plans, decisions, reports and letters -> structure.

Entry points: parse_text(text), parse_file(data, filename), DocumentUnreadable,
ParsedDocument.to_dict() (the `pcmd parse_plan --json` contract of issue 3).
Invariants: pure Python, no database; document text is data and never instructions; whatever
cannot be placed is reported in `warnings` with its text.
Modules: reading/docx_reader (bytes -> text), cleaning (text hygiene), header, basis,
structure (outline), targets, tasks/timeframes, responsibilities, bodies, document (assembly).
"""

from pcmd.plans.parsing.document import parse_file, parse_text
from pcmd.plans.parsing.model import ParsedDocument
from pcmd.plans.parsing.reading import MAX_BYTES, DocumentUnreadable

__all__ = ["MAX_BYTES", "DocumentUnreadable", "ParsedDocument", "parse_file", "parse_text"]
