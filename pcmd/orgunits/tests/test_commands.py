from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def _run(*args: str) -> str:
    out = StringIO()
    call_command("show_orgunit", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_code_is_resolved_at_the_date_given() -> None:
    assert "Tỉnh Kiên Giang (91" in _run("91", "--on", "2020-01-01")
    assert "Tỉnh An Giang (91" in _run("91", "--on", "2026-01-01")


@pytest.mark.django_db
def test_old_commune_after_the_reform_names_its_successor() -> None:
    out = _run("15919", "--on", "2026-01-01")
    assert "Xã Hoằng Hợp (15919" in out
    assert "dữ liệu thuộc về: Xã Hoằng Giang (15880)" in out


@pytest.mark.django_db
def test_old_commune_before_the_reform_shows_its_district_and_province() -> None:
    out = _run("xã Hoàng Hợp", "--on", "2025-03-01")
    assert "Huyện Hoằng Hóa › Tỉnh Thanh Hóa › Việt Nam" in out


@pytest.mark.django_db
def test_ambiguous_name_lists_candidates_instead_of_guessing() -> None:
    # Dozens of communes were called Tân Thành before the reform.
    with pytest.raises(CommandError, match="khớp với nhiều đơn vị: Xã Tân Thành"):
        call_command("show_orgunit", "xã Tân Thành", "--on", "2020-01-01", stdout=StringIO())


@pytest.mark.django_db
def test_unknown_code_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="Không tìm thấy"):
        call_command("show_orgunit", "999999", stdout=StringIO())
