from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts import access
from arrears.balance_totals import kept_employer_count
from arrears.employers.filters import EmployerFilter
from arrears.employers.forms import AsOfForm
from arrears.employers.selectors import area_history
from arrears.interest.forms import CreditMoveForm
from arrears.models import Balance
from arrears.selectors import employer_statement
from desk.collation import vietnamese_order
from participants.models import Employer

# Sort keys the employer list accepts, and the columns they order by.
EMPLOYER_SORTS = {
    "unit_code": [F("unit_code").asc()],
    "name": [*vietnamese_order("name"), F("unit_code").asc()],
    "office": [F("office__name").asc(), F("unit_code").asc()],
    "commune": [F("commune__name").asc(nulls_last=True), F("unit_code").asc()],
    "employees": [F("employees").desc()],
    "arrears": [F("balance__arrears").desc(nulls_last=True), F("unit_code").asc()],
    "months": [F("balance__months_in_arrears").desc(nulls_last=True), F("unit_code").asc()],
    "interest": [F("balance__interest").desc(nulls_last=True), F("unit_code").asc()],
}


EMPLOYERS_PER_PAGE = 50
# The sorts by a Balance figure, and its field.
BALANCE_SORTS = {"arrears": "arrears", "months": "months_in_arrears", "interest": "interest"}


class BalanceOrder:
    """The employers in ``EMPLOYER_SORTS``' order by a Balance figure, for the paginator,
    in two parts: those with a Balance row (all of them after a refresh), figure first (so
    the index on it serves a page without sorting a region's employers), then any without
    one (imported since), by unit code, as NULLS LAST puts them."""

    def __init__(self, employers: QuerySet[Employer], field: str) -> None:
        self.employers = employers
        self.ranked = employers.filter(balance__isnull=False).order_by(
            F(f"balance__{field}").desc(), F("unit_code").asc()
        )
        self.rest = employers.filter(balance__isnull=True).order_by("unit_code")

    def count(self) -> int:
        return self.employers.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Employer]:
        start, stop = window.start or 0, window.stop
        rows = list(self.ranked[start:stop])
        if len(rows) < stop - start:  # past the last employer with a Balance row
            ranked = start + len(rows) if rows else self.ranked.count()
            rows += self.rest[max(0, start - ranked) : stop - ranked]
        return rows


def employer_list(request: HttpRequest) -> HttpResponse:
    scoped = access.scoped(Employer, request.user)
    filterset = EmployerFilter(request.GET, queryset=scoped)
    sort = request.GET.get("sort", "arrears")
    if sort not in EMPLOYER_SORTS:
        sort = "arrears"
    employers = filterset.qs.select_related("office", "commune", "balance")
    ordered: BalanceOrder | QuerySet[Employer]
    if sort in BALANCE_SORTS:
        ordered = BalanceOrder(employers, BALANCE_SORTS[sort])
    else:
        ordered = employers.order_by(*EMPLOYER_SORTS[sort])
    paginator = Paginator(ordered, EMPLOYERS_PER_PAGE)
    unfiltered = filterset.is_valid() and not any(
        value not in (None, "") for value in filterset.form.cleaned_data.values()
    )
    if unfiltered:
        # Unfiltered: the count the last refresh kept, exact while nothing changed since,
        # rather than counting a region's employers at every page.
        known = kept_employer_count(request.user)
        if known is not None:
            paginator.count = known
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "arrears/employer_list.html",
        {"filter": filterset, "page": page, "sort": sort},
    )


# The employer page lists this many of the latest contributions and payments; the statement
# above them covers every month.
EMPLOYER_DETAIL_ROWS = 24
BUCKET_FIELD = Balance._meta.get_field("bucket")  # its choices name the aging buckets


def employer_detail(request: HttpRequest, unit_code: str) -> HttpResponse:
    """The employer's facts (with its managing office, its commune and the changes of
    either), its position on a date (``?on=dd/mm/yyyy``, default today), the month-by-month
    statement (C12-TS) and its latest contributions and payments."""
    employer = access.get_for_user(
        Employer.objects.select_related("office", "commune"), request.user, unit_code=unit_code
    )
    today = timezone.localdate()
    form = AsOfForm(request.GET if "on" in request.GET else None, initial={"on": today})
    on = (form.is_valid() and form.cleaned_data["on"]) or today

    statement = employer_statement(employer, on)
    context = {
        "employer": employer,
        "area_history": area_history(employer),
        "form": form,
        "statement": statement,
        "bucket_label": dict(BUCKET_FIELD.flatchoices)[statement.balance.bucket],
        "contributions": employer.contributions.order_by("-period")[:EMPLOYER_DETAIL_ROWS],
        "payments": employer.payments.order_by("-paid_on", "-id")[:EMPLOYER_DETAIL_ROWS],
        "shown": EMPLOYER_DETAIL_ROWS,
        "credit_form": CreditMoveForm(initial={"moved_on": on, "amount": statement.credit}),
    }
    return render(request, "arrears/employer_detail.html", context)
