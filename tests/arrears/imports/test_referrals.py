"""``manage.py import_referrals``: an office's spreadsheet of referrals brought into cases,
checked whole first, written in one transaction, idempotent; and the shared samples'
referrals agree with expected.json."""

from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Agency
from arrears import law
from arrears.cases import services as cases
from arrears.imports.referrals import import_referrals
from arrears.models import EventKind, RecoveryCase, Referral, ReferralStatus, Stage
from arrears.selectors import employer_ledger
from desk.statements.results import StatementRefused
from tests.factories import ContributionFactory, PaymentFactory
from tests.samples import SAMPLE_DAY, SAMPLES

pytestmark = pytest.mark.django_db

HEADER = "unit_code,agency,sent_on,reference,purpose\n"


def _file(*rows: str) -> BytesIO:
    return BytesIO((HEADER + "".join(f"{row}\n" for row in rows)).encode())


@pytest.fixture
def late_employer(employer_a):  # type: ignore[no-untyped-def]
    """Four months of 1,000,000 đ (07-10/2025, due 31/08 .. 30/11), July paid on time."""
    for month in (7, 8, 9, 10):
        ContributionFactory(employer=employer_a, period=date(2025, month, 1), employees=12)
    PaymentFactory(employer=employer_a, paid_on=date(2025, 8, 20), amount=1_000_000)
    return employer_a


def test_samples_agree_with_expected(sample_province):  # type: ignore[no-untyped-def]
    result = import_referrals(SAMPLES / "referrals.csv")
    expected = sample_province.expected["referrals"]
    assert (result.created, result.unchanged) == (len(expected), 0)
    for row in expected:
        referral = Referral.objects.select_related("case__employer", "agency").get(
            case__employer__unit_code=row["unit_code"]
        )
        assert referral.agency.code == row["agency"]
        assert (referral.status, referral.imported) == (ReferralStatus.SENT, True)
        assert referral.arrears_at_referral == row["arrears_at_referral"], row["unit_code"]
        assert referral.employees_at_referral == row["employees_at_referral"], row["unit_code"]
        _dues, payments = employer_ledger(referral.case.employer)
        recovered = law.referral_recovered(
            referral.arrears_at_referral, payments, referral.sent_on, SAMPLE_DAY
        )
        assert recovered == row["recovered"], row["unit_code"]
        # The case was opened on the referral date with the ledger's arrears of that day.
        case = referral.case
        assert (case.stage, case.opened_on) == (Stage.DETECTED, referral.sent_on)
        assert case.arrears_at_opening == referral.arrears_at_referral
    assert RecoveryCase.objects.count() == len(expected)


def test_good_file_opens_cases_and_records_sent_referrals(late_employer, employer_b):  # type: ignore[no-untyped-def]
    result = import_referrals(
        _file(
            f"{late_employer.unit_code},labour_inspectorate,2025-12-15,12/BHXH-QLT,inspect",
            f"{late_employer.unit_code},labour_federation,2026-01-15,13/BHXH-QLT,sue",
            f"{employer_b.unit_code},police,2026-01-20,14/BHXH-QLT,investigate",
        )
    )
    assert (result.created, result.unchanged) == (3, 0)
    case = RecoveryCase.objects.get(employer=late_employer)
    # One case for the employer, opened on its first referral: on 15/12/2025 August,
    # September and October (due 30/09, 31/10, 30/11) were past due.
    assert case.opened_on == date(2025, 12, 15)
    assert case.arrears_at_opening == 3_000_000
    referrals = {r.reference: r for r in case.referrals.all()}
    assert set(referrals) == {"12/BHXH-QLT", "13/BHXH-QLT"}
    assert referrals["13/BHXH-QLT"].arrears_at_referral == 3_000_000
    assert referrals["13/BHXH-QLT"].employees_at_referral == 12
    assert all(r.imported and r.status == ReferralStatus.SENT for r in referrals.values())
    assert case.events.filter(kind=EventKind.REFERRAL).count() == 2
    # Recorded as already sent: no dossier or approval for the police referral.
    police = Referral.objects.get(reference="14/BHXH-QLT")
    assert police.approved_by is None and police.case.employer == employer_b


def test_an_open_case_is_reused(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=date(2025, 11, 1))
    import_referrals(_file(f"{late_employer.unit_code},iz_board,2026-01-05,20/BHXH,mediate"))
    assert RecoveryCase.objects.get() == case
    assert case.referrals.get().reference == "20/BHXH"


def test_importing_twice_changes_nothing(late_employer):  # type: ignore[no-untyped-def]
    row = f"{late_employer.unit_code},labour_inspectorate,2025-12-15,12/BHXH-QLT,inspect"
    import_referrals(_file(row))
    again = import_referrals(_file(row))
    assert (again.created, again.unchanged) == (0, 1)
    assert (RecoveryCase.objects.count(), Referral.objects.count()) == (1, 1)


def test_sent_on_day_first_as_vietnamese_excel_writes_it(late_employer):  # type: ignore[no-untyped-def]
    import_referrals(_file(f"{late_employer.unit_code},tax,5/1/2026,21/BHXH,other"))
    assert Referral.objects.get().sent_on == date(2026, 1, 5)


