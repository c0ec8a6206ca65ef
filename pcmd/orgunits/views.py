"""Pages of orgunits: the tree as it stood on a date, search, unit detail, villages, agencies.

Owns: orgunit_browse, orgunit_children (partial), orgunit_search (partial), orgunit_pick
(suggestions of the unit picker), orgunit_detail,
village_create, village_import, village_template, agency_list, agency_create, agency_edit,
standing_agency_assign.
Invariants: every unit and agency is fetched through accounts.permissions (404 outside the
user's scope); every page says which unit and which date it shows (?on=YYYY-MM-DD, default
today); writes go through services.py and forms keep what was typed when they fail (422).
Not here: the rules themselves (services.py), reading helpers (selectors.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pcmd.accounts.permissions import (
    get_in_scope_or_404,
    has_capability,
    require_capability,
    scope_filter,
)
from pcmd.common.forms import form_errors_from
from pcmd.orgunits import forms, selectors, services
from pcmd.orgunits.importing import village_template_xlsx
from pcmd.orgunits.models import (
    REFORM_DATE,
    Agency,
    OrgUnit,
    OrgUnitLink,
    OrgUnitScope,
)

if TYPE_CHECKING:
    from pcmd.accounts.models import User

PAGE_SIZE = 50
SEARCH_LIMIT = 50
PICK_LIMIT = 20
LAST_OLD_DAY = date(2025, 6, 30)


# --- small helpers -------------------------------------------------------------------------


def _acting(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind login_required)."""
    return cast("User", request.user)


def _on(request: HttpRequest) -> date:
    """The date the page looks at: ?on=YYYY-MM-DD, else today (a bad value falls back too)."""
    raw = request.GET.get("on") or request.POST.get("on") or ""
    try:
        parsed = parse_date(raw)
    except ValueError:
        parsed = None
    return parsed or timezone.localdate()


def _unit_or_404(request: HttpRequest, pk: int) -> OrgUnit:
    require_capability(request.user, "orgunit.view")
    return get_in_scope_or_404(OrgUnit.objects.all(), request.user, field="id", pk=pk)


def _with_has_children(qs: QuerySet[OrgUnit], on: date) -> QuerySet[OrgUnit]:
    links = OrgUnitLink.objects.filter(
        selectors.valid_on_q(on), selectors.valid_on_q(on, "child__"), parent=OuterRef("pk")
    )
    return qs.annotate(has_children=Exists(links))


def _children_page(request: HttpRequest, unit: OrgUnit, on: date) -> Any:
    qs = scope_filter(selectors.orgunit_children(unit, on=on), request.user, field="id")
    return Paginator(_with_has_children(qs, on), PAGE_SIZE).get_page(request.GET.get("page"))


def _parent_chains(units: list[OrgUnit], on: date | None) -> dict[int, list[OrgUnit]]:
    """unit id -> [parent, grandparent, ...] as it stood on `on` (or on the unit's last day).

    One query per level for the whole list, instead of one per unit and level.
    """
    when = {u.pk: (on or u.valid_to or timezone.localdate()) for u in units}
    chains: dict[int, list[OrgUnit]] = {u.pk: [] for u in units}
    tip = {u.pk: u.pk for u in units}  # start unit -> the unit whose parent we look for next
    for _level in range(5):
        ids = set(tip.values())
        if not ids:
            break
        links_by_child: dict[int, list[OrgUnitLink]] = {}
        for link in OrgUnitLink.objects.filter(child_id__in=ids).select_related("parent"):
            links_by_child.setdefault(link.child_id, []).append(link)
        next_tip: dict[int, int] = {}
        for start, child_id in tip.items():
            day = when[start]
            for link in links_by_child.get(child_id, []):
                if (link.valid_from is None or link.valid_from <= day) and (
                    link.valid_to is None or day <= link.valid_to
                ):
                    chains[start].append(link.parent)
                    next_tip[start] = link.parent_id
                    break
        tip = next_tip
    return chains


def _scoped_ids(user: Any, ids: list[int]) -> set[int]:
    """Which of these unit ids the user may open (one query)."""
    if not ids or user.org_unit_id is None:
        return set()
    if user.org_unit.level == OrgUnit.Level.NATIONAL:
        return set(ids)
    return set(
        OrgUnitScope.objects.filter(holder_id=user.org_unit_id, unit_id__in=ids).values_list(
            "unit_id", flat=True
        )
    )


