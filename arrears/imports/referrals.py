"""An office's existing spreadsheet of referrals in (DOMAIN.md "Statement files", referrals).

``agency`` is an organisation's code (a kind's value names the province-level organisation
of that kind). Each row becomes a referral recorded as already sent
(``cases.record_imported_referral``), on a case opened for the employer where none is open.
The file is read by the shared statement reader, every row is checked first, and the
referrals are written in one transaction or not at all. A reference already recorded with the
same content changes nothing; with different content it is refused as a conflict. Referrals
are few (hundreds), so the checks are plain Python over the staged rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency
from arrears.cases import services as cases
from arrears.models import Referral, ReferralPurpose
from desk.statements.results import ImportResult, Layout, RowError, StatementRefused
from desk.statements.staging import drop_staging, lock_statements, stage
from participants.models import Employer

if TYPE_CHECKING:
    from accounts.models import User

REFERRALS = Layout(
    columns=("unit_code", "agency", "sent_on", "reference", "purpose"),
    day_columns=frozenset({"sent_on"}),
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_REFERENCE_LENGTH = Referral._meta.get_field("reference").max_length


def _day(text: str) -> date | None:
    if not _DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _listed(agency: Agency) -> tuple[int, str]:
    """The province-level organisations first, in the order of their kinds; then the rest."""
    kinds = Agency.Kind.values
    return (kinds.index(agency.code) if agency.code in kinds else len(kinds), agency.code)


@dataclass
class _Known:
    """What the rows are checked against, read once for the whole file."""

    employers: dict[str, Employer]
    visible: set[int]  # the employers the importing user sees
    # Organisations by code, in the order the error lists them; the province-level one of each
    # kind has the kind's value as its code, so a file may name a kind.
    agencies: dict[str, Agency]
    today: date
    first_line: dict[str, int] = field(default_factory=dict)  # reference: first row with it


def _row_errors(line: int, row: dict[str, str], known: _Known) -> list[RowError]:
    """Why one row is refused (nothing about what is already recorded)."""
    errors = []
    unit_code, agency, reference = row["unit_code"], row["agency"], row["reference"]
    employer = known.employers.get(unit_code)
    if not unit_code:
        errors.append(RowError(line, "unit_code", _("Thiếu mã đơn vị.")))
    elif employer is None:
        message = _("Mã đơn vị «%(value)s» chưa có trong danh sách đơn vị.")
        errors.append(RowError(line, "unit_code", message % {"value": unit_code}))
    elif employer.pk not in known.visible:
        message = _("Đơn vị «%(value)s» không thuộc địa bàn bạn phụ trách.")
        errors.append(RowError(line, "unit_code", message % {"value": unit_code}))
    if agency not in known.agencies:
        message = _("Mã cơ quan «%(value)s» không hợp lệ; chỉ nhận: %(choices)s.")
        choices = ", ".join(known.agencies)
        errors.append(RowError(line, "agency", message % {"value": agency, "choices": choices}))
    sent_on = _day(row["sent_on"])
    if sent_on is None:
        message = _("Ngày gửi «%(value)s» không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 2026-03-06.")
        errors.append(RowError(line, "sent_on", message % {"value": row["sent_on"]}))
    elif sent_on > known.today:
        message = _("Ngày gửi %(value)s ở sau hôm nay.")
        errors.append(RowError(line, "sent_on", message % {"value": f"{sent_on:%d/%m/%Y}"}))
    if row["purpose"] not in ReferralPurpose.values:
        message = _("Mục đích «%(value)s» không hợp lệ; chỉ nhận: %(choices)s.")
        choices = ", ".join(ReferralPurpose.values)
        errors.append(
            RowError(line, "purpose", message % {"value": row["purpose"], "choices": choices})
        )
    if not reference:
        errors.append(RowError(line, "reference", _("Thiếu số văn bản.")))
    elif len(reference) > _REFERENCE_LENGTH:
        message = _("Số văn bản dài quá %(limit)s ký tự.")
        errors.append(RowError(line, "reference", message % {"limit": _REFERENCE_LENGTH}))
    elif reference in known.first_line:
        message = _("Số văn bản «%(value)s» trùng với dòng %(first)s của tệp.")
        first = known.first_line[reference]
        errors.append(RowError(line, "reference", message % {"value": reference, "first": first}))
    else:
        known.first_line[reference] = line
    return errors


@dataclass(frozen=True)
class _New:
    line: int
    employer: Employer
    agency: Agency
    purpose: str
    reference: str
    sent_on: date


def import_referrals(file: BinaryIO | Path, *, user: User | None = None) -> ImportResult:
    """Record the referrals of ``file``. ``user`` (the upload page's) limits the employers to
    those they see and is recorded as the author; the command imports for the whole province."""
    with transaction.atomic(), connection.cursor() as cursor:
        staged = stage(cursor, file, REFERRALS)
        lock_statements(cursor)
        columns = REFERRALS.columns
        cursor.execute(f"SELECT line, {', '.join(columns)} FROM {staged.table} ORDER BY line")  # noqa: S608
        rows = [
            (line, dict(zip(columns, values, strict=True))) for line, *values in cursor.fetchall()
        ]
        drop_staging(cursor, staged)

        codes = {row["unit_code"] for _line, row in rows}
        employers = Employer.objects.filter(unit_code__in=codes)
        scoped = (
            employers
            if user is None
            else Employer.objects.in_scope(user).filter(unit_code__in=codes)
        )
        known = _Known(
            employers={e.unit_code: e for e in employers},
            visible=set(scoped.values_list("pk", flat=True)),
            agencies={a.code: a for a in sorted(Agency.objects.all(), key=_listed)},
            today=timezone.localdate(),
        )
        recorded = {
            r.reference: r
            for r in Referral.objects.filter(
                reference__in={row["reference"] for _line, row in rows}
            ).select_related("case")
        }
        errors = list(staged.problems)
        new: list[_New] = []
        unchanged = 0
        for line, row in rows:
            found = _row_errors(line, row, known)
            if found:
                errors += found
                continue
            referral = _New(
                line,
                known.employers[row["unit_code"]],
                known.agencies[row["agency"]],
                row["purpose"],
                row["reference"],
                date.fromisoformat(row["sent_on"]),
            )
            existing = recorded.get(referral.reference)
            if existing is None:
                new.append(referral)
            elif (
                existing.case.employer_id,
                existing.agency_id,
                existing.sent_on,
                existing.purpose,
            ) == (
                referral.employer.pk,
                referral.agency.pk,
                referral.sent_on,
                referral.purpose,
            ):
                unchanged += 1
            else:
                message = _(
                    "Số văn bản «%(value)s» đã được ghi nhận với nội dung khác (đơn vị, cơ quan, "
                    "ngày gửi hoặc mục đích); không ghi đè đề nghị đã có."
                )
                errors.append(RowError(line, "reference", message % {"value": referral.reference}))
        if errors:
            omitted = staged.problem_count - len(staged.problems)
            raise StatementRefused(errors, total=len(errors) + omitted)

        # Oldest first, so that a case opened here opens on the employer's first referral.
        for referral in sorted(new, key=lambda r: (r.sent_on, r.line)):
            try:
                cases.record_imported_referral(
                    employer=referral.employer,
                    agency=referral.agency,
                    purpose=referral.purpose,
                    reference=referral.reference,
                    sent_on=referral.sent_on,
                    by=user,
                )
            except cases.CaseError as exc:
                raise StatementRefused([RowError(referral.line, "", str(exc))]) from exc
    return ImportResult(created=len(new), unchanged=unchanged)
