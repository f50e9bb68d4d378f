import django_filters
from django.utils.translation import gettext_lazy as _

from participants.models import Employer, Office


class EmployerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Tìm (tên, mã đơn vị, MST)"))
    office = django_filters.ModelChoiceFilter(
        queryset=Office.objects.all(), label=_("BHXH cơ sở"), empty_label=_("Tất cả")
    )
    status = django_filters.ChoiceFilter(
        choices=Employer.Status.choices, label=_("Trạng thái"), empty_label=_("Tất cả")
    )
    ownership = django_filters.ChoiceFilter(
        choices=Employer.Ownership.choices, label=_("Loại hình"), empty_label=_("Tất cả")
    )
    industrial_zone = django_filters.ChoiceFilter(
        label=_("Khu công nghiệp"), empty_label=_("Tất cả"), choices=()
    )
    in_arrears = django_filters.BooleanFilter(
        field_name="balance__arrears",
        method="filter_in_arrears",
        label=_("Chỉ đơn vị đang nợ"),
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Employer
        fields = ["q", "office", "status", "ownership", "industrial_zone", "in_arrears"]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # Only the offices and zones this user's employers are in.
        scoped = self.queryset
        self.filters["office"].queryset = Office.objects.filter(employers__in=scoped).distinct()
        zones = (
            scoped.exclude(industrial_zone="")
            .order_by("industrial_zone")
            .values_list("industrial_zone", flat=True)
            .distinct()
        )
        self.filters["industrial_zone"].extra["choices"] = [(z, z) for z in zones]
        for name in ("office", "status", "ownership", "industrial_zone", "in_arrears"):
            self.form.fields[name].widget.attrs["class"] = "form-select"
        # "All" rather than the widget's "Unknown" when the filter is not set.
        self.form.fields["in_arrears"].widget.choices = [
            ("", _("Tất cả")),
            ("true", _("Có")),
            ("false", _("Không")),
        ]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.search(value)

    def filter_in_arrears(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if value is None:
            return queryset
        if value:
            return queryset.filter(balance__arrears__gt=0)
        return queryset.exclude(balance__arrears__gt=0)
