"""Attachments on a case (arrears/cases/attachments.py): type checked by extension and
content, size limited, stored under MEDIA_ROOT by a random name."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arrears.cases import services as cases
from arrears.models import Attachment, EventKind
from tests.factories import ContributionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

DAY = date(2026, 1, 15)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"
ZIP = b"PK\x03\x04\x14\x00\x06\x00"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"


@pytest.fixture
def case_a(employer_a, officer_a):  # type: ignore[no-untyped-def]
    ContributionFactory(employer=employer_a, period=date(2025, 7, 1))
    return cases.open_case(employer=employer_a, by=officer_a, on=DAY)


def _post_event(client, case, *files, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("case_log_event", args=[case.pk]),
        {
            "kind": "visit",
            "occurred_on": "2026-01-20",
            "text": "Làm việc tại đơn vị",
            "attachments": list(files),
        },
        **extra,
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Biên bản làm việc.pdf", PDF, "application/pdf"),
        ("ảnh.PNG", PNG, "image/png"),
        ("ảnh.jpg", JPEG, "image/jpeg"),
        (
            "danh sách.xlsx",
            ZIP,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "công văn.docx",
            ZIP,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("bảng.ods", ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
        ("cũ.doc", OLE, "application/msword"),
        ("cũ.xls", OLE, "application/vnd.ms-excel"),
    ],
)
def test_accepted_types_are_stored_and_served(  # type: ignore[no-untyped-def]
    client_as, case_a, officer_a, settings, name, content, content_type
):
    client = client_as(officer_a)
    _post_event(client, case_a, SimpleUploadedFile(name, content))
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type) == (name, content_type)
    assert attachment.size == len(content)
    assert attachment.event.kind == EventKind.VISIT
    # Stored under MEDIA_ROOT by a random name, not the user's.
    stored = settings.MEDIA_ROOT / attachment.file.name
    assert stored.read_bytes() == content
    assert name not in attachment.file.name
    response = client.get(reverse("case_attachment", args=[case_a.pk, attachment.pk]))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("setup.exe", EXE, "Tệp «setup.exe» không được nhận: chỉ nhận PDF, ảnh PNG/JPG"),
        ("hoa-don.pdf", EXE, "Tệp «hoa-don.pdf» có nội dung không phải tệp PDF như đuôi tên tệp."),
        ("anh.png", JPEG, "Tệp «anh.png» có nội dung không phải tệp PNG như đuôi tên tệp."),
        ("bang.xlsx", OLE, "Tệp «bang.xlsx» có nội dung không phải tệp XLSX như đuôi tên tệp."),
        ("trang.pdf", b"", "Tệp «trang.pdf» rỗng."),
    ],
)
def test_refused_types_name_the_file_and_the_reason(
    client_as, case_a, officer_a, name, content, reason
):  # type: ignore[no-untyped-def]
    response = _post_event(
        client_as(officer_a),
        case_a,
        SimpleUploadedFile(name, content),
        HTTP_HX_REQUEST="true",
    )
    assert reason in response.content.decode()
    assert not Attachment.objects.exists()
    assert not case_a.events.filter(kind=EventKind.VISIT).exists()  # nothing half-written


def test_size_limit_is_a_setting(client_as, case_a, officer_a, settings):  # type: ignore[no-untyped-def]
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("quet.pdf", PDF + b"0" * (1024 * 1024))
    response = _post_event(client_as(officer_a), case_a, big, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["Tệp «quet.pdf» quá lớn (1,0 MB); tối đa 1,0 MB."]
    assert not Attachment.objects.exists()
    ok = SimpleUploadedFile("quet.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    _post_event(client_as(officer_a), case_a, ok)
    assert Attachment.objects.get().size == 1024 * 1024


def test_several_files_on_one_event(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    _post_event(
        client_as(officer_a),
        case_a,
        SimpleUploadedFile("a.pdf", PDF),
        SimpleUploadedFile("b.png", PNG),
    )
    event = case_a.events.get(kind=EventKind.VISIT)
    assert sorted(a.original_name for a in event.attachments.all()) == ["a.pdf", "b.png"]
