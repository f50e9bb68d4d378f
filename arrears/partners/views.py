"""A liaison's inbox: the referrals that reached their organisation and the reminders of
their deadlines, unread first; opening one marks it read and leads to the case."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import access
from arrears.models import ReferralNotice
from arrears.partners import selectors, services

NOTICES_PER_PAGE = 50


def inbox(request: HttpRequest) -> HttpResponse:
    user = access.liaison(request)
    notices = selectors.inbox(user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-id"
    )
    page = Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "arrears/partners/inbox.html",
        {"page": page, "today": timezone.localdate(), "unread": selectors.unread_count(user)},
    )


@require_POST
def inbox_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notice read and open its referral on the case page."""
    user = access.liaison(request)
    notice = access.get_for_user(ReferralNotice.objects.select_related("referral"), user, pk=pk)
    services.mark_read(notice)
    referral = notice.referral
    return redirect(f"{reverse('case_detail', args=[referral.case_id])}#referral-{referral.pk}")
