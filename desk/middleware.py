"""Middleware every request passes: the size limit, and no caching of signed-in pages."""

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
