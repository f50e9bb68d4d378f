from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from arrears.filters import EmployerFilter
from participants.models import Employer

# Sort keys the employer list accepts, and the columns they order by.
EMPLOYER_SORTS = {
    "unit_code": [F("unit_code").asc()],
    "name": [F("name").asc()],
    "district": [F("district__name").asc(), F("unit_code").asc()],
    "employees": [F("employees").desc()],
    "arrears": [F("balance__arrears").desc(nulls_last=True), F("unit_code").asc()],
    "months": [F("balance__months_in_arrears").desc(nulls_last=True), F("unit_code").asc()],
    "interest": [F("balance__interest").desc(nulls_last=True), F("unit_code").asc()],
}


def employer_list(request: HttpRequest) -> HttpResponse:
    scoped = Employer.objects.in_scope(request.user)
    filterset = EmployerFilter(request.GET, queryset=scoped)
    sort = request.GET.get("sort", "arrears")
    if sort not in EMPLOYER_SORTS:
        sort = "arrears"
    employers = filterset.qs.select_related("district", "balance").order_by(*EMPLOYER_SORTS[sort])
    page = Paginator(employers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "arrears/employer_list.html",
        {"filter": filterset, "page": page, "sort": sort},
    )


def employer_detail(request: HttpRequest, unit_code: str) -> HttpResponse:
    employer = get_object_or_404(
        Employer.objects.in_scope(request.user).select_related("district"), unit_code=unit_code
    )
    return render(request, "arrears/employer_detail.html", {"employer": employer})
