"""Recovery work for the demo province, made through the services of
``arrears.cases.services`` as the pages would make it: cases at every stage of the ladder and
every ending, with their timeline, referrals to every kind of partner organisation (some
answered, some concluded, the police with their full dossier), commitments kept, broken and
pending, and a force-majeure claim.

Each case is worked by an officer of the employer's managing office (one narrowed to its
commune first); police referrals are approved by the head of that office (the manager for the
provincial office's employers). Referrals go to the organisation that fits: the provincial
police, inspectorate, court and procuracy for the ladder; the commune's own People's
Committee and police station where the demo has them, the industrial zones' board and trade
union for employers in a zone.

Called by ``manage.py load_demo`` after the ledger and balances; the employers it picks are
those the balances show in arrears, the most months first for the harshest stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet

from accounts.models import Agency, User
from arrears import law, ledger
from arrears.cases import services as cases
from arrears.models import (
    ENDINGS,
    LADDER,
    Balance,
    CommitmentKind,
    EventKind,
    InterestRate,
    RecoveryCase,
    ReferralPurpose,
    ReferralStatus,
    Stage,
)
from arrears.selectors import employer_ledger
from demo.referrals import BLANK_PDF, EXTRA, SHOWN, Work, extra_referral, send_extra
from participants.models import Employer

# The harshest stage first: it goes to the employer with the most months in arrears.
PLAN = tuple(reversed(LADDER))
MAX_PER_STAGE = 8


def _dates(opened: date, last: date, steps: int) -> list[date]:
    """``steps`` dates spread between the opening and ``last``."""
    span = max(1, (last - opened).days)
    return [opened + timedelta(days=span * (k + 1) // (steps + 1)) for k in range(steps)]


def _climb(work: Work, case: RecoveryCase, target: Stage, officer: User) -> None:
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
                work.agencies[Agency.Kind.LABOUR_INSPECTORATE],
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
            cases.approve_criminal_referral(case=case, by=work.approver(case.employer), on=before)
            work.refer(
                case,
                work.agencies[Agency.Kind.POLICE],  # the provincial police's economic division
                ReferralPurpose.INVESTIGATE,
                officer,
                before,
                "Đề nghị xem xét dấu hiệu tội trốn đóng bảo hiểm (Điều 216 BLHS).",
            )
            note = "Chuyển hồ sơ sang Công an tỉnh."
        elif stage == Stage.PROSECUTION:
            police = case.referrals.get(agency__code=Agency.Kind.POLICE)
            work.answer(
                police,
                ReferralStatus.CONCLUDED,
                "Đã điều tra, xác minh.",
                "Khởi tố vụ án hình sự về tội trốn đóng bảo hiểm.",
            )
            procuracy, court = (
                work.agencies[Agency.Kind.PROCURACY],
                work.agencies[Agency.Kind.COURT],
            )
            work.refer(case, procuracy, ReferralPurpose.OTHER, officer, before)
            court = work.refer(case, court, ReferralPurpose.OTHER, officer, before)
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


def _commit(work: Work, case: RecoveryCase, officer: User) -> None:
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


def _show_every_organisation(
    work: Work, active: list[Employer], opened: dict[int, RecoveryCase]
) -> None:
    """A referral for each of ``SHOWN`` the turns gave none to, for an employer it fits: one
    without a case first (its case opened), else one on the ladder (on its case, the lowest
    steps first). Where some
    of the organisations it may go to have a liaison in the demo (police_xa's police station),
    it goes to one of those, so that the liaison has a referral to see."""
    for extra in SHOWN:
        # Those without a case first, then those on the ladder from its first steps up.
        candidates = sorted(
            active,
            key=lambda e: (e.pk in opened, e.pk in opened and LADDER.index(opened[e.pk].stage)),
        )
        fits = [(e, to) for e in candidates if (to := extra.organisation(work, e)) is not None]
        fits = [(e, to) for e, to in fits if to.code in work.liaisons] or fits
        if not fits or any(work.made[f"to_{to.code}"] for _e, to in fits):
            continue  # a small demo has no employer it fits, or it is shown already
        employer, to = fits[0]
        officer = work.officer(employer)
        case = opened.get(employer.pk)
        if case is None:
            case = cases.open_case(
                employer=employer, by=officer, officer=officer, on=work.as_of - timedelta(days=60)
            )
            _climb(work, case, Stage.SUMMONED, officer)
            opened[employer.pk] = case
            work.made[Stage.SUMMONED] += 1
        send_extra(work, case, extra, to, officer, work.as_of - timedelta(days=10))


def make_cases(*, as_of: date, users: Sequence[User], employers: QuerySet[Employer]) -> str:
    """Cases for ``employers`` (the demo's) with the demo ``users``; a line for the summary."""
    work = Work.of(as_of, users)
    balances = Balance.objects.filter(employer__in=employers).select_related("employer")
    in_arrears = list(balances.filter(arrears__gt=0).order_by("-months_in_arrears", "-arrears"))
    active = [b.employer for b in in_arrears if not b.employer.is_hard_to_collect]
    per_stage = max(1, min(MAX_PER_STAGE, len(active) // 25))
    ladder = [(PLAN[k % len(PLAN)], e) for k, e in enumerate(active[: per_stage * len(PLAN)])]
    opened: dict[int, RecoveryCase] = {}  # employer id: its case
    for target, employer in ladder:
        officer = work.officer(employer)
        depth = LADDER.index(target)
        on = as_of - timedelta(days=20 + 35 * depth + work.rng.randint(0, 10))
        case = opened[employer.pk] = cases.open_case(
            employer=employer, by=officer, officer=officer, on=on
        )
        _climb(work, case, target, officer)
        case.refresh_from_db()
        if target == Stage.SUMMONED:
            _commit(work, case, officer)
        if target in (Stage.SUMMONED, Stage.INSPECTION, Stage.SANCTIONED):
            extra_referral(work, case, officer)
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
    _show_every_organisation(work, active, opened)
    _endings(work, in_arrears, used=set(opened), employers=employers)
    stages = ", ".join(
        f"{Stage(s).label}: {work.made[s]}" for s in (*LADDER, *ENDINGS) if work.made[s]
    )
    local = sum(work.made[extra] for extra in EXTRA if extra.where == "commune")
    return (
        f"{sum(work.made[s] for s in Stage)} hồ sơ ({stages}); "
        f"{work.made['referrals']} đề nghị chuyển cơ quan ({local} tới cơ quan cấp xã); "
        f"{work.made['commitments']} cam kết"
    )


def _endings(
    work: Work, in_arrears: list[Balance], *, used: set[int], employers: QuerySet[Employer]
) -> None:
    """Cases that ended: resolved (paid up since), hard to collect, closed; and a pending
    force-majeure claim on an open case."""
    as_of = work.as_of
    hard = [b.employer for b in in_arrears if b.employer.is_hard_to_collect][:2]
    for employer in hard:
        officer = work.officer(employer)
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
        officer = work.officer(employer)
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
        officer = work.officer(employer)
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
