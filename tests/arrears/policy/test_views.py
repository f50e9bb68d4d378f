"""The office's settings page (arrears/policy/views.py): every Policy field, in groups; the
changes checked, saved with who made them, shown in the history; and what the next weekly
run does follows them."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from arrears.jobs.runs import run_weekly
from arrears.models import Policy
from arrears.policy.forms import OTHER, PolicyForm
from arrears.templatetags.cases import person
from tests.arrears.jobs.conftest import MONDAY, late

pytestmark = pytest.mark.django_db


def _data(**changes: object) -> dict[str, object]:
    """The form as the page posts it: every current value, some changed."""
    form = PolicyForm(instance=Policy.current())
    data = {name: form[name].value() for name in form.fields}
    return {**data, **changes}


def test_every_policy_field_is_on_the_page_once_in_a_group(client_as, manager):  # type: ignore[no-untyped-def]
    response = client_as(manager).get(reverse("policy_settings"))
    groups = list(response.context["form"].groups())
    shown = [field.name for _title, fields in groups for field in fields]
    editable = [f.name for f in Policy._meta.concrete_fields if f.editable and not f.primary_key]
    assert sorted(shown) == sorted(editable)
    by_group = {title: [f.name for f in fields] for title, fields in groups}
    assert by_group["Hạn trả lời của cơ quan phối hợp"][0] == "answer_days_police"
    assert "criminal_arrears" in by_group["Truy cứu trách nhiệm hình sự (Bộ luật Hình sự Điều 216)"]
    assert "fine_cap" in by_group["Xử phạt vi phạm hành chính (Nghị định 12/2022)"]
    assert "invitation_months" in by_group["Thông báo, mời làm việc và hồ sơ tự động"]
    sessions = "Buổi làm việc: đơn vị được mời, được nhắc và đề xuất chuyển bước"
    assert {"invite_skip_hold", "notice_skip_hold", "sessions_missed_limit"} <= set(
        by_group[sessions]
    )
    assert by_group["Phân công hồ sơ cho cán bộ"] == [
        "workload_measure",
        "workload_share_above_mean",
    ]
    assert by_group["Tiền lãi chậm đóng"] == ["interest_split"]
    assert str(OTHER) not in by_group  # every field today has its group
    html = response.content.decode()
    for name in editable:
        assert f'name="{name}"' in html


def test_only_managers_open_it(client_as, officer_a, head_a, police):  # type: ignore[no-untyped-def]
    for user in (officer_a, head_a, police):
        assert client_as(user).get(reverse("policy_settings")).status_code == 404
        assert client_as(user).post(reverse("policy_settings"), _data()).status_code == 404


def test_a_change_is_saved_and_kept_in_the_history(client_as, manager):  # type: ignore[no-untyped-def]
    manager.first_name, manager.last_name = "Hà", "Nguyễn Thu"
    manager.save()
    client = client_as(manager)
    response = client.post(
        reverse("policy_settings"),
        _data(invitation_months=4, answer_days_police=25),
        follow=True,
    )
    assert "Đã lưu ngưỡng và tham số." in [str(m) for m in response.context["messages"]]
    policy = Policy.current()
    assert (policy.invitation_months, policy.answer_days_police) == (4, 25)
    history = response.context["history"]
    latest = history[0]
    assert latest.who == person(manager)
    assert {(c.field, c.old, c.new) for c in latest.changes} == {
        ("mời làm việc khi nợ từ (tháng)", "3", "4"),
        ("hạn trả lời: công an (ngày làm việc)", "20", "25"),
    }
    assert "hạn trả lời: công an (ngày làm việc)" in response.content.decode().lower()


def test_bad_values_are_refused_by_field_and_nothing_is_saved(client_as, manager):  # type: ignore[no-untyped-def]
    client = client_as(manager)
    response = client.post(
        reverse("policy_settings"),
        _data(
            fine_late_min_pct="16",
            fine_none_paid_max_pct="150",
            monthly_request_day=11,
            invitation_months="ba",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"fine_late_min_pct", "fine_none_paid_max_pct", "invitation_months"}
    assert "không được lớn hơn" in errors["fine_late_min_pct"][0]
    assert "Chưa lưu" in response.content.decode()
    policy = Policy.current()
    assert (policy.fine_late_min_pct, policy.invitation_months) == (12, 3)
    response = client.post(reverse("policy_settings"), _data(monthly_request_day=11))
    assert response.context["form"].errors  # the first ten days only (the table's constraint)
    assert Policy.current().monthly_request_day == 5


def test_the_next_weekly_run_follows_the_page(client_as, manager, employer_a, employer_b):  # type: ignore[no-untyped-def]
    """3,000,000 đ and three months in arrears each: the page raises the notice tolerance
    above it, and the next run sends no notice; lowered again, the following run does. The
    invitation threshold works the same way."""
    late(employer_a, 7, 8, 9)
    late(employer_b, 7, 8, 9)
    client = client_as(manager)
    client.post(reverse("policy_settings"), _data(notice_tolerance=5_000_000))
    summary = run_weekly(MONDAY)
    assert (summary["reminders"], summary["invitations"]) == (0, 0)
    client.post(reverse("policy_settings"), _data(notice_tolerance=0, invitation_months=6))
    summary = run_weekly(date(2026, 11, 23))
    assert (summary["reminders"], summary["invitations"]) == (2, 0)
    client.post(reverse("policy_settings"), _data(invitation_months=3))
    summary = run_weekly(date(2026, 11, 30))
    assert (summary["reminders"], summary["invitations"]) == (2, 2)
