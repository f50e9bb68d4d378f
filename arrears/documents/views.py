"""The letters' templates (managers): the list, the editor with the variables a letter may
use and their sample values, back to the shipped wording, and a preview as PDF."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import Agency
from arrears import ledger
from arrears.documents import letters as documents
from arrears.documents.forms import DocumentTemplateForm
from arrears.models import DocumentTemplate
from participants.models import Employer

VARIABLE_LABELS = {
    "ten_don_vi": gettext_lazy("Tên đơn vị"),
    "ma_don_vi": gettext_lazy("Mã đơn vị"),
    "ma_so_thue": gettext_lazy("Mã số thuế"),
    "dia_chi": gettext_lazy("Địa chỉ đơn vị"),
    "nguoi_dai_dien": gettext_lazy("Người đại diện theo pháp luật"),
    "so_no": gettext_lazy("Số tiền chậm đóng (1.234.567)"),
    "tien_lai": gettext_lazy("Tiền lãi chậm đóng"),
    "tien_lai_da_nop": gettext_lazy("Tiền lãi chậm đóng đã nộp"),
    "tien_lai_con_no": gettext_lazy("Tiền lãi chậm đóng còn nợ"),
    "so_thang_no": gettext_lazy("Số tháng chậm đóng"),
    "ky_no_som_nhat": gettext_lazy("Kỳ nợ sớm nhất (mm/yyyy)"),
    "ngay_so_lieu": gettext_lazy("Ngày số liệu (dd/mm/yyyy)"),
    "thang": gettext_lazy("Tháng của ngày số liệu"),
    "lai_suat": gettext_lazy("Lãi suất chậm đóng mỗi ngày"),
    "co_quan": gettext_lazy("Cơ quan BHXH gửi văn bản (BHXH quản lý đơn vị)"),
    "co_quan_cap_tren": gettext_lazy("Cơ quan cấp trên trong tiêu đề văn bản"),
    "so_ngay_cham": gettext_lazy("Số ngày chậm của kỳ nợ sớm nhất"),
    "ngay_tron_dong": gettext_lazy("Ngày khoản nợ sớm nhất thành trốn đóng"),
    "co_quan_nhan": gettext_lazy("Cơ quan nhận đề nghị"),
    "muc_dich": gettext_lazy("Mục đích đề nghị"),
    "so_lao_dong": gettext_lazy("Số người lao động bị ảnh hưởng"),
    "noi_dung": gettext_lazy("Nội dung đề nghị (ghi khi tạo đề nghị)"),
    "thoi_gian_dia_diem": gettext_lazy("Giờ, ngày và địa điểm buổi làm việc đã xếp lịch"),
    "mang_theo": gettext_lazy("Tài liệu đơn vị mang theo khi đến làm việc"),
    "can_bo_lien_he": gettext_lazy("Cán bộ liên hệ"),
    "ngay_lam_viec": gettext_lazy("Ngày làm việc (dd/mm/yyyy)"),
    "bien_ban": gettext_lazy("Nội dung biên bản (ghi ở diễn biến buổi làm việc)"),
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
        employer,
        balance,
        oldest_due_on=ledger.due_date(oldest, ledger.PaymentMethod.MONTHLY),
        interest_paid=345_678,
    )
    if kind == DocumentTemplate.Kind.REFERRAL_LETTER:
        context |= {
            "co_quan_nhan": str(Agency.Kind.LABOUR_INSPECTORATE.label),
            "muc_dich": "thanh tra, kiểm tra",
            "so_lao_dong": "54",
            "noi_dung": "Đề nghị thanh tra việc đóng bảo hiểm của đơn vị.",
        }
    if kind == DocumentTemplate.Kind.MINUTES:
        context |= {
            "ngay_lam_viec": f"{today:%d/%m/%Y}",
            "bien_ban": "Đơn vị cam kết nộp đủ số nợ trong ba đợt.",
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
    response["Content-Disposition"] = content_disposition_header(False, f"mau-{kind.value}.pdf")
    return response
