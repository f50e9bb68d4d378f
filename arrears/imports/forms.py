from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

KINDS = [
    ("employers", _("Danh sách đơn vị")),
    ("communes", _("Xã/phường")),
    ("contributions", _("Số phải đóng")),
    ("payments", _("Khoản nộp")),
    ("persons", _("Người lao động")),
    ("coverage", _("Số liệu bao phủ")),
    ("referrals", _("Chuyển cơ quan (referrals)")),
]


class StatementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=KINDS, widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("Tệp CSV hoặc XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].help_text = _(
            "CSV mã UTF-8 hoặc XLSX, tối đa %(limit)s; dòng đầu là dòng tiêu đề, các cột theo "
            "thứ tự bất kỳ. Tệp lớn hơn %(background)s được nhập ở chế độ nền: trang cho thấy "
            "tiến độ rồi kết quả."
        ) % {
            "limit": filesizeformat(settings.STATEMENT_UPLOAD_MAX_BYTES),
            "background": filesizeformat(settings.STATEMENT_BACKGROUND_BYTES),
        }

    def clean_file(self):  # type: ignore[no-untyped-def]
        file = self.cleaned_data["file"]
        limit = settings.STATEMENT_UPLOAD_MAX_BYTES
        if file.size > limit:
            raise forms.ValidationError(
                _("Tệp lớn hơn giới hạn %(limit)s.") % {"limit": filesizeformat(limit)}
            )
        return file
