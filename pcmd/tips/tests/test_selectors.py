"""The per-unit "handled in time" measure the indicator rebuild reads: computed from plain
values (no Tip instances), it gives, tip by tip, what tip_clock() gives — with pauses (one still
open), an extension, a complex case, the commune pass-on rule, a transfer to another unit and
a tip still open past its deadline."""

from __future__ import annotations

from datetime import date

import pytest

from pcmd.accounts.tests.factories import HOANG_HOA, HOANG_HOP, unit
from pcmd.tips import services
from pcmd.tips.deadlines import rules_all, tip_clock
from pcmd.tips.models import Tip
from pcmd.tips.selectors import (
    measure_handled_in_time,
    measure_handled_in_time_by_unit,
    measure_handled_in_time_by_windows,
)
from pcmd.tips.tests.factories import at, classified, leader, make_tip, officer

pytestmark = pytest.mark.django_db


def _tips() -> None:
    police, boss = officer(), leader()
    paused = classified(make_tip(), police)
    services.tip_pause(tip=paused, acting_user=police, reason="Chờ kết quả giám định",
                       at=at(2025, 3, 5, 10))  # fmt: skip
    services.tip_resume(tip=paused, acting_user=police, at=at(2025, 3, 10, 10))
    services.tip_handle(tip=paused, acting_user=police, outcome="not_substantiated",
                        handled_at=at(2025, 3, 25, 9))  # fmt: skip
    still_paused = classified(make_tip(received_at=at(2025, 4, 1, 8)), police)
    services.tip_pause(tip=still_paused, acting_user=police, reason="Tạm đình chỉ",
                       at=at(2025, 4, 3, 10))  # fmt: skip
    extended = classified(make_tip(received_at=at(2025, 2, 1, 8)), police, is_complex=True)
    services.tip_extend(tip=extended, acting_user=boss, months=2, reason="Cần giám định thêm")
    services.tip_handle(tip=extended, acting_user=police, outcome="not_substantiated",
                        handled_at=at(2025, 6, 20, 9))  # fmt: skip
    late = classified(make_tip(), police)
    services.tip_handle(tip=late, acting_user=police, outcome="not_substantiated",
                        handled_at=at(2025, 3, 22, 9))  # fmt: skip
    classified(make_tip(received_at=at(2025, 1, 5, 8)), police)  # open, past its deadline
    make_tip(received_at=at(2025, 5, 2, 8), remote_area=True)  # open, unclassified
    slow = make_tip()
    services.tip_transfer(tip=slow, acting_user=police, to_agency="Cơ quan CSĐT Công an tỉnh",
                          at=at(2025, 3, 3, 9))  # fmt: skip
    forwarded = make_tip(received_at=at(2025, 3, 8, 8))
    services.tip_transfer(tip=forwarded, acting_user=police, to_unit=unit(HOANG_HOA),
                          at=at(2025, 3, 8, 15))  # fmt: skip
    make_tip(unit_code=HOANG_HOA, received_at=at(2025, 3, 9, 8))


def test_the_per_unit_measure_agrees_with_the_clock_of_each_tip() -> None:
    _tips()
    qs = Tip.objects.filter(received_at__date__gte=date(2025, 1, 1))
    assert qs.filter(pauses__ended_at__isnull=True).exists()
    assert qs.filter(extension__isnull=False).exists()
    assert qs.filter(transferred_from__isnull=False).exists()
    per_unit, overlaps = measure_handled_in_time_by_unit(
        qs, date(2025, 1, 1), date(2025, 12, 31), unit_field="org_unit_id"
    )
    rules = rules_all()
    expected: dict[int, list[int]] = {}
    for tip in qs:
        in_time = tip_clock(tip, rules=rules).in_time
        figures = expected.setdefault(tip.org_unit_id, [0, 0])
        figures[0] += int(in_time is True)
        figures[1] += int(in_time is not None)
    assert per_unit == {u: (n, d) for u, (n, d) in expected.items()}
    assert {u for u, (_n, d) in per_unit.items() if d} >= {unit(HOANG_HOP).pk}
    # The forwarded tip and its copy: one report where an area holds both units.
    original = Tip.objects.get(transfers__isnull=False)
    copy = Tip.objects.get(transferred_from=original)
    own = tip_clock(original).in_time
    assert overlaps == [
        (original.org_unit_id, copy.org_unit_id, int(own is True), int(own is not None))
    ]
    # Over both units at once it is the measure of the area (the copy measured once).
    area = measure_handled_in_time(qs, date(2025, 1, 1), date(2025, 12, 31))
    assert area == (
        sum(n for n, _d in per_unit.values()) - overlaps[0][2],
        sum(d for _n, d in per_unit.values()) - overlaps[0][3],
    )


def test_the_windows_of_a_year_give_what_each_window_gives_alone() -> None:
    _tips()
    windows = [
        (date(2025, 1, 1), date(2025, 12, 31)),
        (date(2025, 1, 1), date(2025, 3, 8)),
        (date(2025, 3, 9), date(2025, 12, 31)),
    ]
    year = Tip.objects.filter(received_at__date__gte=date(2025, 1, 1))
    together = measure_handled_in_time_by_windows(year, windows, unit_field="org_unit_id")
    alone = [
        measure_handled_in_time_by_unit(
            year.filter(received_at__date__gte=first, received_at__date__lte=last),
            first,
            last,
            unit_field="org_unit_id",
        )
        for first, last in windows
    ]
    assert together == alone
    # The forwarded tip (8 March) and its copy (same day) fall in the first part, the tip
    # received on 9 March in the second: the windows really split the year.
    assert together[1][1] and not together[2][1]
    assert together[1][0] != together[2][0]
