"""Break-glass grants: time-limited, reasoned access to sealed identities of one unit.

Owns: BreakGlassGrant.
Invariants: a grant is opened by its holder with a reason, for a unit in the holder's scope,
for at most MAX_BREAK_GLASS_MINUTES; it is never edited afterwards except to end it early; its
opening and ending are AuditEvents. A grant on a unit also covers the units under it.
Not here: opening and checking grants (access.py); the sealed fields (fields.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pcmd.orgunits.models import OrgUnit

MAX_BREAK_GLASS_MINUTES = 4 * 60
MIN_REASON_LENGTH = 10


class BreakGlassGrant(models.Model):
    """One emergency opening of a unit's sealed identities to one user, for a short time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="break_glass_grants",
        verbose_name=_("người được cấp"),
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="break_glass_grants",
        verbose_name=_("đơn vị"),
    )
    reason = models.TextField(_("lý do"))
    starts_at = models.DateTimeField(_("bắt đầu"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("hết hạn"), db_index=True)
    ended_at = models.DateTimeField(_("kết thúc sớm lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("quyền truy cập khẩn cấp")
        verbose_name_plural = _("quyền truy cập khẩn cấp")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["user", "org_unit", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.org_unit} ({self.starts_at:%d/%m/%Y %H:%M})"

    def is_active(self, at: object = None) -> bool:
        now = at or timezone.now()
        return self.ended_at is None and self.starts_at <= now < self.expires_at  # type: ignore[operator]
