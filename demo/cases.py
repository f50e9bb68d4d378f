"""Recovery work for the demo province, made through the services of
``arrears.cases.services`` as the
pages would make it: cases at every stage of the ladder and every ending, with their
timeline, referrals to every agency (some answered, some concluded, one with the police and
its full dossier), commitments kept, broken and pending, and a force-majeure claim.

Called by ``manage.py load_demo`` after the ledger and balances; the employers it picks are
those the balances show in arrears, the most months first for the harshest stages.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet

from accounts.models import Agency, User
from arrears import law, ledger
from arrears.cases import services as cases
from arrears.cases.attachments import add_attachment
from arrears.cases.dossier import POLICE_DOSSIER
from arrears.models import (
    ENDINGS,
    LADDER,
    Balance,
    CommitmentKind,
    EventKind,
    InterestRate,
    RecoveryCase,
    Referral,
    ReferralPurpose,
    ReferralStatus,
    Stage,
)
from arrears.selectors import employer_ledger
from participants.models import Employer

# A one-page PDF with no content: the demo's dossier files and proofs.
BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
# The harshest stage first: it goes to the employer with the most months in arrears.
PLAN = tuple(reversed(LADDER))
MAX_PER_STAGE = 8


@dataclass
class _Work:
    """Who does what in the demo, and what was made."""

    as_of: date
    rng: random.Random
    manager: User
    officers: dict[int, User]  # office id: its officer
    liaisons: dict[str, User]  # agency code: its liaison
    agencies: dict[str, Agency]
    made: Counter[str] = field(default_factory=Counter)
    references: int = 0

    def reference(self, suffix: str) -> str:
        self.references += 1
        return f"{self.references}/BHXH-{suffix}"

    def refer(
        self, case: RecoveryCase, code: str, purpose: str, by: User, on: date, note: str = ""
    ) -> Referral:
        referral = cases.create_referral(
            case=case, agency=self.agencies[code], purpose=purpose, by=by, note=note
        )
        if code == Agency.Kind.POLICE:
            for item, label in POLICE_DOSSIER:
                add_attachment(
                    case=case,
                    file=SimpleUploadedFile(f"{label}.pdf", BLANK_PDF),
                    by=by,
                    referral=referral,
                    dossier_item=item,
                )
            cases.approve_referral(referral=referral, by=self.manager)
        self.made["referrals"] += 1
        self.made[f"to_{code}"] += 1
        return cases.send_referral(
            referral=referral, by=by, reference=self.reference("QLT"), sent_on=on
        )

    def answer(self, referral: Referral, status: str, response: str, outcome: str = "") -> None:
        # The agency's liaison where the demo has one; else staff record the reply by letter.
        by = self.liaisons.get(referral.agency.code, self.manager)
        on = min(self.as_of, referral.sent_on + timedelta(days=self.rng.randint(3, 12)))
        cases.answer_referral(
            referral=referral, by=by, status=status, response=response, outcome=outcome, on=on
        )


def _dates(opened: date, last: date, steps: int) -> list[date]:
    """``steps`` dates spread between the opening and ``last``."""
    span = max(1, (last - opened).days)
    return [opened + timedelta(days=span * (k + 1) // (steps + 1)) for k in range(steps)]


def _climb(work: _Work, case: RecoveryCase, target: Stage, officer: User) -> None:
    """Walk the case up the ladder to ``target``, with what each step leaves on the timeline."""
    rng = work.rng
    steps = LADDER[1 : LADDER.index(target) + 1]
    days = _dates(case.opened_on, work.as_of - timedelta(days=2), 2 * len(steps) + 1)
    arrears = case.arrears_at_opening
    for k, stage in enumerate(steps):
        before, on = days[2 * k], days[2 * k + 1]
        note = ""
        if stage == Stage.REMINDED:
            cases.log_event(
                case=case,
                kind=EventKind.LETTER,
                by=officer,
                occurred_on=before,
                text=f"Gửi thông báo đôn đốc số {rng.randint(100, 999)}/TB-BHXH.",
            )
            note = "Đã gửi thông báo đôn đốc."
        elif stage == Stage.SUMMONED:
            cases.log_event(
                case=case,
                kind=EventKind.CALL,
                by=officer,
                occurred_on=before,
                text="Gọi điện cho kế toán, mời người đại diện đến làm việc.",
            )
            note = "Mời đơn vị đến làm việc tại cơ quan BHXH."
        elif stage == Stage.INSPECTION:
            referral = work.refer(
                case,
                Agency.Kind.LABOUR_INSPECTORATE,
                ReferralPurpose.INSPECT,
                officer,
                before,
                "Đề nghị thanh tra chuyên ngành việc đóng BHXH, BHYT, BHTN.",
            )
            if rng.random() < 0.5:
                work.answer(
                    referral,
                    ReferralStatus.CONCLUDED,
                    "Đã thanh tra tại đơn vị.",
                    "Kết luận: đơn vị vi phạm, yêu cầu nộp đủ số tiền chậm đóng.",
                )
            else:
                work.answer(referral, ReferralStatus.ACKNOWLEDGED, "Đã đưa vào kế hoạch thanh tra.")
            note = "Chuyển thanh tra chuyên ngành."
        elif stage == Stage.SANCTIONED:
            fine = law.fine_range(arrears, law.Violation.LATE).low // 1000 * 1000
            cases.log_event(
                case=case,
                kind=EventKind.PENALTY_DECISION,
                by=officer,
                occurred_on=before,
                text="Quyết định xử phạt vi phạm hành chính về chậm đóng.",
                penalty_amount=max(fine, 1_000_000),
                decision_number=f"{rng.randint(10, 99)}/QĐ-XPVPHC",
            )
            note = "Đã có quyết định xử phạt."
        elif stage == Stage.CRIMINAL_REFERRAL:
            cases.approve_criminal_referral(case=case, by=work.manager, on=before)
            work.refer(
                case,
                Agency.Kind.POLICE,
                ReferralPurpose.INVESTIGATE,
                officer,
                before,
                "Đề nghị xem xét dấu hiệu tội trốn đóng bảo hiểm (Điều 216 BLHS).",
            )
            note = "Chuyển hồ sơ sang Công an tỉnh."
        elif stage == Stage.PROSECUTION:
            police = case.referrals.get(agency__kind=Agency.Kind.POLICE)
            work.answer(
                police,
                ReferralStatus.CONCLUDED,
                "Đã điều tra, xác minh.",
                "Khởi tố vụ án hình sự về tội trốn đóng bảo hiểm.",
            )
            work.refer(case, Agency.Kind.PROCURACY, ReferralPurpose.OTHER, officer, before)
            court = work.refer(case, Agency.Kind.COURT, ReferralPurpose.OTHER, officer, before)
            work.answer(court, ReferralStatus.ACKNOWLEDGED, "Đã nhận hồ sơ.")
            note = "Cơ quan công an đã khởi tố."
        cases.move_stage(case=case, to=stage, by=officer, note=note, on=on)
    if target == Stage.SUMMONED or (target in LADDER[2:] and rng.random() < 0.5):
        cases.log_event(
            case=case,
            kind=EventKind.WORKING_SESSION,
            by=officer,
            occurred_on=days[-1],
            text="Làm việc với đại diện đơn vị về số tiền chậm đóng.",
            minutes="Đơn vị thừa nhận số nợ, trình bày khó khăn về dòng tiền và cam kết trả dần.",
        )


def _commit(work: _Work, case: RecoveryCase, officer: User) -> None:
    """A plan from the working session: kept where the employer paid after signing it (its
    instalments are those payments), else broken or still pending."""
    signed = case.opened_on + timedelta(days=10)
    _dues, payments = employer_ledger(case.employer)
    after = [p for p in payments if signed <= p.paid_on <= work.as_of][:3]
    if after:
        instalments = [(p.paid_on, p.amount) for p in after]
    else:
        share = max(1_000_000, case.arrears_at_opening // 3 // 1000 * 1000)
        instalments = [(signed + timedelta(days=30 * (k + 1)), share) for k in range(3)]
    cases.add_commitment(
        case=case,
        kind=CommitmentKind.PLAN if len(instalments) > 1 else CommitmentKind.PROMISE,
        signed_on=signed,
        instalments=instalments,
        by=officer,
        note="Lộ trình trả nợ ký tại buổi làm việc.",
    )
    work.made["commitments"] += 1


# The agencies the extra referrals go to in turn (the industrial-zone board for employers in a
# zone), with the answer each gives: (status, response, outcome), or None for no answer yet.
EXTRA = (
    (
        Agency.Kind.LABOUR_FEDERATION,
        ReferralPurpose.SUE,
        (ReferralStatus.IN_PROGRESS, "Đang chuẩn bị hồ sơ khởi kiện thay người lao động.", ""),
    ),
    (Agency.Kind.TAX, ReferralPurpose.OTHER, None),
    (
        Agency.Kind.PEOPLES_COMMITTEE,
        ReferralPurpose.MEDIATE,
        (
            ReferralStatus.CONCLUDED,
            "UBND đã làm việc với đơn vị.",
            "Đơn vị cam kết nộp dứt điểm trong quý.",
        ),
    ),
)
IZ_BOARD = (
    Agency.Kind.IZ_BOARD,
    ReferralPurpose.MEDIATE,
    (ReferralStatus.IN_PROGRESS, "Đã mời đơn vị làm việc tại Ban.", ""),
)


def _extra_referral(work: _Work, case: RecoveryCase, officer: User) -> None:
    """Another agency on the case: the industrial-zone board for an employer in a zone, else
    the labour federation, tax and the People's Committee in turn."""
    if case.employer.industrial_zone:
        code, purpose, answer = IZ_BOARD
    else:
        code, purpose, answer = EXTRA[work.made["extra"] % len(EXTRA)]
        work.made["extra"] += 1
    on = work.as_of - timedelta(days=work.rng.randint(5, 20))
    referral = work.refer(case, code, purpose, officer, on)
    if answer is not None:
        work.answer(referral, *answer)


