"""The employer list's filters: search, area (managing office, commune, the former province
of the unit code), status, ownership, industrial zone, in arrears."""

import django_filters
from django.db.models import Exists, OuterRef
from django.db.models.functions import Left, Upper
from django.utils.translation import gettext_lazy as _

from participants.models import (
    FORMER_PROVINCES,
    UNIT_CODE_PREFIX_LENGTH,
    Commune,
    Employer,
    Office,
)


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
        scoped = self.queryset.order_by()
        if scoped.query.where:
            # A part of the province (an officer's offices): read from its employers.
            offices = Office.objects.filter(employers__in=scoped).distinct()
            communes = Commune.objects.filter(pk__in=scoped.values("commune_id"))
            prefixes = set(
                scoped.values_list(
                    Upper(Left("unit_code", UNIT_CODE_PREFIX_LENGTH)), flat=True
                ).distinct()
            )
        else:
            # The whole province: "is there one?" per office, commune and prefix (index
            # probes), not a pass over every employer of a region.
            offices = Office.objects.filter(Exists(scoped.filter(office=OuterRef("pk"))))
            communes = Commune.objects.filter(Exists(scoped.filter(commune=OuterRef("pk"))))
            prefixes = {
                prefix
                for prefix in FORMER_PROVINCES
                if scoped.filter(unit_code__istartswith=prefix).exists()
            }
        self.filters["office"].queryset = offices
        self.filters["commune"].queryset = communes
        self.filters["former_province"].extra["choices"] = [
            (prefix, name) for prefix, name in FORMER_PROVINCES.items() if prefix in prefixes
        ]
        zones = (
            scoped.filter(industrial_zone__gt="")
            .order_by("industrial_zone")
            .values_list("industrial_zone", flat=True)
            .distinct()
        )
        self.filters["industrial_zone"].extra["choices"] = [(z, z) for z in zones]
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
