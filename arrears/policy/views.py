"""The office's settings page (managers): the thresholds the law leaves to the office, and
the history of their changes."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import access
from arrears.models import Policy
from arrears.policy.forms import PolicyForm
from arrears.policy.selectors import policy_history
from arrears.policy.services import save_policy


def policy_settings(request: HttpRequest) -> HttpResponse:
    user = access.manager(request)
    policy = Policy.current()
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST":
        if form.is_valid():
            save_policy(form, user)
            messages.success(request, _("Đã lưu ngưỡng và tham số."))
            return redirect("policy_settings")
        messages.error(request, _("Chưa lưu: hãy sửa các ô báo lỗi."))
    return render(
        request,
        "arrears/policy/settings.html",
        {"form": form, "policy": policy, "history": policy_history(policy)},
    )
