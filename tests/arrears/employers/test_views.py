"""The employer list and page (arrears.employers.views): the page's facts, the balance on a
date, the C12-TS statement, contributions and payments, for each role; the list and the page
within a user's scope (an officer's own offices, a liaison's empty list), the list's search
box and its filters by area; where the employer is and has been (office, commune). The
page's insured section: tests/arrears/insured/test_views.py."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from arrears import ledger
from arrears.employers import views
from arrears.models import Balance, Policy
from arrears.selectors import employer_ledger, employer_statement
from participants.models import Commune, Office
from tests.factories import EmployerFactory
from tests.samples import SAMPLE_DAY, SampleProvince

pytestmark = pytest.mark.django_db

URL = reverse("employer_detail", args=["HB00000A"])  # in Lương Sơn, officer_a's office


def test_officer_in_scope_sees_the_figures_on_the_date(
    sample_province: SampleProvince, officer_a, client_as
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    Policy.current()  # the settings row every office's database has
    # As many queries for 16 payments as for 5 (HB00012C, same office): none per row.
    with CaptureQueriesContext(connection) as for_five:
        client.get(reverse("employer_detail", args=["HB00012C"]), {"on": "16/11/2026"})
    with CaptureQueriesContext(connection) as for_sixteen:
        response = client.get(URL, {"on": "16/11/2026"})
    assert len(for_sixteen) == len(for_five)
    assert response.status_code == 200
    statement = response.context["statement"]
    assert statement.on == SAMPLE_DAY
    assert statement.balance == ledger.EmployerBalance(
        on=SAMPLE_DAY,
        arrears=38_720_000,
        months_in_arrears=1,
        oldest_unpaid_period=date(2026, 9, 1),
        interest=4_602_048,
        bucket=ledger.Bucket.UNDER_3,
    )
    # The statement runs from the first period to the month of the date and adds up.
    lines = statement.lines
    assert (lines[0].month, lines[-1].month) == (date(2025, 7, 1), date(2026, 11, 1))
    assert statement.interest == 4_602_048
    assert statement.carried_forward == 38_720_000

    html = response.content.decode()
    assert "Hợp tác xã Ngọc Anh 0" in html
    assert "38.720.000\u00a0₫" in html
    assert "4.602.048\u00a0₫" in html
    assert "09/2026" in html
    assert "Dưới 3 tháng" in html
    assert "16/11/2026" in html
    assert "UNC00000000250915" in html  # a payment's reference
    assert "mẫu C12-TS" in html


def test_default_date_is_today_and_a_bad_date_says_so(
    sample_province: SampleProvince, manager, client_as
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    today = timezone.localdate()
    assert client.get(URL).context["statement"].on == today
    response = client.get(URL, {"on": "31/02/2026"})
    assert response.status_code == 200
    assert response.context["statement"].on == today
    assert "Ngày không hợp lệ" in response.content.decode()


def test_out_of_scope_officer_gets_404(
    sample_province: SampleProvince, officer_b, client_as
) -> None:  # type: ignore[no-untyped-def]
    assert client_as(officer_b).get(URL).status_code == 404


def test_liaison_gets_404(sample_province: SampleProvince, police, client_as) -> None:  # type: ignore[no-untyped-def]
    assert client_as(police).get(URL).status_code == 404


def test_employer_ledger_matches_the_samples(
    sample_province: SampleProvince, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    employer = sample_province.employers["HB00005A"]
    with django_assert_num_queries(2):
        dues, payments = employer_ledger(employer)
    Policy.current()
    with django_assert_num_queries(5):  # and the credit moves, the rates and the policy
        balance = employer_statement(employer, SAMPLE_DAY).balance
    assert len(dues) == 16
    assert [d.period for d in dues] == sorted(d.period for d in dues)
    assert payments == sorted(payments, key=lambda p: p.paid_on)
    want = sample_province.expected["employers"]["HB00005A"]
    assert (balance.arrears, balance.interest) == (want["arrears"], want["interest"])


# --------------------------------------------------------------------------------------------
# The list and the page in the participants' scope


def test_officer_gets_404_for_other_office(client_as, officer_a, employer_a, employer_b):  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    assert client.get(f"/don-vi/{employer_a.unit_code}/").status_code == 200
    assert client.get(f"/don-vi/{employer_b.unit_code}/").status_code == 404


def test_liaison_list_is_empty(client_as, police, employer_a):  # type: ignore[no-untyped-def]
    response = client_as(police).get("/don-vi/")
    assert response.status_code == 200
    assert employer_a.unit_code not in response.content.decode()
    assert client_as(police).get(f"/don-vi/{employer_a.unit_code}/").status_code == 404


def test_list_search_box(client_as, manager, employer_a, employer_b):  # type: ignore[no-untyped-def]
    response = client_as(manager).get("/don-vi/", {"q": "cong ty minh phat"})
    assert list(response.context["page"].object_list) == [employer_a]


# --------------------------------------------------------------------------------------------
# Where an employer is: its managing office, its commune, the former province of its code


@pytest.fixture
def communes(office_a, office_b):  # type: ignore[no-untyped-def]
    """Lâm Sơn (served by office_a) and Mãn Đức (office_b), with their former district and
    province."""
    return {
        name: Commune.objects.create(
            code=code,
            name=name,
            kind=Commune.Kind.COMMUNE,
            office=office,
            former_district=district,
            former_province="Hòa Bình",
        )
        for code, name, office, district in (
            ("04891", "Lâm Sơn", office_a, "Lương Sơn"),
            ("05047", "Mãn Đức", office_b, "Tân Lạc"),
        )
    }


def test_page_shows_the_office_the_commune_and_their_history(
    client_as, manager, employer_a, office_b, communes
) -> None:  # type: ignore[no-untyped-def]
    url = f"/don-vi/{employer_a.unit_code}/"
    assert client_as(manager).get(url).context["area_history"] == []
    # Registered in Lâm Sơn, then moved to Mãn Đức and to office_b's management.
    employer_a.commune = communes["Lâm Sơn"]
    employer_a.save()
    employer_a.commune = communes["Mãn Đức"]
    employer_a.office = office_b
    employer_a.unit_code = "VP0000001"
    employer_a.save()

    response = client_as(manager).get("/don-vi/VP0000001/")
    changes = [(c.what, c.old, c.new) for c in response.context["area_history"]]
    assert changes == [
        ("BHXH quản lý", "Lương Sơn", "Tân Lạc"),
        ("Xã/phường", "Xã Lâm Sơn", "Xã Mãn Đức"),
        ("Xã/phường", "–", "Xã Lâm Sơn"),
    ]
    html = response.content.decode()
    assert '<dd class="col-sm-9">Tân Lạc</dd>' in html
    assert "Xã Mãn Đức" in html and "trước 01/07/2025: Tân Lạc, Hòa Bình" in html
    assert "Vĩnh Phúc" in html  # the former province of its code
    assert "<td>Xã Lâm Sơn</td><td>Xã Mãn Đức</td>" in html
    assert "<td>Lương Sơn</td><td>Tân Lạc</td>" in html


def test_page_of_an_employer_the_province_manages(client_as, manager, employer_a) -> None:  # type: ignore[no-untyped-def]
    employer_a.office = Office.objects.get(kind=Office.Kind.PROVINCE)
    employer_a.save()
    html = client_as(manager).get(f"/don-vi/{employer_a.unit_code}/").content.decode()
    assert "BHXH tỉnh quản lý trực tiếp" in html


def test_list_filters_by_office_commune_and_former_province(
    client_as, manager, officer_a, employer_a, employer_b, communes
) -> None:  # type: ignore[no-untyped-def]
    employer_a.commune = communes["Lâm Sơn"]
    employer_a.unit_code = "VP0000001"
    employer_a.save()
    employer_b.unit_code = "PT0000002"
    employer_b.save()
    client = client_as(manager)

    def listed(**query: object) -> list[str]:
        page = client.get("/don-vi/", query).context["page"]
        return [e.unit_code for e in page.object_list]

    assert sorted(listed()) == ["PT0000002", "VP0000001"]
    assert listed(office=employer_b.office_id) == ["PT0000002"]
    assert listed(commune=communes["Lâm Sơn"].pk) == ["VP0000001"]
    assert listed(former_province="VP") == ["VP0000001"]
    assert listed(former_province="PT") == ["PT0000002"]
    assert listed(sort="commune") == ["VP0000001", "PT0000002"]  # no commune last
    response = client.get("/don-vi/")
    html = response.content.decode()
    assert '<td class="d-none d-xl-table-cell">Xã Lâm Sơn</td>' in html
    form = response.context["filter"].form
    assert list(form.fields["commune"].queryset) == [communes["Lâm Sơn"]]  # no one in Mãn Đức
    assert [c for c, _n in form.fields["former_province"].choices] == ["", "VP", "PT"]
    # An officer is offered only their own employers' communes and former provinces.
    form = client_as(officer_a).get("/don-vi/").context["filter"].form
    assert list(form.fields["commune"].queryset) == [communes["Lâm Sơn"]]
    assert [c for c, _n in form.fields["former_province"].choices] == ["", "VP"]


def test_list_by_arrears_puts_employers_without_a_balance_row_last_on_every_page(
    client_as, manager, office_a, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    # Balance rows for five (two of them tied), none yet for three imported since: the
    # order of arrears DESC NULLS LAST, unit code, across the pages' boundaries.
    owed = {"E1": 500, "E2": 900, "E3": 500, "E4": 0, "E5": 700}
    for code in [*owed, "N3", "N1", "N2"]:
        employer = EmployerFactory(office=office_a, unit_code=code)
        if code in owed:
            Balance.objects.create(
                employer=employer, as_of=SAMPLE_DAY, arrears=owed[code], refreshed_at=timezone.now()
            )
    client = client_as(manager)
    expected = ["E2", "E5", "E1", "E3", "E4", "N1", "N2", "N3"]
    for per_page in (3, 5, 50):
        monkeypatch.setattr(views, "EMPLOYERS_PER_PAGE", per_page)
        listed = []
        for number in range(1, 4):
            page = client.get("/don-vi/", {"sort": "arrears", "page": number}).context["page"]
            listed += [e.unit_code for e in page.object_list] if page.number == number else []
        assert listed == expected
        assert page.paginator.count == 8
