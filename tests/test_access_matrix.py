"""Who reaches what: every URL of the configuration against every role, generated from the
URL resolver, so a page added without an entry in MATRIX fails ("new page not classified").

The world is built once for the module (one employer per office, a case for each, a
referral of employer A's case sent to the provincial police and one of B's to the labour
federation, an attachment, a commitment, a force majeure claim, a letter for the post, a hold,
a quarterly run with its file, a background export, a certificate, an insured worker; and a
third employer of office A, in a commune whose police station has a referral of its case) and
every URL parameter is an object of employer A's world. Each request runs in its own savepoint, so a
POST that changes something is rolled back before the next.

Every page a role may open is also read for what the Content Security Policy would block
(inline scripts, event handlers, style attributes).

Outcomes: ``ok`` an answer (2xx, or a redirect that is not to the login page), ``L`` the
redirect to the login page, ``404`` as if it did not exist (DESIGN: out of scope), ``403``.
POST-only views are posted to (with no data: the access check comes before the form's).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, time
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Agency, User
from arrears.cases import services as cases
from arrears.cases.selectors import case_letter
from arrears.jobs.holds import put_on_hold
from arrears.jobs.quarterly import artifact_name
from arrears.models import (
    Agreement,
    Booking,
    CommitmentKind,
    JobRun,
    ReferralNotice,
    ReferralPurpose,
    Reminder,
    SessionSlot,
    StageRequest,
    StatementUpload,
)
from arrears.register.services import Draft, issue_letter
from arrears.sessions import services as sessions
from participants.models import CoverageFigure, Holiday, InsuredPerson
from reports.models import Certificate, ExportRecord
from reports.registry import REPORTS
from tests.csp import inline_code
from tests.factories import (
    CommuneFactory,
    ContributionFactory,
    EmployerFactory,
    OfficeFactory,
    PaymentFactory,
    UserFactory,
    agency,
)

ROLES = (
    "anonymous",
    "officer_a",
    "officer_b",
    "office_head",
    "manager",
    "police",
    "station",
    "federation",
)
DAY = date(2026, 1, 15)
CYCLE = "2026-W03"
PDF = b"%PDF-1.4\n% access matrix\n"

# name: (method, outcome per role in ROLES order). The design's rules, written out URL by URL:
# officers see their offices, the head of office A (office_head) sees what officer_a sees and
# gives office A's approvals (holds included), managers see the province; liaisons the cases
# referred to their organisation (station: a commune police station, no referral of employer
# A's); office-only pages answer liaisons 404; manager-only pages (province-wide settings and
# records) answer everyone else 404. "ok" on an action means the view let the user in; the
# service may still refuse the change (an officer's approval is refused with a message).
#                                       anon  off_a off_b head  mgr   pol   stat  fed
MATRIX: dict[str, tuple[str, str]] = {
    "home": ("GET", "                    L     ok    ok    ok    ok    ok    ok    ok"),
    "login": ("GET", "                   ok    ok    ok    ok    ok    ok    ok    ok"),
    "logout": ("POST", "                 L     ok    ok    ok    ok    ok    ok    ok"),
    "password_change": ("GET", "         L     ok    ok    ok    ok    ok    ok    ok"),
    "set_language": ("POST", "           L     ok    ok    ok    ok    ok    ok    ok"),
    "employer_list": ("GET", "           L     ok    ok    ok    ok    ok    ok    ok"),
    "employer_picker": ("GET", "         L     ok    ok    ok    ok    ok    ok    ok"),
    "employer_detail": ("GET", "         L     ok    404   ok    ok    ok    404   404"),
    "employer_credit_to_interest": ("POST", "L ok 404 ok ok 404 404 404"),
    "job_runs": ("GET", "                L     ok    ok    ok    ok    404   404   404"),
    "job_run_start": ("POST", "          L     404   404   404   ok    404   404   404"),
    "job_run_file": ("GET", "            L     404   404   404   ok    404   404   404"),
    "post_letters": ("GET", "            L     ok    ok    ok    ok    404   404   404"),
    "post_letters_pdf": ("GET", "        L     ok    404   ok    ok    404   404   404"),
    "holds": ("GET", "                   L     404   404   ok    ok    404   404   404"),
    "hold_approve": ("POST", "           L     404   404   ok    ok    404   404   404"),
    "case_list": ("GET", "               L     ok    ok    ok    ok    ok    ok    ok"),
    "case_board": ("GET", "              L     ok    ok    ok    ok    ok    ok    ok"),
    "case_week": ("GET", "               L     ok    ok    ok    ok    404   404   404"),
    "case_open": ("POST", "              L     ok    404   ok    ok    404   404   404"),
    "case_open_for": ("GET", "           L     404   404   ok    ok    404   404   404"),
    "case_assign": ("GET", "             L     404   404   ok    ok    404   404   404"),
    "bulk_action": ("POST", "            L     ok    ok    ok    ok    404   404   404"),
    "hand_overs": ("GET", "              L     404   404   ok    ok    404   404   404"),
    "stage_requests": ("GET", "          L     404   404   ok    ok    404   404   404"),
    "stage_request_decide": ("POST", "   L     404   404   ok    ok    404   404   404"),
    "case_templates": ("GET", "          L     404   404   404   ok    404   404   404"),
    "case_template_edit": ("GET", "      L     404   404   404   ok    404   404   404"),
    "case_template_reset": ("POST", "    L     404   404   404   ok    404   404   404"),
    "case_template_preview": ("GET", "   L     404   404   404   ok    404   404   404"),
    "case_detail": ("GET", "             L     ok    404   ok    ok    ok    404   404"),
    "case_log_event": ("POST", "         L     ok    404   ok    ok    ok    404   404"),
    "case_move": ("POST", "              L     ok    404   ok    ok    404   404   404"),
    "case_resolve": ("POST", "           L     ok    404   ok    ok    404   404   404"),
    "case_approve_criminal": ("POST", "  L     ok    404   ok    ok    404   404   404"),
    "case_fines": ("GET", "              L     ok    404   ok    ok    ok    404   404"),
    "case_refer": ("POST", "             L     ok    404   ok    ok    404   404   404"),
    "case_dossier_upload": ("POST", "    L     ok    404   ok    ok    404   404   404"),
    "case_referral_approve": ("POST", "  L     ok    404   ok    ok    404   404   404"),
    "case_referral_send": ("POST", "     L     ok    404   ok    ok    404   404   404"),
    "case_referral_answer": ("POST", "   L     ok    404   ok    ok    ok    404   404"),
    "case_referral_letter": ("GET", "    L     ok    404   ok    ok    ok    404   404"),
    "case_commit": ("POST", "            L     ok    404   ok    ok    404   404   404"),
    "case_claim": ("POST", "             L     ok    404   ok    ok    404   404   404"),
    "case_claim_decide": ("POST", "      L     ok    404   ok    ok    404   404   404"),
    "case_claim_proof": ("GET", "        L     ok    404   ok    ok    ok    404   404"),
    "case_attachment": ("GET", "         L     ok    404   ok    ok    ok    404   404"),
    "case_document": ("GET", "           L     ok    404   ok    ok    404   404   404"),
    "case_issue_document": ("POST", "    L     ok    404   ok    ok    404   404   404"),
    "case_issue_minutes": ("POST", "     L     ok    404   ok    ok    404   404   404"),
    "inbox": ("GET", "                   L     404   404   404   404   ok    ok    ok"),
    "inbox_open": ("POST", "             L     404   404   404   404   ok    404   404"),
    "document_register": ("GET", "       L     ok    ok    ok    ok    404   404   404"),
    "register_file": ("GET", "           L     ok    404   ok    ok    404   404   404"),
    "policy_settings": ("GET", "         L     404   404   404   ok    404   404   404"),
    "import_statement": ("GET", "        L     ok    ok    ok    ok    404   404   404"),
    "import_status": ("GET", "           L     ok    404   404   404   404   404   404"),
    "import_template": ("GET", "         L     ok    ok    ok    ok    404   404   404"),
    "office_list": ("GET", "             L     ok    ok    ok    ok    404   404   404"),
    "office_detail": ("GET", "           L     ok    ok    ok    ok    404   404   404"),
    "insured_lookup": ("GET", "          L     ok    ok    ok    ok    404   404   404"),
    "insured_detail": ("GET", "          L     ok    404   ok    ok    404   404   404"),
    "insured_pdf": ("GET", "             L     ok    404   ok    ok    404   404   404"),
    "dashboard": ("GET", "               L     ok    ok    ok    ok    404   404   404"),
    "report_index": ("GET", "            L     ok    ok    ok    ok    ok    ok    ok"),
    "coverage_report": ("GET", "         L     ok    ok    ok    ok    404   404   404"),
    "province_summary": ("GET", "        L     404   404   404   ok    404   404   404"),
    "export_status": ("GET", "           L     404   404   404   ok    404   404   404"),
    "export_download": ("GET", "         L     404   404   404   ok    404   404   404"),
    "certificates": ("GET", "            L     ok    ok    ok    ok    404   404   404"),
    "certificate_file": ("GET", "        L     ok    404   ok    ok    404   404   404"),
    "report_employer_balances": ("GET", "L     ok    ok    ok    ok    404   404   404"),
    "report_aging": ("GET", "            L     ok    ok    ok    ok    404   404   404"),
    "report_recovery_by_agency": ("GET", "L     ok    ok    ok    ok    ok    ok    ok"),
    "report_case_pipeline": ("GET", "    L     ok    ok    ok    ok    404   404   404"),
    "report_reminders": ("GET", "        L     ok    ok    ok    ok    404   404   404"),
    "report_publication": ("GET", "      L     ok    ok    ok    ok    404   404   404"),
    "report_late_rate": ("GET", "        L     ok    ok    ok    ok    404   404   404"),
    "report_effectiveness": ("GET", "    L     ok    ok    ok    ok    404   404   404"),
    "report_union_suits": ("GET", "      L     ok    ok    ok    ok    ok    ok    ok"),
    "session_calendar": ("GET", "        L     ok    ok    ok    ok    404   404   404"),
    "session_today": ("GET", "           L     ok    ok    ok    ok    404   404   404"),
    "session_day": ("GET", "             L     ok    404   ok    ok    404   404   404"),
    "session_slot_add": ("POST", "       L     ok    404   ok    ok    404   404   404"),
    "session_pattern_add": ("POST", "    L     ok    404   ok    ok    404   404   404"),
    "office_holidays": ("GET", "         L     ok    404   ok    ok    404   404   404"),
    "holiday_delete": ("POST", "         L     404   404   ok    ok    404   404   404"),
    "session_book": ("POST", "           L     ok    404   ok    ok    404   404   404"),
    "booking_detail": ("GET", "          L     ok    404   ok    ok    404   404   404"),
    "booking_reply": ("POST", "          L     ok    404   ok    ok    404   404   404"),
    "booking_move": ("POST", "           L     ok    404   ok    ok    404   404   404"),
    "booking_cancel": ("POST", "         L     ok    404   ok    ok    404   404   404"),
    "booking_attendance": ("POST", "     L     ok    404   ok    ok    404   404   404"),
    "booking_minutes": ("POST", "        L     ok    404   ok    ok    404   404   404"),
    "booking_sign": ("POST", "           L     ok    404   ok    ok    404   404   404"),
    "booking_minutes_pdf": ("GET", "     L     ok    404   ok    ok    404   404   404"),
    "proposal_decide": ("POST", "        L     ok    404   ok    ok    404   404   404"),
    "report_collection_plan": ("GET", "L ok ok ok ok 404 404 404"),
    "report_hard_to_collect": ("GET", "L ok ok ok ok 404 404 404"),
    "report_employer_balances_interest": ("GET", "L ok ok ok ok 404 404 404"),
    "report_aging_interest": ("GET", "L ok ok ok ok 404 404 404"),
    "collection_plans": ("GET", "L 404 404 404 ok 404 404 404"),
    "audit_log": ("GET", "               L     404   404   404   ok    404   404   404"),
    "verify_certificate": ("GET", "      ok    ok    ok    ok    ok    ok    ok    ok"),
}
# Downloads behind a page's ``?format=``: each answers as its page does, and where allowed it
# is a file, not the page. PDF for one report only (each one is a WeasyPrint render).
DOWNLOADS: list[tuple[str, str]] = [
    *((f"report_{name}", fmt) for name, r in REPORTS.items() if r.slug for fmt in ("csv", "xlsx")),
    ("report_aging", "pdf"),
    ("coverage_report", "xlsx"),
    ("province_summary", "docx"),
]
# Views that hand out files; where allowed, the answer must be one.
FILES = {
    "import_template",
    "job_run_file",
    "post_letters_pdf",
    "case_template_preview",
    "case_referral_letter",
    "case_claim_proof",
    "case_attachment",
    "case_document",
    "insured_pdf",
    "export_download",
    "certificate_file",
    "booking_minutes_pdf",
    "register_file",
}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # Django admin guards itself: see test_admin_is_for_superusers_only
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield p.name, prefix + str(p.pattern)


ROUTES = dict(_walk(get_resolver().url_patterns))


def test_every_page_is_classified() -> None:
    unclassified = sorted(set(ROUTES) - set(MATRIX))
    assert not unclassified, f"new page not classified in MATRIX: {unclassified}"
    stale = sorted(set(MATRIX) - set(ROUTES))
    assert not stale, f"MATRIX names pages that no longer exist: {stale}"
    for name, (method, outcomes) in MATRIX.items():
        assert method in {"GET", "POST"}, name
        assert len(outcomes.split()) == len(ROLES), name
        assert set(outcomes.split()) <= {"ok", "L", "403", "404"}, name


# --------------------------------------------------------------------------------------------
# The world, once per module


class World:
    """Employer A's objects by URL parameter, and the users by role."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.clients: dict[str, Client] = {}  # signed in once: their sessions are in the world
        self.cookies: dict[str, str] = {}
        self.params: dict[str, Any] = {}
        self.pk_of: dict[str, int] = {}  # URL name -> its <pk> when it is not a case
        # The commune police station's case, referral and file (employer C's), for the tests
        # that keep two organisations of one kind apart.
        self.station: dict[str, int] = {}


