"""Middleware every request passes: the size limit, no NUL in an address, and no caching of
signed-in pages."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Requests larger than any upload the application takes are refused before their body
    is read, so a multi-gigabyte POST cannot fill the disk with temporary files."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return HttpResponse(
                _("Dữ liệu gửi lên quá lớn."), status=413, content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)


class NulInAddressMiddleware:
    """An address with a NUL character (``%00``) in its path or query is refused: no page
    takes one, and PostgreSQL text cannot hold it, so a lookup by it would fail as a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return HttpResponse(
                _("Địa chỉ có ký tự không hợp lệ."),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class NoStoreWhenSignedInMiddleware:
    """Pages and files served to a signed-in person are never kept by a browser's or a
    proxy's cache: an employer's figures must not outlive the session on a shared computer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
