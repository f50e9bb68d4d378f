"""The forms of case assignment, hand-over and the bulk actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from arrears.cases.assignment import officers_for
from arrears.cases.selectors import DOCUMENT_KINDS
from arrears.models import DocumentTemplate, Stage
from arrears.templatetags.cases import person
from arrears.workload import selectors
from arrears.workload.bulk import ACTIONS, APPROVER_ACTIONS
from desk.forms import day_input
from participants.models import Employer

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}


def _officer_field(queryset: Any, *, required: bool = True) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        queryset=queryset,
        required=required,
        label=gettext_lazy("Cán bộ phụ trách"),
        empty_label=gettext_lazy("— chia tự động theo khối lượng việc —") if not required else "—",
        widget=forms.Select(attrs=SELECT),
    )
    field.label_from_instance = person
    return field


class AssignForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do"), widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"officer": _officer_field(officers_for(employer)), **self.fields}


class OpenCaseForm(forms.Form):
    """A manager or head opening a case names its officer among those serving the employer."""

    note = forms.CharField(
        label=gettext_lazy("Ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"officer": _officer_field(officers_for(employer)), **self.fields}


class HandOverForm(forms.Form):
    starts_on = forms.DateField(label=gettext_lazy("Vắng từ ngày"), widget=day_input())
    ends_on = forms.DateField(label=gettext_lazy("Đến ngày"), widget=day_input())
    reason = forms.CharField(
        label=gettext_lazy("Lý do"), widget=forms.Textarea(attrs={**TEXT, "rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officers = selectors.assignable(user)
        absent = _officer_field(officers)
        absent.label = gettext_lazy("Cán bộ vắng")
        substitute = _officer_field(officers)
        substitute.label = gettext_lazy("Cán bộ nhận hồ sơ")
        self.fields = {"absent": absent, "substitute": substitute, **self.fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["starts_on"] > data["ends_on"]:
            self.add_error("ends_on", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        return data


class BulkForm(forms.Form):
    """A bulk action: the selection's ids, the action, and what it needs (an officer, a
    stage, a letter, a reason)."""

    action = forms.ChoiceField(
        label=gettext_lazy("Thao tác"), choices=list(ACTIONS.items()), widget=forms.HiddenInput
    )
    stage = forms.ChoiceField(
        label=gettext_lazy("Chuyển đến bước"),
        choices=[("", "—"), *Stage.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Văn bản"),
        choices=[(k.value, k.label) for k in DocumentTemplate.Kind if k in DOCUMENT_KINDS],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    note = forms.CharField(
        label=gettext_lazy("Lý do / ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )

    # The fields each action asks for, and which of them must be filled.
    NEEDS = {
        "assign": (("officer", "note"), ("officer", "note")),
        "move": (("stage", "note"), ("stage", "note")),
        "print": (("kind",), ("kind",)),
        "close": (("note",), ()),
        "open": (("officer", "note"), ()),
    }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["officer"] = _officer_field(selectors.assignable(user), required=False)
        # One field for two actions: "assign" needs an officer, "open" may spread by workload.
        self.fields["officer"].empty_label = gettext_lazy(
            "— chọn cán bộ (mở hồ sơ: để trống thì chia tự động) —"
        )

    def shown(self) -> list[forms.BoundField]:
        """The fields the chosen action asks for (officers open cases for themselves)."""
        names = self.NEEDS.get(self.data.get("action", ""), ((), ()))[0]
        if self.data.get("action") == "open" and not self.user.gives_approvals:
            names = ("note",)
        return [self[name] for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        if action in APPROVER_ACTIONS and not self.user.gives_approvals:
            raise forms.ValidationError(_("Chỉ lãnh đạo được giao hồ sơ cho cán bộ."))
        for name in self.NEEDS.get(action or "", ((), ()))[1]:
            if not data.get(name):
                self.add_error(
                    name,
                    _("Thao tác này cần trường “%(field)s”.") % {"field": self.fields[name].label},
                )
        return data
