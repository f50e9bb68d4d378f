"""The pages of recovery work: the case list and board, "this week", and a case's page with
everything it shows.

Every view reaches a case through ``case_for`` (out of scope is 404, as if it did not exist)
and its referrals through ``referral_for``, both by ``accounts.access``. Liaisons read the
cases referred to their agency, answer their referrals and log their agency's events; every
other action answers them 404. The quick actions are in ``actions.py``, the files and
letters in ``files.py``, the history in ``history.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import Agency, User
from arrears import law, ledger
from arrears.cases.dossier import (
    MINUTES,
    POLICE_DOSSIER,
    dossier_missing,
    signed_session_minutes,
)
from arrears.cases.filters import CaseFilter, OfficerFilterForm
from arrears.cases.forms import (
    AnswerReferralForm,
    CommitmentForm,
    DossierFileForm,
    EventForm,
    FineForm,
    ForceMajeureForm,
    MoveStageForm,
    ReferralForm,
    SendReferralForm,
    stage_choices,
)
from arrears.cases.history import case_history
from arrears.cases.selectors import (
    DOCUMENT_KINDS,
    broken_instalments,
    case_figures,
    case_timeline,
    instalment_status,
    with_instalment_status,
)
from arrears.cases.services import check_commitment
from arrears.models import (
    LADDER,
    Attachment,
    Commitment,
    Instalment,
    RecoveryCase,
    Referral,
    ReferralStatus,
    Stage,
)
from arrears.partners.selectors import overdue_referrals
from arrears.selectors import employer_ledger
from desk.collation import vietnamese_order

STEP_LABELS = {
    law.Step.NONE: gettext_lazy("Không cần biện pháp: đơn vị không nợ"),
    law.Step.REMINDER: gettext_lazy("Đôn đốc bằng văn bản (nợ dưới 1 tháng)"),
    law.Step.URGENT_NOTICE: gettext_lazy(
        "Thông báo khẩn, lập biên bản vi phạm (nợ 1 đến dưới 3 tháng)"
    ),
    law.Step.INSPECTION: gettext_lazy("Thanh tra, kiểm tra và xử phạt (nợ từ 3 tháng)"),
    law.Step.ENFORCEMENT: gettext_lazy("Chuyển cơ quan thực thi pháp luật (nợ trên 6 tháng)"),
}
# The case list's sort keys and the columns they order by.
STAGE_ORDER = models.Case(
    *[models.When(stage=stage.value, then=index) for index, stage in enumerate(Stage)],
    output_field=models.IntegerField(),
)
CASE_SORTS = {
    "opened": [F("opened_on").desc(), F("id").desc()],
    "arrears": [F("employer__balance__arrears").desc(nulls_last=True), F("id").desc()],
    "follow_up": [F("follow_up_on").asc(nulls_last=True), F("id").desc()],
    "unit_code": [F("employer__unit_code").asc(), F("id").desc()],
    "name": [*vietnamese_order("employer__name"), F("id").desc()],
    "stage": [STAGE_ORDER.asc(), F("id").desc()],
}
CASES_PER_PAGE = 50
BOARD_CARDS = 12  # cards per column; the column's count and link lead to the full list

# --------------------------------------------------------------------------------------------
# Access


def _scoped(user: User) -> models.QuerySet[RecoveryCase]:
    """The cases this user sees, one row each (in_scope joins referrals for liaisons), so that
    sorting and window functions see each case once. Staff's scope is a plain filter (no
    second pass over every case)."""
    if user.is_authenticated and user.is_liaison:
        return RecoveryCase.objects.filter(pk__in=access.scoped(RecoveryCase, user).values("pk"))
    return access.scoped(RecoveryCase, user)


def case_for(request: HttpRequest, pk: int, *, staff: bool = False) -> RecoveryCase:
    """The case if this user may see it, else 404; with ``staff``, only for the office's own
    staff (a liaison's 404 as well)."""
    user = access.staff(request) if staff else request.user
    return access.get_for_user(
        RecoveryCase.objects.select_related(
            "employer__office", "officer", "criminal_referral_approved_by"
        ),
        user,
        pk=pk,
    )


def referral_for(request: HttpRequest, case: RecoveryCase, referral_pk: int) -> Referral:
    """One of the case's referrals this user sees (a liaison: sent to their agency), else
    404."""
    return access.get_for_user(
        case.referrals.select_related("agency", "approved_by"), request.user, pk=referral_pk
    )


# --------------------------------------------------------------------------------------------
# The list, the board, this week


def case_list(request: HttpRequest) -> HttpResponse:
    filterset = CaseFilter(request.GET, queryset=_scoped(request.user), user=request.user)
    sort = request.GET.get("sort", "opened")
    if sort not in CASE_SORTS:
        sort = "opened"
    found = filterset.qs.select_related("employer__office", "employer__balance", "officer")
    page = Paginator(found.order_by(*CASE_SORTS[sort]), CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    broken = set(
        broken_instalments()
        .filter(commitment__case__in=[case.pk for case in page])
        .values_list("commitment__case_id", flat=True)
    )
    overdue = set(
        overdue_referrals(request.user, timezone.localdate())
        .filter(case__in=[case.pk for case in page])
        .values_list("case_id", flat=True)
    )
    return render(
        request,
        "arrears/cases/list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": sort,
            "broken": broken,
            "overdue": overdue,
            "today": timezone.localdate(),
        },
    )


@dataclass
class BoardColumn:
    stage: Stage
    count: int
    cards: list[RecoveryCase]


def case_board(request: HttpRequest) -> HttpResponse:
    """The open cases by stage: each ladder stage a column with its count and its largest
    debts (two queries whatever the number of cases)."""
    filterset = CaseFilter(request.GET, queryset=_scoped(request.user), user=request.user)
    open_cases = filterset.qs.filter(stage__in=LADDER)
    counts = dict(open_cases.order_by().values_list("stage").annotate(n=Count("id")))
    ranked = (
        open_cases.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("stage"),
                order_by=[F("employer__balance__arrears").desc(nulls_last=True), F("id").desc()],
            )
        )
        .filter(rank__lte=BOARD_CARDS)
        .select_related("employer__balance", "officer")
        .order_by("rank")
    )
    cards: dict[str, list[RecoveryCase]] = {}
    for case in ranked:
        cards.setdefault(case.stage, []).append(case)
    columns = [BoardColumn(s, counts.get(s.value, 0), cards.get(s.value, [])) for s in LADDER]
    return render(request, "arrears/cases/board.html", {"filter": filterset, "columns": columns})