def _ledger(employer):  # type: ignore[no-untyped-def]
    for month in (7, 8, 9, 10):
        ContributionFactory(employer=employer, period=date(2025, month, 1))
    PaymentFactory(employer=employer, paid_on=date(2025, 8, 20), amount=1_000_000)
    return employer


def _build(world: World) -> None:
    office_a = OfficeFactory(name="Lương Sơn")
    office_b = OfficeFactory(name="Tân Lạc")
    role = User.Role
    users = world.users
    users["officer_a"] = UserFactory(username="m_officer_a", offices=[office_a])
    users["officer_b"] = UserFactory(username="m_officer_b", offices=[office_b])
    users["manager"] = UserFactory(username="m_manager", role=role.MANAGER)
    users["police"] = UserFactory(username="m_police", role=role.LIAISON, agency=agency("police"))
    users["federation"] = UserFactory(
        username="m_federation", role=role.LIAISON, agency=agency("labour_federation")
    )
    users["office_head"] = UserFactory(
        username="m_head_a", role=role.OFFICE_HEAD, offices=[office_a]
    )
    users["head_b"] = UserFactory(username="m_head_b", role=role.OFFICE_HEAD, offices=[office_b])
    ky_son = CommuneFactory(name="Phường Kỳ Sơn", office=office_a)
    station = Agency.objects.create(
        code="ca_ky_son", kind=Agency.Kind.POLICE, name="Công an phường Kỳ Sơn"
    )
    station.communes.add(ky_son)
    users["station"] = UserFactory(username="m_station", role=role.LIAISON, agency=station)
    officer, manager = users["officer_a"], users["manager"]
    employer_a = EmployerFactory(office=office_a, name="Công ty TNHH Minh Phát")
    employer_b = EmployerFactory(office=office_b, name="Hợp tác xã Đồng Tâm")
    _ledger(employer_a)
    _ledger(employer_b)
    case_a = cases.open_case(employer=employer_a, by=officer, on=DAY)
    case_b = cases.open_case(employer=employer_b, by=users["officer_b"], on=DAY)
    referral = cases.record_imported_referral(
        employer=employer_a,
        agency=agency("police"),
        purpose=ReferralPurpose.INVESTIGATE,
        reference="1/BHXH-CA",
        sent_on=DAY,
    )
    # Employer B's case went to the labour federation: its liaison has a case of its own,
    # still not employer A's.
    federation = cases.create_referral(
        case=case_b, agency=agency("labour_federation"), purpose=ReferralPurpose.SUE, by=manager
    )
    cases.send_referral(referral=federation, by=manager, reference="2/BHXH-LĐLĐ", sent_on=DAY)
    event = cases.log_event(
        case=case_a,
        kind="note",
        by=officer,
        text="Biên bản làm việc",
        attachments=[SimpleUploadedFile("bien-ban.pdf", PDF)],
    )
    cases.add_commitment(
        case=case_a,
        kind=CommitmentKind.PLAN,
        signed_on=DAY,
        instalments=[(date(2026, 2, 15), 1_000_000), (date(2026, 3, 15), 2_000_000)],
        by=officer,
    )
    claim = cases.claim_force_majeure(
        employer=employer_a,
        case=case_a,
        by=officer,
        first_period=date(2025, 9, 1),
        last_period=date(2025, 10, 1),
        reason="Lũ quét",
        proof=SimpleUploadedFile("lu.pdf", PDF),
    )
    Reminder.objects.create(
        employer=employer_a,
        cycle=CYCLE,
        kind=Reminder.Kind.NOTICE,
        channel=Reminder.Channel.LETTER,
        as_of=DAY,
        arrears=3_000_000,
        interest=0,
        months_in_arrears=3,
    )
    hold = put_on_hold(
        employer=employer_a, by=manager, reason="Tranh chấp", starts_on=DAY, ends_on=DAY
    )
    run = JobRun.objects.create(
        job=JobRun.Job.QUARTERLY, cycle="2026-Q1", run_on=DAY, outcome=JobRun.Outcome.SUCCEEDED
    )
    from django.core.files.storage import default_storage

    default_storage.save(artifact_name(run), ContentFile(b"PK\x03\x04 quarterly"))
    export = ExportRecord(
        user=manager,
        report="aging",
        format="xlsx",
        source=ExportRecord.Source.TASK,
        status=ExportRecord.Status.DONE,
        filename="tuoi-no.xlsx",
    )
    export.file.save("tuoi-no.xlsx", ContentFile(b"PK\x03\x04 export"), save=True)
    upload = StatementUpload.objects.create(
        user=officer,
        kind="payments",
        filename="sao-ke.csv",
        size=3_000_000,
        status=StatementUpload.Status.REFUSED,
        reasons=[[2, "amount", "Số tiền «1,5» không phải số đồng nguyên."]],
        reason_total=1,
    )
    certificate = Certificate(
        employer=employer_a,
        on=DAY,
        arrears=3_000_000,
        months_in_arrears=3,
        interest=0,
        issued_by=manager,
    )
    certificate.file.save("giay.pdf", ContentFile(PDF), save=True)
    person = InsuredPerson.objects.create(
        social_insurance_number="3412345678",
        full_name="Bùi Thị Hương",
        date_of_birth=date(1990, 5, 1),
        sex="female",
        employer=employer_a,
        from_period=date(2024, 1, 1),
    )
    CoverageFigure.objects.create(  # the province's year, which officers see too
        year=2025,
        compulsory_si=900,
        voluntary_si=300,
        ui=800,
        hi=9000,
        labour_force=4000,
        population=10000,
    )
    # Employer C, of office A in Kỳ Sơn: referred to the commune's police station, whose
    # liaison logged a visit with its record.
    employer_c = _ledger(EmployerFactory(office=office_a, commune=ky_son, name="Công ty CP Kỳ Sơn"))
    case_c = cases.open_case(employer=employer_c, by=officer, on=DAY)
    station_referral = cases.record_imported_referral(
        employer=employer_c,
        agency=station,
        purpose=ReferralPurpose.INVESTIGATE,
        reference="3/BHXH-CAX",
        sent_on=DAY,
    )
    visit = cases.log_event(
        case=case_c,
        kind="visit",
        by=users["station"],
        text="Làm việc tại đơn vị",
        attachments=[SimpleUploadedFile("bien-ban-xa.pdf", PDF)],
    )
    session = cases.log_event(
        case=case_a,
        kind="working_session",
        by=officer,
        text="Làm việc tại trụ sở",
        minutes="Đơn vị cam kết trả nợ.",
    )
    # The police liaison's notice of employer A's referral; a notice issued for employer A.
    notice = ReferralNotice.objects.create(
        referral=referral, recipient=users["police"], kind=ReferralNotice.Kind.RECEIVED
    )
    issued = issue_letter(
        Draft(case_letter(case_a, "reminder_notice", on=DAY), employer_a, case=case_a),
        by=officer,
    )
    world.station = {
        "case": case_c.pk,
        "referral": station_referral.pk,
        "attachment": visit.attachments.get().pk,
    }
    # A working session of employer A's: attended, with its minutes; a proposal on its case;
    # a holiday of office A.
    slot = SessionSlot.objects.create(
        office=office_a, day=DAY, starts_at=time(8), place="Phòng họp", capacity=3
    )
    booking = Booking.objects.create(slot=slot, employer=employer_a, case=case_a)
    sessions.record_attendance(
        booking=booking, came=True, by=officer, attendee_name="A", attendee_role="Giám đốc"
    )
    sessions.record_minutes(
        booking=booking,
        by=officer,
        arrears_acknowledged=3_000_000,
        reasons="Thiếu vốn",
        agreement=Agreement.NONE,
    )
    proposal = sessions.propose(case=case_a, cause="absences", source="x", reason="Vắng mặt.")
    holiday = Holiday.objects.create(day=date(2026, 2, 2), name="Nghỉ bù", office=office_a)
    world.clients["anonymous"] = Client()
    for name, user in users.items():
        world.clients[name] = Client()
        world.clients[name].force_login(user)
    world.cookies = {name: c.cookies.output(header="") for name, c in world.clients.items()}
    world.params = {
        "unit_code": employer_a.unit_code,
        "pk": case_a.pk,
        "referral_pk": referral.pk,
        "item": "request",
        "claim_pk": claim.pk,
        "attachment_pk": event.attachments.get().pk,
        "event_pk": session.pk,
        "kind": "reminder_notice",
        "cycle": CYCLE,
        "office_id": office_a.pk,
        "office_code": office_a.code,
        "number": person.social_insurance_number,
        "code": certificate.code,
        "day": DAY.isoformat(),
        "source": "cases",
        "statement": "payments",
    }
    world.pk_of = {
        "job_run_file": run.pk,
        "hold_approve": hold.pk,
        "export_status": export.pk,
        "import_status": upload.pk,
        "export_download": export.pk,
        "certificate_file": certificate.pk,
        "session_book": slot.pk,
        "proposal_decide": proposal.pk,
        "holiday_delete": holiday.pk,
        **{name: booking.pk for name in MATRIX if name.startswith("booking_")},
        "stage_request_decide": StageRequest.objects.create(
            case=case_a, to_stage="detected", note="Về bước đầu", requested_by=officer
        ).pk,
        "inbox_open": notice.pk,
        "register_file": issued.pk,
    }


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker) -> Iterator[World]:  # type: ignore[no-untyped-def]
    """Built once, in a transaction rolled back when the module is done; each test runs in a
    savepoint inside it. Files go to a directory of the module's own."""
    media = tempfile.TemporaryDirectory(prefix="access-matrix-")
    media_settings = override_settings(MEDIA_ROOT=Path(media.name))
    media_settings.enable()
    built = World()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _build(built)
            built.params["media"] = media.name
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            media_settings.disable()
            media.cleanup()


