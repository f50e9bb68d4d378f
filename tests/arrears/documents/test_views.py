"""The letters' templates (arrears/documents/views.py): for managers only; edited, checked,
previewed and reset."""

import pytest
from django.urls import reverse

from arrears.models import DocumentTemplate

pytestmark = pytest.mark.django_db


def test_templates_page_is_for_managers_only(client_as, officer_a, police, manager):  # type: ignore[no-untyped-def]
    for user in (officer_a, police):
        assert client_as(user).get(reverse("case_templates")).status_code == 404
        url = reverse("case_template_edit", args=["reminder_notice"])
        assert client_as(user).get(url).status_code == 404
    response = client_as(manager).get(reverse("case_templates"))
    assert [k.value for k, _title, _edited in response.context["kinds"]] == list(
        DocumentTemplate.Kind.values
    )


def test_manager_edits_a_template(client_as, manager):  # type: ignore[no-untyped-def]
    client = client_as(manager)
    url = reverse("case_template_edit", args=["reminder_notice"])
    page = client.get(url)
    assert "{{ ten_don_vi }}" in page.content.decode()  # the variables are listed
    response = client.post(url, {"title": "THÔNG BÁO", "body": "Kính gửi {{ ten_cong_ty }}."})
    assert "Biến không có trong văn bản này: ten_cong_ty." in response.content.decode()
    response = client.post(url, {"title": "THÔNG BÁO", "body": "Kính gửi {% if %}."})
    assert "Mẫu không hợp lệ" in response.content.decode()
    client.post(
        url, {"title": "THÔNG BÁO NỢ", "body": "Kính gửi {{ ten_don_vi }}: nợ {{ so_no }}."}
    )
    template = DocumentTemplate.objects.get(kind="reminder_notice")
    assert (template.title, template.updated_by) == ("THÔNG BÁO NỢ", manager)
    preview = client.get(reverse("case_template_preview", args=["reminder_notice"]))
    assert preview["Content-Type"] == "application/pdf"
    assert preview.content.startswith(b"%PDF")
    client.post(reverse("case_template_reset", args=["reminder_notice"]))
    assert not DocumentTemplate.objects.exists()
