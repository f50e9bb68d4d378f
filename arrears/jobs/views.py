"""Pages of the scheduled work: the runs' history (and a manager's run for a chosen date),
the week's letters for the post by office, and holds on notices.

Officers read the history and download their own offices' letters; heads of offices also
put their offices' employers on hold and approve it; managers do all of it; liaisons see none
of it (404, as if it did not exist).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from kombu.exceptions import OperationalError as BrokerError

from accounts import access
from accounts.models import User
from arrears.employers.picker import UnitCodePicker
from arrears.jobs import delivery, quarterly
from arrears.jobs import holds as notice_holds
from arrears.jobs.cycles import CYCLE_PATTERN, JobError, check_run_date
from arrears.jobs.preview import PREVIEWS
from arrears.models import Hold, JobRun, Reminder
from desk import queue
from desk.forms import DayField, day_input
from participants.models import Employer, Office, unit_code_validator

# What the history shows of each run's counts, in this order.
COUNT_LABELS = {
    "reminders": gettext_lazy("Thông báo đôn đốc"),
    "reminders_email": gettext_lazy("qua thư điện tử"),
    "reminders_letter": gettext_lazy("bằng thư giấy"),
    "invitations": gettext_lazy("Giấy mời làm việc"),
    "sessions_booked": gettext_lazy("đã xếp lịch làm việc"),
    "sessions_waiting": gettext_lazy("chờ tuần sau (hết chỗ)"),
    "left_out": gettext_lazy("Không mời/gửi theo cài đặt"),
    "left_out_police_court": gettext_lazy("Không mời/gửi: hồ sơ ở công an, tòa án"),
    "left_out_commitment": gettext_lazy("Không mời/gửi: đang giữ cam kết"),
    "left_out_hold": gettext_lazy("Không mời/gửi: tạm dừng thông báo"),
    "left_out_booked": gettext_lazy("Không mời/gửi: đã có lịch làm việc"),
    "cases_opened": gettext_lazy("Hồ sơ mở tự động"),
    "commitments_broken": gettext_lazy("Cam kết vi phạm"),
    "digests": gettext_lazy("Thư tổng hợp"),
    "formal_requests": gettext_lazy("Văn bản đề nghị"),
    "formal_requests_email": gettext_lazy("qua thư điện tử"),
    "formal_requests_letter": gettext_lazy("bằng thư giấy"),
    "late": gettext_lazy("Đơn vị chậm đóng"),
    "evading": gettext_lazy("trong đó trốn đóng"),
    "deliveries": gettext_lazy("Thư gửi cơ quan"),
    "balances": gettext_lazy("Số dư cập nhật"),
    "requeued": gettext_lazy("Thông báo gửi lại"),
}
# The tasks a manager may start from the page, and the arguments that force them to run.
STARTABLE = {
    JobRun.Job.WEEKLY: ("arrears.tasks.weekly_jobs_task", {}),
    JobRun.Job.MONTHLY: ("arrears.tasks.monthly_jobs_task", {"force": True}),
    JobRun.Job.QUARTERLY: ("arrears.tasks.quarterly_jobs_task", {"force": True}),
}
RUNS_PER_PAGE = 30
# What a dry run counts besides a run's own figures.
PREVIEW_LABELS = {"emails": gettext_lazy("Tổng số thư điện tử sẽ gửi")}


class StartRunForm(forms.Form):
    job = forms.ChoiceField(
        label=gettext_lazy("Công việc"),
        choices=[(job.value, job.label) for job in STARTABLE],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    on = forms.DateField(
        label=gettext_lazy("Chạy cho ngày"),
        help_text=gettext_lazy("Việc hằng tuần chạy cho tuần chứa ngày này."),
        widget=day_input(),
    )

    def clean_on(self) -> date:
        on = self.cleaned_data["on"]
        try:
            check_run_date(on)
        except JobError as exc:
            raise forms.ValidationError(str(exc), code="bounds") from exc
        return on


def job_runs(request: HttpRequest) -> HttpResponse:
    user = access.staff(request)
    page = Paginator(JobRun.objects.select_related("triggered_by"), RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    runs = list(page.object_list)
    # How the reminders of the cycles on this page stand now (the user's offices only).
    delivery = {
        row["cycle"]: row
        for row in Reminder.objects.in_scope(user)
        .filter(cycle__in={run.cycle for run in runs})
        .values("cycle")
        .annotate(
            sent=Count("pk", filter=Q(status=Reminder.Status.SENT)),
            pending=Count("pk", filter=Q(status=Reminder.Status.PENDING)),
            failed=Count("pk", filter=Q(status=Reminder.Status.FAILED)),
            letters=Count("pk", filter=Q(channel=Reminder.Channel.LETTER)),
        )
    }
    rows = [
        {
            "run": run,
            "counts": [
                (label, run.counts[key]) for key, label in COUNT_LABELS.items() if key in run.counts
            ],
            "delivery": delivery.get(run.cycle),
            "has_file": run.job == JobRun.Job.QUARTERLY
            and default_storage.exists(quarterly.artifact_name(run)),
        }
        for run in runs
    ]
    form = StartRunForm(initial={"job": JobRun.Job.WEEKLY, "on": timezone.localdate()})
    return render(
        request,
        "arrears/jobs/job_runs.html",
        {"page": page, "rows": rows, "form": form if user.is_manager else None},
    )


@require_POST
def start_run(request: HttpRequest) -> HttpResponse:
    """A manager's run: first what a dry run says it would do (nothing written), then, once
    confirmed, the run itself queued."""
    user = access.manager(request)
    form = StartRunForm(request.POST)
    if not form.is_valid():
        bounds = [e.message for e in form.errors.as_data().get("on", []) if e.code == "bounds"]
        for error in bounds or [_("Chưa chọn công việc hoặc ngày không hợp lệ (dd/mm/yyyy).")]:
            messages.error(request, error)
        return redirect("job_runs")
    job = JobRun.Job(form.cleaned_data["job"])
    task, options = STARTABLE[job]
    on = form.cleaned_data["on"]
    if request.POST.get("confirm") != "1":
        counts = PREVIEWS[job](on)
        return render(
            request,
            "arrears/jobs/run_preview.html",
            {
                "job": job,
                "on": on,
                "counts": [
                    (PREVIEW_LABELS.get(key) or COUNT_LABELS[key], value)
                    for key, value in counts.items()
                ],
            },
        )
    try:
        queue.send_on_commit(task, on=on.isoformat(), triggered_by=user.pk, **options)
    except BrokerError:
        messages.error(request, _("Không gửi được yêu cầu đến hàng đợi; hãy thử lại sau ít phút."))
    else:
        messages.success(
            request,
            _("Đã đưa vào hàng đợi: %(job)s cho ngày %(on)s.")
            % {"job": JobRun.Job(form.cleaned_data["job"]).label, "on": f"{on:%d/%m/%Y}"},
        )
    return redirect("job_runs")


def run_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The quarterly list kept with its run."""
    access.manager(request)
    run = get_object_or_404(JobRun, pk=pk, job=JobRun.Job.QUARTERLY)
    name = quarterly.artifact_name(run)
    if not default_storage.exists(name):
        raise Http404
    with default_storage.open(name) as f:
        content = f.read()
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, name.rsplit("/", 1)[-1])
    return response


