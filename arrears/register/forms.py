"""The register page's filters: office, year, kind (a bad value is reported, not a 500)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from arrears.models import DocumentKind, IssuedDocument
from participants.models import Office


class RegisterFilterForm(forms.Form):
    office = forms.ModelChoiceField(
        queryset=Office.objects.none(),
        required=False,
        label=_("Cơ quan ban hành"),
        empty_label=_("Tất cả"),
    )
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label=_("Năm"))
    kind = forms.ChoiceField(
        choices=[("", _("Tất cả")), *DocumentKind.choices], required=False, label=_("Loại")
    )

    def __init__(self, *args: Any, documents: QuerySet[IssuedDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(
            pk__in=documents.values("office_id")
        ).order_by("name")
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            )

    def apply(self, documents: QuerySet[IssuedDocument]) -> QuerySet[IssuedDocument]:
        if not self.is_valid():
            return documents.none()
        data = self.cleaned_data
        if data["office"]:
            documents = documents.filter(office=data["office"])
        if data["year"]:
            documents = documents.filter(year=data["year"])
        if data["kind"]:
            documents = documents.filter(kind=data["kind"])
        return documents
