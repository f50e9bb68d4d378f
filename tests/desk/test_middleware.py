"""Middleware of every request (desk/middleware.py): signed-in pages and files are not cached;
the public pages may be."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from desk.middleware import NoStoreWhenSignedInMiddleware


def test_signed_in_pages_and_exports_are_not_stored(client_as, manager, sample_province) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    for url in (
        reverse("employer_list"),
        reverse("employer_detail", args=["HB00000A"]),
        reverse("report_employer_balances") + "?format=csv&on=16/11/2026",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_responses_to_anonymous_requests_are_left_as_they_are() -> None:
    def view(request):  # type: ignore[no-untyped-def]
        return HttpResponse("public")

    request = RequestFactory().get("/xac-minh/ABC/")
    request.user = AnonymousUser()
    response = NoStoreWhenSignedInMiddleware(view)(request)
    assert not response.has_header("Cache-Control")
