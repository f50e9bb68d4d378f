"""A police referral's dossier (Ministry of Public Security guidance, 2025): each item is an
attachment of the referral, and the referral cannot be sent until all are there."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from accounts.models import Agency
from arrears.models import Attachment, Referral

# The item a working session's signed minutes stand for (arrears.sessions), no second upload.
MINUTES = "minutes"

POLICE_DOSSIER: tuple[tuple[str, Promise], ...] = (
    ("request", gettext_lazy("Văn bản đề nghị khởi tố của cơ quan BHXH")),
    ("sanction_decision", gettext_lazy("Quyết định xử phạt vi phạm hành chính")),
    ("inspection_decision", gettext_lazy("Quyết định thanh tra, kiểm tra")),
    ("minutes", gettext_lazy("Biên bản làm việc")),
    ("violation_record", gettext_lazy("Biên bản vi phạm và kết luận thanh tra")),
    ("evidence", gettext_lazy("Tài liệu chứng minh thời gian, số tiền hoặc số lao động")),
    ("worker_lists", gettext_lazy("Danh sách người lao động bị ảnh hưởng")),
)


def dossier_missing(
    referral: Referral, *, minutes_signed: bool | None = None
) -> list[tuple[str, Promise]]:
    """The police dossier items still without an attachment (empty for other agencies)."""
    if referral.agency.kind != Agency.Kind.POLICE:
        return []
    # Through .all(), so a page that prefetched the attachments asks nothing more.
    present = {a.dossier_item for a in referral.attachments.all() if a.dossier_item}
    if minutes_signed is None:  # a page with several referrals reads it once
        minutes_signed = signed_session_minutes(referral.case_id).exists()
    if MINUTES not in present and minutes_signed:
        present.add(MINUTES)
    return [(item, label) for item, label in POLICE_DOSSIER if item not in present]


def signed_session_minutes(case_id: int) -> QuerySet[Attachment]:
    """The signed minutes of the case's working sessions: the dossier's minutes item."""
    return Attachment.objects.filter(case_id=case_id, session_minutes__isnull=False)
