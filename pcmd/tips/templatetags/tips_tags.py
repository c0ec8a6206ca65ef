"""Template tags of tips: the notification bell of the top bar
(`{% load tips_tags %}{% unread_notifications as n %}`) and the tips behind a case or an
inspection (`{% tips_for_record case as tips %}`)."""

from __future__ import annotations

from typing import Any

from django import template

from pcmd.tips.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return unread_count(user=user) if user is not None else 0


@register.simple_tag(takes_context=True)
def tips_for_record(context: Any, record: Any) -> Any:
    """The tips that led to a case or an inspection, as the viewer may see them (none for a role
    without tip.view): `{% tips_for_record case as tips %}`. The chain tip -> inspection / case
    is walked from the enforcement pages without enforcement importing tips."""
    from pcmd.enforcement.models import Case, Inspection
    from pcmd.tips.selectors import tips_for_case, tips_for_inspection

    user = getattr(context.get("request"), "user", None)
    if user is None:
        return []
    if isinstance(record, Case):
        return list(tips_for_case(record, user=user))
    if isinstance(record, Inspection):
        return list(tips_for_inspection(record, user=user))
    return []
