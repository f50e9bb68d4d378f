"""The liaison's inbox (arrears/partners/views.py) and where overdue referrals show: the
case page, the case list's filter and badge, the dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears.cases import services as cases
from arrears.models import Referral, ReferralNotice, ReferralPurpose
from tests.factories import agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(case_a, officer_a, federation, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    referral = cases.create_referral(
        case=case_a, agency=agency("labour_federation"), purpose=ReferralPurpose.SUE, by=officer_a
    )
    with django_capture_on_commit_callbacks(execute=True):
        return cases.send_referral(referral=referral, by=officer_a, reference="5/BHXH-LĐLĐ")


def test_the_inbox_lists_the_new_referral_unread_and_counts_it(client_as, sent, federation):  # type: ignore[no-untyped-def]
    client = client_as(federation)
    page = client.get(reverse("inbox"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="inbox-count">1<' in html
    assert sent.case.employer.name in html and "5/BHXH-LĐLĐ" in html
    notice = ReferralNotice.objects.get(recipient=federation)
    # Opening it marks it read and leads to the referral on its case.
    response = client.post(reverse("inbox_open", args=[notice.pk]))
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[sent.case_id]) + f"#referral-{sent.pk}"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'id="inbox-count"' not in client.get(reverse("inbox")).content.decode()


def test_the_inbox_is_the_liaisons_own(client_as, sent, police, officer_a, manager):  # type: ignore[no-untyped-def]
    notice = ReferralNotice.objects.get()
    # Another organisation's liaison: an empty inbox, and 404 on the notice.
    assert list(client_as(police).get(reverse("inbox")).context["page"].object_list) == []
    assert client_as(police).post(reverse("inbox_open", args=[notice.pk])).status_code == 404
    # The office's staff have no inbox.
    for user in (officer_a, manager):
        assert client_as(user).get(reverse("inbox")).status_code == 404


def test_overdue_shows_on_case_list_and_dashboard(client_as, sent, officer_a, manager, federation):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    case = sent.case
    assert (
        not client_as(manager)
        .get(reverse("case_detail", args=[case.pk]))
        .context["referrals"][0]
        .overdue
    )
    Referral.objects.filter(pk=sent.pk).update(answer_due_on=today - timedelta(days=1))
    for user in (officer_a, manager, federation):
        client = client_as(user)
        detail = client.get(reverse("case_detail", args=[case.pk]))
        assert detail.context["referrals"][0].overdue, user
        assert "Quá hạn trả lời" in detail.content.decode()
        listed = client.get(reverse("case_list"), {"referral_overdue": "on"})
        assert [c.pk for c in listed.context["page"].object_list] == [case.pk], user
        assert listed.context["overdue"] == {case.pk}
    dashboard = client_as(manager).get(reverse("dashboard"))
    assert dashboard.context["referrals_overdue"] == 1
    assert 'id="referrals-overdue"' in dashboard.content.decode()
    # Answered: no longer overdue anywhere.
    cases.answer_referral(referral=sent, by=federation, status="acknowledged", response="Đã nhận")
    listed = client_as(manager).get(reverse("case_list"), {"referral_overdue": "on"})
    assert list(listed.context["page"].object_list) == []
    assert client_as(manager).get(reverse("dashboard")).context["referrals_overdue"] == 0