def _valid_cycle(cycle: str) -> str:
    if not CYCLE_PATTERN.fullmatch(cycle):
        raise Http404
    return cycle


def post_letters(request: HttpRequest, cycle: str) -> HttpResponse:
    """The cycle's printable letters, per office the user sees."""
    user = access.staff(request)
    offices = (
        Reminder.objects.in_scope(user)
        .filter(cycle=_valid_cycle(cycle), channel=Reminder.Channel.LETTER)
        .values("employer__office", "employer__office__name")
        .annotate(letters=Count("pk"))
        .order_by("employer__office__name")
    )
    return render(request, "arrears/jobs/post_letters.html", {"cycle": cycle, "offices": offices})


def post_letters_pdf(request: HttpRequest, cycle: str, office_id: int) -> HttpResponse:
    user = access.staff(request)
    office = get_object_or_404(
        Office.objects.filter(employers__in=Employer.objects.in_scope(user)).distinct(),
        pk=office_id,
    )
    pdf = delivery.post_letters(cycle=_valid_cycle(cycle), office=office)
    if pdf is None:
        raise Http404
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"thu-giay-{cycle}-{office.pk}.pdf"
    )
    return response


class HoldForm(forms.Form):
    employer = forms.CharField(
        label=gettext_lazy("Mã đơn vị"),
        max_length=20,
        validators=[unit_code_validator],
        widget=UnitCodePicker(),
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    starts_on = DayField(label=gettext_lazy("Từ ngày"), widget=day_input())
    ends_on = DayField(
        label=gettext_lazy("Đến ngày"),
        widget=day_input(),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_employer(self) -> Employer:
        code = self.cleaned_data["employer"].strip()
        employer = Employer.objects.in_scope(self.user).filter(unit_code=code).first()
        if employer is None:
            raise forms.ValidationError(_("Không có đơn vị mã %(code)s.") % {"code": code})
        return employer


def holds(request: HttpRequest) -> HttpResponse:
    """Holds on automatic notices: the list, and a new one (approved apart); for those who
    approve (managers, and heads for their offices' employers)."""
    user = access.approver(request)
    form = HoldForm(request.POST or None, user=user, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            notice_holds.put_on_hold(
                employer=form.cleaned_data["employer"],
                by=user,
                reason=form.cleaned_data["reason"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except JobError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã ghi đề nghị tạm dừng; cần duyệt để có hiệu lực."))
            return redirect("holds")
    page = Paginator(
        Hold.objects.filter(employer__in=Employer.objects.in_scope(user)).select_related(
            "employer", "requested_by", "approved_by"
        ),
        RUNS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "arrears/jobs/holds.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


@require_POST
def approve_hold(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.approver(request)
    hold = get_object_or_404(
        Hold.objects.filter(employer__in=Employer.objects.in_scope(user)), pk=pk
    )
    try:
        notice_holds.approve_hold(hold=hold, by=user)
    except JobError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Đã duyệt tạm dừng thông báo cho %(code)s.") % {"code": hold.employer.unit_code},
        )
    return redirect("holds")
