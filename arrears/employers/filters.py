"""The employer list's filters: search, area (managing office, commune, the former province
of the unit code), status, ownership, industrial zone, in arrears."""

import django_filters
from django.utils.translation import gettext_lazy as _

from participants.models import FORMER_PROVINCES, Commune, Employer, Office
from participants.selectors import employer_areas


class EmployerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Tìm (tên, mã đơn vị, MST)"))
    office = django_filters.ModelChoiceFilter(
        queryset=Office.objects.all(), label=_("BHXH cơ sở"), empty_label=_("Tất cả")
    )
    commune = django_filters.ModelChoiceFilter(
        queryset=Commune.objects.all(), label=_("Xã/phường"), empty_label=_("Tất cả")
    )
    former_province = django_filters.ChoiceFilter(
        method="filter_former_province",
        label=_("Tỉnh cũ (theo mã đơn vị)"),
        empty_label=_("Tất cả"),
        choices=(),
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
        fields = [
            "q",
            "office",
            "commune",
            "former_province",
            "status",
            "ownership",
            "industrial_zone",
            "in_arrears",
        ]

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # Only the offices, communes, former provinces and zones of this user's employers.
        areas = employer_areas(self.queryset)
        self.filters["office"].queryset = areas.offices
        self.filters["commune"].queryset = areas.communes
        self.filters["former_province"].extra["choices"] = [
            (prefix, name) for prefix, name in FORMER_PROVINCES.items() if prefix in areas.prefixes
        ]
        self.filters["industrial_zone"].extra["choices"] = [(z, z) for z in areas.zones]
        for name, field in self.form.fields.items():
            if name != "q":
                field.widget.attrs["class"] = "form-select"
        # "All" rather than the widget's "Unknown" when the filter is not set.
        self.form.fields["in_arrears"].widget.choices = [
            ("", _("Tất cả")),
            ("true", _("Có")),
            ("false", _("Không")),
        ]

    def filter_search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.search(value)

    def filter_former_province(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(unit_code__istartswith=value)

    def filter_in_arrears(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if value is None:
            return queryset
        if value:
            return queryset.filter(balance__arrears__gt=0)
        return queryset.exclude(balance__arrears__gt=0)
