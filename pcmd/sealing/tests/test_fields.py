"""Sealed fields: plain values in Python, only ciphertext in the table."""

from datetime import date

import pytest
from django.core.exceptions import FieldError
from django.db import connection, models
from django.test.utils import isolate_apps

from pcmd.sealing.fields import SealedCharField, sealed_field_names
from pcmd.sealing.tests.models import SealedSample

pytestmark = pytest.mark.django_db

NAME = "Nguyễn Thị Hồng Nhung"
ID_NUMBER = "001190012345"
PHONE = "0912345678"
ADDRESS = "Số 12 ngõ 34 phố Huế, phường Hai Bà Trưng"


def _raw_rows() -> list[tuple[object, ...]]:
    table = connection.ops.quote_name(SealedSample._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return list(cursor.fetchall())


def test_raw_table_holds_no_plaintext_name_id_number_or_phone() -> None:
    SealedSample.objects.create(
        code="S1",
        full_name=NAME,
        id_number=ID_NUMBER,
        phone=PHONE,
        address=ADDRESS,
        birth_date=date(1999, 3, 14),
    )
    rows = _raw_rows()
    assert len(rows) == 1
    raw = " ".join(str(value) for value in rows[0])
    assert "S1" in raw  # the plain column is there, so the row was really read
    for secret in (NAME, "Nhung", ID_NUMBER, PHONE, "0912", ADDRESS, "phố Huế", "1999"):
        assert secret not in raw


def test_values_read_back_as_plain_python_values() -> None:
    sample = SealedSample.objects.create(
        code="S2", full_name=NAME, id_number=ID_NUMBER, birth_date=date(2001, 12, 31)
    )
    again = SealedSample.objects.get(pk=sample.pk)
    assert again.full_name == NAME
    assert again.id_number == ID_NUMBER
    assert again.birth_date == date(2001, 12, 31)
    assert again.phone == ""
    assert list(SealedSample.objects.values_list("full_name", flat=True)) == [NAME]


def test_empty_values_are_stored_as_empty_string_and_null() -> None:
    SealedSample.objects.create(code="S3")
    raw = _raw_rows()[0]
    columns = [c.column for c in SealedSample._meta.concrete_fields]
    stored = dict(zip(columns, raw, strict=True))
    assert stored["full_name"] == ""
    assert stored["birth_date"] is None
    assert SealedSample.objects.filter(birth_date__isnull=True).count() == 1


def test_same_value_encrypts_differently_each_time() -> None:
    SealedSample.objects.create(code="A", full_name=NAME)
    SealedSample.objects.create(code="B", full_name=NAME)
    names_column = [f.column for f in SealedSample._meta.concrete_fields].index("full_name")
    tokens = {row[names_column] for row in _raw_rows()}
    assert len(tokens) == 2


def test_sealed_field_cannot_be_filtered_in_sql() -> None:
    with pytest.raises(FieldError, match="blind index"):
        SealedSample.objects.filter(full_name=NAME).count()
    with pytest.raises(FieldError, match="blind index"):
        SealedSample.objects.filter(id_number__contains="0011").count()


def test_sealed_field_names_lists_only_sealed_fields() -> None:
    assert sealed_field_names(SealedSample) == [
        "full_name",
        "id_number",
        "phone",
        "address",
        "birth_date",
    ]
    assert sealed_field_names(SealedSample(code="x")) == sealed_field_names(SealedSample)


def test_update_and_bulk_update_also_encrypt() -> None:
    a = SealedSample.objects.create(code="U1", full_name="cũ")
    b = SealedSample.objects.create(code="U2", full_name="cũ")
    SealedSample.objects.filter(pk=a.pk).update(full_name="Mới Một")
    b.full_name = "Mới Hai"
    SealedSample.objects.bulk_update([b], ["full_name"])
    raw = " ".join(str(v) for row in _raw_rows() for v in row)
    assert "Mới" not in raw
    assert [s.full_name for s in SealedSample.objects.order_by("code")] == ["Mới Một", "Mới Hai"]


@isolate_apps("pcmd.sealing")
def test_a_sealed_field_cannot_be_indexed_or_unique() -> None:
    class Bad(models.Model):
        name = SealedCharField(max_length=50, db_index=True)
        number = SealedCharField(max_length=20, unique=True)

        class Meta:
            app_label = "sealing"

        def __str__(self) -> str:
            return str(self.pk)

    errors = [e.id for f in Bad._meta.local_fields for e in f.check()]
    assert errors.count("sealing.E001") == 2