def make_cases(*, as_of: date, users: Sequence[User], employers: QuerySet[Employer]) -> str:
    """Cases for ``employers`` (the demo's) with the demo ``users``; a line for the summary."""
    by_role = [u for u in users if u.role == User.Role.OFFICER]
    officers = {d.pk: u for u in by_role for d in u.offices.all()}
    work = _Work(
        as_of=as_of,
        rng=random.Random(2025),  # noqa: S311 -- reproducible demo data, not secrets
        manager=next(u for u in users if u.role == User.Role.MANAGER),
        officers=officers,
        liaisons={u.agency.code: u for u in users if u.is_liaison and u.agency},
        agencies={a.code: a for a in Agency.objects.all()},
    )
    balances = Balance.objects.filter(employer__in=employers).select_related("employer")
    in_arrears = list(balances.filter(arrears__gt=0).order_by("-months_in_arrears", "-arrears"))
    active = [b.employer for b in in_arrears if not b.employer.is_hard_to_collect]
    per_stage = max(1, min(MAX_PER_STAGE, len(active) // 25))
    ladder = [(PLAN[k % len(PLAN)], e) for k, e in enumerate(active[: per_stage * len(PLAN)])]
    for target, employer in ladder:
        officer = work.officers.get(employer.office_id, work.manager)
        depth = LADDER.index(target)
        opened = as_of - timedelta(days=20 + 35 * depth + work.rng.randint(0, 10))
        case = cases.open_case(employer=employer, by=officer, officer=officer, on=opened)
        _climb(work, case, target, officer)
        case.refresh_from_db()
        if target == Stage.SUMMONED:
            _commit(work, case, officer)
        if target in (Stage.SUMMONED, Stage.INSPECTION, Stage.SANCTIONED):
            _extra_referral(work, case, officer)
        follow_up = as_of + timedelta(days=work.rng.randint(-6, 12))
        cases.log_event(
            case=case,
            kind=EventKind.NOTE,
            by=officer,
            occurred_on=as_of - timedelta(days=1),
            text="Theo dõi việc nộp tiền của đơn vị.",
            follow_up_on=follow_up,
        )
        work.made[target] += 1
    used = {e.pk for _t, e in ladder}
    if not work.made[f"to_{Agency.Kind.IZ_BOARD}"]:
        # A small demo may have put no employer of an industrial zone on the ladder.
        zoned = next((e for e in active if e.industrial_zone and e.pk not in used), None)
        if zoned is not None:
            officer = work.officers.get(zoned.office_id, work.manager)
            case = cases.open_case(
                employer=zoned, by=officer, officer=officer, on=as_of - timedelta(days=60)
            )
            _climb(work, case, Stage.SUMMONED, officer)
            _extra_referral(work, case, officer)
            work.made[Stage.SUMMONED] += 1
            used.add(zoned.pk)
    _endings(work, in_arrears, used=used, employers=employers)
    stages = ", ".join(
        f"{Stage(s).label}: {work.made[s]}" for s in (*LADDER, *ENDINGS) if work.made[s]
    )
    return (
        f"{sum(work.made[s] for s in Stage)} hồ sơ ({stages}); "
        f"{work.made['referrals']} đề nghị chuyển cơ quan; {work.made['commitments']} cam kết"
    )


def _endings(
    work: _Work, in_arrears: list[Balance], *, used: set[int], employers: QuerySet[Employer]
) -> None:
    """Cases that ended: resolved (paid up since), hard to collect, closed; and a pending
    force-majeure claim on an open case."""
    as_of = work.as_of
    hard = [b.employer for b in in_arrears if b.employer.is_hard_to_collect][:2]
    for employer in hard:
        officer = work.officers.get(employer.office_id, work.manager)
        case = cases.open_case(employer=employer, by=officer, on=as_of - timedelta(days=90))
        cases.move_stage(
            case=case,
            to=Stage.HARD_TO_COLLECT,
            by=officer,
            note=f"Đơn vị {employer.get_status_display().lower()}.",
            on=as_of - timedelta(days=30),
        )
        work.made[Stage.HARD_TO_COLLECT] += 1

    # Resolved: employers clean today that were in arrears three months ago.
    opened = as_of - timedelta(days=90)
    clean = Balance.objects.filter(employer__in=employers, arrears=0).select_related("employer")
    resolved = 0
    for balance in clean.order_by("employer__unit_code")[:200]:
        employer = balance.employer
        if resolved == 2:
            break
        dues, payments = employer_ledger(employer)
        if not ledger.balance_on(dues, payments, opened, InterestRate.table()).arrears:
            continue
        officer = work.officers.get(employer.office_id, work.manager)
        case = cases.open_case(employer=employer, by=officer, officer=officer, on=opened)
        cases.log_event(
            case=case,
            kind=EventKind.WORKING_SESSION,
            by=officer,
            occurred_on=opened + timedelta(days=14),
            text="Làm việc với đơn vị; đơn vị cam kết nộp đủ.",
        )
        cases.move_stage(
            case=case, to=Stage.RESOLVED, by=officer, note="Đơn vị đã nộp đủ số nợ.", on=as_of
        )
        work.made[Stage.RESOLVED] += 1
        resolved += 1

    spare = [b.employer for b in in_arrears if b.employer.pk not in used]
    spare = [e for e in spare if not e.is_hard_to_collect and e not in hard]
    if spare:
        employer = spare[0]
        officer = work.officers.get(employer.office_id, work.manager)
        case = cases.open_case(employer=employer, by=officer, on=as_of - timedelta(days=40))
        cases.move_stage(
            case=case,
            to=Stage.CLOSED,
            by=officer,
            note="Đơn vị chuyển trụ sở sang tỉnh khác; chuyển BHXH nơi mới quản lý.",
            on=as_of - timedelta(days=10),
        )
        work.made[Stage.CLOSED] += 1

    summoned = RecoveryCase.objects.filter(employer__in=employers, stage=Stage.SUMMONED).first()
    if summoned is not None:
        cases.claim_force_majeure(
            employer=summoned.employer,
            case=summoned,
            by=summoned.officer or work.manager,
            first_period=as_of.replace(day=1) - timedelta(days=70),
            last_period=as_of.replace(day=1) - timedelta(days=40),
            reason="Xưởng sản xuất bị ngập do lũ, ngừng hoạt động hai tháng.",
            proof=SimpleUploadedFile("xac-nhan-ubnd-xa.pdf", BLANK_PDF),
        )


def wipe_cases(employers: QuerySet[Employer]) -> None:
    """The demo's cases and the files they stored (rows alone would leave the files)."""
    demo_cases = RecoveryCase.objects.filter(employer__in=employers)
    for case in demo_cases.prefetch_related("attachments", "claims"):
        for attachment in case.attachments.all():
            attachment.file.delete(save=False)
        for claim in case.claims.all():
            claim.proof.delete(save=False)
    demo_cases.delete()
