"""The demo province's offices, communes, partner organisations and staff in the database, for
``load_demo``: the map of ``demo.places`` made into rows, and the demo's logins.

Offices, communes and organisations are reference data: made or brought up to date on every
load, never wiped. The users are the demo's own and go with ``wipe_users``.
"""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from demo import places
from demo.places import FORMER_PROVINCES, PROVINCE_OFFICE
from participants.letterhead import office_title
from participants.models import Commune, Office

PASSWORD = "demo"  # noqa: S105 -- demo logins only; load_demo refuses to run without DEBUG  # nosec B105

Kind = Agency.Kind


class DemoUser(NamedTuple):
    username: str
    full_name: str
    role: str
    offices: tuple[str, ...] = ()  # office codes
    communes: tuple[str, ...] = ()  # commune codes the officer is narrowed to
    agency: str | None = None  # organisation code, for a liaison


def _officer(username: str, full_name: str, *offices: str) -> DemoUser:
    return DemoUser(username, full_name, User.Role.OFFICER, offices)


def _head(username: str, full_name: str, office: str) -> DemoUser:
    return DemoUser(username, full_name, User.Role.OFFICE_HEAD, (office,))


def _liaison(username: str, full_name: str, agency: str) -> DemoUser:
    return DemoUser(username, full_name, User.Role.LIAISON, agency=agency)


# The commune police station whose liaison the demo has (police_xa): the provincial capital's
# ward, where even a small demo has debtors.
LIAISON_POLICE_STATION = "police_viet_tri"

USERS: tuple[DemoUser, ...] = (
    DemoUser("manager", "Nguyễn Thị Thu Hà", User.Role.MANAGER),
    _officer("officer", "Bùi Văn Thắng", "LUONG_SON", "HOA_BINH"),
    _head("head", "Đinh Thị Hằng", "LUONG_SON"),
    _officer("officer_tinh", "Trần Quốc Huy", PROVINCE_OFFICE.code),
    _officer("officer_tan_lac", "Hoàng Văn Cường", "TAN_LAC"),
    _officer("officer_lac_son", "Bùi Thị Nga", "LAC_SON"),
    _officer("officer_vinh_yen", "Nguyễn Văn Hùng", "VINH_YEN"),
    _officer("officer_phuc_yen", "Trần Thị Thu Trang", "PHUC_YEN"),
    # An officer the Phúc Yên office narrowed to the communes of the former Bình Xuyên.
    DemoUser(
        "officer_binh_xuyen",
        "Lê Văn Quyết",
        User.Role.OFFICER,
        ("PHUC_YEN",),
        tuple(c.code for c in places.COMMUNES if c.former_district == "Bình Xuyên"),
    ),
    _officer("officer_vinh_tuong", "Phùng Thị Hạnh", "VINH_TUONG"),
    _officer("officer_viet_tri", "Nguyễn Thị Lan", "VIET_TRI"),
    _officer("officer_phu_tho", "Đỗ Minh Tuấn", "PHU_THO"),
    _officer("officer_thanh_son", "Đinh Văn Hòa", "THANH_SON"),
    # A second officer in every office, so that the weekly job's automatic cases are spread
    # by workload (arrears.cases.assignment) rather than all given to one person.
    _officer("officer_2", "Nguyễn Văn Bình", "LUONG_SON", "HOA_BINH"),
    _officer("officer_tinh_2", "Lê Thị Mai Anh", PROVINCE_OFFICE.code),
    _officer("officer_tan_lac_2", "Bùi Văn Dũng", "TAN_LAC"),
    _officer("officer_lac_son_2", "Đinh Thị Thanh", "LAC_SON"),
    _officer("officer_vinh_yen_2", "Trần Minh Khoa", "VINH_YEN"),
    _officer("officer_phuc_yen_2", "Nguyễn Thị Hà", "PHUC_YEN"),
    _officer("officer_vinh_tuong_2", "Lê Văn Toàn", "VINH_TUONG"),
    _officer("officer_viet_tri_2", "Phạm Thị Thu", "VIET_TRI"),
    _officer("officer_phu_tho_2", "Hà Quang Vinh", "PHU_THO"),
    _officer("officer_thanh_son_2", "Hoàng Thị Lệ", "THANH_SON"),
    _head("head_hoa_binh", "Quách Văn Sơn", "HOA_BINH"),
    _head("head_tan_lac", "Lò Thị Mai", "TAN_LAC"),
    _head("head_lac_son", "Xa Văn Tùng", "LAC_SON"),
    _head("head_vinh_yen", "Phan Văn Dũng", "VINH_YEN"),
    _head("head_phuc_yen", "Kiều Thị Yến", "PHUC_YEN"),
    _head("head_vinh_tuong", "Nguyễn Hữu Toàn", "VINH_TUONG"),
    _head("head_viet_tri", "Trần Thị Hồng Nhung", "VIET_TRI"),
    _head("head_phu_tho", "Vũ Đức Thành", "PHU_THO"),
    _head("head_thanh_son", "Hà Thị Thảo", "THANH_SON"),
    _liaison("police", "Đinh Công Minh", Kind.POLICE),
    _liaison("police_xa", "Bùi Văn Khánh", LIAISON_POLICE_STATION),
    _liaison("federation", "Quách Thị Hồng", Kind.LABOUR_FEDERATION),
    _liaison("inspector", "Hà Văn Long", Kind.LABOUR_INSPECTORATE),
    _liaison("izboard", "Lê Minh Tuấn", Kind.IZ_BOARD),
)
USERNAMES = tuple(user.username for user in USERS)
# The provincial office's head is the manager (the provincial director).
PROVINCE_HEAD = "manager"