def _detail_url(unit: OrgUnit, on: date) -> str:
    return reverse("orgunits:detail", args=[unit.pk]) + "?" + urlencode({"on": on.isoformat()})


def _date_choices(on: date) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {"label": _("Hôm nay"), "value": today, "current": on == today},
        {
            "label": _("30/06/2025 (trước sắp xếp)"),
            "value": LAST_OLD_DAY,
            "current": on == LAST_OLD_DAY,
        },
    ]


def _base_context(request: HttpRequest, on: date) -> dict[str, Any]:
    return {
        "on": on,
        "on_iso": on.isoformat(),
        "date_choices": _date_choices(on),
        "before_reform": on < REFORM_DATE,
    }


# --- tree, search ---------------------------------------------------------------------------


@login_required
@require_GET
def orgunit_browse(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "orgunit.view")
    on = _on(request)
    root = request.user.org_unit  # type: ignore[union-attr]
    if root is None:
        raise Http404(_("Tài khoản của bạn chưa được gắn với đơn vị nào."))
    context = _base_context(request, on)
    context.update(
        {
            "root": root,
            "root_valid": root.is_valid_on(on),
            "root_successor": None
            if root.is_valid_on(on)
            else selectors.orgunit_successor(root, on=on),
            "page_obj": _children_page(request, root, on) if root.is_valid_on(on) else None,
            "q": request.GET.get("q", ""),
        }
    )
    return render(request, "orgunits/browse.html", context)


@login_required
@require_GET
def orgunit_children(request: HttpRequest, pk: int) -> HttpResponse:
    """Partial: the children of one unit on a date (one page of them), for the lazy tree."""
    unit = _unit_or_404(request, pk)
    on = _on(request)
    return render(
        request,
        "orgunits/partials/_children.html",
        {
            "unit": unit,
            "on": on,
            "on_iso": on.isoformat(),
            "page_obj": _children_page(request, unit, on),
        },
    )


@dataclass
class SearchHit:
    unit: OrgUnit
    parents: list[OrgUnit]
    link_on: date  # the date its detail page opens on: the searched date, or its last day


def _nearest_valid_day(unit: OrgUnit, on: date) -> date:
    if unit.valid_from is not None and on < unit.valid_from:
        return unit.valid_from
    if unit.valid_to is not None and unit.valid_to < on:
        return unit.valid_to
    return on


def _search_units(request: HttpRequest, text: str, on: date | None) -> list[OrgUnit]:
    qs = OrgUnit.objects.filter(selectors.orgunit_search(text, on=on))
    qs = scope_filter(qs, request.user, field="id").order_by("level", "key", "id")
    return list(qs[: SEARCH_LIMIT + 1])


@login_required
@require_GET
def orgunit_search(request: HttpRequest) -> HttpResponse:
    """Partial: units whose name matches, diacritics-insensitive, inside the user's scope."""
    require_capability(request.user, "orgunit.view")
    on = _on(request)
    every_date = request.GET.get("all") == "1"
    text = (request.GET.get("q") or "").strip()
    hits: list[SearchHit] = []
    too_many = fell_back = False
    if len(text) >= 2:
        units = _search_units(request, text, None if every_date else on)
        if not units and not every_date:
            # Nothing on that date: say so, and show the units of that name that ended or
            # began at another date (an officer typing an old commune's name expects to find it).
            units = _search_units(request, text, None)
            fell_back = bool(units)
        too_many = len(units) > SEARCH_LIMIT
        units = units[:SEARCH_LIMIT]
        chains = _parent_chains(units, None if (every_date or fell_back) else on)
        hits = [SearchHit(u, chains[u.pk], _nearest_valid_day(u, on)) for u in units]
    template = "orgunits/partials/_search_results.html"
    if not getattr(request, "htmx", False):
        template = "orgunits/search.html"  # the form also works without JavaScript
    context = _base_context(request, on)
    context.update(
        {
            "q": text,
            "hits": hits,
            "too_many": too_many,
            "limit": SEARCH_LIMIT,
            "every_date": every_date,
            "fell_back": fell_back,
            "short": 0 < len(text) < 2,
        }
    )
    return render(request, template, context)


