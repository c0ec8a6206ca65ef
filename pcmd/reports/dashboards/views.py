"""The dashboard pages: the home page of every user (their unit's dashboard for a period, then
their account), and the league table and map of the unit's children, loaded after the first
paint (htmx) or opened as a page of its own without JavaScript.

Owns: home, children.
Invariants: a unit is reached only inside the user's scope (404 outside, through
get_in_scope_or_404); bad input in the picker gets a Vietnamese message and status 400; the
first load carries no chart script (the charts are SVG drawn on the server).
Not here: the numbers (selectors.py), alerts (alerts.py), drawing (charts.py, maps.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pcmd.accounts import selectors as account_selectors
from pcmd.accounts.models import User
from pcmd.accounts.permissions import get_in_scope_or_404, requires_second_factor
from pcmd.indicators.models import Indicator
from pcmd.orgunits.models import OrgUnit
from pcmd.orgunits.selectors import orgunit_children
from pcmd.reports.dashboards import charts, maps, selectors
from pcmd.reports.dashboards.alerts import AlertContext, alerts_for
from pcmd.reports.dashboards.forms import DashboardForm


@dataclass
class Picked:
    """What the picker asked for, checked: the unit (in scope), the period, the indicator."""

    unit: OrgUnit
    dp: selectors.DashboardPeriod
    indicator: Indicator | None
    form: DashboardForm


def _pick(request: HttpRequest, user: User) -> Picked | DashboardForm | None:
    """The checked choice; the form with its errors when refused; None without a unit."""
    today = timezone.localdate()
    form = DashboardForm(request.GET, today=today)
    if not form.is_valid():
        return form
    if user.org_unit is None:
        return None
    unit: OrgUnit = user.org_unit
    if form.cleaned_data["unit"]:
        unit = get_in_scope_or_404(OrgUnit.objects.all(), user, "id", pk=form.cleaned_data["unit"])
    period = form.cleaned_data["period"] or selectors.default_period(unit, today)
    if unit.valid_to is not None and period.start > unit.valid_to:
        form.add_error(
            "period",
            _("%(u)s không còn từ sau ngày %(d)s: hãy chọn một kỳ trước đó.")
            % {"u": unit.name, "d": unit.valid_to.strftime("%d/%m/%Y")},
        )
        return form
    if unit.valid_from is not None and period.end < unit.valid_from:
        form.add_error(
            "period",
            _("%(u)s được thành lập từ ngày %(d)s: hãy chọn một kỳ từ đó trở đi.")
            % {"u": unit.name, "d": unit.valid_from.strftime("%d/%m/%Y")},
        )
        return form
    dp = selectors.dashboard_period(unit, period, today)
    return Picked(unit, dp, form.cleaned_data["indicator"], form)


def _query(unit: OrgUnit, period_id: str, indicator: Indicator | None = None) -> str:
    params = {"unit": unit.pk, "period": period_id}
    if indicator is not None:
        params["indicator"] = indicator.code
    return urlencode(params)


def _unit_choices(user: User, picked: Picked) -> list[OrgUnit]:
    """The user's own unit, the unit shown and its children (all inside the user's scope)."""
    out: list[OrgUnit] = []
    for candidate in [user.org_unit, picked.unit]:
        if candidate is not None and candidate not in out:
            out.append(candidate)
    # The picker shows each child's name: only the fields it reads (a province has a hundred).
    children = orgunit_children(picked.unit, on=picked.dp.tree_day).only("pk", "name")
    out += [c for c in children if c not in out]
    return out


def _trend_charts(trends: list[selectors.Trend], period_label: str) -> list[dict[str, Any]]:
    out = []
    now_name, before_name = _("Kỳ này"), _("Cùng kỳ năm trước")
    for trend in trends:
        labels = [m.label for m in trend.months]
        now = [charts.Bar(m.label, m.now, m.now_shown) for m in trend.months]
        before = [charts.Bar(m.label, m.before, m.before_shown) for m in trend.months]
        series = [charts.Series(now_name, now, "now"), charts.Series(before_name, before, "before")]
        title = _("%(t)s theo tháng, %(p)s và cùng kỳ năm trước") % {
            "t": trend.title,
            "p": period_label,
        }
        out.append({"trend": trend, "svg": charts.trend_svg(series, title=title, labels=labels)})
    return out


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The home page: the dashboard of the user's unit (or the one picked), then the account."""
    user = request.user
    assert isinstance(user, User)
    context: dict[str, Any] = {
        "overview": account_selectors.home_overview(user=user),
        "has_device": account_selectors.otp_device_confirmed_get(user=user) is not None,
        "needs_2fa": requires_second_factor(user),
    }
    picked = _pick(request, user)
    if isinstance(picked, DashboardForm):
        context["form"] = picked
        return render(request, "reports/dashboards/home.html", context, status=400)
    if picked is None:
        return render(request, "reports/dashboards/home.html", context)
    unit, dp = picked.unit, picked.dp
    today = timezone.localdate()
    plans = selectors.unit_plans(unit, dp.period)
    cards = selectors.target_cards(unit, dp, plans)
    alerts = alerts_for(AlertContext(user=user, unit=unit, today=today, plans=plans, cards=cards))
    query = _query(unit, dp.period.id, picked.indicator)
    context.update(
        {
            "form": picked.form,
            "unit": unit,
            "dp": dp,
            "period": dp.period,
            "periods": selectors.period_choices(unit, today),
            "units": _unit_choices(user, picked),
            "plans": plans,
            "cards": cards,
            "values": [] if plans else selectors.builtin_cards(unit, dp.period),
            "trends": _trend_charts(
                selectors.trends(unit, dp.period, user=user, today=today), dp.period.label
            ),
            "alerts": alerts,
            "children_url": f"{reverse('dashboards:children')}?{query}",
            "is_own_unit": unit.pk == user.org_unit_id,
        }
    )
    return render(request, "reports/dashboards/home.html", context)


