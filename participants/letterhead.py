"""Who a document comes from: the letterhead's top-left block of the office's letters,
certificates and reports.

A grassroots office writes under the provincial office ("BẢO HIỂM XÃ HỘI TỈNH …" over
"BHXH CƠ SỞ …"); the provincial office under Vietnam Social Security. The provincial office
is the Office of kind ``province`` (settings.OFFICE_NAME until there is one).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from desk.text import fold
from participants.models import Office

NATIONAL = "Bảo hiểm xã hội Việt Nam"
GRASSROOTS_PREFIX = "BHXH cơ sở"
# Names already saying what the office is are used as they are.
_TITLED = ("bhxh", "bao hiem xa hoi")


def provincial_office_name() -> str:
    """The provincial office's name: the root Office's, else settings.OFFICE_NAME."""
    name = Office.objects.filter(kind=Office.Kind.PROVINCE).values_list("name", flat=True).first()
    return name or settings.OFFICE_NAME


def office_title(office: Office | None) -> str:
    """How a document names an office: "BHXH cơ sở Lương Sơn" for a grassroots office named
    "Lương Sơn", the provincial office's name for it (or for no office)."""
    if office is None or office.kind == Office.Kind.PROVINCE:
        return provincial_office_name()
    if fold(office.name).startswith(_TITLED):
        return office.name
    return f"{GRASSROOTS_PREFIX} {office.name}"


@dataclass(frozen=True)
class Letterhead:
    """The two lines of the top-left block: the superior body, then the issuing office
    (printed in capitals, the issuer in bold)."""

    superior: str
    issuer: str

    @property
    def superior_line(self) -> str:
        return self.superior.upper()

    @property
    def issuer_line(self) -> str:
        return self.issuer.upper()


def letterhead(office: Office | None = None) -> Letterhead:
    """The letterhead of a document from ``office`` (an employer's managing office): a
    grassroots office under the provincial office; the provincial office (or none given)
    under Vietnam Social Security."""
    if office is None or office.kind == Office.Kind.PROVINCE:
        return Letterhead(NATIONAL, provincial_office_name())
    return Letterhead(provincial_office_name(), office_title(office))
