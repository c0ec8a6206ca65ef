"""What every operational record shares: where and when it happened, who wrote it, and a
version number for optimistic locking.

Owns: RecordBase (abstract model), StaleRecord, record_save_versioned().
Invariants: a record's `version` grows by one with every save through record_save_versioned();
a save based on an older version is refused (StaleRecord) and writes nothing, so two people
editing the same record never silently overwrite each other.
Not here: scoping (accounts.permissions), auditing (accounts.audit) — callers do both.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class StaleRecord(ValidationError):
    """Someone saved the record after this edit began; `current` is their version."""

    def __init__(self, current: models.Model) -> None:
        super().__init__(
            _(
                "Bản ghi vừa được người khác sửa trong lúc bạn đang sửa. Hãy xem bản hiện tại "
                "và nhập lại thay đổi của bạn."
            ),
            code="stale",
        )
        self.current = current


class RecordBase(models.Model):
    """Abstract base of operational records: the unit where it happened and its history."""

    org_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("đơn vị"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


@transaction.atomic
def record_save_versioned(obj: Any, *, expected_version: int | None) -> Any:
    """Save an existing record only if nobody saved it since `expected_version` was read.

    New records (no pk) are simply saved. Raises StaleRecord with the current row otherwise.
    """
    if obj.pk is None:
        obj.version = 1
        obj.save()
        return obj
    model = type(obj)
    if expected_version is None:
        expected_version = obj.version
    updated = model.objects.filter(pk=obj.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise StaleRecord(model.objects.get(pk=obj.pk))
    obj.version = expected_version + 1
    obj.save()
    return obj
