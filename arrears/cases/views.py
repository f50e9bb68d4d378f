"""The pages of recovery work: the case list and board, a case with its quick actions (htmx
partials), "this week", attachments and letters, and the letters' templates.

Every view reaches a case through ``_case_for`` (out of scope is 404, as if it did not exist).
Liaisons read the cases referred to their agency, answer their referrals and log their
agency's events; every other action answers them 404. The rules are the services' in
``arrears.cases.services``: a view turns a form into one service call and shows what it said.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget
from pghistory.models import Events

from accounts import access
from accounts.models import Agency, User
from arrears import law, ledger
from arrears.cases import services as cases
from arrears.cases.forms import (
    AnswerReferralForm,
    CaseFilter,
    CommitmentForm,
    DocumentTemplateForm,
    DossierFileForm,
    EventForm,
    FineForm,
    ForceMajeureForm,
    MoveStageForm,
    OfficerFilterForm,
    QuickForm,
    ReferralForm,
    SendReferralForm,
    stage_choices,
)
from arrears.documents import letters as documents
from arrears.models import (
    LADDER,
    Attachment,
    CaseEvent,
    Commitment,
    DocumentTemplate,
    Instalment,
    Payment,
    Policy,
    RecoveryCase,
    Referral,
    ReferralStatus,
    Stage,
)
from arrears.selectors import employer_ledger
from arrears.templatetags.cases import person
from desk.collation import vietnamese_order
from participants.models import Employer

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
HISTORY_ROWS = 40  # the latest changes shown on a case
DOCUMENT_KINDS = (DocumentTemplate.Kind.REMINDER_NOTICE, DocumentTemplate.Kind.SESSION_INVITATION)


# --------------------------------------------------------------------------------------------
# Access


def _scoped(user: User) -> models.QuerySet[RecoveryCase]:
    """The cases this user sees, one row each (in_scope joins referrals for liaisons), so that
    sorting and window functions see each case once."""
    return RecoveryCase.objects.filter(pk__in=RecoveryCase.objects.in_scope(user).values("pk"))


def _case_for(request: HttpRequest, pk: int, *, staff: bool = False) -> RecoveryCase:
    """The case if this user may see it, else 404; with ``staff``, only for the office's own
    staff (a liaison's 404 as well)."""
    user = access.staff(request) if staff else request.user
    return access.get_for_user(
        RecoveryCase.objects.select_related(
            "employer__district", "officer", "criminal_referral_approved_by"
        ),
        user,
        pk=pk,
    )


def _referrals_for(user: User, case: RecoveryCase) -> models.QuerySet[Referral]:
    """The case's referrals this user sees: a liaison only those sent to their agency."""
    referrals = case.referrals.select_related("agency", "approved_by")
    if user.is_liaison:
        referrals = referrals.filter(agency_id=user.agency_id, sent_on__isnull=False)
    return referrals


_DAY = forms.DateField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])


def _on(request: HttpRequest) -> date:
    """``?on=`` as YYYY-MM-DD or dd/mm/yyyy, else today."""
    try:
        return _DAY.clean(request.GET.get("on")) or timezone.localdate()
    except ValidationError:
        return timezone.localdate()


# --------------------------------------------------------------------------------------------
# The list, the board, this week