@login_required
@require_GET
def orgunit_pick(request: HttpRequest) -> HttpResponse:
    """Partial: <option>s for a unit picker (fields.UnitPickerWidget), inside the user's scope.

    ?name= says which parameter holds the typed text (htmx sends the box under its own name);
    ?levels= limits the levels (comma-separated); ?all=1 looks beyond the user's scope (a
    transfer to another unit). The form checks the choice again on submit.
    """
    from pcmd.orgunits.fields import unit_picker_value

    require_capability(request.user, "orgunit.view")
    name = request.GET.get("name") or "q"
    text = (request.GET.get(name) or "").strip()
    text = text.split(" #", 1)[0]  # a picked suggestion typed on: search its name
    text = text.split(" (", 1)[0]
    options: list[dict[str, str]] = []
    if len(text) >= 2:
        qs = OrgUnit.objects.filter(selectors.orgunit_search(text))
        levels = [lv for lv in (request.GET.get("levels") or "").split(",") if lv]
        if levels:
            qs = qs.filter(level__in=levels)
        if request.GET.get("all") != "1":  # unit names are public; records are not
            qs = scope_filter(qs, request.user, field="id")
        qs = qs.order_by(F("valid_to").desc(nulls_first=True), "level", "key", "id")
        units = list(qs[:PICK_LIMIT])
        chains = _parent_chains(units, None)
        options = [
            {"value": unit_picker_value(u), "parents": ", ".join(p.name for p in chains[u.pk])}
            for u in units
        ]
    return render(request, "orgunits/partials/_pick_options.html", {"options": options})


# --- detail ---------------------------------------------------------------------------------


def _unit_context(request: HttpRequest, unit: OrgUnit, on: date) -> dict[str, Any]:
    """What every page about one unit shows at its top: where it sits on the date."""
    ancestors = selectors.orgunit_ancestors(
        unit, on=on if unit.is_valid_on(on) else (unit.valid_to or on)
    )
    ancestors.reverse()
    openable = _scoped_ids(request.user, [a.pk for a in ancestors])
    context = _base_context(request, on)
    context.update(
        {
            "unit": unit,
            "breadcrumb": [(a, a.pk in openable) for a in ancestors],
            "valid_on_date": unit.is_valid_on(on),
        }
    )
    return context


@login_required
@require_GET
def orgunit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    on = _on(request)
    context = _unit_context(request, unit, on)
    parent_links = list(unit.parent_links.select_related("parent").order_by("valid_from"))
    openable = _scoped_ids(request.user, [link.parent_id for link in parent_links])
    for link in parent_links:
        link.openable = link.parent_id in openable  # type: ignore[attr-defined]
    agencies = list(selectors.agency_list(unit))
    standing = selectors.standing_agency(unit, on=on)
    user = request.user
    context.update(
        {
            "parent_links": parent_links,
            "page_obj": _children_page(request, unit, on),
            "predecessors": list(selectors.orgunit_predecessors(unit)),
            "successors": list(selectors.orgunit_successors(unit)),
            "agencies_current": [a for a in agencies if a.is_valid_on(on)][:20],
            "agencies_past_count": sum(1 for a in agencies if not a.is_valid_on(on)),
            "agencies_total": len(agencies),
            "standing_id": standing.pk if standing else None,
            "standing": standing,
            "unknown_start": unit.valid_from is None and unit.level != OrgUnit.Level.NATIONAL,
            "is_commune": unit.level == OrgUnit.Level.COMMUNE,
            "can_add_village": unit.level == OrgUnit.Level.COMMUNE
            and unit.is_current
            and has_capability(user, "village.manage"),
            "can_manage_agencies": has_capability(user, "agency.manage"),
        }
    )
    return render(request, "orgunits/detail.html", context)


# --- villages -------------------------------------------------------------------------------


def _commune_for_villages(request: HttpRequest, pk: int) -> OrgUnit:
    unit = _unit_or_404(request, pk)
    require_capability(request.user, "village.manage")
    if unit.level != OrgUnit.Level.COMMUNE or not unit.is_current:
        raise Http404(_("Chỉ thêm được thôn, tổ dân phố vào một đơn vị cấp xã đang có hiệu lực."))
    return unit


