"""Referrals in the demo's cases: who works, approves and answers them (``Work``), and the
referrals beside the ladder (``Extra``), each to the organisation that fits the employer: the
province-level one of its kind, the commune's own People's Committee or police station where
the demo has one, the industrial zones' board or trade union for an employer in a zone.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Agency, User
from arrears.cases import services as cases
from arrears.cases.attachments import add_attachment
from arrears.cases.dossier import POLICE_DOSSIER
from arrears.models import RecoveryCase, Referral, ReferralPurpose, ReferralStatus
from demo.offices import IZ_UNION
from participants.models import Employer

# A one-page PDF with no content: the demo's dossier files and proofs.
BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

Kind = Agency.Kind


@dataclass
class Work:
    """Who does what in the demo, and what was made."""

    as_of: date
    rng: random.Random
    manager: User
    officers: dict[int, list[User]]  # office id: its officers not narrowed to communes
    # (office id, commune id): the officer of that office narrowed to communes including it
    narrowed: dict[tuple[int, int], User]
    heads: dict[int, User]  # office id: its head
    liaisons: dict[str, User]  # organisation code: its liaison
    agencies: dict[str, Agency]  # by code
    local: dict[tuple[str, int], Agency]  # (kind, commune id): the commune's own organisation
    made: Counter[str | Extra] = field(default_factory=Counter)
    references: int = 0

    @classmethod
    def of(cls, as_of: date, users: Sequence[User]) -> Work:
        """The demo's staff at work, and the organisations they refer cases to."""
        staff = [u for u in users if u.role == User.Role.OFFICER]
        agencies = {a.code: a for a in Agency.objects.prefetch_related("communes")}
        return cls(
            as_of=as_of,
            rng=random.Random(2025),  # noqa: S311 -- reproducible demo data, not secrets
            manager=next(u for u in users if u.role == User.Role.MANAGER),
            officers=_whole_office_officers(staff),
            narrowed={
                (o.pk, c.pk): u for u in staff for o in u.offices.all() for c in u.communes.all()
            },
            heads={o.pk: u for u in users if u.is_office_head for o in u.offices.all()},
            liaisons={u.agency.code: u for u in users if u.is_liaison and u.agency},
            agencies=agencies,
            local={
                (a.kind, c.pk): a
                for a in agencies.values()
                if a.code != IZ_UNION[0]
                for c in a.communes.all()
            },
        )

    def officer(self, employer: Employer) -> User:
        """Who works the employer's case: an officer narrowed to its commune, else one of its
        office's, else the manager."""
        narrowed = self.narrowed.get((employer.office_id, employer.commune_id or 0))
        if narrowed:
            return narrowed
        # Spread over the office's officers, the same one for the same employer.
        staff = self.officers.get(employer.office_id)
        return staff[employer.pk % len(staff)] if staff else self.manager

    def approver(self, employer: Employer) -> User:
        """Who approves a referral to the police: the head of the employer's office."""
        return self.heads.get(employer.office_id, self.manager)

    def reference(self, suffix: str) -> str:
        self.references += 1
        return f"{self.references}/BHXH-{suffix}"

    def refer(
        self, case: RecoveryCase, to: Agency, purpose: str, by: User, on: date, note: str = ""
    ) -> Referral:
        referral = cases.create_referral(case=case, agency=to, purpose=purpose, by=by, note=note)
        if to.kind == Kind.POLICE:
            for item, label in POLICE_DOSSIER:
                add_attachment(
                    case=case,
                    file=SimpleUploadedFile(f"{label}.pdf", BLANK_PDF),
                    by=by,
                    referral=referral,
                    dossier_item=item,
                )
            cases.approve_referral(referral=referral, by=self.approver(case.employer))
        self.made["referrals"] += 1
        self.made[f"to_{to.code}"] += 1
        return cases.send_referral(
            referral=referral, by=by, reference=self.reference("QLT"), sent_on=on
        )

    def answer(self, referral: Referral, status: str, response: str, outcome: str = "") -> None:
        # The organisation's liaison where the demo has one; else staff record the reply.
        by = self.liaisons.get(referral.agency.code, self.manager)
        on = min(self.as_of, referral.sent_on + timedelta(days=self.rng.randint(3, 12)))
        cases.answer_referral(
            referral=referral, by=by, status=status, response=response, outcome=outcome, on=on
        )


