from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from arrears.interest.forms import CreditMoveForm
from arrears.interest.services import InterestError, move_credit
from desk.templatetags.desk import vnd
from participants.models import Employer


@require_POST
def credit_to_interest(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Move part of the employer's credit to its interest, back to the employer page."""
    user = access.staff(request)
    employer = access.get_for_user(Employer, user, unit_code=unit_code)
    form = CreditMoveForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
    else:
        try:
            data = form.cleaned_data
            move = move_credit(
                employer=employer,
                on=data["moved_on"],
                amount=data["amount"],
                note=data["note"],
                by=user,
            )
        except InterestError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Đã chuyển %(amount)s số nộp thừa sang tiền lãi.") % {"amount": vnd(move.amount)},
            )
    return redirect("employer_detail", unit_code=employer.unit_code)
