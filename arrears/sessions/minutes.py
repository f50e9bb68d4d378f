"""The minutes of a working session as a PDF, under the letterhead of the employer's managing
office, with the two signatures (the employer's representative, the officers)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from arrears.models import SessionMinutes
from desk.pdf import render_pdf
from participants.letterhead import letterhead


def minutes_html(minutes: SessionMinutes) -> str:
    booking = minutes.booking
    slot = booking.slot
    commitment = minutes.commitment
    return render_to_string(
        "arrears/sessions/minutes_pdf.html",
        {
            "minutes": minutes,
            "booking": booking,
            "slot": slot,
            "employer": booking.employer,
            "officers": list(slot.officers.all()),
            "instalments": list(commitment.instalments.all()) if commitment else [],
            "letterhead": letterhead(slot.office),
            "province": settings.PROVINCE_NAME,
        },
    )


def minutes_pdf(minutes: SessionMinutes) -> bytes:
    return render_pdf(minutes_html(minutes))