@login_required
@require_GET
def children(request: HttpRequest) -> HttpResponse:
    """The league table and the map of the unit's children for one indicator."""
    user = request.user
    assert isinstance(user, User)
    picked = _pick(request, user)
    partial = bool(getattr(request, "htmx", False))
    template = (
        "reports/dashboards/partials/_children.html"
        if partial
        else "reports/dashboards/children.html"
    )
    if isinstance(picked, DashboardForm):
        return render(request, template, {"form": picked}, status=400)
    if picked is None:
        return render(request, template, {"no_unit": True})
    unit, dp = picked.unit, picked.dp
    indicator = (
        picked.indicator or Indicator.objects.filter(code=selectors.DEFAULT_LEAGUE_CODE).first()
    )
    if indicator is None:
        return render(request, template, {"unit": unit, "period": dp.period, "no_indicator": True})
    home_url = reverse("home")

    def url_of(child: OrgUnit) -> str:
        return f"{home_url}?{_query(child, dp.period.id)}"

    view = selectors.children_view(unit, dp, indicator, url_of=url_of)
    points = view.points or ([view.own_point] if view.own_point else [])
    title = _("%(i)s, %(p)s: các đơn vị trực thuộc %(u)s") % {
        "i": indicator.display_name,
        "p": dp.period.label,
        "u": unit.name,
    }
    context = {
        "unit": unit,
        "dp": dp,
        "period": dp.period,
        "view": view,
        "indicator": indicator,
        "indicators": selectors.league_indicators(),
        "map_svg": maps.map_svg(points, title=title) if points else None,
        # Without placed children the map shows the unit itself: its legend is its own value.
        "bands": maps.map_bands(
            view.top if view.points else (view.own.value or Decimal(0)),
            percent=indicator.is_percent,
            whole=selectors.counts_whole(indicator),
        ),
        "map_title": title,
        "home_url": f"{home_url}?{_query(unit, dp.period.id)}",
        "children_url": reverse("dashboards:children"),
    }
    return render(request, template, context)
