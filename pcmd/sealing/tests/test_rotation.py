"""Key rotation: values sealed with key A still read with only key B after rotate_seal_keys."""

from datetime import date
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from pcmd.sealing.fields import SealedValueError
from pcmd.sealing.rotation import sealed_models
from pcmd.sealing.tests.models import SealedSample

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
PEOPLE = [
    ("Hoàng Văn Minh", "001090000001", "0901000001", date(1990, 1, 2)),
    ("Lò Thị Sáu", "014195000002", "", None),
    ("Vi Văn Tám", "", "0901000003", date(1985, 7, 30)),
]


def _raw_names() -> list[str]:
    table = connection.ops.quote_name(SealedSample._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT full_name FROM {table} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def _make_people() -> None:
    for i, (name, id_number, phone, born) in enumerate(PEOPLE):
        SealedSample.objects.create(
            code=f"P{i}", full_name=name, id_number=id_number, phone=phone, birth_date=born
        )


def _read_people() -> list[tuple[str, str, str, date | None]]:
    return [
        (s.full_name, s.id_number, s.phone, s.birth_date)
        for s in SealedSample.objects.order_by("code")
    ]


def test_rotation_moves_every_value_to_the_new_key() -> None:
    with override_settings(SEAL_KEYS=[KEY_A]):
        _make_people()
    with override_settings(SEAL_KEYS=[KEY_B]), pytest.raises(SealedValueError):
        _read_people()
    before = _raw_names()
    out = StringIO()
    with override_settings(SEAL_KEYS=[KEY_B, KEY_A]):
        call_command("rotate_seal_keys", "--batch-size", "2", stdout=out)
    assert "sealing.sealedsample: 2/3 rows" in out.getvalue()  # progress per batch
    assert "re-encrypted 9 values" in out.getvalue()
    assert _raw_names() != before
    with override_settings(SEAL_KEYS=[KEY_B]):
        assert _read_people() == PEOPLE


def test_dry_run_counts_and_writes_nothing() -> None:
    with override_settings(SEAL_KEYS=[KEY_A]):
        _make_people()
    before = _raw_names()
    out = StringIO()
    with override_settings(SEAL_KEYS=[KEY_B, KEY_A]):
        call_command("rotate_seal_keys", "--dry-run", stdout=out)
    assert "would re-encrypt 9 values" in out.getvalue()
    assert _raw_names() == before


def test_second_run_has_nothing_left_to_rotate() -> None:
    with override_settings(SEAL_KEYS=[KEY_A]):
        _make_people()
    with override_settings(SEAL_KEYS=[KEY_B, KEY_A]):
        call_command("rotate_seal_keys", stdout=StringIO())
        out = StringIO()
        call_command("rotate_seal_keys", stdout=out)
    assert "re-encrypted 0 values" in out.getvalue()


def test_missing_old_key_stops_the_run() -> None:
    with override_settings(SEAL_KEYS=[KEY_A]):
        _make_people()
    with override_settings(SEAL_KEYS=[KEY_B]), pytest.raises(CommandError, match="old key"):
        call_command("rotate_seal_keys", stdout=StringIO())


def test_models_are_found_by_field_class() -> None:
    assert SealedSample in sealed_models()
