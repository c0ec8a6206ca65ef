"""REST API of indicator values: a unit and its children, one period, one or every indicator.

Owns: IndicatorValueViewSet, register(router).
Entry points: register(router) — pcmd.api mounts "indicator-values".
Invariants: the unit must be in the caller's scope (404 otherwise, like the pages); values are
computed by pcmd.indicators.compute exactly as the pages show them; an indicator that counts
people (a sealed source) is shown with small-cell suppression (pcmd.sealing.suppression),
never its true small count.
Not here: computing (compute.py), URL wiring (pcmd.api).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from pcmd.accounts.permissions import has_capability, unit_in_scope
from pcmd.common.params import parse_id
from pcmd.common.periods import PeriodError, period_parse
from pcmd.indicators.compute import Value
from pcmd.indicators.models import Indicator
from pcmd.indicators.sources import definition_is_sealed
from pcmd.indicators.store import values_read
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_children

# Values are computed on read: every indicator for a province's hundred communes at once is
# refused until the stored table of values (issue 6) serves it.
MAX_UNITS_ALL_INDICATORS = 50


class CanReadIndicators(permissions.BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return has_capability(request.user, "plan.view")


class IndicatorValueSerializer(serializers.Serializer[dict[str, Any]]):
    indicator = serializers.CharField()
    indicator_name = serializers.CharField()
    orgunit = serializers.IntegerField()
    orgunit_name = serializers.CharField()
    period = serializers.CharField()
    numerator = serializers.CharField(allow_null=True)
    denominator = serializers.CharField(allow_null=True)
    value = serializers.CharField(allow_null=True)
    suppressed = serializers.BooleanField()


def _is_sealed(indicator: Indicator) -> bool:
    return definition_is_sealed(indicator.kind, indicator.definition)


def _row(indicator: Indicator, unit: OrgUnit, period: str, value: Value) -> dict[str, Any]:
    def text(number: Any) -> str | None:
        return None if number is None else str(number)

    row = {
        "indicator": indicator.code,
        "indicator_name": indicator.display_name,
        "orgunit": unit.pk,
        "orgunit_name": unit.name,
        "period": period,
        "numerator": text(value.numerator),
        "denominator": text(value.denominator),
        "value": text(value.value),
        "suppressed": False,
    }
    if _is_sealed(indicator):
        from pcmd.sealing.suppression import suppress_count, suppress_percent

        den = int(value.denominator) if value.denominator is not None else None
        row["numerator"] = suppress_count(int(value.numerator))
        row["denominator"] = suppress_count(den) if den is not None else None
        if den is not None:
            row["value"] = suppress_percent(int(value.numerator), den)
        row["suppressed"] = True
    return row


class IndicatorValueViewSet(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated, CanReadIndicators]
    serializer_class = IndicatorValueSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("orgunit", OpenApiTypes.INT, description=_("Mã số đơn vị")),
            OpenApiParameter("period", OpenApiTypes.STR, description="2025, 2025S1, 2025Q1 …"),
            OpenApiParameter("indicator", OpenApiTypes.STR, description=_("Mã chỉ số")),
        ],
        responses=IndicatorValueSerializer(many=True),
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:  # format suffix
        """Values of the unit and of its children (as they stood at the period's end)."""
        try:
            period = period_parse(request.query_params.get("period") or "")
        except PeriodError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        own = getattr(request.user, "org_unit_id", None)
        raw_unit = request.query_params.get("orgunit") or str(own or "")
        unit_id = parse_id(raw_unit)
        unit = OrgUnit.objects.filter(pk=unit_id).first() if unit_id is not None else None
        if unit is None or not unit_in_scope(request.user, unit):
            raise Http404
        indicators = Indicator.objects.filter(is_active=True)
        code = request.query_params.get("indicator")
        if code:
            indicators = indicators.filter(code=code)
            if not indicators.exists():
                raise ValidationError({"indicator": [_("Không có chỉ số “%(c)s”.") % {"c": code}]})
        on = min(period.end, unit.valid_to) if unit.valid_to else period.end
        units = [unit, *orgunit_children(unit, on=on)]
        if not code and len(units) > MAX_UNITS_ALL_INDICATORS:
            raise ValidationError(
                {"indicator": [_("Đơn vị có nhiều đơn vị trực thuộc: hãy chọn một chỉ số.")]}
            )
        chosen = list(indicators)
        values = values_read(chosen, units, period)  # stored where fresh
        rows = [_row(ind, u, period.id, values[ind.pk, u.pk]) for ind in chosen for u in units]
        return Response(IndicatorValueSerializer(rows, many=True).data)  # type: ignore[arg-type]


def register(router: Any) -> None:
    router.register("indicator-values", IndicatorValueViewSet, basename="indicator-values")
