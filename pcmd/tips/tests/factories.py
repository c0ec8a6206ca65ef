"""Small factories for tips tests: tips in real units, users of the roles that handle them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pcmd.accounts.models import User
from pcmd.accounts.tests.factories import HOANG_HOP, make_user, unit
from pcmd.tips import services
from pcmd.tips.models import Tip

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args: int) -> datetime:
    """A Vietnam-time moment: at(2025, 3, 1, 10)."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


def officer(username: str = "congan", unit_code: str = HOANG_HOP, **kw: Any) -> User:
    return make_user(username=username, role=User.Role.POLICE, unit_code=unit_code, **kw)


def leader(username: str = "lanhdao", unit_code: str = HOANG_HOP, **kw: Any) -> User:
    return make_user(username=username, role=User.Role.LEADER, unit_code=unit_code, **kw)


def make_tip(
    *,
    unit_code: str = HOANG_HOP,
    received_at: datetime | None = None,
    content: str = "Có hoạt động mua bán dâm tại nhà nghỉ ven đường.",
    channel: str = "phone",
    **fields: Any,
) -> Tip:
    return services.tip_receive(
        acting_user=None, org_unit=unit(unit_code), received_at=received_at or at(2025, 3, 1, 10),
        channel=channel, content=content, **fields,
    )  # fmt: skip


def classified(tip: Tip, user: User, *, nature: str = "crime_denunciation", **kw: Any) -> Tip:
    services.tip_verify(tip=tip, acting_user=user)
    return services.tip_classify(
        tip=tip, acting_user=user, subject="harbouring", legal_nature=nature, **kw
    )