@dataclass(frozen=True)
class Extra:
    """A referral beside the ladder: to which organisation, why, and its answer (status,
    response, outcome), or None for no answer yet. ``where`` picks the organisation of
    ``kind``: "province" the province-level one; "commune" the employer's commune's own (none
    where the demo has none); "zone" the industrial zones' trade union, for an employer in a
    zone."""

    kind: str
    purpose: str
    answer: tuple[str, str, str] | None
    where: str = "province"
    note: str = ""

    def organisation(self, work: Work, employer: Employer) -> Agency | None:
        if self.where == "commune":
            return work.local.get((self.kind, employer.commune_id or 0))
        if self.where == "zone":
            return work.agencies[IZ_UNION[0]] if employer.industrial_zone else None
        return work.agencies[self.kind]


FEDERATION = Extra(
    Kind.LABOUR_FEDERATION,
    ReferralPurpose.SUE,
    (ReferralStatus.IN_PROGRESS, "Đang chuẩn bị hồ sơ khởi kiện thay người lao động.", ""),
)
TAX = Extra(Kind.TAX, ReferralPurpose.OTHER, None)
COMMITTEE = Extra(
    Kind.PEOPLES_COMMITTEE,
    ReferralPurpose.MEDIATE,
    (
        ReferralStatus.CONCLUDED,
        "UBND đã làm việc với đơn vị.",
        "Đơn vị cam kết nộp dứt điểm trong quý.",
    ),
    where="commune",
)
POLICE_STATION = Extra(
    Kind.POLICE,
    ReferralPurpose.OTHER,
    (
        ReferralStatus.CONCLUDED,
        "Đã xác minh tại địa chỉ đăng ký.",
        "Đơn vị còn hoạt động; người đại diện theo pháp luật cư trú tại địa phương.",
    ),
    where="commune",
    note="Đề nghị xác minh nơi hoạt động của đơn vị và nơi cư trú của người đại diện.",
)
IZ_BOARD = Extra(
    Kind.IZ_BOARD,
    ReferralPurpose.MEDIATE,
    (ReferralStatus.IN_PROGRESS, "Đã mời đơn vị làm việc tại Ban.", ""),
)
IZ_UNION_SUIT = Extra(
    Kind.LABOUR_FEDERATION,
    ReferralPurpose.SUE,
    (ReferralStatus.ACKNOWLEDGED, "Công đoàn KCN đã tiếp nhận, làm việc với công đoàn cơ sở.", ""),
    where="zone",
)
# The extra referrals in turn: for employers in an industrial zone, and for the others (an
# organisation the employer's commune does not have gives way to the next).
EXTRA_ZONED = (IZ_BOARD, IZ_UNION_SUIT)
EXTRA = (FEDERATION, TAX, COMMITTEE, POLICE_STATION)
# Shown on every demo large enough: a case is made for each the turns gave none to.
SHOWN = (IZ_BOARD, IZ_UNION_SUIT, COMMITTEE, POLICE_STATION)


def send_extra(
    work: Work, case: RecoveryCase, extra: Extra, to: Agency, officer: User, on: date
) -> None:
    referral = work.refer(case, to, extra.purpose, officer, on, extra.note)
    work.made[extra] += 1
    if extra.answer is not None:
        work.answer(referral, *extra.answer)


def extra_referral(work: Work, case: RecoveryCase, officer: User) -> None:
    """Another organisation on the case, the next in turn that fits the employer."""
    employer = case.employer
    turns = EXTRA_ZONED if employer.industrial_zone else EXTRA
    counter = "extra_zoned" if employer.industrial_zone else "extra"
    for _turn in turns:
        extra = turns[work.made[counter] % len(turns)]
        work.made[counter] += 1
        to = extra.organisation(work, employer)
        if to is not None:
            on = work.as_of - timedelta(days=work.rng.randint(5, 20))
            send_extra(work, case, extra, to, officer, on)
            return


def _whole_office_officers(staff: Sequence[User]) -> dict[int, list[User]]:
    officers: dict[int, list[User]] = {}
    for user in sorted(staff, key=lambda u: u.pk):
        if not user.communes.exists():
            for office in user.offices.all():
                officers.setdefault(office.pk, []).append(user)
    return officers