@pytest.fixture
def world(_world, settings, _fast_hashing_and_memory_mail) -> World:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = Path(_world.params["media"])  # where the world's files are
    return _world


def _path(world: World, name: str) -> str:
    route = ROUTES[name]
    kwargs = {}
    for param in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if param == "pk" and not name.startswith("case_"):
            assert name in world.pk_of, f"no object for <pk> of {name}: add it to World.pk_of"
            kwargs[param] = world.pk_of[name]
        else:
            assert param in world.params, f"no object for <{param}> of {name}"
            kwargs[param] = world.params[param]
    return reverse(name, kwargs=kwargs)


def _outcome(response) -> str:  # type: ignore[no-untyped-def]
    if response.status_code in (301, 302, 303, 307, 308) and response.url.startswith(
        reverse("login") + "?next="
    ):
        return "L"
    if 200 <= response.status_code < 400:
        return "ok"
    return str(response.status_code)


def _as(world: World, role: str) -> Client:
    """The role's client, with its session cookie as signed in (a logout drops it)."""
    client = world.clients[role]
    client.cookies = SimpleCookie(world.cookies[role])
    return client


def _each_role(
    world: World, name: str, request: Callable[[Client], Any]
) -> Iterator[tuple[str, str, Any]]:
    """(role, expected, response) for every role, each request in a savepoint of its own so
    that what one role's POST changed is gone before the next role's."""
    outcomes = MATRIX[name][1].split()
    for role, expected in zip(ROLES, outcomes, strict=True):
        with transaction.atomic():
            response = request(_as(world, role))
            transaction.set_rollback(True)
        yield role, expected, response


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(world, name):  # type: ignore[no-untyped-def]
    method = MATRIX[name][0]
    url = _path(world, name)
    wrong = []
    for role, expected, response in _each_role(
        world, name, lambda c: c.post(url) if method == "POST" else c.get(url)
    ):
        got = _outcome(response)
        if got != expected:
            wrong.append(f"{role}: expected {expected}, got {got}")
        elif got == "ok" and name in FILES and "text/html" in response["Content-Type"]:
            wrong.append(f"{role}: expected a file, got a page")
        elif got == "ok" and "text/html" in response.get("Content-Type", ""):
            wrong += [f"{role}: {found}" for found in inline_code(response.content.decode())]
    assert not wrong, f"{method} {url}: " + "; ".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "fmt"), DOWNLOADS)
