from django.urls import path

from pcmd.support import views
from pcmd.support.casefiles import views as cases

app_name = "support"
urlpatterns = [
    path("pilot-models/", views.pilotmodel_list, name="pilotmodel-list"),
    path("pilot-models/export.xlsx", views.pilotmodel_export, name="pilotmodel-export"),
    path("pilot-models/import/", views.pilotmodel_import, name="pilotmodel-import"),
    path(
        "pilot-models/import/template.xlsx",
        views.pilotmodel_import_template,
        name="pilotmodel-import-template",
    ),
    path(
        "pilot-models/import/jobs/<uuid:pk>/",
        views.pilotmodel_import_job,
        name="pilotmodel-import-job",
    ),
    path("pilot-models/new/", views.pilotmodel_create, name="pilotmodel-create"),
    path("pilot-models/<int:pk>/", views.pilotmodel_detail, name="pilotmodel-detail"),
    path("pilot-models/<int:pk>/edit/", views.pilotmodel_edit, name="pilotmodel-edit"),
    path("pilot-models/<int:pk>/delete/", views.pilotmodel_delete, name="pilotmodel-delete"),
    path("people/", cases.beneficiary_list, name="beneficiary-list"),
    path("people/new/", cases.beneficiary_create, name="beneficiary-create"),
    path("people/stats/", cases.support_stats, name="stats"),
    path("people/referrals/overdue/", cases.referral_overdue, name="referral-overdue"),
    path("people/<int:pk>/", cases.beneficiary_detail, name="beneficiary-detail"),
    path("people/<int:pk>/edit/", cases.beneficiary_edit, name="beneficiary-edit"),
    path("people/<int:pk>/origin/", cases.origin_edit, name="beneficiary-origin"),
    path("people/<int:pk>/identity/", cases.beneficiary_reveal, name="beneficiary-reveal"),
    path("people/<int:pk>/consents/new/", cases.consent_create, name="consent-create"),
    path("people/<int:pk>/needs/new/", cases.assessment_create, name="assessment-create"),
    path("people/<int:pk>/services/new/", cases.service_create, name="service-create"),
    path("people/<int:pk>/referrals/new/", cases.referral_create, name="referral-create"),
    path("people/<int:pk>/closure/", cases.closure_request, name="closure-request"),
    path("people/<int:pk>/closure/decide/", cases.closure_decide, name="closure-decide"),
    path("people/<int:pk>/legal-hold/", cases.legal_hold, name="legal-hold"),
    path("people/<int:pk>/export/", cases.beneficiary_export, name="beneficiary-export"),
    path("people/<int:pk>/erase/", cases.beneficiary_erase, name="beneficiary-erase"),
    path("consents/<int:pk>/withdraw/", cases.consent_withdraw, name="consent-withdraw"),
    path("referrals/<int:pk>/", cases.referral_update, name="referral-update"),
]
