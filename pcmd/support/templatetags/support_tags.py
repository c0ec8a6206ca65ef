"""Template tags of support: the case files referred from an inspection or a case.

`{% load support_tags %}{% beneficiaries_for_record case as people %}` on the enforcement pages
walks the chain inspection / case -> referral to support services backwards, by pseudonymous
code only, and only for those who may read case files (an empty list for everyone else).
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def beneficiaries_for_record(context: Any, record: Any) -> list[Any]:
    from pcmd.enforcement.models import Case, Inspection
    from pcmd.support.casefiles.selectors import beneficiary_list_for_user

    user = getattr(context.get("request"), "user", None)
    if user is None:
        return []
    people = beneficiary_list_for_user(user=user)
    if isinstance(record, Case):
        return list(people.filter(origin_case=record).order_by("code"))
    if isinstance(record, Inspection):
        return list(people.filter(origin_inspection=record).order_by("code"))
    return []