def test_downloads(world, name, fmt):  # type: ignore[no-untyped-def]
    url = _path(world, name)
    wrong = []
    for role, expected, response in _each_role(world, name, lambda c: c.get(url, {"format": fmt})):
        got = _outcome(response)
        if got != expected:
            wrong.append(f"{role}: expected {expected}, got {got}")
        elif got == "ok" and "attachment" not in response.get("Content-Disposition", ""):
            wrong.append(f"{role}: expected a download, got {response['Content-Type']}")
    assert not wrong, f"GET {url}?format={fmt}: " + "; ".join(wrong)


@pytest.mark.django_db
def test_post_only_views_refuse_get(world):  # type: ignore[no-untyped-def]
    """What MATRIX tests by POST really is POST-only: a GET is refused, whoever asks."""
    client = _as(world, "manager")
    posted = sorted(name for name, (method, _o) in MATRIX.items() if method == "POST")
    refused = {name: client.get(_path(world, name)).status_code for name in posted}
    assert refused == dict.fromkeys(posted, 405)


@pytest.mark.django_db
def test_admin_is_for_superusers_only(world):  # type: ignore[no-untyped-def]
    for role in ROLES:
        response = _as(world, role).get("/admin/")
        assert response.status_code == 302, role
        assert response.url.startswith("/admin/login/"), role


