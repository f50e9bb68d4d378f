"""The employer page's interest figures and the form moving credit to interest."""

from __future__ import annotations

import pytest
from django.urls import reverse

from arrears.models import CreditMove

pytestmark = pytest.mark.django_db


def _move(client, **data: str):  # type: ignore[no-untyped-def]
    url = reverse("employer_credit_to_interest", args=["TN0001"])
    return client.post(url, {"moved_on": "01/10/2025", "amount": "3000", "note": "", **data})


def test_the_page_shows_interest_charged_paid_and_outstanding(
    paid_ahead, officer_a, client_as
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    page = client.get(reverse("employer_detail", args=["TN0001"]), {"on": "01/10/2025"})
    statement = page.context["statement"]
    assert (statement.interest_owed.outstanding, statement.credit) == (3_000, 100_000)
    body = page.content.decode()
    assert "Tiền lãi còn nợ" in body and "Chuyển số nộp thừa sang tiền lãi" in body

    response = _move(client)
    assert response.status_code == 302
    assert CreditMove.objects.get().amount == 3_000
    page = client.get(reverse("employer_detail", args=["TN0001"]), {"on": "01/10/2025"})
    owed = page.context["statement"].interest_owed
    assert (owed.charged, owed.paid, owed.outstanding) == (3_000, 3_000, 0)
    assert "Đã chuyển 3.000" in page.content.decode()


def test_a_bad_move_is_refused_with_a_message(paid_ahead, officer_a, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    response = _move(client, amount="200000", moved_on="01/10/2025")
    page = client.get(response["Location"]).content.decode()
    assert "chỉ còn 100.000" in page
    response = _move(client, amount="abc")
    assert "Số tiền (đồng)" in client.get(response["Location"]).content.decode()
    assert not CreditMove.objects.exists()


def test_out_of_scope_is_404(paid_ahead, officer_b, client_as) -> None:  # type: ignore[no-untyped-def]
    assert _move(client_as(officer_b)).status_code == 404
    assert not CreditMove.objects.exists()
