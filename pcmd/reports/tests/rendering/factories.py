"""Report documents for the rendering tests, built in memory (no database).

make_content() and make_document() start from rendering.sample (Huyện Hoằng Hóa, 2025S1, its
old communes) and take overrides, so each test states only what it asserts on.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pcmd.reports.content import Figure, Narrative, ReportContent, ReportDocument
from pcmd.reports.rendering.sample import sample_content, sample_document


def make_content(*, children: int = 4, **overrides: Any) -> ReportContent:
    """A district's content over `children` communes (0: a commune's own report)."""
    sample_fields = {"unit_name", "unit_code", "unit_level", "period", "period_label"}
    content = sample_content(
        children=children, **{k: v for k, v in overrides.items() if k in sample_fields}
    )
    return dataclasses.replace(
        content, **{k: v for k, v in overrides.items() if k not in sample_fields}
    )


def make_document(
    *, content: ReportContent | None = None, narrative: Narrative | None = None, **overrides: Any
) -> ReportDocument:
    """The district's report as the clerk fills it in; `content` replaces the figures."""
    document = sample_document(children=len(content.children) if content else 4)
    if content is not None:
        document = dataclasses.replace(document, content=content)
    if narrative is not None:
        document = dataclasses.replace(document, narrative=narrative)
    return dataclasses.replace(document, **overrides)


def figure(key: str, label: str, shown: str, *, unit: str = "người", **kw: Any) -> Figure:
    return Figure(key=key, label=label, unit=unit, shown=shown, **kw)