@login_required
def village_create(request: HttpRequest, pk: int) -> HttpResponse:
    commune = _commune_for_villages(request, pk)
    on = timezone.localdate()
    status = 200
    if request.method == "POST":
        form = forms.VillageForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                village = services.village_create(
                    commune=commune,
                    name=data["name"],
                    kind=data["kind"],
                    code=data.get("code") or "",
                    acting_user=_acting(request),
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã thêm %(name)s.") % {"name": village.name})
                return redirect(_detail_url(commune, on))
        status = 422
    else:
        form = forms.VillageForm()
    context = _unit_context(request, commune, on)
    context["form"] = form
    return render(request, "orgunits/village_form.html", context, status=status)


@login_required
def village_import(request: HttpRequest, pk: int) -> HttpResponse:
    commune = _commune_for_villages(request, pk)
    on = timezone.localdate()
    status = 200
    row_errors: list[Any] = []
    if request.method == "POST":
        form = forms.VillageImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.villages_import(
                    commune=commune, file=upload, filename=upload.name, acting_user=_acting(request)
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                row_errors = result.errors
                if result.ok:
                    messages.success(
                        request,
                        _("Đã nhập %(n)s thôn, tổ dân phố.") % {"n": len(result.created)},
                    )
                    return redirect(_detail_url(commune, on))
        status = 422
    else:
        form = forms.VillageImportForm()
    context = _unit_context(request, commune, on)
    context.update({"form": form, "row_errors": row_errors})
    return render(request, "orgunits/village_import.html", context, status=status)


@login_required
@require_GET
def village_template(request: HttpRequest) -> HttpResponse:
    """An empty XLSX with the columns the village import reads, and the accepted kinds."""
    require_capability(request.user, "village.manage")
    response = HttpResponse(
        village_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-thon.xlsx"'
    return response


# --- agencies -------------------------------------------------------------------------------


@login_required
@require_GET
def agency_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    on = _on(request)
    context = _unit_context(request, unit, on)
    qs = (
        Agency.objects.filter(org_unit=unit)
        .order_by("valid_to", "name", "id")
        .prefetch_related("successions__successor", "predecessions__predecessor")
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    standing = selectors.standing_agency(unit, on=on)
    context.update(
        {
            "page_obj": page,
            "agencies": page.object_list,
            "standing": standing,
            "standing_id": standing.pk if standing else None,
            "can_manage_agencies": has_capability(request.user, "agency.manage"),
        }
    )
    return render(request, "orgunits/agency_list.html", context)


def _agency_form_page(
    request: HttpRequest, unit: OrgUnit, form: Any, agency: Agency | None, status: int
) -> HttpResponse:
    context = _unit_context(request, unit, timezone.localdate())
    context.update({"form": form, "agency": agency})
    return render(request, "orgunits/agency_form.html", context, status=status)


@login_required
def agency_create(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    require_capability(request.user, "agency.manage")
    if request.method == "POST":
        form = forms.AgencyForm(request.POST)
        if form.is_valid():
            try:
                agency = services.agency_create(
                    org_unit=unit, acting_user=_acting(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã thêm cơ quan %(name)s.") % {"name": agency.name})
                return redirect("orgunits:agency-list", pk=unit.pk)
        return _agency_form_page(request, unit, form, None, 422)
    return _agency_form_page(request, unit, forms.AgencyForm(), None, 200)


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_capability(request.user, "orgunit.view")
    agency = get_in_scope_or_404(Agency.objects.select_related("org_unit"), request.user, pk=pk)
    require_capability(request.user, "agency.manage")
    unit = agency.org_unit
    if request.method == "POST":
        form = forms.AgencyForm(request.POST, instance=agency)
        if form.is_valid():
            try:
                agency = services.agency_update(
                    agency=agency, acting_user=_acting(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã lưu cơ quan %(name)s.") % {"name": agency.name})
                return redirect("orgunits:agency-list", pk=unit.pk)
        return _agency_form_page(request, unit, form, agency, 422)
    return _agency_form_page(request, unit, forms.AgencyForm(instance=agency), agency, 200)


@login_required
def standing_agency_assign(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    require_capability(request.user, "agency.manage")
    status = 200
    if request.method == "POST":
        form = forms.StandingAgencyForm(request.POST, org_unit=unit)
        if form.is_valid():
            try:
                services.standing_agency_assign(
                    org_unit=unit, acting_user=_acting(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Đã giao cơ quan thường trực PCMD."))
                return redirect("orgunits:agency-list", pk=unit.pk)
        status = 422
    else:
        form = forms.StandingAgencyForm(org_unit=unit)
    context = _unit_context(request, unit, timezone.localdate())
    context["form"] = form
    return render(request, "orgunits/standing_form.html", context, status=status)
