"""An officer issuing a certificate types part of an employer's name without diacritics, picks
it from the suggestions, and the unit code is in the field; nothing of another office's is
offered."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import assert_accessible, log_in
from tests.factories import EmployerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_picks_a_unit_code_by_name(page: Page, officer_a, office_a, office_b) -> None:  # type: ignore[no-untyped-def]
    mine = EmployerFactory(unit_code="HB00777", office=office_a, name="Công ty TNHH Minh Phát")
    EmployerFactory(unit_code="HB00888", office=office_b, name="Công ty CP Minh Phát Tân Lạc")
    log_in(page, "officer_a")
    page.goto("/bao-cao/giay-xac-nhan/")
    field = page.get_by_label("Mã đơn vị")
    field.press_sequentially("MINH phat", delay=20)
    suggestion = page.get_by_role("option")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text("HB00777 – Công ty TNHH Minh Phát")
    assert_accessible(page)
    suggestion.click()
    expect(field).to_have_value(mine.unit_code)
    expect(page.get_by_role("option")).to_have_count(0)
