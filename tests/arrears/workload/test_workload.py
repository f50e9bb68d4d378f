"""Who works the cases (arrears/workload): the spread of automatic cases by workload,
reassignment and hand-over with their history, and the bulk actions (scoped, confirmed,
audited)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse
from pghistory.models import Events

from accounts.models import Agency
from arrears import tasks
from arrears.balances import balances_as_of, refresh_balances
from arrears.cases import services as cases
from arrears.cases.errors import CaseError
from arrears.jobs.weekly import open_cases
from arrears.models import (
    CaseEvent,
    EventKind,
    HandOver,
    Policy,
    RecoveryCase,
    Stage,
    StageRequest,
)
from arrears.workload import services
from audit.models import AuditEntry
from tests.arrears.jobs.conftest import late
from tests.factories import CommuneFactory, EmployerFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 16)


def _debtors(office, n, **kwargs):  # type: ignore[no-untyped-def]
    return [late(EmployerFactory(office=office, **kwargs), 1, 2, 3, 4) for _ in range(n)]


def _policy(**fields) -> Policy:  # type: ignore[no-untyped-def]
    policy = Policy.current()
    for name, value in fields.items():
        setattr(policy, name, value)
    policy.save()
    return policy


def test_automatic_cases_spread_within_the_share_above_the_mean(office_a, officer_a):  # type: ignore[no-untyped-def]
    others = [UserFactory(username=f"spread_{i}", offices=[office_a]) for i in range(2)]
    debtors = _debtors(office_a, 30)
    # Every debtor's previous case was officer_a's: continuity pulls towards them, the share
    # above the mean (20 %) holds them back.
    for employer in debtors:
        case = cases.open_case(employer=employer, by=officer_a, on=date(2026, 1, 5))
        RecoveryCase.objects.filter(pk=case.pk).update(
            stage=Stage.CLOSED, closed_on=date(2026, 1, 6)
        )
    policy = _policy(workload_share_above_mean=20)
    opened, failed = open_cases(targets=balances_as_of(DAY), on=DAY, policy=policy)
    assert (opened, failed) == (30, 0)
    loads = Counter(RecoveryCase.objects.open().values_list("officer__username", flat=True))
    assert sum(loads.values()) == 30 and set(loads) == {"officer_a", *(o.username for o in others)}
    assert max(loads.values()) <= 1.2 * 30 / 3
    assert loads["officer_a"] == 12  # kept as many as the share allows


def test_spread_by_arrears_gives_a_backlog_nothing(office_a, officer_a):  # type: ignore[no-untyped-def]
    other = UserFactory(username="light", offices=[office_a])
    backlog = _debtors(office_a, 3)
    for employer in backlog:
        cases.open_case(employer=employer, by=officer_a, officer=officer_a, on=DAY)
    _debtors(office_a, 2)
    refresh_balances(DAY)  # the nightly figures the arrears workload reads
    policy = _policy(workload_measure="arrears")
    open_cases(targets=balances_as_of(DAY), on=DAY, policy=policy)
    new = RecoveryCase.objects.exclude(employer__in=backlog)
    assert set(new.values_list("officer", flat=True)) == {other.pk}


def test_narrowed_officer_and_absent_officer_get_only_what_they_may(office_a, officer_a):  # type: ignore[no-untyped-def]
    commune = CommuneFactory(office=office_a)
    narrowed = UserFactory(username="narrow", offices=[office_a], communes=[commune])
    away = UserFactory(username="away", offices=[office_a])
    HandOver.objects.create(
        absent=away, substitute=officer_a, starts_on=DAY, ends_on=DAY, reason="Nghỉ phép"
    )
    _debtors(office_a, 4)  # in no commune: not the narrowed officer's
    open_cases(targets=balances_as_of(DAY), on=DAY, policy=Policy.current())
    officers = set(RecoveryCase.objects.values_list("officer__username", flat=True))
    assert officers == {"officer_a"}
    assert narrowed.cases.count() == 0 and away.cases.count() == 0


def test_reassign_with_reason_in_timeline_history_and_audit(office_a, officer_a, head_a, head_b):  # type: ignore[no-untyped-def]
    other = UserFactory(username="other", offices=[office_a])
    case = cases.open_case(employer=_debtors(office_a, 1)[0], by=officer_a, on=DAY)
    with pytest.raises(CaseError):
        services.assign(case=case, officer=other, by=head_b, reason="Không phải đơn vị mình")
    with pytest.raises(CaseError):
        services.assign(case=case, officer=other, by=head_a, reason=" ")
    services.assign(case=case, officer=other, by=head_a, reason="Cân đối việc")
    case.refresh_from_db()
    assert case.officer == other
    event = case.events.get(kind=EventKind.ASSIGNMENT)
    assert event.author == head_a and "Cân đối việc" in event.text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CASE_ASSIGNED)
    assert entry.user == head_a and entry.target_id == str(case.pk)
    assert (
        case.events.model.pgh_event_model if hasattr(case.events.model, "pgh_event_model") else True
    )

    changes = [e.pgh_diff for e in Events.objects.tracks(case) if e.pgh_diff]
    assert {"officer_id": [officer_a.pk, other.pk]} in changes


def test_hand_over_moves_then_returns_the_cases(office_a, officer_a, head_a):  # type: ignore[no-untyped-def]
    substitute = UserFactory(username="substitute", offices=[office_a])
    mine = [cases.open_case(employer=e, by=officer_a, on=DAY) for e in _debtors(office_a, 3)]
    handover = services.hand_over(
        absent=officer_a,
        substitute=substitute,
        starts_on=DAY + timedelta(days=1),
        ends_on=DAY + timedelta(days=5),
        reason="Đi học",
        by=head_a,
        today=DAY,
    )
    assert handover.started_at is None
    assert services.apply_hand_overs(DAY) == {"handed_over": 0, "returned": 0}
    assert services.apply_hand_overs(DAY + timedelta(days=1)) == {"handed_over": 3, "returned": 0}
    assert set(substitute.cases.values_list("pk", flat=True)) == {c.pk for c in mine}
    # One case is given to someone else meanwhile: it stays there.
    third = UserFactory(username="third", offices=[office_a])
    services.assign(case=mine[0], officer=third, by=head_a, reason="Chuyên trách")
    assert services.apply_hand_overs(DAY + timedelta(days=5)) == {"handed_over": 0, "returned": 0}
    # The daily beat task gives them back the day after the absence.
    day_after = (DAY + timedelta(days=6)).isoformat()
    assert tasks.hand_overs_task.delay(on=day_after).get() == {"handed_over": 0, "returned": 2}
    assert services.apply_hand_overs(DAY + timedelta(days=7)) == {"handed_over": 0, "returned": 0}
    assert set(officer_a.cases.values_list("pk", flat=True)) == {mine[1].pk, mine[2].pk}
    texts = list(mine[1].events.filter(kind=EventKind.ASSIGNMENT).values_list("text", flat=True))
    assert len(texts) == 2 and any("Đi học" in t for t in texts)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.HAND_OVER).count() == 1 + 3 + 2


def test_bulk_assign_confirms_then_acts_on_scope_only(  # type: ignore[no-untyped-def]
    client, office_a, office_b, officer_a, head_a
):
    other = UserFactory(username="other", offices=[office_a])
    mine = [cases.open_case(employer=e, by=officer_a, on=DAY) for e in _debtors(office_a, 10)]
    foreign = cases.open_case(employer=_debtors(office_b, 1)[0], by=None, on=DAY)
    client.force_login(head_a)
    ids = [str(c.pk) for c in mine] + [str(foreign.pk), "x"]
    data = {"ids": ids, "action": "assign", "officer": other.pk, "note": "Cân đối", "step": "1"}
    page = client.post(reverse("bulk_action", args=["cases"]), data)
    assert page.status_code == 200
    plan = page.context["plan"]
    assert len(plan.act) == 10 and plan.unknown == 1
    assert not other.cases.exists()  # the confirmation page changes nothing
    done = client.post(reverse("bulk_action", args=["cases"]), {**data, "confirm": "1"})
    assert done.status_code == 302
    assert other.cases.count() == 10
    assert RecoveryCase.objects.get(pk=foreign.pk).officer is None
    assert AuditEntry.objects.filter(action="case_assigned", user=head_a).count() == 10
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNMENT, author=head_a).count() == 10


def test_bulk_assign_is_not_an_officers(client, office_a, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=_debtors(office_a, 1)[0], by=officer_a, on=DAY)
    client.force_login(officer_a)
    data = {"ids": [case.pk], "action": "assign", "officer": officer_a.pk, "note": "x"}
    page = client.post(reverse("bulk_action", args=["cases"]), {**data, "confirm": "1"})
    assert page.status_code == 200 and page.context["plan"] is None
    assert not AuditEntry.objects.filter(action="case_assigned").exists()


def test_bulk_move_queues_what_needs_approval(client, office_a, officer_a, head_a):  # type: ignore[no-untyped-def]
    employers = _debtors(office_a, 2)
    up = cases.open_case(employer=employers[0], by=officer_a, on=DAY)
    ahead = cases.open_case(employer=employers[1], by=officer_a, on=DAY)
    cases.move_stage(case=ahead, to=Stage.INSPECTION, by=officer_a, note="Thanh tra")
    client.force_login(officer_a)
    data = {"ids": [up.pk, ahead.pk], "action": "move", "stage": Stage.SUMMONED, "note": "Mời"}
    client.post(reverse("bulk_action", args=["cases"]), {**data, "confirm": "1"})
    assert RecoveryCase.objects.get(pk=up.pk).stage == Stage.SUMMONED
    assert RecoveryCase.objects.get(pk=ahead.pk).stage == Stage.INSPECTION  # back: waits
    waiting = StageRequest.objects.get(case=ahead)
    assert waiting.decision == "pending" and waiting.requested_by == officer_a
    client.force_login(head_a)
    client.post(reverse("stage_request_decide", args=[waiting.pk]), {"accept": "1"})
    assert RecoveryCase.objects.get(pk=ahead.pk).stage == Stage.SUMMONED
    assert AuditEntry.objects.filter(action="stage_move", user=head_a).count() == 1


def test_bulk_open_from_the_employer_list_spreads(  # type: ignore[no-untyped-def]
    client, office_a, office_b, officer_a, head_a, manager
):
    UserFactory(username="second", offices=[office_a])
    employers = _debtors(office_a, 4)
    foreign = _debtors(office_b, 1)[0]
    # A head's selection with another office's employer: counted out of scope, never opened.
    client.force_login(head_a)
    data = {"ids": [employers[0].pk, foreign.pk], "action": "open", "step": "1"}
    plan = client.post(reverse("bulk_action", args=["employers"]), data).context["plan"]
    assert (plan.act, plan.unknown) == ([employers[0]], 1)
    client.post(reverse("bulk_action", args=["employers"]), {**data, "confirm": "1"})
    assert list(RecoveryCase.objects.values_list("employer", flat=True)) == [employers[0].pk]
    RecoveryCase.objects.all().delete()
    client.force_login(manager)
    data = {"ids": [e.pk for e in employers], "action": "open", "confirm": "1"}
    client.post(reverse("bulk_action", args=["employers"]), data)
    loads = Counter(RecoveryCase.objects.open().values_list("officer__username", flat=True))
    assert loads == {"officer_a": 2, "second": 2}
    assert AuditEntry.objects.filter(action="bulk_action", user=manager).count() == 4


def test_bulk_print_is_one_pdf_with_history(client, office_a, officer_a):  # type: ignore[no-untyped-def]
    opened = [cases.open_case(employer=e, by=officer_a, on=DAY) for e in _debtors(office_a, 2)]
    client.force_login(officer_a)
    data = {"ids": [c.pk for c in opened], "action": "print", "kind": "reminder_notice"}
    answer = client.post(reverse("bulk_action", args=["cases"]), {**data, "confirm": "1"})
    assert answer["Content-Type"] == "application/pdf" and answer.content.startswith(b"%PDF")
    assert CaseEvent.objects.filter(text__contains="in hàng loạt", author=officer_a).count() == 2
    assert AuditEntry.objects.filter(action="bulk_action", user=officer_a).count() == 1


def test_manager_opening_a_case_names_an_officer_of_the_office(  # type: ignore[no-untyped-def]
    client, office_a, office_b, officer_a, officer_b, manager
):
    employer = _debtors(office_a, 1)[0]
    client.force_login(manager)
    assert client.post(reverse("case_open", args=[employer.unit_code])).status_code == 302
    assert not RecoveryCase.objects.exists()
    url = reverse("case_open_for", args=[employer.unit_code])
    page = client.get(url)
    assert list(page.context["form"].fields["officer"].queryset) == [officer_a]
    refused = client.post(url, {"officer": officer_b.pk})
    assert refused.status_code == 200 and not RecoveryCase.objects.exists()
    client.post(url, {"officer": officer_a.pk})
    assert RecoveryCase.objects.get().officer == officer_a


def test_a_case_opened_without_an_officer_gets_one_by_workload(office_a, officer_a, manager):  # type: ignore[no-untyped-def]
    busy = UserFactory(username="busy", offices=[office_a])
    for employer in _debtors(office_a, 2):
        cases.open_case(employer=employer, by=busy, on=DAY)
    imported = cases.record_imported_referral(
        employer=_debtors(office_a, 1)[0],
        agency=Agency.objects.get(code="police"),
        purpose="investigate",
        reference="7/BHXH-CA",
        sent_on=DAY,
    )
    assert imported.case.officer == officer_a  # the lighter of the office's two
    by_manager = cases.open_case(employer=_debtors(office_a, 1)[0], by=manager, on=DAY)
    assert by_manager.officer == officer_a


def test_no_hand_over_to_an_officer_of_other_offices(officer_a, officer_b, manager):  # type: ignore[no-untyped-def]
    with pytest.raises(CaseError, match="không phụ trách BHXH cơ sở nào của"):
        services.hand_over(
            absent=officer_a,
            substitute=officer_b,
            starts_on=DAY,
            ends_on=DAY + timedelta(days=5),
            reason="Nghỉ phép",
            by=manager,
            today=DAY,
        )
    assert not HandOver.objects.exists()
