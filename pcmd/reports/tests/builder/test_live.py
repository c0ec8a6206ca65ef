"""Live figures read for many units at once equal those read one unit at a time."""

from __future__ import annotations

from datetime import date

import pytest

from pcmd.common.periods import period_parse
from pcmd.reports.builder.figures import FIGURES
from pcmd.reports.builder.live import unit_figures
from pcmd.reports.tests.factories import HOANG_HOA, HOANG_HOP, event, unit

pytestmark = pytest.mark.django_db


def test_the_set_wise_path_gives_what_values_read_gives_for_each_unit() -> None:
    commune, district = unit(HOANG_HOP), unit(HOANG_HOA)
    event(commune, date(2025, 2, 1), participants=30)
    event(district, date(2025, 3, 1), participants=12)
    event(commune, date(2024, 2, 1), participants=7)
    period = period_parse("2025S1")
    together = unit_figures([commune, district], period)
    for one in (commune, district):
        alone = unit_figures([one], period)[one.pk]
        for spec in FIGURES:
            if spec.indicator:
                assert together[one.pk].now[spec.key] == alone.now[spec.key], spec.key
        assert together[one.pk].last_year == alone.last_year
    assert together[district.pk].now["outreach-participants"][0] == 42
    assert together[commune.pk].last_year["outreach-events"][0] == 1
