import pytest

pytestmark = pytest.mark.django_db


def test_manager_signs_in_with_password_and_reaches_home(client, manager):  # type: ignore[no-untyped-def]
    response = client.post(
        "/dang-nhap/", {"username": "manager", "password": "pw-for-tests-only"}, follow=True
    )
    assert response.status_code == 200
    assert response.context["user"] == manager
    assert "Xin chào" in response.content.decode()


def test_wrong_password_is_refused_in_vietnamese(client, manager):  # type: ignore[no-untyped-def]
    response = client.post("/dang-nhap/", {"username": "manager", "password": "nope"})
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_repeated_failures_lock_the_account(client, manager, settings):  # type: ignore[no-untyped-def]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/dang-nhap/", {"username": "manager", "password": "nope"})
    response = client.post("/dang-nhap/", {"username": "manager", "password": "pw-for-tests-only"})
    assert response.status_code == 429


def test_password_change_keeps_only_this_session(client, manager):  # type: ignore[no-untyped-def]
    client.force_login(manager)
    response = client.post(
        "/doi-mat-khau/",
        {
            "old_password": "pw-for-tests-only",
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password("Mot-mat-khau-moi-2026")


def test_weak_password_is_refused(client, manager):  # type: ignore[no-untyped-def]
    client.force_login(manager)
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": "pw-for-tests-only", "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    manager.refresh_from_db()
    assert manager.check_password("pw-for-tests-only")


def test_user_can_switch_to_english(client_as, officer_a):  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    client.post("/ngon-ngu/", {"language": "en", "next": "/"})
    officer_a.refresh_from_db()
    assert officer_a.language == "en"
