"""Build the figures of a report from the records (see build.py for the whole).

Owns (re-exported): report_content_build(), report_children(), report_children_ids(),
live_differences(),
figure_shown(), figures_consolidate(), unit_figures(), FIGURES.
"""

from pcmd.reports.builder.build import (
    live_differences,
    report_children,
    report_children_ids,
    report_content_build,
)
from pcmd.reports.builder.consolidation import figures_consolidate
from pcmd.reports.builder.figures import FIGURES, figure_shown
from pcmd.reports.builder.live import unit_figures

__all__ = [
    "FIGURES", "figure_shown", "figures_consolidate", "live_differences", "report_children",
    "report_children_ids",
    "report_content_build", "unit_figures",
]  # fmt: skip
