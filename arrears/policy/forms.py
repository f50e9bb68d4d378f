"""The office's settings page: one form over every editable field of ``Policy``, built from
the model (a field added to Policy appears here with no edit), shown in groups by name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from arrears.models import Policy

# The groups of the page, by the start of a field's name; a field no group claims (a setting
# added later) is shown under "Khác".
GROUPS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    # Before the notices' group, which would claim "notice_skip_" by its "notice_".
    (
        _("Buổi làm việc: đơn vị được mời, được nhắc và đề xuất chuyển bước"),
        ("invite_skip_", "notice_skip_", "sessions_"),
    ),
    (
        _("Thông báo, mời làm việc và hồ sơ tự động"),
        ("invitation_", "notice_", "auto_case_", "monthly_request_"),
    ),
    (_("Truy cứu trách nhiệm hình sự (Bộ luật Hình sự Điều 216)"), ("criminal_",)),
    (_("Xử phạt vi phạm hành chính (Nghị định 12/2022)"), ("fine_", "evasion_fine_")),
    (_("Hạn trả lời của cơ quan phối hợp"), ("answer_",)),
    (_("Phân công hồ sơ cho cán bộ"), ("workload_",)),
    (_("Tiền lãi chậm đóng"), ("interest_",)),
)
OTHER = _("Khác")
# Pairs that are a range: the first may not exceed the second.
RANGES = (
    ("fine_late_min_pct", "fine_late_max_pct"),
    ("fine_none_paid_min_pct", "fine_none_paid_max_pct"),
    ("evasion_fine_min", "evasion_fine_max"),
)
PERCENT_MAX = 100


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        # Every setting, from the model (a field added to Policy needs no edit here).
        fields = [f.name for f in Policy._meta.concrete_fields if f.editable and not f.primary_key]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            checkbox = isinstance(field.widget, forms.CheckboxInput)
            field.widget.attrs.setdefault(
                "class", "form-check-input" if checkbox else "form-control"
            )
            if name.endswith("_pct"):
                field.validators.append(MaxValueValidator(PERCENT_MAX))
                field.widget.attrs["max"] = PERCENT_MAX

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for low, high in RANGES:
            if data.get(low) is not None and data.get(high) is not None and data[low] > data[high]:
                self.add_error(
                    low,
                    _("«%(low)s» không được lớn hơn «%(high)s».")
                    % {
                        "low": self.fields[low].label,
                        "high": self.fields[high].label,
                    },
                )
        return data

    def groups(self) -> Iterator[tuple[str, list[forms.BoundField]]]:
        """The bound fields in the page's groups, each field once, in the model's order."""
        claimed: set[str] = set()
        for title, prefixes in GROUPS:
            names = [n for n in self.fields if n.startswith(prefixes) and n not in claimed]
            claimed.update(names)
            if names:
                yield str(title), [self[n] for n in names]
        rest = [self[n] for n in self.fields if n not in claimed]
        if rest:
            yield str(OTHER), rest