# Communes with a police station and a People's Committee on the demo (organisations whose area
# is that commune): the grassroots offices' seats and the communes of the largest zones.
PARTNER_COMMUNES = (
    "X_LUONG_SON",
    "X_NHUAN_TRACH",
    "P_HOA_BINH",
    "X_TAN_LAC",
    "X_LAC_SON",
    "P_VINH_YEN",
    "P_PHUC_YEN",
    "X_BINH_XUYEN",
    "X_VINH_TUONG",
    "P_VIET_TRI",
    "P_PHU_THO",
    "X_THANH_SON",
)
# The trade union of the industrial zones, a labour-federation organisation whose area is the
# communes the zones lie in.
IZ_UNION = ("labour_federation_kcn", "Công đoàn các Khu công nghiệp tỉnh Phú Thọ")
_PARTNER_NAMES = {Kind.POLICE: "Công an", Kind.PEOPLES_COMMITTEE: "Ủy ban nhân dân"}


def partner_code(kind: str, commune: places.Commune) -> str:
    """The code of the commune-level organisation of ``kind``: "police_luong_son"."""
    return f"{kind}_{commune.code[2:].lower()}"


def load_offices() -> dict[str, Office]:
    """The provincial office (the root, renamed to the demo's) and the grassroots offices, by
    code."""
    root = Office.objects.filter(kind=Office.Kind.PROVINCE).first() or Office(
        kind=Office.Kind.PROVINCE, code=PROVINCE_OFFICE.code
    )
    offices = {PROVINCE_OFFICE.code: root}
    root.name, root.address, root.phone = (
        PROVINCE_OFFICE.name,
        PROVINCE_OFFICE.address,
        PROVINCE_OFFICE.phone,
    )
    root.save()
    for office in places.OFFICES:
        # An office of that name from before (a district migrated) is the same office, with
        # the demo's code.
        row = (
            Office.objects.filter(code=office.code).first()
            or Office.objects.filter(name=office.name).first()
            or Office(code=office.code)
        )
        row.code, row.name, row.kind = office.code, office.name, Office.Kind.GRASSROOTS
        row.address, row.phone = office.address, office.phone
        row.save()
        offices[office.code] = row
    return offices


