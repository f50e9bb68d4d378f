"""The case list's filters and "this week"'s choice of officer."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, User
from arrears.cases.selectors import broken_instalments
from arrears.employers.picker import UnitCodePicker
from arrears.models import RecoveryCase, Referral, Stage
from arrears.partners.selectors import overdue_referrals
from arrears.templatetags.cases import person
from participants.models import Employer, Office
from participants.selectors import scope_offices


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Tìm đơn vị"))
    stage = django_filters.ChoiceFilter(
        method="filter_stage",
        choices=[("open", _("Đang mở (mọi bước)")), *Stage.choices],
        label=_("Bước"),
        empty_label=_("Tất cả"),
    )
    officer = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), label=_("Cán bộ"), empty_label=_("Tất cả")
    )
    office = django_filters.ModelChoiceFilter(
        field_name="employer__office",
        queryset=Office.objects.none(),
        label=_("BHXH cơ sở"),
        empty_label=_("Tất cả"),
    )
    agency = django_filters.ModelChoiceFilter(
        method="filter_agency",
        queryset=Agency.objects.all(),
        label=_("Đã chuyển cơ quan"),
        empty_label=_("Tất cả"),
    )
    follow_up_due = django_filters.BooleanFilter(
        method="filter_follow_up_due",
        label=_("Đến hạn theo dõi"),
        widget=forms.CheckboxInput,
    )
    commitment_broken = django_filters.BooleanFilter(
        method="filter_commitment_broken",
        label=_("Vi phạm cam kết"),
        widget=forms.CheckboxInput,
    )
    referral_overdue = django_filters.BooleanFilter(
        method="filter_referral_overdue",
        label=_("Cơ quan phối hợp quá hạn trả lời"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = RecoveryCase
        fields = ["q", "stage", "officer", "office", "agency"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        scoped = self.queryset
        # Only the officers, offices and agencies of the cases this user sees. For every case
        # "is there one?" per officer and office (index probes), not a join of every case; an
        # officer's whole offices named as such (their scope in SQL, with its test of the
        # communes given, hides how many rows it holds from the planner, which then probes
        # through it for every officer and office); any other part read once.
        scoped = scoped.order_by()
        whole = None if user.sees_province else scope_offices(user)
        if whole is not None:
            scoped = RecoveryCase.objects.filter(employer__office__in=whole)
            employers = Employer.objects.filter(office__in=whole)
        else:
            employers = Employer.objects.in_scope(user)
        self.filters["officer"].queryset = (
            User.objects.filter(pk__in=scoped.values("officer_id"))
            if scoped.query.where
            else User.objects.filter(Exists(scoped.filter(officer=OuterRef("pk"))))
        )
        self.filters["office"].queryset = Office.objects.filter(
            Exists(employers.order_by().filter(office=OuterRef("pk")))
        )
        if user.is_liaison:
            self.filters["agency"].queryset = Agency.objects.filter(pk=user.agency_id)
        self.form.fields["officer"].label_from_instance = person
        for name in ("stage", "officer", "office", "agency"):
            self.form.fields[name].widget.attrs["class"] = "form-select"
        self.form.fields["q"].widget = UnitCodePicker(
            attrs={"placeholder": _("tên, mã đơn vị, MST")}
        )
        self.form.fields["q"].widget.input_type = "search"

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(employer__in=Employer.objects.search(value))

    def filter_stage(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.open() if value == "open" else queryset.filter(stage=value)

    def filter_agency(self, queryset: QuerySet, name: str, value: Agency) -> QuerySet:
        sent = Referral.objects.filter(case=OuterRef("pk"), agency=value, sent_on__isnull=False)
        return queryset.filter(Exists(sent))

    def filter_follow_up_due(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.open().filter(follow_up_on__lte=timezone.localdate())

    def filter_commitment_broken(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        broken = broken_instalments().filter(commitment__case=OuterRef("pk"))
        return queryset.filter(Exists(broken))

    def filter_referral_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        late = overdue_referrals(self.user, timezone.localdate()).filter(case=OuterRef("pk"))
        return queryset.filter(Exists(late))


class OfficerFilterForm(forms.Form):
    """The choice of officer on "this week": a manager's among every officer, a head's among
    their offices' officers."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        if not user.is_manager:
            field.queryset = field.queryset.filter(offices__in=user.offices.all()).distinct()
        field.label_from_instance = person

    officer = forms.ModelChoiceField(
        queryset=User.objects.filter(role=User.Role.OFFICER, is_active=True).order_by(
            "last_name", "username"
        ),
        required=False,
        label=_("Cán bộ"),
        empty_label=_("Tất cả cán bộ"),
    )
