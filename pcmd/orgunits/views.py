"""Pages of orgunits: the tree browser, unit detail, villages, agencies."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def orgunit_browse(request: HttpRequest) -> HttpResponse:
    return render(request, "orgunits/browse.html", {})
