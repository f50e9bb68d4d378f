"""The offices pages: the provincial office and the grassroots offices with the communes each
serves. Reference data for the office's staff (liaisons get 404); the employer counts are of
the employers the user sees."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts import access
from participants import selectors
from participants.models import Office


def office_list(request: HttpRequest) -> HttpResponse:
    user = access.staff(request)
    return render(request, "participants/office_list.html", {"offices": selectors.offices(user)})


def office_detail(request: HttpRequest, office_code: str) -> HttpResponse:
    user = access.staff(request)
    office = get_object_or_404(Office.objects.select_related("head"), code=office_code)
    context = {
        "office": office,
        "communes": selectors.communes(office, user),
        "managed": selectors.managed_count(office, user),
    }
    return render(request, "participants/office_detail.html", context)
