"""The case pages (arrears/cases/views.py) per role: the list and its filters, the board,
"this week", and a case's page with what it offers, in a fixed number of queries; and the
demo's cases at every stage."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, User
from arrears.cases import services as cases
from arrears.cases.attachments import add_attachment
from arrears.cases.dossier import POLICE_DOSSIER, dossier_missing
from arrears.models import (
    Attachment,
    CaseEvent,
    Commitment,
    CommitmentKind,
    EventKind,
    RecoveryCase,
    Referral,
    ReferralPurpose,
    ReferralStatus,
    Stage,
)
from tests.arrears.cases.helpers import DAY, PDF, detail, send
from tests.factories import CommuneFactory, PaymentFactory, UserFactory, agency

pytestmark = pytest.mark.django_db


def test_list_per_role(
    client_as, case_a, case_b, officer_a, officer_b, manager, police, federation
):  # type: ignore[no-untyped-def]
    url = reverse("case_list")

    def listed(user):  # type: ignore[no-untyped-def]
        return {c.pk for c in client_as(user).get(url).context["page"].object_list}

    assert listed(officer_a) == {case_a.pk}
    assert listed(officer_b) == {case_b.pk}
    assert listed(manager) == {case_a.pk, case_b.pk}
    assert listed(police) == set()
    send(case_a, "police", "1/BHXH-CA", officer_a)
    assert listed(police) == {case_a.pk}
    assert listed(federation) == set()


def test_detail_per_role(
    client_as, case_a, case_b, officer_a, officer_b, manager, police, federation
):  # type: ignore[no-untyped-def]
    assert client_as(officer_a).get(detail(case_a)).status_code == 200
    assert client_as(officer_b).get(detail(case_a)).status_code == 404
    assert client_as(manager).get(detail(case_a)).status_code == 200
    assert client_as(police).get(detail(case_a)).status_code == 404  # not referred yet
    # A draft is not yet the agency's.
    cases.create_referral(
        case=case_a, agency=agency("police"), purpose=ReferralPurpose.INVESTIGATE, by=officer_a
    )
    assert client_as(police).get(detail(case_a)).status_code == 404
    send(case_a, "police", "1/BHXH-CA", officer_a)
    response = client_as(police).get(detail(case_a))
    assert response.status_code == 200
    assert "Công ty TNHH Minh Phát" in response.content.decode()
    # The police liaison sees its referral only, not the other agencies' or the draft.
    send(case_a, "labour_federation", "2/BHXH-LĐLĐ", officer_a, ReferralPurpose.SUE)
    rows = client_as(police).get(detail(case_a)).context["referrals"]
    assert [row.referral.reference for row in rows] == ["1/BHXH-CA"]
    assert client_as(police).get(detail(case_b)).status_code == 404
    assert client_as(federation).get(detail(case_b)).status_code == 404
    # The employers behind: the referred one's page, not the other's.
    employer_page = "employer_detail"
    assert (
        client_as(police).get(reverse(employer_page, args=[case_a.employer.unit_code])).status_code
        == 200
    )
    assert (
        client_as(police).get(reverse(employer_page, args=[case_b.employer.unit_code])).status_code
        == 404
    )
    # The federation sees case A (referred to it) but not the police's referral on it.
    federation_rows = client_as(federation).get(detail(case_a)).context["referrals"]
    assert [row.referral.agency.code for row in federation_rows] == ["labour_federation"]


def test_officer_is_offered_forward_moves_only(client_as, case_a, officer_a, manager):  # type: ignore[no-untyped-def]
    cases.move_stage(case=case_a, to=Stage.SUMMONED, by=officer_a, note="Mời")
    offered = client_as(officer_a).get(detail(case_a)).context["move_form"]
    values = [v for v, _label in offered.fields["to"].widget.choices if v]
    assert values == [
        "inspection",
        "sanctioned",
        "criminal_referral",
        "prosecution",
        "resolved",
        "hard_to_collect",
        "closed",
    ]
    offered = client_as(manager).get(detail(case_a)).context["move_form"]
    assert "detected" in [v for v, _label in offered.fields["to"].widget.choices]


def test_resolution_offered_when_arrears_are_zero(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    assert "Đơn vị đã hết nợ" not in client.get(detail(case_a)).content.decode()
    PaymentFactory(employer=case_a.employer, paid_on=DAY, amount=3_000_000)
    page = client.get(detail(case_a)).content.decode()
    assert "Đơn vị đã hết nợ" in page
    # The payment since opening is on the timeline.
    assert "3.000.000" in page and "Nhận tiền nộp" in page
    client.post(reverse("case_resolve", args=[case_a.pk]))
    case_a.refresh_from_db()
    assert case_a.stage == Stage.RESOLVED


def test_board_counts_and_cards(client_as, case_a, case_b, officer_a, manager):  # type: ignore[no-untyped-def]
    cases.move_stage(case=case_b, to=Stage.SUMMONED, by=manager, note="Mời")
    columns = client_as(manager).get(reverse("case_board")).context["columns"]
    by_stage = {c.stage: (c.count, [card.pk for card in c.cards]) for c in columns}
    assert [c.stage for c in columns] == list(Stage)[:7]
    assert by_stage[Stage.DETECTED] == (1, [case_a.pk])
    assert by_stage[Stage.SUMMONED] == (1, [case_b.pk])
    columns = client_as(officer_a).get(reverse("case_board")).context["columns"]
    assert sum(c.count for c in columns) == 1


def test_list_filters_and_sorting_keep_each_other(client_as, case_a, case_b, manager):  # type: ignore[no-untyped-def]
    client = client_as(manager)
    cases.log_event(case=case_b, kind=EventKind.CALL, by=manager, follow_up_on=timezone.localdate())
    response = client.get(reverse("case_list"), {"follow_up_due": "on", "sort": "arrears"})
    assert [c.pk for c in response.context["page"].object_list] == [case_b.pk]
    assert "follow_up_due=on" in response.content.decode()  # sort links keep the filter
    response = client.get(reverse("case_list"), {"office": case_a.employer.office_id})
    assert [c.pk for c in response.context["page"].object_list] == [case_a.pk]
    send(case_a, "labour_inspectorate", "9/BHXH", manager)
    response = client.get(reverse("case_list"), {"agency": agency("labour_inspectorate").pk})
    assert [c.pk for c in response.context["page"].object_list] == [case_a.pk]


def test_this_week(client_as, case_a, case_b, officer_a, officer_b, manager):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    cases.log_event(
        case=case_a, kind=EventKind.CALL, by=officer_a, follow_up_on=today - timedelta(days=3)
    )
    cases.log_event(
        case=case_b, kind=EventKind.CALL, by=officer_b, follow_up_on=today + timedelta(days=60)
    )
    cases.add_commitment(
        case=case_b,
        kind=CommitmentKind.PLAN,
        signed_on=today - timedelta(days=30),
        instalments=[(today - timedelta(days=20), 500_000), (today, 500_000)],
        by=officer_b,
    )
    mine = client_as(officer_a).get(reverse("case_week")).context
    assert [c.pk for c in mine["follow_ups"]] == [case_a.pk]
    assert mine["broken"] == [] and mine["due"] == []
    theirs = client_as(officer_b).get(reverse("case_week")).context
    assert list(theirs["follow_ups"]) == []
    assert [(i.amount, i.status) for i in theirs["broken"]] == [(500_000, "broken")]
    assert [(i.due_on, i.status) for i in theirs["due"]] == [(today, "pending")]
    everyone = client_as(manager).get(reverse("case_week")).context
    assert [c.pk for c in everyone["follow_ups"]] == [case_a.pk]
    assert len(everyone["broken"]) == 1
    one = client_as(manager).get(reverse("case_week"), {"officer": officer_a.pk}).context
    assert one["broken"] == []


def test_case_detail_queries_do_not_grow_with_rows(  # type: ignore[no-untyped-def]
    client_as, case_a, officer_a, manager, django_assert_max_num_queries, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_as(officer_a)
    for n in range(8):
        cases.log_event(
            case=case_a,
            kind=EventKind.CALL,
            by=officer_a,
            text=f"Cuộc gọi {n}",
            attachments=[SimpleUploadedFile(f"ghi-am-{n}.pdf", PDF)],
        )
        PaymentFactory(employer=case_a.employer, paid_on=DAY + timedelta(days=n), amount=1000)
        cases.add_commitment(
            case=case_a,
            kind=CommitmentKind.PROMISE,
            signed_on=DAY,
            instalments=[(DAY + timedelta(days=10 + n), 100_000)],
            by=officer_a,
        )
    for code in ("labour_inspectorate", "labour_federation", "iz_board", "tax"):
        send(case_a, code, f"{code}/BHXH", officer_a)
    police = cases.create_referral(
        case=case_a, agency=agency("police"), purpose="investigate", by=officer_a
    )
    for item, _label in POLICE_DOSSIER:
        add_attachment(
            case=case_a,
            file=SimpleUploadedFile(f"{item}.pdf", PDF),
            by=officer_a,
            referral=police,
            dossier_item=item,
        )
    cases.move_stage(case=case_a, to=Stage.REMINDED, by=officer_a, note="Gửi thông báo")
    # 38: the working sessions add the employer's sessions, the open proposals and the
    # signed minutes standing in the police dossier, and the register the numbered letters
    # issued on the case, one query each whatever their number.
    with django_assert_max_num_queries(38):
        response = client.get(detail(case_a))
    context = response.context
    assert (
        len([t for t in context["timeline"] if t.event])
        == CaseEvent.objects.filter(case=case_a).count()
    )
    assert len(context["referrals"]) == 5 and len(context["commitments"]) == 8
    assert Attachment.objects.filter(case=case_a).count() == 15


def test_load_demo_makes_cases_at_every_stage(settings, tmp_path, client):  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    out = StringIO()
    call_command("load_demo", employers=200, as_of=date(2026, 11, 16), stdout=out)
    stages = set(RecoveryCase.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values), out.getvalue()
    sent = Referral.objects.exclude(status=ReferralStatus.DRAFT)
    # Every kind of organisation; the ladder's to the province-level ones, others to the
    # commune's own People's Committee or police station and the industrial zones' union.
    assert set(sent.values_list("agency__kind", flat=True)) == set(Agency.Kind.values)
    assert {"police", "labour_inspectorate", "court", "procuracy", "iz_board", "tax"} <= set(
        sent.values_list("agency__code", flat=True)
    )
    local = sent.filter(agency__communes__isnull=False)
    assert set(local.values_list("agency__kind", flat=True)) == {
        "police",
        "peoples_committee",
        "labour_federation",
    }
    assert sent.filter(status=ReferralStatus.CONCLUDED).exclude(outcome="").exists()
    station_case = sent.get(agency__code="police_viet_tri").case
    police_case = sent.filter(agency__code="police").exclude(case=station_case).first().case
    assert dossier_missing(police_case.referrals.get(agency__code="police")) == []
    client.force_login(User.objects.get(username="police"))
    assert client.get(detail(police_case)).status_code == 200
    # The commune police station's liaison sees its own referral, not the provincial police's.
    assert dossier_missing(station_case.referrals.get(agency__code="police_viet_tri")) == []
    client.force_login(User.objects.get(username="police_xa"))
    assert client.get(detail(station_case)).status_code == 200
    assert client.get(detail(police_case)).status_code == 404
    statuses = set()
    for commitment in Commitment.objects.all():
        statuses |= {c.status for c in cases.check_commitment(commitment, date(2026, 11, 16))}
    assert {"kept", "broken"} <= statuses


# --------------------------------------------------------------------------------------------
# The head of a grassroots office; organisations of one kind kept apart


def test_the_case_page_offers_approvals_to_who_may_give_them(  # type: ignore[no-untyped-def]
    client_as, case_a, officer_a, head_a, head_b, manager, media_root
):
    cases.create_referral(case=case_a, agency=agency("police"), purpose="investigate", by=officer_a)
    cases.claim_force_majeure(
        employer=case_a.employer,
        case=case_a,
        by=officer_a,
        first_period=date(2025, 9, 1),
        last_period=date(2025, 10, 1),
        reason="Lũ quét",
        proof=SimpleUploadedFile("lu.pdf", PDF),
    )
    buttons = (
        "Phê duyệt chuyển hồ sơ sang công an",
        "Phê duyệt hồ sơ chuyển công an",
        "Chấp nhận",
    )
    for user in (head_a, manager):
        page = client_as(user).get(detail(case_a)).content.decode()
        assert all(button in page for button in buttons), user
    page = client_as(officer_a).get(detail(case_a)).content.decode()
    assert not any(button in page for button in buttons)
    assert "Chờ lãnh đạo phê duyệt trước khi gửi." in page
    # A head of another office does not see the case at all.
    assert client_as(head_b).get(detail(case_a)).status_code == 404


def test_a_head_is_offered_every_stage_in_their_office(client_as, case_a, head_a):  # type: ignore[no-untyped-def]
    form = client_as(head_a).get(detail(case_a)).context["move_form"]
    offered = {value for value, _label in form.fields["to"].widget.choices if value}
    assert offered == set(Stage.values) - {Stage.DETECTED}


def test_the_week_of_a_head_is_their_offices_officers(  # type: ignore[no-untyped-def]
    client_as, case_a, case_b, officer_a, officer_b, head_a
):
    today = timezone.localdate()
    for case, officer in ((case_a, officer_a), (case_b, officer_b)):
        cases.log_event(case=case, kind=EventKind.CALL, by=officer, follow_up_on=today)
    client = client_as(head_a)
    week = client.get(reverse("case_week")).context
    assert [c.pk for c in week["follow_ups"]] == [case_a.pk]
    assert list(week["form"].fields["officer"].queryset) == [officer_a]
    one = client.get(reverse("case_week"), {"officer": officer_a.pk}).context
    assert (one["officer"], [c.pk for c in one["follow_ups"]]) == (officer_a, [case_a.pk])
    # Another office's officer is not among the choices: the whole office is shown.
    other = client.get(reverse("case_week"), {"officer": officer_b.pk}).context
    assert other["officer"] is None and [c.pk for c in other["follow_ups"]] == [case_a.pk]


def test_the_referral_form_offers_organisations_by_kind_local_first(  # type: ignore[no-untyped-def]
    client_as, case_a, officer_a, office_a
):
    here = CommuneFactory(name="Phường Kỳ Sơn", office=office_a)
    there = CommuneFactory(name="Xã Cư Yên", office=office_a)
    case_a.employer.commune = here
    case_a.employer.save(update_fields=["commune"])
    station = Agency.objects.create(code="ca_ky_son", kind="police", name="Công an phường Kỳ Sơn")
    station.communes.add(here)
    Agency.objects.create(code="ca_cu_yen", kind="police", name="Công an xã Cư Yên").communes.add(
        there
    )
    form = client_as(officer_a).get(detail(case_a)).context["referral_form"]
    groups = dict(form.fields["agency"].choices[1:])
    assert list(groups) == [str(kind.label) for kind in Agency.Kind]  # every kind, in order
    assert [name for _pk, name in groups["Công an"]] == [
        "Công an phường Kỳ Sơn",  # serves the employer's commune
        agency("police").name,  # the province
        "Công an xã Cư Yên",  # elsewhere: still offered
    ]
    html = client_as(officer_a).get(detail(case_a)).content.decode()
    assert '<optgroup label="Công an">' in html
    # Any organisation may be chosen.
    client_as(officer_a).post(
        reverse("case_refer", args=[case_a.pk]),
        {"agency": Agency.objects.get(code="ca_cu_yen").pk, "purpose": "investigate"},
    )
    assert case_a.referrals.get().agency.code == "ca_cu_yen"


def test_a_liaison_sees_only_their_organisations_events_and_files(  # type: ignore[no-untyped-def]
    client_as, case_a, officer_a, police, media_root
):
    station = Agency.objects.create(code="ca_xa", kind="police", name="Công an xã Lâm Sơn")
    station_liaison = UserFactory(username="ca_xa", role=User.Role.LIAISON, agency=station)
    send(case_a, "police", "1/BHXH-CA", officer_a)
    cases.record_imported_referral(
        employer=case_a.employer,
        agency=station,
        purpose=ReferralPurpose.INVESTIGATE,
        reference="2/BHXH-CAX",
        sent_on=DAY,
    )
    visit = cases.log_event(
        case=case_a,
        kind=EventKind.VISIT,
        by=police,
        text="Xác minh của Công an tỉnh",
        attachments=[SimpleUploadedFile("bien-ban-ca.pdf", PDF)],
    )
    note = cases.log_event(case=case_a, kind=EventKind.NOTE, by=officer_a, text="Ghi chú")
    client = client_as(station_liaison)
    context = client.get(detail(case_a)).context
    events = [t.event for t in context["timeline"] if t.event]
    assert visit not in events and note in events
    assert {e.agency for e in events if e.agency} == {station}
    assert [r.referral.agency for r in context["referrals"]] == [station]
    record = reverse("case_attachment", args=[case_a.pk, visit.attachments.get().pk])
    assert client.get(record).status_code == 404
    # The provincial police see their own visit and its file, not the station's referral.
    context = client_as(police).get(detail(case_a)).context
    assert visit in [t.event for t in context["timeline"] if t.event]
    assert [r.referral.agency.code for r in context["referrals"]] == ["police"]
    assert client_as(police).get(record).status_code == 200