@pytest.mark.django_db
def test_two_police_organisations_are_kept_apart(world):  # type: ignore[no-untyped-def]
    """The commune police station's liaison never sees the provincial police's referral, case
    or files, nor the provincial police the station's; each sees their own."""
    station = world.station
    provincial = {
        "case": world.params["pk"],
        "referral": world.params["referral_pk"],
        "attachment": world.params["attachment_pk"],
    }
    for role, theirs, other in (("station", station, provincial), ("police", provincial, station)):
        client = _as(world, role)
        for pk, expected in ((theirs["case"], 200), (other["case"], 404)):
            assert client.get(reverse("case_detail", args=[pk])).status_code == expected, role
        urls = {
            "letter": ("case_referral_letter", "referral"),
            "file": ("case_attachment", "attachment"),
        }
        for what, (name, key) in urls.items():
            mine = client.get(reverse(name, args=[theirs["case"], theirs[key]]))
            assert mine.status_code == 200, (role, what)
            # Another organisation's, even through a case of one's own.
            for case in (other["case"], theirs["case"]):
                wrong = client.get(reverse(name, args=[case, other[key]]))
                assert wrong.status_code == 404, (role, what)
        listed = client.get(reverse("case_list")).context["page"].object_list
        assert [case.pk for case in listed] == [theirs["case"]], role
        report = client.get(reverse("report_recovery_by_agency")).context["page"].object_list
        assert [row.agency_name for row in report] == [world.users[role].agency.name], role


@pytest.mark.django_db
def test_the_head_of_another_office_sees_none_of_office_a(world):  # type: ignore[no-untyped-def]
    client = _as(world, "head_b")
    for name in ("case_detail", "employer_detail", "case_fines", "insured_detail"):
        assert client.get(_path(world, name)).status_code == 404, name
    for name in ("case_referral_approve", "case_approve_criminal", "hold_approve"):
        assert client.post(_path(world, name)).status_code == 404, name
    # Their own week and lists are open, with nothing of office A in them.
    week = client.get(reverse("case_week"))
    assert week.status_code == 200 and not list(week.context["follow_ups"])
    listed = client.get(reverse("case_list")).context["page"].object_list
    assert world.params["pk"] not in [case.pk for case in listed]