def _with_status(instalments: Iterable[Instalment], today: date) -> list[Instalment]:
    rows = list(instalments)
    for instalment in rows:
        instalment.status = instalment_status(instalment, today)
    return rows


def case_week(request: HttpRequest) -> HttpResponse:
    """An officer's week: follow-ups due this week or overdue, instalments due this week and
    broken commitments, on their open cases. Managers see every officer's, or one's; the
    head of an office their office's officers', or one's."""
    user = access.staff(request)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    open_cases = _scoped(user).open()
    chooses = user.gives_approvals  # managers and heads look over their officers' weeks
    form = OfficerFilterForm(request.GET or None, user=user)
    officer = None if chooses else user
    if chooses and form.is_valid():
        officer = form.cleaned_data["officer"]
    if officer is not None:
        open_cases = open_cases.filter(officer=officer)
    related = ("commitment__case__employer", "commitment__case__officer")
    follow_ups = (
        open_cases.filter(follow_up_on__lte=sunday)
        .select_related("employer__balance", "officer")
        .order_by("follow_up_on", "id")
    )
    due = with_instalment_status(
        Instalment.objects.filter(
            commitment__case__in=open_cases, due_on__range=(monday, sunday)
        ).select_related(*related),
        today,
    ).order_by("due_on", "id")
    broken = (
        broken_instalments(today)
        .filter(commitment__case__in=open_cases)
        .select_related(*related)
        .order_by("due_on", "id")
    )
    return render(
        request,
        "arrears/cases/week.html",
        {
            "form": form if chooses else None,
            "officer": officer,
            "monday": monday,
            "sunday": sunday,
            "today": today,
            "follow_ups": follow_ups,
            "due": _with_status(due, today),
            "broken": _with_status(broken, today),
        },
    )


# --------------------------------------------------------------------------------------------
# A case


@dataclass
class DossierItem:
    code: str
    label: str
    files: list[Attachment]
    form: DossierFileForm | None


@dataclass
class ReferralRow:
    referral: Referral
    recovered: int | None
    dossier: list[DossierItem]
    missing: list[tuple[str, str]]
    send_form: SendReferralForm | None
    answer_form: AnswerReferralForm | None
    overdue: bool = False