def load_communes(offices: dict[str, Office]) -> dict[str, Commune]:
    """Every commune of the map with its serving office and history, by code."""
    communes = {}
    for commune in places.COMMUNES:
        communes[commune.code], _created = Commune.objects.update_or_create(
            code=commune.code,
            defaults={
                "name": commune.name,
                "kind": commune.kind,
                "office": offices[commune.office],
                "former_district": commune.former_district,
                "former_province": FORMER_PROVINCES[commune.prefix],
            },
        )
    return communes


def load_organisations(communes: dict[str, Commune]) -> dict[str, Agency]:
    """The partner organisations, by code: the province-level one of each kind (the
    migrations seed them) and, at commune level, police stations and People's Committees of
    ``PARTNER_COMMUNES`` and the industrial zones' trade union."""
    by_code = {c.code: c for c in places.COMMUNES}
    for code in PARTNER_COMMUNES:
        commune = by_code[code]
        for kind, title in _PARTNER_NAMES.items():
            organisation, _created = Agency.objects.update_or_create(
                code=partner_code(kind, commune),
                defaults={"kind": kind, "name": f"{title} {places.commune_label(commune)}"},
            )
            organisation.communes.set([communes[code]])
    code, name = IZ_UNION
    union, _created = Agency.objects.update_or_create(
        code=code, defaults={"kind": Kind.LABOUR_FEDERATION, "name": name}
    )
    union.communes.set({communes[where] for where in places.INDUSTRIAL_ZONES.values()})
    return {agency.code: agency for agency in Agency.objects.prefetch_related("communes")}


def load_users(
    offices: dict[str, Office], communes: dict[str, Commune], organisations: dict[str, Agency]
) -> dict[str, User]:
    """The demo's logins (password ``PASSWORD``), and each office's head."""
    password = make_password(PASSWORD)  # hashed once: a strong hash per user is slow
    users = {}
    for demo_user in USERS:
        family_and_middle, _space, given = demo_user.full_name.rpartition(" ")
        manager = demo_user.role == User.Role.MANAGER
        user = User.objects.create(
            username=demo_user.username,
            first_name=family_and_middle,  # so get_full_name() reads "Họ đệm Tên"
            last_name=given,
            password=password,
            role=demo_user.role,
            agency=organisations[demo_user.agency] if demo_user.agency else None,
            is_staff=manager,  # the manager also opens Django admin in the demo
            is_superuser=manager,
        )
        user.offices.set(offices[code] for code in demo_user.offices)
        user.communes.set(communes[code] for code in demo_user.communes)
        users[demo_user.username] = user
        if demo_user.role == User.Role.OFFICE_HEAD:
            Office.objects.filter(pk=offices[demo_user.offices[0]].pk).update(head=user)
    Office.objects.filter(pk=offices[PROVINCE_OFFICE.code].pk).update(head=users[PROVINCE_HEAD])
    return users


def wipe_users() -> None:
    # The offices' heads are set to none with them.
    User.objects.filter(username__in=USERNAMES).delete()


def logins() -> list[str]:
    """One line per demo login: username, name, role and where it works."""
    offices = {office.code: office for office in Office.objects.all()}
    communes = {c.code: places.commune_label(c) for c in places.COMMUNES}
    organisations = dict(Agency.objects.values_list("code", "name"))
    lines = []
    for user in USERS:
        if user.agency:
            scope = organisations.get(user.agency, user.agency)
        elif user.offices:
            scope = ", ".join(office_title(offices.get(code)) for code in user.offices)
            if user.communes:
                scope += f": {', '.join(communes[code] for code in user.communes)}"
        else:
            scope = _("toàn tỉnh")
        role = User.Role(user.role).label
        lines.append(f"{user.username:<19} {user.full_name} – {role} ({scope})")
    return lines
