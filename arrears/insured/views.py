"""The insured lookup: staff answering an insured person's call find them by social insurance
number or name, and see each month paid, unpaid (the employer owes it) or not yet due; a PDF
of it for the person. Persons of employers outside the user's scope do not exist; liaisons
get 404."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from accounts import access
from arrears.employers.forms import AsOfForm
from arrears.insured.selectors import InsuredMonths, find_insured, insured_months
from desk.pdf import render_pdf
from desk.text import fold
from participants.letterhead import letterhead
from participants.models import InsuredPerson

# Matches listed for a name; more means the name is common: add the year of birth.
RESULTS = 50
MONTH_NUMBERS = range(1, 13)  # the columns of a person's calendar


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("Mã số BHXH hoặc họ và tên"),
        max_length=100,
        required=False,
        help_text=_(
            "Gõ mã số BHXH (10 chữ số), hoặc họ tên có dấu hay không dấu, đủ từng chữ; "
            "thêm năm sinh để thu hẹp, ví dụ: bui thi huong 1990."
        ),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )

    def clean_q(self) -> str:
        words = fold(self.cleaned_data["q"]).split()
        if not words:
            return ""
        if all(word.isdigit() for word in words) and not any(len(w) in (4, 10) for w in words):
            raise forms.ValidationError(_("Mã số BHXH gồm đúng 10 chữ số."))
        return " ".join(words)


def insured_lookup(request: HttpRequest) -> HttpResponse:
    """The search box and its matches; a single match opens the person's page."""
    access.staff(request)
    form = LookupForm(request.GET if "q" in request.GET else None)
    context: dict[str, object] = {"form": form}
    if form.is_valid() and form.cleaned_data["q"]:
        found = find_insured(request.user, form.cleaned_data["q"], RESULTS)
        if len(found.persons) == 1 and not found.more:
            return redirect("insured_detail", found.persons[0].social_insurance_number)
        context.update(found=found.persons, more=found.more, searched=True)
    return render(request, "arrears/insured_lookup.html", context)


def _insured_months(request: HttpRequest, number: str) -> tuple[InsuredMonths, AsOfForm]:
    user = access.staff(request)
    person = access.get_for_user(
        InsuredPerson.objects.select_related("employer__office"),
        user,
        social_insurance_number=number,
    )
    today = timezone.localdate()
    form = AsOfForm(request.GET if "on" in request.GET else None, initial={"on": today})
    on = (form.is_valid() and form.cleaned_data["on"]) or today
    return insured_months(person, on), form


def insured_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One insured person: who they are, their employer, and their months on a date (default
    today)."""
    months, form = _insured_months(request, number)
    context = {"insured": months, "form": form, "month_numbers": MONTH_NUMBERS}
    return render(request, "arrears/insured_detail.html", context)


def insured_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The same months as a printable A4 document for the person, always in Vietnamese."""
    months, _form = _insured_months(request, number)
    with translation.override("vi"):
        html = render_to_string(
            "documents/insured_months.html",
            {
                "insured": months,
                "month_numbers": MONTH_NUMBERS,
                "letterhead": letterhead(months.person.employer.office),
                "province": settings.PROVINCE_NAME,
            },
            request=request,
        )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    filename = f"thang-dong-bhxh-{months.person.social_insurance_number}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
