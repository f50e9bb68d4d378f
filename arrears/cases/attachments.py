"""Files on a case: what an upload may be (its type sniffed from its first bytes, its size)
and storing one on a timeline event or as an item of a referral's police dossier."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from arrears.cases.dossier import POLICE_DOSSIER
from arrears.cases.errors import CaseError
from arrears.models import Attachment, CaseEvent, RecoveryCase, Referral, ReferralStatus

# What a case's attachment may be: by extension, the bytes its content must start with and the
# content type it is served with. Both are checked, so a program renamed .pdf is refused.
_ZIP = b"PK\x03\x04"  # OOXML (docx, xlsx) and ODF (odt, ods) are zip archives
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files (doc, xls)
ATTACHMENT_TYPES: dict[str, tuple[bytes, str]] = {
    ".pdf": (b"%PDF", "application/pdf"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    ".docx": (_ZIP, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": (_ZIP, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".odt": (_ZIP, "application/vnd.oasis.opendocument.text"),
    ".ods": (_ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
    ".doc": (_OLE, "application/msword"),
    ".xls": (_OLE, "application/vnd.ms-excel"),
}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def check_attachment(file: UploadedFile) -> str:
    """The content type of an acceptable upload, or CaseError naming the file and the reason:
    its extension, its first bytes and its size (settings.ATTACHMENT_MAX_BYTES) are checked."""
    name = PurePath(file.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in ATTACHMENT_TYPES:
        raise CaseError(
            _(
                "Tệp «%(name)s» không được nhận: chỉ nhận PDF, ảnh PNG/JPG và văn bản "
                "DOCX, XLSX, DOC, XLS, ODT, ODS."
            )
            % {"name": name}
        )
    limit = settings.ATTACHMENT_MAX_BYTES
    if file.size is None or file.size == 0:
        raise CaseError(_("Tệp «%(name)s» rỗng.") % {"name": name})
    if file.size > limit:
        raise CaseError(
            _("Tệp «%(name)s» quá lớn (%(size)s); tối đa %(limit)s.")
            % {"name": name, "size": _megabytes(file.size), "limit": _megabytes(limit)}
        )
    magic, content_type = ATTACHMENT_TYPES[extension]
    file.seek(0)
    head = file.read(len(magic))
    file.seek(0)
    if head != magic:
        raise CaseError(
            _("Tệp «%(name)s» có nội dung không phải tệp %(kind)s như đuôi tên tệp.")
            % {"name": name, "kind": extension.lstrip(".").upper()}
        )
    return content_type


@transaction.atomic
def add_attachment(
    *,
    case: RecoveryCase,
    file: UploadedFile,
    by: User,
    event: CaseEvent | None = None,
    referral: Referral | None = None,
    dossier_item: str = "",
) -> Attachment:
    """A file on a timeline event, or an item of a referral's police dossier. Stored under a
    random name (the user's file name is kept for display and download only)."""
    content_type = check_attachment(file)
    if (event is not None and event.case_id != case.pk) or (
        referral is not None and referral.case_id != case.pk
    ):
        raise CaseError(_("Tệp phải thuộc đúng hồ sơ."))
    if referral is not None or dossier_item:
        if by.is_liaison:
            raise CaseError(_("Cán bộ cơ quan phối hợp không sửa hồ sơ chuyển."))
        if (
            referral is None
            or referral.agency.kind != Agency.Kind.POLICE
            or dossier_item not in dict(POLICE_DOSSIER)
        ):
            raise CaseError(_("Thành phần hồ sơ không hợp lệ."))
        if referral.status != ReferralStatus.DRAFT:
            raise CaseError(_("Đề nghị đã gửi; không thay đổi hồ sơ kèm theo."))
    original_name = PurePath(file.name or "").name
    file.name = f"{uuid.uuid4().hex}{PurePath(original_name).suffix.lower()}"
    return Attachment.objects.create(
        case=case,
        event=event,
        referral=referral,
        dossier_item=dossier_item,
        file=file,
        original_name=original_name[:255],
        content_type=content_type,
        size=file.size,
        uploaded_by=by,
    )
