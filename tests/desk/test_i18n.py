"""Vietnamese first, English selectable per user: the catalogue compiles without GNU gettext,
and the employer list speaks each user's language with the office's number and date formats."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from arrears.balances import refresh_balances
from tests.factories import ContributionFactory

CATALOGUE = Path(django_settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def english(settings):  # type: ignore[no-untyped-def]
    """The English catalogue compiled (a no-op when `make test` did it already), and Django's
    translation caches reset so that this process reads it."""
    call_command("compile_catalogues")
    settings.LOCALE_PATHS = list(settings.LOCALE_PATHS)  # setting_changed clears the caches


def test_catalogue_is_complete_and_compiles_in_pure_python(tmp_path: Path) -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    assert not untranslated, untranslated[:10]
    assert not catalogue.fuzzy_entries()
    copy = tmp_path / "django.po"
    copy.write_bytes(CATALOGUE.read_bytes())
    from desk.management.commands.compile_catalogues import compile_catalogue

    assert compile_catalogue(copy)
    assert not compile_catalogue(copy)  # up to date: left alone
    compiled = polib.mofile(str(copy.with_suffix(".mo")))
    assert compiled.find("Đơn vị tham gia").msgstr == "Employers"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words", "money", "absent"),
    [
        (
            "en",
            ['<h1 class="h3 mb-0">Employers</h1>', "Unit code", "Employer name", "Filter"],
            "3,000,000\u00a0₫",
            "Mã đơn vị",
        ),
        (
            "vi",
            ['<h1 class="h3 mb-0">Đơn vị tham gia</h1>', "Mã đơn vị", "Tên đơn vị", "Lọc"],
            "3.000.000\u00a0₫",
            "Unit code",
        ),
    ],
)
def test_employer_list_in_the_users_language(
    english, client_as, officer_a, employer_a, language, words, money, absent
) -> None:  # type: ignore[no-untyped-def]
    for month in (7, 8, 9):
        ContributionFactory(employer=employer_a, period=date(2025, month, 1))
    refresh_balances()
    officer_a.language = language
    officer_a.save(update_fields=["language"])
    page = client_as(officer_a).get("/don-vi/").content.decode()
    assert f'<html lang="{language}">' in page
    for word in words:
        assert word in page
    assert money in page
    assert absent not in page
    # Dates stay day first in both languages (the statement's due dates).
    statement = client_as(officer_a).get(f"/don-vi/{employer_a.unit_code}/").content.decode()
    assert "31/10/2025" in statement  # September's due date


@pytest.mark.django_db
def test_a_user_switches_language_from_the_menu(english, client_as, officer_a) -> None:  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    response = client.post("/ngon-ngu/", {"language": "en", "next": "/don-vi/"}, follow=True)
    assert "Employers" in response.content.decode()
    officer_a.refresh_from_db()
    assert officer_a.language == "en"
    response = client.post("/ngon-ngu/", {"language": "vi", "next": "/don-vi/"}, follow=True)
    assert "Đơn vị tham gia" in response.content.decode()


@pytest.mark.django_db
def test_switching_language_never_leaves_the_site(client_as, officer_a) -> None:  # type: ignore[no-untyped-def]
    response = client_as(officer_a).post(
        "/ngon-ngu/", {"language": "en", "next": "https://example.com/phishing"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_the_offices_page_in_english(english, client_as, officer_a, employer_a) -> None:  # type: ignore[no-untyped-def]
    officer_a.language = "en"
    officer_a.save(update_fields=["language"])
    page = client_as(officer_a).get("/co-so/").content.decode()
    for words in (
        "The provincial office and the grassroots offices",
        "Provincial social insurance office",
        "Grassroots office",
        "Employers managed",
    ):
        assert words in page
    page = client_as(officer_a).get(f"/don-vi/{employer_a.unit_code}/").content.decode()
    assert "Managing office" in page and "Province that issued the code" in page
    assert "district" not in page.lower()
