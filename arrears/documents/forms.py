"""The managers' form for a letter's wording: a Django template over the letter's own
variables only."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template import Engine, TemplateSyntaxError
from django.utils.translation import gettext_lazy as _

from arrears.models import DocumentTemplate


class DocumentTemplateForm(forms.ModelForm):
    class Meta:
        model = DocumentTemplate
        fields = ["title", "body"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 16}),
        }
        help_texts = {
            "title": _("Dòng thứ nhất là tên văn bản, dòng thứ hai là trích yếu."),
            "body": _("Các đoạn cách nhau một dòng trống; biến dạng {{ ten_don_vi }}."),
        }

    def __init__(self, *args: Any, variables: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.variables = variables

    def _check(self, name: str) -> str:
        text = self.cleaned_data[name]
        try:
            Engine().from_string(text)
        except TemplateSyntaxError as exc:
            raise ValidationError(
                _("Mẫu không hợp lệ: %(reason)s"), params={"reason": exc}
            ) from exc
        unknown = sorted(set(re.findall(r"{{\s*(\w+)", text)) - self.variables)
        if unknown:
            raise ValidationError(
                _("Biến không có trong văn bản này: %(names)s."),
                params={"names": ", ".join(unknown)},
            )
        return text

    def clean_title(self) -> str:
        return self._check("title")

    def clean_body(self) -> str:
        return self._check("body")
