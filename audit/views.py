"""The audit trail for managers: filters, pages of entries, nothing to change."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from accounts import access
from audit.models import AuditEntry
from desk.forms import DayField, day_input

ENTRIES_PER_PAGE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Hành động"),
        required=False,
        choices=[("", _("Tất cả")), *AuditEntry.Action.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    who = forms.CharField(
        label=_("Người dùng"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    since = DayField(label=_("Từ ngày"), required=False, widget=day_input())
    until = DayField(label=_("Đến ngày"), required=False, widget=day_input())


def audit_log(request: HttpRequest) -> HttpResponse:
    """Managers only; anyone else gets 404, as if the page did not exist."""
    access.manager(request)
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["who"]:
            entries = entries.filter(username__icontains=data["who"].strip())
        if data["since"]:
            entries = entries.filter(at__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(at__date__lte=data["until"])
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"form": form, "page": page})
