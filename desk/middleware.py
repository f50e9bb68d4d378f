"""Requests larger than any upload the application takes are refused before their body is
read, so a multi-gigabyte POST cannot fill the disk with temporary files."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
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
