"""`pcmd import_plan FILE --orgunit CODE`: date-resolved codes, warnings, what it saved."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pcmd.accounts.tests.factories import unit
from pcmd.orgunits.demo import demo_load as orgunits_demo_load
from pcmd.plans.models import Plan

pytestmark = pytest.mark.django_db
SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_uncertain_fields_stop_the_import_unless_accepted() -> None:
    orgunits_demo_load()
    seed = str(SEEDS / "an_giang_1994_qd_ubnd_2016.txt")
    err = StringIO()
    with pytest.raises(CommandError, match="--accept-warnings"):
        call_command("import_plan", seed, "--orgunit", "89", stdout=StringIO(), stderr=err)
    assert "chưa chắc chắn" in err.getvalue()
    assert not Plan.objects.exists()
    out, _err = run(seed, "--orgunit", "89", "--accept-warnings", "--status", "issued")
    plan = Plan.objects.get()
    assert plan.org_unit == unit("89") and plan.status == "issued"
    assert "Đã lưu kế hoạch" in out and "8 chỉ tiêu" in out and "15 đoạn trách nhiệm" in out


def test_the_code_is_resolved_at_the_date_of_the_plan() -> None:
    orgunits_demo_load()
    # 91 was Kiên Giang until 30/6/2025 and is the merged An Giang since: the 2016 decision
    # resolves it to Kiên Giang, never to today's An Giang.
    run(str(SEEDS / "an_giang_1994_qd_ubnd_2016.txt"), "--orgunit", "91", "--accept-warnings")
    assert Plan.objects.get().org_unit == unit("91", on=unit("89").valid_to)


def test_a_unit_that_ended_during_the_plans_year_is_found_in_the_period() -> None:
    # The 2025 commune plan has no date: 1/7/2025 is the day after Xã Hoằng Hợp ended.
    orgunits_demo_load()
    out, _err = run(str(SEEDS / "hoang_hop_2025.txt"), "--orgunit", "15919", "--accept-warnings")
    assert Plan.objects.get().org_unit == unit("15919")
    assert "39/KH-UBND" in out
    with pytest.raises(CommandError, match="Không có đơn vị mã “99999”"):
        run(str(SEEDS / "hoang_hop_2025.txt"), "--orgunit", "99999")


def test_a_letter_and_an_unreadable_file_are_refused(tmp_path: Path) -> None:
    letter = tmp_path / "cong-van.txt"
    letter.write_text(
        "ỦY BAN NHÂN DÂN\nXÃ HOẰNG HỢP\nSố: 12/UBND\nHoằng Hợp, ngày 03 tháng 3 năm 2025\n"
        "V/v báo cáo số liệu\nKính gửi: UBND huyện Hoằng Hóa\nUBND xã báo cáo như sau.\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="công văn, không phải kế hoạch"):
        run(str(letter), "--orgunit", "15919", "--accept-warnings")
    # Without a date, a letter is still named for what it is (not "no date to resolve the code").
    undated = tmp_path / "khong-ngay.txt"
    undated.write_text("Kính gửi: UBND các xã\nĐề nghị báo cáo.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải kế hoạch"):
        run(str(undated), "--orgunit", "15919", "--accept-warnings")
    empty = tmp_path / "rong.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError):
        run(str(empty), "--orgunit", "15919")
    assert not Plan.objects.exists()