def case_list(request: HttpRequest) -> HttpResponse:
    filterset = CaseFilter(request.GET, queryset=_scoped(request.user), user=request.user)
    sort = request.GET.get("sort", "opened")
    if sort not in CASE_SORTS:
        sort = "opened"
    found = filterset.qs.select_related("employer__district", "employer__balance", "officer")
    page = Paginator(found.order_by(*CASE_SORTS[sort]), CASES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    broken = set(
        cases.broken_instalments()
        .filter(commitment__case__in=[case.pk for case in page])
        .values_list("commitment__case_id", flat=True)
    )
    return render(
        request,
        "arrears/cases/list.html",
        {
            "filter": filterset,
            "page": page,
            "sort": sort,
            "broken": broken,
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
        instalment.status = cases.instalment_status(instalment, today)
    return rows


def case_week(request: HttpRequest) -> HttpResponse:
    """An officer's week: follow-ups due this week or overdue, instalments due this week and
    broken commitments, on their open cases. Managers see every officer's, or one's."""
    user = access.staff(request)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    sunday = monday + timedelta(days=6)
    open_cases = _scoped(user).open()
    form = OfficerFilterForm(request.GET or None)
    officer = user if not user.is_manager else None
    if user.is_manager and form.is_valid():
        officer = form.cleaned_data["officer"]
    if officer is not None:
        open_cases = open_cases.filter(officer=officer)
    related = ("commitment__case__employer", "commitment__case__officer")
    follow_ups = (
        open_cases.filter(follow_up_on__lte=sunday)
        .select_related("employer__balance", "officer")
        .order_by("follow_up_on", "id")
    )
    due = cases.with_instalment_status(
        Instalment.objects.filter(
            commitment__case__in=open_cases, due_on__range=(monday, sunday)
        ).select_related(*related),
        today,
    ).order_by("due_on", "id")
    broken = (
        cases.broken_instalments(today)
        .filter(commitment__case__in=open_cases)
        .select_related(*related)
        .order_by("due_on", "id")
    )
    return render(
        request,
        "arrears/cases/week.html",
        {
            "form": form if user.is_manager else None,
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
class TimelineEntry:
    day: date
    event: CaseEvent | None = None
    payment: Payment | None = None


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


@dataclass
class CommitmentRow:
    commitment: Commitment
    checks: list[law.InstalmentCheck]

    @property
    def broken(self) -> bool:
        return any(c.status == law.InstalmentStatus.BROKEN for c in self.checks)


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    what: str
    created: bool
    changes: list[Change] = field(default_factory=list)


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def _referral_rows(
    request: HttpRequest, case: RecoveryCase, payments: Sequence[ledger.Paid], today: date
) -> list[ReferralRow]:
    user = request.user
    rows = []
    for referral in _referrals_for(user, case).prefetch_related("attachments"):
        draft = referral.status == ReferralStatus.DRAFT
        dossier = []
        if referral.agency.code == Agency.Code.POLICE:
            files = list(referral.attachments.all())
            for code, label in cases.POLICE_DOSSIER:
                form = None
                if draft and user.is_staff_member:
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
                missing=cases.dossier_missing(referral),
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
                        initial={"status": referral.status, "response": referral.response},
                    )
                    if not draft
                    else None
                ),
            )
        )
    return rows


def _detail_context(request: HttpRequest, case: RecoveryCase) -> dict[str, Any]:
    """Everything the case page shows, in a fixed number of queries whatever the number of
    events, referrals, commitments or changes."""
    user = request.user
    today = timezone.localdate()
    employer = case.employer
    figures = cases.case_figures(case, today)
    _dues, payments = employer_ledger(employer)

    events = list(case.events.select_related("author", "agency").prefetch_related("attachments"))
    on_timeline = {event.payment_id for event in events if event.payment_id}
    received = employer.payments.filter(paid_on__range=(case.opened_on, today)).exclude(
        pk__in=on_timeline
    )
    timeline = [TimelineEntry(e.occurred_on, event=e) for e in events]
    timeline += [TimelineEntry(p.paid_on, payment=p) for p in received]
    timeline.sort(
        key=lambda t: (t.day, t.event.pk if t.event else 0, t.payment.pk if t.payment else 0),
        reverse=True,
    )

    referrals = _referral_rows(request, case, payments, today)
    commitments = [
        CommitmentRow(c, cases.check_commitment(c, today, payments=payments))
        for c in case.commitments.prefetch_related("instalments")
    ]
    staff = user.is_staff_member
    context: dict[str, Any] = {
        "case": case,
        "employer": employer,
        "figures": figures,
        "step_label": STEP_LABELS[figures.step],
        "today": today,
        "timeline": timeline,
        "referrals": referrals,
        "commitments": commitments,
        "claims": list(case.claims.select_related("decided_by")),
        "history": _history(case, [r.referral for r in referrals], commitments),
        "staff": staff,
        "manager": user.is_manager,
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
            "referral_form": ReferralForm(action=_url("case_refer", case.pk)),
            "commitment_form": CommitmentForm(action=_url("case_commit", case.pk)),
            "claim_form": ForceMajeureForm(action=_url("case_claim", case.pk)),
        }
    return context


def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    return render(request, "arrears/cases/detail.html", _detail_context(request, case))


# History: the changes of the case, its referrals and commitments and its employer, as the
# database triggers recorded them (set-based writes included), with who made them.
_HIDDEN = {"id", "created_at", "updated_at", "search_text"}


def _what(obj: models.Model) -> str:
    if isinstance(obj, RecoveryCase):
        return _("Hồ sơ")
    if isinstance(obj, Referral):
        return _("Chuyển %(agency)s") % {"agency": obj.agency.name}
    if isinstance(obj, Commitment):
        return str(obj)
    return _("Đơn vị")


def _history(
    case: RecoveryCase, referrals: list[Referral], commitments: list[CommitmentRow]
) -> list[HistoryEntry]:
    tracked: list[list[models.Model]] = [
        [case],
        list(referrals),
        [row.commitment for row in commitments],
        [case.employer],
    ]
    found: list[tuple[models.Model, Any]] = []
    for objects in tracked:
        if not objects:
            continue
        by_pk = {str(obj.pk): obj for obj in objects}
        events = Events.objects.tracks(*objects).order_by("-pgh_created_at", "-pgh_id")
        found += [(by_pk[e.pgh_obj_id], e) for e in events[:HISTORY_ROWS]]
    found.sort(key=lambda pair: (pair[1].pgh_created_at, pair[1].pgh_id), reverse=True)
    found = found[:HISTORY_ROWS]

    # Names for the users and the other rows the changes point to, one query per model.
    wanted: dict[type[models.Model], set[Any]] = {User: set()}
    for obj, event in found:
        user_id = (event.pgh_context or {}).get("user")
        if user_id:
            wanted[User].add(user_id)
        fields = _fields(type(obj))
        for name, pair in (event.pgh_diff or {}).items():
            target = fields.get(name)
            if target is not None and target.is_relation:
                wanted.setdefault(target.related_model, set()).update(v for v in pair if v)
    named = {model: model.objects.in_bulk(ids) for model, ids in wanted.items() if ids}

    entries = []
    for obj, event in found:
        user_id = (event.pgh_context or {}).get("user")
        who = person(named.get(User, {}).get(user_id)) if user_id else _("Hệ thống")
        fields = _fields(type(obj))
        changes = [
            Change(
                str(fields[name].verbose_name),
                _shown(fields[name], old, named),
                _shown(fields[name], new, named),
            )
            for name, (old, new) in sorted((event.pgh_diff or {}).items())
            if name in fields and name not in _HIDDEN
        ]
        created = event.pgh_label == "insert"
        if created or changes:
            entries.append(HistoryEntry(event.pgh_created_at, who, _what(obj), created, changes))
    return entries


def _fields(model: type[models.Model]) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


def _shown(model_field: models.Field, value: Any, named: dict[type, dict[Any, Any]]) -> str:
    """A recorded value as the page shows it (the history keeps database values)."""
    if value is None or value == "":
        return "–"
    if model_field.is_relation:
        target = named.get(model_field.related_model, {}).get(value)
        if isinstance(target, User):
            return person(target)
        return str(target) if target is not None else f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("Có") if value else _("Không")
    if isinstance(model_field, models.DateTimeField):
        moment = datetime.fromisoformat(str(value))
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    if isinstance(model_field, models.DateField):
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    if isinstance(model_field, models.IntegerField):
        return f"{int(value):,}".replace(",", ".")
    text = str(value)
    return text if len(text) <= 160 else f"{text[:157]}…"


# --------------------------------------------------------------------------------------------
# Quick actions: each posts one form; htmx swaps the case back in, or the form with its errors


def _after(request: HttpRequest, case: RecoveryCase) -> HttpResponse:
    """The case page again: the body as an htmx partial, or a redirect without JavaScript."""
    if request.htmx:
        case = _case_for(request, case.pk)  # what the action changed, read afresh
        response = render(
            request, "arrears/cases/detail.html#case-body", _detail_context(request, case)
        )
        return reswap(retarget(response, "#case-body"), "outerHTML")
    return redirect("case_detail", case.pk)


def _submit(
    request: HttpRequest,
    case: RecoveryCase,
    form: QuickForm,
    perform: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Run ``perform`` on the cleaned form; a service's refusal becomes a form error."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except cases.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return _after(request, case)
    if request.htmx:
        return render(request, "arrears/cases/_form.html", {"form": form})
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("case_detail", case.pk)


def _press(
    request: HttpRequest, case: RecoveryCase, perform: Callable[[], object], done: str
) -> HttpResponse:
    """A button without a form (approve, decide): the refusal is a message on the page."""
    try:
        perform()
    except cases.CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _after(request, case)


@require_POST
def case_open(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Open a case from the employer's page."""
    user = access.staff(request)
    employer = access.get_for_user(Employer, user, unit_code=unit_code)
    try:
        case = cases.open_case(employer=employer, by=request.user)
    except cases.CaseError as exc:
        messages.error(request, str(exc))
        return redirect("employer_detail", unit_code)
    messages.success(request, _("Đã mở hồ sơ thu nợ."))
    return redirect("case_detail", case.pk)


@require_POST
def case_log_event(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)  # liaisons too: their agency's events
    form = EventForm(request.POST, request.FILES, user=request.user, action=request.path)
    return _submit(
        request,
        case,
        form,
        lambda d: cases.log_event(
            case=case,
            kind=d["kind"],
            by=request.user,
            occurred_on=d["occurred_on"],
            text=d["text"],
            minutes=d["minutes"],
            penalty_amount=d["penalty_amount"],
            decision_number=d["decision_number"],
            follow_up_on=d["follow_up_on"],
            attachments=d["attachments"],
        ),
        _("Đã ghi diễn biến."),
    )


@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, staff=True)
    form = MoveStageForm(request.POST, case=case, user=request.user, action=request.path)
    return _submit(
        request,
        case,
        form,
        lambda d: cases.move_stage(
            case=case, to=Stage(d["to"]), by=request.user, note=d["note"], on=d["on"]
        ),
        _("Đã chuyển bước hồ sơ."),
    )


@require_POST
def case_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The banner's button when arrears are back to zero."""
    case = _case_for(request, pk, staff=True)
    return _press(
        request,
        case,
        lambda: cases.move_stage(
            case=case, to=Stage.RESOLVED, by=request.user, note=_("Đơn vị đã nộp đủ số nợ.")
        ),
        _("Hồ sơ đã kết thúc: đã thu hồi."),
    )


@require_POST
def case_approve_criminal(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, staff=True)
    return _press(
        request,
        case,
        lambda: cases.approve_criminal_referral(case=case, by=request.user),
        _("Đã phê duyệt chuyển hồ sơ sang cơ quan công an."),
    )


@require_POST
def case_refer(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, staff=True)
    form = ReferralForm(request.POST, action=request.path)
    return _submit(
        request,
        case,
        form,
        lambda d: cases.create_referral(
            case=case, agency=d["agency"], purpose=d["purpose"], by=request.user, note=d["note"]
        ),
        _("Đã tạo đề nghị chuyển cơ quan phối hợp (chưa gửi)."),
    )


def _referral_for(request: HttpRequest, case: RecoveryCase, referral_pk: int) -> Referral:
    return get_object_or_404(_referrals_for(request.user, case), pk=referral_pk)


@require_POST
def case_dossier_upload(request: HttpRequest, pk: int, referral_pk: int, item: str) -> HttpResponse:
    case = _case_for(request, pk, staff=True)
    referral = _referral_for(request, case, referral_pk)
    if item not in dict(cases.POLICE_DOSSIER):
        raise Http404
    form = DossierFileForm(
        request.POST, request.FILES, action=request.path, html_id=f"dossier-{referral.pk}-{item}"
    )
    return _submit(
        request,
        case,
        form,
        lambda d: cases.add_attachment(
            case=case, file=d["file"], by=request.user, referral=referral, dossier_item=item
        ),
        _("Đã tải lên: %(item)s.") % {"item": dict(cases.POLICE_DOSSIER)[item]},
    )


@require_POST
def case_referral_approve(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    case = _case_for(request, pk, staff=True)
    referral = _referral_for(request, case, referral_pk)
    return _press(
        request,
        case,
        lambda: cases.approve_referral(referral=referral, by=request.user),
        _("Đã phê duyệt đề nghị chuyển hồ sơ."),
    )


@require_POST
def case_referral_send(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    case = _case_for(request, pk, staff=True)
    referral = _referral_for(request, case, referral_pk)
    form = SendReferralForm(request.POST, action=request.path, html_id=f"send-{referral.pk}")
    return _submit(
        request,
        case,
        form,
        lambda d: cases.send_referral(
            referral=referral, by=request.user, reference=d["reference"], sent_on=d["sent_on"]
        ),
        _("Đã gửi đề nghị đến %(agency)s.") % {"agency": referral.agency.name},
    )


@require_POST
def case_referral_answer(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    case = _case_for(request, pk)  # the agency's liaison, or staff recording a reply by letter
    referral = _referral_for(request, case, referral_pk)
    form = AnswerReferralForm(request.POST, action=request.path, html_id=f"answer-{referral.pk}")
    return _submit(
        request,
        case,
        form,
        lambda d: cases.answer_referral(
            referral=referral,
            by=request.user,
            status=d["status"],
            response=d["response"],
            outcome=d["outcome"],
        ),
        _("Đã ghi phản hồi."),
    )


@require_POST
def case_commit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, staff=True)
    form = CommitmentForm(request.POST, action=request.path)
    return _submit(
        request,
        case,
        form,
        lambda d: cases.add_commitment(
            case=case,
            kind=d["kind"],
            signed_on=d["signed_on"],
            instalments=d["instalments"],
            by=request.user,
            note=d["note"],
        ),
        _("Đã ghi cam kết."),
    )


@require_POST
def case_claim(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk, staff=True)
    form = ForceMajeureForm(request.POST, request.FILES, action=request.path)
    return _submit(
        request,
        case,
        form,
        lambda d: cases.claim_force_majeure(
            employer=case.employer,
            case=case,
            by=request.user,
            first_period=d["first_period"],
            last_period=d["last_period"],
            reason=d["reason"],
            proof=d["proof"],
        ),
        _("Đã ghi đề nghị xác nhận bất khả kháng."),
    )


@require_POST
def case_claim_decide(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    case = _case_for(request, pk, staff=True)
    claim = get_object_or_404(case.claims, pk=claim_pk)
    accept = request.POST.get("decision") == "accept"
    return _press(
        request,
        case,
        lambda: cases.decide_force_majeure(claim=claim, by=request.user, accept=accept),
        _("Đã chấp nhận đề nghị bất khả kháng.")
        if accept
        else _("Đã không chấp nhận đề nghị bất khả kháng."),
    )


def case_fines(request: HttpRequest, pk: int) -> HttpResponse:
    """The fine calculator: the Decree 12 ranges on an amount the user types."""
    case = _case_for(request, pk)
    form = FineForm(request.GET or None, action=request.path)
    context: dict[str, Any] = {"case": case, "fine_form": form, "ranges": None}
    if form.is_valid():
        rules = Policy.current().fine_rules
        payable = form.cleaned_data["payable"]
        context["ranges"] = {v: law.fine_range(payable, v, rules) for v in law.Violation}
    else:
        context["figures"] = cases.case_figures(case)
    template = "arrears/cases/_fines.html" if request.htmx else "arrears/cases/fines_page.html"
    return render(request, template, context)


# --------------------------------------------------------------------------------------------
# Files and letters


def case_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file of the case, to those who see the case (a liaison: not another agency's
    dossier)."""
    case = _case_for(request, pk)
    attachments = case.attachments.all()
    if request.user.is_liaison:
        attachments = attachments.filter(
            models.Q(referral__isnull=True) | models.Q(referral__agency_id=request.user.agency_id)
        )
    attachment = get_object_or_404(attachments, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def case_claim_proof(request: HttpRequest, pk: int, claim_pk: int) -> FileResponse:
    case = _case_for(request, pk)
    claim = get_object_or_404(case.claims, pk=claim_pk)
    extension = claim.proof.name.rsplit(".", 1)[-1].lower() if "." in claim.proof.name else ""
    content_type = cases.ATTACHMENT_TYPES.get(f".{extension}", (b"", None))[1]
    return FileResponse(
        claim.proof.open("rb"),
        as_attachment=True,
        filename=f"bat-kha-khang-{claim.pk}.{extension}",
        content_type=content_type or "application/octet-stream",
    )


def _pdf(letter: documents.Letter, name: str) -> HttpResponse:
    response = HttpResponse(documents.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def case_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The reminder notice or the session invitation, with the figures of ``?on=`` (today)."""
    case = _case_for(request, pk, staff=True)
    if kind not in DOCUMENT_KINDS:
        raise Http404
    on = _on(request)
    letter = cases.case_letter(case, kind, on=on)
    return _pdf(letter, f"{kind}-{case.employer.unit_code}-{on:%Y%m%d}")


def case_referral_letter(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """The letter of a referral to its agency (its liaison may read it too)."""
    case = _case_for(request, pk)
    referral = _referral_for(request, case, referral_pk)
    on = _on(request) if "on" in request.GET else (referral.sent_on or timezone.localdate())
    letter = cases.case_letter(
        case, DocumentTemplate.Kind.REFERRAL_LETTER, on=on, referral=referral
    )
    return _pdf(letter, f"referral-{case.employer.unit_code}-{referral.agency.code}-{on:%Y%m%d}")


# --------------------------------------------------------------------------------------------
# The letters' templates (managers)

VARIABLE_LABELS = {
    "ten_don_vi": gettext_lazy("Tên đơn vị"),
    "ma_don_vi": gettext_lazy("Mã đơn vị"),
    "ma_so_thue": gettext_lazy("Mã số thuế"),
    "dia_chi": gettext_lazy("Địa chỉ đơn vị"),
    "nguoi_dai_dien": gettext_lazy("Người đại diện theo pháp luật"),
    "so_no": gettext_lazy("Số tiền chậm đóng (1.234.567)"),
    "tien_lai": gettext_lazy("Tiền lãi chậm đóng"),
    "so_thang_no": gettext_lazy("Số tháng chậm đóng"),
    "ky_no_som_nhat": gettext_lazy("Kỳ nợ sớm nhất (mm/yyyy)"),
    "ngay_so_lieu": gettext_lazy("Ngày số liệu (dd/mm/yyyy)"),
    "thang": gettext_lazy("Tháng của ngày số liệu"),
    "lai_suat": gettext_lazy("Lãi suất chậm đóng mỗi ngày"),
    "co_quan": gettext_lazy("Tên cơ quan BHXH"),
    "so_ngay_cham": gettext_lazy("Số ngày chậm của kỳ nợ sớm nhất"),
    "ngay_tron_dong": gettext_lazy("Ngày khoản nợ sớm nhất thành trốn đóng"),
    "co_quan_nhan": gettext_lazy("Cơ quan nhận đề nghị"),
    "muc_dich": gettext_lazy("Mục đích đề nghị"),
    "so_lao_dong": gettext_lazy("Số người lao động bị ảnh hưởng"),
    "noi_dung": gettext_lazy("Nội dung đề nghị (ghi khi tạo đề nghị)"),
}


def _sample_context(kind: str) -> dict[str, str]:
    """Made-up figures for the preview of a template."""
    today = timezone.localdate()
    employer = Employer(
        unit_code="HB00000A",
        tax_code="5400000000",
        name="Công ty TNHH Mẫu Minh Phát",
        address="Số 1, đường Cù Chính Lan, phường Phương Lâm, Thành phố Hòa Bình",
        legal_representative="Bùi Văn Thắng",
    )
    oldest = ledger.month_start(today - timedelta(days=150))
    balance = ledger.EmployerBalance(
        on=today,
        arrears=123_456_789,
        months_in_arrears=4,
        oldest_unpaid_period=oldest,
        interest=2_345_678,
        bucket=ledger.Bucket.FROM_3_TO_6,
    )
    context = documents.employer_context(
        employer, balance, oldest_due_on=ledger.due_date(oldest, ledger.PaymentMethod.MONTHLY)
    )
    if kind == DocumentTemplate.Kind.REFERRAL_LETTER:
        context |= {
            "co_quan_nhan": str(Agency.Code.LABOUR_INSPECTORATE.label),
            "muc_dich": "thanh tra, kiểm tra",
            "so_lao_dong": "54",
            "noi_dung": "Đề nghị thanh tra việc đóng bảo hiểm của đơn vị.",
        }
    return context


def _kind_or_404(kind: str) -> DocumentTemplate.Kind:
    if kind not in DocumentTemplate.Kind.values:
        raise Http404
    return DocumentTemplate.Kind(kind)


def template_list(request: HttpRequest) -> HttpResponse:
    access.manager(request)
    edited = {t.kind: t for t in DocumentTemplate.objects.select_related("updated_by")}
    kinds = [
        (kind, documents.wording(kind)[0].splitlines()[0], edited.get(kind.value))
        for kind in DocumentTemplate.Kind
    ]
    return render(request, "arrears/cases/templates.html", {"kinds": kinds})


def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    access.manager(request)
    kind = _kind_or_404(kind)
    variables = _sample_context(kind)
    instance = DocumentTemplate.objects.filter(kind=kind).first()
    if instance is None:
        title, body = documents.DEFAULTS[kind]
        instance = DocumentTemplate(kind=kind, title=title, body=body)
    form = DocumentTemplateForm(request.POST or None, instance=instance, variables=set(variables))
    if request.method == "POST" and form.is_valid():
        template = form.save(commit=False)
        template.updated_by = request.user
        template.save()
        messages.success(request, _("Đã lưu mẫu %(kind)s.") % {"kind": kind.label})
        return redirect("case_template_edit", kind.value)
    return render(
        request,
        "arrears/cases/template_edit.html",
        {
            "kind": kind,
            "form": form,
            "edited": instance.pk is not None,
            "variables": [
                (name, VARIABLE_LABELS.get(name, ""), value) for name, value in variables.items()
            ],
        },
    )


@require_POST
def template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    """Back to the wording the application ships with."""
    access.manager(request)
    kind = _kind_or_404(kind)
    DocumentTemplate.objects.filter(kind=kind).delete()
    messages.success(request, _("Đã khôi phục mẫu mặc định."))
    return redirect("case_template_edit", kind.value)


def template_preview(request: HttpRequest, kind: str) -> HttpResponse:
    access.manager(request)
    kind = _kind_or_404(kind)
    letter = documents.compose(
        kind, _sample_context(kind), on=timezone.localdate(), recipient="Công ty TNHH Mẫu"
    )
    response = HttpResponse(documents.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-{kind.value}.pdf"'
    return response
