"""Pages of the scheduled work (arrears/jobs/views.py), for each role: the runs' history and a
manager's run, the letters for the post by office, holds, and the hold shown on employers."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from arrears.jobs.runs import run_quarterly, run_weekly
from arrears.models import Hold, JobRun, Reminder
from tests.factories import ContributionFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)


@pytest.fixture
def week(employer_a, employer_b):  # type: ignore[no-untyped-def]
    """Both employers one month late (September), neither with an address: two letters."""
    for employer in (employer_a, employer_b):
        ContributionFactory(employer=employer, period=date(2026, 9, 1))
    run_weekly(MONDAY)
    return "2026-W47"


def test_history_for_staff_only(client_as, week, officer_a, manager, police):  # type: ignore[no-untyped-def]
    page = client_as(manager).get("/viec-dinh-ky/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2026-W47" in html
    assert "Thông báo đôn đốc: <strong>2</strong>" in html
    assert 'action="/viec-dinh-ky/chay/"' in html
    assert "2 thư giấy để gửi bưu điện" in html
    page = client_as(officer_a).get("/viec-dinh-ky/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'action="/viec-dinh-ky/chay/"' not in html  # read-only
    assert "1 thư giấy để gửi bưu điện" in html  # their office's only
    assert client_as(police).get("/viec-dinh-ky/").status_code == 404


def test_manager_starts_a_run_after_commit(  # type: ignore[no-untyped-def]
    client_as, employer_a, manager, officer_a, django_capture_on_commit_callbacks
):
    ContributionFactory(employer=employer_a, period=date(2026, 9, 1))
    # First the dry run's counts, nothing queued; then, confirmed, the run.
    with django_capture_on_commit_callbacks(execute=True) as queued:
        preview = client_as(manager).post(
            "/viec-dinh-ky/chay/", {"job": "weekly", "on": "18/11/2026"}
        )
    assert not queued and not JobRun.objects.exists()
    assert dict(preview.context["counts"])["Thông báo đôn đốc"] == 1
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client_as(manager).post(
            "/viec-dinh-ky/chay/",
            {"job": "weekly", "on": "18/11/2026", "confirm": "1"},
            follow=True,
        )
    assert len(queued) == 2  # the run, then (from within it) the letter for the post
    assert "Đã đưa vào hàng đợi: Việc hằng tuần cho ngày 18/11/2026." in response.content.decode()
    run = JobRun.objects.get()
    assert (run.cycle, run.run_on, run.triggered_by, run.outcome) == (
        "2026-W47",
        date(2026, 11, 18),
        manager,
        "succeeded",
    )
    assert run.counts["reminders"] == 1

    response = client_as(manager).post("/viec-dinh-ky/chay/", {"job": "weekly", "on": "31/02/2026"})
    assert response.status_code == 302
    assert JobRun.objects.count() == 1
    assert client_as(officer_a).post("/viec-dinh-ky/chay/", {"job": "weekly"}).status_code == 404


def test_post_letters_by_office(client_as, week, employer_a, officer_a, officer_b, manager, police):  # type: ignore[no-untyped-def]
    url = f"/viec-dinh-ky/thu-giay/{week}/{employer_a.office_id}.pdf"
    response = client_as(officer_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(BytesIO(response.content)).pages[0].extract_text().split())
    assert f"mã đơn vị {employer_a.unit_code}" in text
    assert client_as(manager).get(url).status_code == 200
    assert client_as(officer_b).get(url).status_code == 404
    assert client_as(police).get(url).status_code == 404
    # Offices listed: the user's own.
    listing = client_as(officer_b).get(f"/viec-dinh-ky/thu-giay/{week}/").content.decode()
    assert "Tân Lạc" in listing
    assert "Lương Sơn" not in listing
    listing = client_as(manager).get(f"/viec-dinh-ky/thu-giay/{week}/").content.decode()
    assert "Tân Lạc" in listing and "Lương Sơn" in listing
    assert client_as(manager).get("/viec-dinh-ky/thu-giay/tuan-47/").status_code == 404
    # No letters that week: nothing to download.
    assert client_as(manager).get(url.replace(week, "2026-W40")).status_code == 404


def test_holds_page_for_managers(client_as, employer_a, officer_a, manager, police):  # type: ignore[no-untyped-def]
    for user in (officer_a, police):
        assert client_as(user).get("/viec-dinh-ky/tam-dung/").status_code == 404
    assert client_as(manager).get("/viec-dinh-ky/tam-dung/").status_code == 200
    response = client_as(manager).post(
        "/viec-dinh-ky/tam-dung/",
        {
            "employer": employer_a.unit_code,
            "reason": "Đơn vị công chờ cấp kinh phí",
            "starts_on": "16/11/2026",
            "ends_on": "31/12/2026",
        },
        follow=True,
    )
    assert "cần duyệt để có hiệu lực" in response.content.decode()
    hold = Hold.objects.get()
    assert (hold.employer, hold.requested_by, hold.approved_by) == (employer_a, manager, None)
    assert client_as(officer_a).post(f"/viec-dinh-ky/tam-dung/{hold.pk}/duyet/").status_code == 404
    client_as(manager).post(f"/viec-dinh-ky/tam-dung/{hold.pk}/duyet/")
    hold.refresh_from_db()
    assert hold.approved_by == manager
    # A bad form says why.
    response = client_as(manager).post(
        "/viec-dinh-ky/tam-dung/",
        {"employer": "KHONGCO", "reason": "x", "starts_on": "16/11/2026", "ends_on": "1/11/2026"},
    )
    assert "Không có đơn vị mã KHONGCO." in response.content.decode()
    assert Hold.objects.count() == 1


def test_holds_page_for_a_head_of_office(  # type: ignore[no-untyped-def]
    client_as, employer_a, employer_b, head_a, manager
):
    """A head puts their office's employers on hold and approves it; another office's
    employer is not theirs to name, nor its hold theirs to see or approve."""
    theirs = Hold.objects.create(
        employer=employer_b,
        reason="Tranh chấp",
        starts_on=MONDAY,
        ends_on=MONDAY,
        requested_by=manager,
    )
    client = client_as(head_a)
    form = {"reason": "Chờ kinh phí", "starts_on": "16/11/2026", "ends_on": "31/12/2026"}
    refused = client.post("/viec-dinh-ky/tam-dung/", {**form, "employer": employer_b.unit_code})
    assert f"Không có đơn vị mã {employer_b.unit_code}." in refused.content.decode()
    client.post("/viec-dinh-ky/tam-dung/", {**form, "employer": employer_a.unit_code})
    mine = Hold.objects.get(employer=employer_a)
    page = client.get("/viec-dinh-ky/tam-dung/").content.decode()
    assert employer_a.unit_code in page and employer_b.unit_code not in page
    assert client.post(f"/viec-dinh-ky/tam-dung/{theirs.pk}/duyet/").status_code == 404
    client.post(f"/viec-dinh-ky/tam-dung/{mine.pk}/duyet/")
    mine.refresh_from_db()
    assert mine.approved_by == head_a


def test_hold_shows_on_the_employer_and_in_lists(
    client_as, employer_a, employer_b, officer_a, manager
):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    Hold.objects.create(
        employer=employer_a,
        reason="Tranh chấp số lao động",
        starts_on=today,
        ends_on=date(today.year + 1, 1, 31),
        requested_by=manager,
        approved_by=manager,
    )
    page = client_as(officer_a).get(f"/don-vi/{employer_a.unit_code}/").content.decode()
    assert "Đơn vị đang tạm dừng thông báo tự động đến ngày 31/01/" in page
    assert "Tranh chấp số lao động" in page
    listing = client_as(manager).get("/don-vi/").content.decode()
    row_a = listing.split(employer_a.name)[1].split("</td>")[0]
    row_b = listing.split(employer_b.name)[1].split("</td>")[0]
    assert "Tạm dừng thông báo" in row_a
    assert "Tạm dừng thông báo" not in row_b
    page = client_as(manager).get(f"/don-vi/{employer_b.unit_code}/").content.decode()
    assert "tạm dừng thông báo tự động" not in page


def test_quarterly_list_download(client_as, employer_a, officer_a, manager):  # type: ignore[no-untyped-def]
    ContributionFactory(employer=employer_a, period=date(2026, 8, 1))
    run_quarterly(date(2026, 10, 5))
    run = JobRun.objects.get()
    assert (
        f"/viec-dinh-ky/{run.pk}/tep/" in client_as(manager).get("/viec-dinh-ky/").content.decode()
    )
    response = client_as(manager).get(f"/viec-dinh-ky/{run.pk}/tep/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="danh-sach-cham-dong-tron-dong-2026-10-05.xlsx"'
    )
    assert client_as(officer_a).get(f"/viec-dinh-ky/{run.pk}/tep/").status_code == 404
    assert Reminder.objects.count() == 0  # the list sends no notice
