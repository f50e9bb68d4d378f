"""Certificates of contribution status: issued as a PDF with a verification code and QR."""

from __future__ import annotations

import base64
import io
import uuid
from collections.abc import Callable
from datetime import date

import qrcode
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from arrears.balances import balances_as_of
from desk.pdf import render_pdf
from desk.text import grouped
from participants.letterhead import letterhead
from participants.models import Employer
from reports.models import Certificate


class CertificateRefused(Exception):
    """The certificate cannot be issued; the message is for the user."""


def issue_certificate(
    *,
    employer: Employer,
    on: date,
    by: User,
    state_arrears: bool,
    link: Callable[[str], str],
) -> Certificate:
    """A certificate of the employer's position on ``on`` (rule 3): "no arrears", or, when
    ``state_arrears`` is ticked, the arrears it has. Refused while it has arrears or interest
    outstanding (rule 12) unless the certificate states them, and for a day after today.
    ``link`` gives the public verification page's address of a code (for the QR)."""
    if on > timezone.localdate():
        raise CertificateRefused(_("Ngày xác nhận không được sau hôm nay."))
    (balance,) = balances_as_of(on, employers=Employer.objects.filter(pk=employer.pk))
    if balance.arrears and not state_arrears:
        raise CertificateRefused(
            _(
                "Đơn vị còn nợ %(amount)s đồng (%(months)s tháng) tính đến ngày %(on)s: chỉ cấp "
                "giấy xác nhận có ghi rõ số nợ."
            )
            % {
                "amount": grouped(balance.arrears),
                "months": balance.months_in_arrears,
                "on": on.strftime("%d/%m/%Y"),
            }
        )
    if balance.interest_outstanding and not state_arrears:  # rule 12: interest is owed too
        raise CertificateRefused(
            _(
                "Đơn vị còn nợ %(amount)s đồng tiền lãi chậm đóng tính đến ngày %(on)s: chưa "
                "cấp được giấy xác nhận không nợ; chỉ cấp giấy xác nhận có ghi rõ số nợ."
            )
            % {"amount": grouped(balance.interest_outstanding), "on": on.strftime("%d/%m/%Y")}
        )
    certificate = Certificate(
        employer=employer,
        on=on,
        arrears=balance.arrears,
        months_in_arrears=balance.months_in_arrears,
        interest=balance.interest,
        interest_outstanding=balance.interest_outstanding,
        issued_by=by,
    )
    with transaction.atomic():
        certificate.save()  # its number and time are on the document
        pdf = certificate_pdf(certificate, link(certificate.code), balance.oldest_unpaid_period)
        certificate.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=True)
    return certificate


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an inline PNG (data: URI), for documents rendered offline."""
    image = qrcode.make(text, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def certificate_pdf(certificate: Certificate, url: str, oldest_unpaid: date | None) -> bytes:
    """The certificate as the office prints it, in Vietnamese whatever the issuer's language."""
    employer = certificate.employer
    head = letterhead(employer.office)  # the managing office's
    with translation.override("vi"):
        html = render_to_string(
            "reports/certificate.html",
            {
                "certificate": certificate,
                "employer": employer,
                "oldest_unpaid": oldest_unpaid,
                "url": url,
                "qr": qr_data_uri(url),
                "letterhead": head,
                "office": head.issuer,
                "province": settings.PROVINCE_NAME,
                "today": timezone.localdate(),
            },
        )
    return render_pdf(html)
