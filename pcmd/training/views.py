"""Pages of the staff roster and training courses: lists with filters, detail, create, edit
(with the other person's version shown when a save comes too late), delete with confirmation.

Owns: staff_list, staff_export, staff_import, staff_import_template, staff_import_job,
staff_detail, staff_create, staff_edit, staff_delete, course_list, course_export,
course_import, course_import_template, course_import_job, course_detail, course_create,
course_edit, course_delete; STAFF_IMPORT and COURSE_IMPORT (pcmd.records.imports.ImportKind).
Invariants: objects come through selectors (404 outside the scope); writes go through services
(audited; the rule is checked there and mirrored here only to hide buttons); a failed form keeps
what was typed and answers 422.
Not here: the rules (services.py), reads (selectors.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pcmd.accounts.audit import audit_record
from pcmd.accounts.models import AuditEvent
from pcmd.accounts.permissions import has_capability, require_capability
from pcmd.common.forms import form_save
from pcmd.common.paging import CappedPaginator
from pcmd.common.params import parse_id, parse_year
from pcmd.records.imports import ImportKind, records_import, records_import_job
from pcmd.training import forms, selectors, services
from pcmd.training.jobs import (
    COURSE_IMPORT_JOB_HANDLER,
    IMPORT_JOB_HANDLER,
    IMPORT_STORAGE_DIR,
)
from pcmd.training.models import StaffMember, TrainingCourse
from pcmd.training.selectors import DateSpan

PAGE_SIZE = 25
DIRECT_IMPORT_MAX_ROWS = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year_filter(request: HttpRequest) -> tuple[str, DateSpan | None]:
    raw = (request.GET.get("year") or "").strip()
    year = parse_year(raw)
    if year is not None:
        return raw, DateSpan(date(year, 1, 1), date(year, 12, 31))
    return "", None


def _unit_filter(request: HttpRequest) -> int | None:
    raw = (request.GET.get("unit") or "").strip()
    return parse_id(raw)


def _cleaned(form: Any, exclude: tuple[str, ...] = ("version",)) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k not in exclude}


# --- roster ----------------------------------------------------------------------------------


def _staff_query(request: HttpRequest) -> tuple[str, str, str, Any]:
    """The roster filters as typed (year, role, search) and the people they select."""
    year, period = _year_filter(request)
    role = request.GET.get("role") or ""
    if role not in StaffMember.Role.values:
        role = ""
    q = (request.GET.get("q") or "").strip()
    qs = selectors.staff_list_for_user(
        user=request.user, unit=_unit_filter(request), period=period, role=role, q=q
    )
    return year, role, q, qs


@login_required
@require_GET
def staff_export(request: HttpRequest) -> HttpResponse:
    """The filtered roster (same filters as the list) as XLSX."""
    require_capability(request.user, "training.view")
    qs = _staff_query(request)[3]
    data = services.staff_export_xlsx(staff=qs.iterator(chunk_size=2000))
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=request.user,
        org_unit=getattr(request.user, "org_unit", None),
        request=request,
        detail={"what": "staff", "query": request.GET.urlencode()[:500]},
    )
    return _xlsx_response(data, f"can-bo-{timezone.localdate():%Y%m%d}.xlsx")


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def staff_import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "training.manage")
    return _xlsx_response(services.staff_template_xlsx(), "mau-nhap-can-bo.xlsx")


STAFF_IMPORT = ImportKind(
    capability="training.manage",
    importer=services.staff_import,
    job_handler=IMPORT_JOB_HANDLER,
    job_title=gettext_lazy("Nhập danh sách cán bộ từ %(f)s"),
    title=gettext_lazy("Nhập danh sách cán bộ từ Excel"),
    done=gettext_lazy("Đã nhập %(n)d cán bộ."),
    list_url="training:staff-list",
    template_url="training:staff-import-template",
    job_url="training:staff-import-job",
    form_class=forms.StaffImportForm,
    storage_dir=IMPORT_STORAGE_DIR,
    unit_field="org_unit",
    job_heading=gettext_lazy("Nhập danh sách cán bộ"),
    lead=gettext_lazy(
        "Tải tệp mẫu, điền mỗi dòng một người rồi tải lên. Tệp được kiểm tra toàn bộ trước: "
        "có lỗi thì không dòng nào được ghi. Tệp trên %(direct_max)s dòng được nhập dưới nền."
    ),
    job_done=gettext_lazy("Đã nhập %(created)s cán bộ."),
    nav_template="training/partials/_staff_breadcrumb.html",
)


@login_required
def staff_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, STAFF_IMPORT, direct_max=DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def staff_import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, STAFF_IMPORT, pk)


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "training.view")
    year, role, q, qs = _staff_query(request)
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "staff": page.object_list,
        "year": year,
        "role": role,
        "q": q,
        "roles": StaffMember.Role.choices,
        "filtered": bool(year or role or q or request.GET.get("unit")),
        "can_manage": has_capability(request.user, "training.manage"),
        "unit": getattr(request.user, "org_unit", None),
    }
    return render(request, "training/staff_list.html", context)


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = selectors.staff_get_for_user(staff_id=pk, user=request.user)
    courses = selectors.course_list_for_user(user=request.user).filter(participants=staff)
    context = {
        "staff": staff,
        "courses": courses,
        "can_manage": has_capability(request.user, "training.manage"),
    }
    return render(request, "training/staff_detail.html", context)


@login_required
def staff_create(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "training.manage")
    user: Any = request.user
    if request.method == "POST":
        form = forms.StaffForm(request.POST, user=user)
        staff, _current = form_save(
            form, lambda: services.staff_create(acting_user=user, **_cleaned(form))
        )
        if staff is not None:
            messages.success(request, _("Đã thêm cán bộ vào danh sách."))
            return redirect("training:staff-detail", pk=staff.pk)
        return render(request, "training/staff_form.html", {"form": form}, status=422)
    form = forms.StaffForm(user=user, initial={"org_unit": user.org_unit_id})
    return render(request, "training/staff_form.html", {"form": form})


@login_required
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = selectors.staff_get_for_user(staff_id=pk, user=request.user)
    require_capability(request.user, "training.manage")
    user: Any = request.user
    if request.method == "POST":
        form = forms.StaffForm(request.POST, user=user)
        saved, current = form_save(
            form,
            lambda: services.staff_update(
                staff=staff,
                acting_user=user,
                expected_version=form.cleaned_data.get("version"),
                **_cleaned(form),
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu."))
            return redirect("training:staff-detail", pk=saved.pk)
        context = {"form": form, "staff": staff, "current": current}
        return render(request, "training/staff_form.html", context, status=422)
    form = forms.StaffForm.for_staff(staff, user=user)
    return render(request, "training/staff_form.html", {"form": form, "staff": staff})


@login_required
def staff_delete(request: HttpRequest, pk: int) -> HttpResponse:
    staff = selectors.staff_get_for_user(staff_id=pk, user=request.user)
    require_capability(request.user, "training.manage")
    if request.method == "POST":
        services.staff_delete(staff=staff, acting_user=request.user)
        messages.success(request, _("Đã xóa %(name)s khỏi danh sách.") % {"name": staff})
        return redirect("training:staff-list")
    context = {"object": staff, "cancel_url": "training:staff-detail", "kind": _("cán bộ")}
    return render(request, "training/confirm_delete.html", context)


# --- courses ---------------------------------------------------------------------------------


def _course_query(request: HttpRequest) -> tuple[str, str, str, Any]:
    """The course filters as typed (year, topic, search) and the courses they select."""
    year, period = _year_filter(request)
    topic = request.GET.get("topic") or ""
    if topic not in TrainingCourse.Topic.values:
        topic = ""
    q = (request.GET.get("q") or "").strip()
    qs = selectors.course_list_for_user(
        user=request.user, unit=_unit_filter(request), period=period, topic=topic, q=q
    )
    return year, topic, q, qs


@login_required
@require_GET
def course_export(request: HttpRequest) -> HttpResponse:
    """The filtered courses (same filters as the list) as XLSX, with their participants."""
    require_capability(request.user, "training.view")
    qs = _course_query(request)[3].prefetch_related(
        Prefetch("participants", queryset=StaffMember.objects.only("pk", "full_name"))
    )
    data = services.course_export_xlsx(courses=qs.iterator(chunk_size=2000))
    audit_record(
        action=AuditEvent.Action.EXPORT,
        user=request.user,
        org_unit=getattr(request.user, "org_unit", None),
        request=request,
        detail={"what": "courses", "query": request.GET.urlencode()[:500]},
    )
    return _xlsx_response(data, f"lop-tap-huan-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def course_import_template(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "training.manage")
    return _xlsx_response(services.course_template_xlsx(), "mau-nhap-lop-tap-huan.xlsx")


COURSE_IMPORT = ImportKind(
    capability="training.manage",
    importer=services.courses_import,
    job_handler=COURSE_IMPORT_JOB_HANDLER,
    job_title=gettext_lazy("Nhập lớp tập huấn từ %(f)s"),
    title=gettext_lazy("Nhập lớp tập huấn từ Excel"),
    done=gettext_lazy("Đã nhập %(n)d lớp tập huấn."),
    list_url="training:course-list",
    template_url="training:course-import-template",
    job_url="training:course-import-job",
    form_class=forms.CourseImportForm,
    storage_dir=IMPORT_STORAGE_DIR,
    unit_field="org_unit",
    job_heading=gettext_lazy("Nhập lớp tập huấn"),
    lead=gettext_lazy(
        "Tải tệp mẫu, điền mỗi dòng một lớp rồi tải lên. Học viên trong danh sách cán bộ ghi "
        "bằng mã cán bộ (xuất danh sách cán bộ ra Excel để xem mã) hoặc họ và tên. Tệp được "
        "kiểm tra toàn bộ trước: có lỗi thì không dòng nào được ghi. Tệp trên %(direct_max)s "
        "dòng được nhập dưới nền."
    ),
    job_done=gettext_lazy("Đã nhập %(created)s lớp tập huấn."),
    nav_template="training/partials/_course_breadcrumb.html",
)


@login_required
def course_import(request: HttpRequest) -> HttpResponse:
    return records_import(request, COURSE_IMPORT, direct_max=DIRECT_IMPORT_MAX_ROWS)


@login_required
@require_GET
def course_import_job(request: HttpRequest, pk: Any) -> HttpResponse:
    return records_import_job(request, COURSE_IMPORT, pk)


@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "training.view")
    year, topic, q, qs = _course_query(request)
    qs = qs.annotate(n_roster=Count("participants"))
    page = CappedPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    courses = page.object_list
    context = {
        "page_obj": page,
        "courses": courses,
        "year": year,
        "topic": topic,
        "q": q,
        "topics": TrainingCourse.Topic.choices,
        "filtered": bool(year or topic or q or request.GET.get("unit")),
        "can_manage": has_capability(request.user, "training.manage"),
        "unit": getattr(request.user, "org_unit", None),
    }
    return render(request, "training/course_list.html", context)


@login_required
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get_for_user(course_id=pk, user=request.user)
    participants = course.participants.select_related("org_unit", "agency").order_by("full_name")
    context = {
        "course": course,
        "participants": participants,
        "can_manage": has_capability(request.user, "training.manage"),
    }
    return render(request, "training/course_detail.html", context)


def _course_values(form: Any) -> dict[str, Any]:
    data = _cleaned(form, exclude=("version", "participants"))
    data["participants"] = list(form.cleaned_data["participants"])
    return data


@login_required
def course_create(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, "training.manage")
    user: Any = request.user
    if request.method == "POST":
        form = forms.CourseForm(request.POST, user=user)
        course, _current = form_save(
            form, lambda: services.course_create(acting_user=user, **_course_values(form))
        )
        if course is not None:
            messages.success(request, _("Đã ghi lớp tập huấn."))
            return redirect("training:course-detail", pk=course.pk)
        return render(request, "training/course_form.html", {"form": form}, status=422)
    form = forms.CourseForm(user=user, initial={"org_unit": user.org_unit_id})
    return render(request, "training/course_form.html", {"form": form})


@login_required
def course_edit(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get_for_user(course_id=pk, user=request.user)
    require_capability(request.user, "training.manage")
    user: Any = request.user
    if request.method == "POST":
        form = forms.CourseForm(request.POST, user=user)
        saved, current = form_save(
            form,
            lambda: services.course_update(
                course=course,
                acting_user=user,
                expected_version=form.cleaned_data.get("version"),
                **_course_values(form),
            ),
        )
        if saved is not None:
            messages.success(request, _("Đã lưu."))
            return redirect("training:course-detail", pk=saved.pk)
        context = {"form": form, "course": course, "current": current}
        return render(request, "training/course_form.html", context, status=422)
    form = forms.CourseForm.for_course(course, user=user)
    return render(request, "training/course_form.html", {"form": form, "course": course})


@login_required
def course_delete(request: HttpRequest, pk: int) -> HttpResponse:
    course = selectors.course_get_for_user(course_id=pk, user=request.user)
    require_capability(request.user, "training.manage")
    if request.method == "POST":
        services.course_delete(course=course, acting_user=request.user)
        messages.success(request, _("Đã xóa lớp tập huấn %(name)s.") % {"name": course})
        return redirect("training:course-list")
    context = {"object": course, "cancel_url": "training:course-detail", "kind": _("lớp tập huấn")}
    return render(request, "training/confirm_delete.html", context)