@dataclass
class CommitmentRow:
    commitment: Commitment
    checks: list[law.InstalmentCheck]

    @property
    def broken(self) -> bool:
        return any(c.status == law.InstalmentStatus.BROKEN for c in self.checks)


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def _referral_rows(
    request: HttpRequest, case: RecoveryCase, payments: Sequence[ledger.Paid], today: date
) -> list[ReferralRow]:
    user = request.user
    rows = []
    referrals = access.scoped(case.referrals.select_related("agency", "approved_by"), user)
    signed: list[Attachment] | None = None  # read once, for the first police referral
    for referral in referrals.prefetch_related("attachments"):
        draft = referral.status == ReferralStatus.DRAFT
        dossier = []
        if referral.agency.kind == Agency.Kind.POLICE:
            files = list(referral.attachments.all())
            # A working session's signed minutes stand as the minutes item: no second upload.
            if signed is None:
                signed = list(signed_session_minutes(case.pk))
            for file in signed:
                file.dossier_item = MINUTES  # shown under the item, not saved
            files += signed
            for code, label in POLICE_DOSSIER:
                form = None
                if draft and user.is_staff_member and not (code == MINUTES and signed):
                    form = DossierFileForm(
                        action=_url("case_dossier_upload", case.pk, referral.pk, code),
                        html_id=f"dossier-{referral.pk}-{code}",
                    )
                dossier.append(
                    DossierItem(code, label, [f for f in files if f.dossier_item == code], form)
                )
        rows.append(
            ReferralRow(
                referral=referral,
                recovered=(
                    law.referral_recovered(
                        referral.arrears_at_referral or 0, payments, referral.sent_on, today
                    )
                    if referral.sent_on
                    else None
                ),
                dossier=dossier,
                missing=dossier_missing(referral, minutes_signed=bool(signed)),
                send_form=(
                    SendReferralForm(
                        action=_url("case_referral_send", case.pk, referral.pk),
                        html_id=f"send-{referral.pk}",
                    )
                    if draft and user.is_staff_member
                    else None
                ),
                answer_form=(
                    AnswerReferralForm(
                        action=_url("case_referral_answer", case.pk, referral.pk),
                        html_id=f"answer-{referral.pk}",
                        initial={
                            "status": referral.status,
                            "response": referral.response,
                            "outcome": referral.outcome,
                        },
                    )
                    if not draft
                    else None
                ),
                overdue=referral.is_overdue(today),
            )
        )
    return rows


def detail_context(request: HttpRequest, case: RecoveryCase) -> dict[str, Any]:
    """Everything the case page shows, in a fixed number of queries whatever the number of
    events, referrals, commitments or changes."""
    user = request.user
    today = timezone.localdate()
    employer = case.employer
    figures = case_figures(case, today)
    _dues, payments = employer_ledger(employer)
    referrals = _referral_rows(request, case, payments, today)
    commitments = [
        CommitmentRow(c, check_commitment(c, today, payments=payments))
        for c in case.commitments.prefetch_related("instalments")
    ]
    staff = user.is_staff_member
    context: dict[str, Any] = {
        "case": case,
        "employer": employer,
        "figures": figures,
        "step_label": STEP_LABELS[figures.step],
        "today": today,
        "timeline": case_timeline(case, today, user),
        "referrals": referrals,
        "commitments": commitments,
        "claims": list(case.claims.select_related("decided_by")),
        "history": case_history(
            case, [r.referral for r in referrals], [row.commitment for row in commitments]
        ),
        "staff": staff,
        # The approvals the ladder asks for: managers, and the head of the employer's office.
        "approves": user.approves_for(employer.office_id),
        "event_form": EventForm(user=user, action=_url("case_log_event", case.pk)),
        "fine_form": FineForm(action=_url("case_fines", case.pk)),
        "document_kinds": [(k.value, k.label) for k in DOCUMENT_KINDS],
    }
    if staff:
        context |= {
            "move_form": (
                MoveStageForm(case=case, user=user, action=_url("case_move", case.pk))
                if stage_choices(case, user)
                else None
            ),
            "referral_form": ReferralForm(employer=employer, action=_url("case_refer", case.pk)),
            "commitment_form": CommitmentForm(action=_url("case_commit", case.pk)),
            "claim_form": ForceMajeureForm(action=_url("case_claim", case.pk)),
        }
    return context


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)
    return render(request, "arrears/cases/detail.html", detail_context(request, case))