def test_bad_rows_refuse_the_whole_file(late_employer):  # type: ignore[no-untyped-def]
    code = late_employer.unit_code
    with pytest.raises(StatementRefused) as refused:
        import_referrals(
            _file(
                f"{code},labour_inspectorate,2025-12-15,1/BHXH,inspect",
                "XX999,labour_inspectorate,2025-12-15,2/BHXH,inspect",
                f"{code},army,2025-12-15,3/BHXH,inspect",
                f"{code},police,31/11/2025,4/BHXH,investigate",
                f"{code},police,2025-12-15,5/BHXH,arrest",
                f"{code},tax,2025-12-16,1/BHXH,other",
            )
        )
    lines = refused.value.lines()
    assert lines == [
        "Dòng 3, cột unit_code: Mã đơn vị «XX999» chưa có trong danh sách đơn vị.",
        "Dòng 4, cột agency: Mã cơ quan «army» không hợp lệ; chỉ nhận: police, "
        "labour_inspectorate, labour_federation, iz_board, tax, peoples_committee, court, "
        "procuracy.",
        "Dòng 5, cột sent_on: Ngày gửi «31/11/2025» không hợp lệ: cần dạng YYYY-MM-DD, "
        "ví dụ 2026-03-06.",
        "Dòng 6, cột purpose: Mục đích «arrest» không hợp lệ; chỉ nhận: investigate, inspect, "
        "mediate, sue, other.",
        "Dòng 7, cột reference: Số văn bản «1/BHXH» trùng với dòng 2 của tệp.",
    ]
    assert not RecoveryCase.objects.exists() and not Referral.objects.exists()


def test_referral_to_a_commune_level_organisation_by_code_and_to_a_kind(late_employer):  # type: ignore[no-untyped-def]
    station = Agency.objects.create(code="CA_LAM_SON", kind="police", name="Công an xã Lâm Sơn")
    code = late_employer.unit_code
    result = import_referrals(
        _file(
            f"{code},CA_LAM_SON,2025-12-15,21/BHXH,investigate",
            f"{code},police,2025-12-16,22/BHXH,investigate",  # the province's police
        )
    )
    assert result.created == 2
    assert {r.reference: r.agency for r in Referral.objects.all()} == {
        "21/BHXH": station,
        "22/BHXH": Agency.objects.get(code="police", kind="police"),
    }
    with pytest.raises(StatementRefused) as refused:
        import_referrals(_file(f"{code},ca_lam_son,2025-12-17,23/BHXH,investigate"))
    assert refused.value.lines() == [
        "Dòng 2, cột agency: Mã cơ quan «ca_lam_son» không hợp lệ; chỉ nhận: police, "
        "labour_inspectorate, labour_federation, iz_board, tax, peoples_committee, court, "
        "procuracy, CA_LAM_SON."
    ]


def test_same_reference_with_other_content_is_a_conflict(late_employer):  # type: ignore[no-untyped-def]
    code = late_employer.unit_code
    import_referrals(_file(f"{code},labour_inspectorate,2025-12-15,12/BHXH-QLT,inspect"))
    with pytest.raises(StatementRefused) as refused:
        import_referrals(
            _file(
                f"{code},labour_federation,2026-01-15,13/BHXH-QLT,sue",
                f"{code},labour_inspectorate,2025-12-16,12/BHXH-QLT,inspect",
            )
        )
    assert refused.value.lines() == [
        "Dòng 3, cột reference: Số văn bản «12/BHXH-QLT» đã được ghi nhận với nội dung khác "
        "(đơn vị, cơ quan, ngày gửi hoặc mục đích); không ghi đè đề nghị đã có."
    ]
    assert Referral.objects.count() == 1  # the good row was not written either


def test_an_officer_imports_only_employers_of_their_offices(late_employer, employer_b, officer_a):  # type: ignore[no-untyped-def]
    with pytest.raises(StatementRefused, match="không thuộc địa bàn"):
        import_referrals(
            _file(f"{employer_b.unit_code},police,2026-01-20,14/BHXH,investigate"), user=officer_a
        )
    import_referrals(
        _file(f"{late_employer.unit_code},police,2026-01-20,15/BHXH,investigate"), user=officer_a
    )
    case = RecoveryCase.objects.get()
    assert case.officer == officer_a
    assert case.referrals.get().created_by == officer_a


def test_command(late_employer, tmp_path):  # type: ignore[no-untyped-def]
    good = tmp_path / "referrals.csv"
    good.write_text(
        HEADER + f"{late_employer.unit_code},labour_inspectorate,2025-12-15,12/BHXH,inspect\n",
        encoding="utf-8",
    )
    out = StringIO()
    call_command("import_referrals", str(good), stdout=out)
    assert "1 thêm mới" in out.getvalue()
    call_command("import_referrals", str(good), stdout=out)
    assert "1 không đổi" in out.getvalue()

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "XX1,police,2025-12-15,99/BHXH,investigate\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="không ghi gì"):
        call_command("import_referrals", str(bad), stdout=StringIO(), stderr=err)
    assert "Dòng 2, cột unit_code" in err.getvalue()
    assert Referral.objects.count() == 1


def test_upload_page_offers_referrals(client_as, late_employer, employer_b, officer_a, manager):  # type: ignore[no-untyped-def]
    url = reverse("import_statement")
    row = f"{employer_b.unit_code},police,2026-01-20,14/BHXH,investigate\n"
    response = client_as(officer_a).post(
        url, {"kind": "referrals", "file": SimpleUploadedFile("r.csv", (HEADER + row).encode())}
    )
    assert "không thuộc địa bàn" in response.content.decode()
    assert not Referral.objects.exists()
    response = client_as(manager).post(
        url, {"kind": "referrals", "file": SimpleUploadedFile("r.csv", (HEADER + row).encode())}
    )
    assert response.context["result"].created == 1
    assert Referral.objects.get().created_by == manager
