"""Sessions: they expire after SESSION_COOKIE_AGE without a request (each request moves the
expiry on), and a password change signs out every other session of the user."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_each_request_moves_the_expiry_on(client, manager, settings):  # type: ignore[no-untyped-def]
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client.force_login(manager)
    # Five minutes before it would expire, the user does something: eight hours again.
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    assert client.get("/ho-so/").status_code == 200
    left = _session(client).expire_date - timezone.now()
    assert timedelta(hours=8) - timedelta(minutes=1) < left <= timedelta(hours=8)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600


def test_an_idle_session_has_expired(client, manager):  # type: ignore[no-untyped-def]
    client.force_login(manager)
    Session.objects.filter(pk=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/ho-so/")
    assert response.status_code == 302
    assert response.url == "/dang-nhap/?next=/ho-so/"


def test_a_password_change_signs_out_the_other_sessions(manager):  # type: ignore[no-untyped-def]
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        assert (
            client.post(
                "/dang-nhap/", {"username": "manager", "password": "pw-for-tests-only"}
            ).status_code
            == 302
        )
        assert client.get("/ho-so/").status_code == 200
    response = here.post(
        "/doi-mat-khau/",
        {
            "old_password": "pw-for-tests-only",
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    assert here.get("/ho-so/").status_code == 200  # this session goes on
    gone = elsewhere.get("/ho-so/")
    assert (gone.status_code, gone.url) == (302, "/dang-nhap/?next=/ho-so/")


def test_the_password_validators_are_djangos_four(client, manager, settings):  # type: ignore[no-untyped-def]
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    client.force_login(manager)
    for weak in ("manager123", "password", "12345678901", "short1!"):
        response = client.post(
            "/doi-mat-khau/",
            {"old_password": "pw-for-tests-only", "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200, weak
        assert response.context["form"].errors["new_password2"], weak


def test_lockout_holds_for_the_right_password_too_and_is_in_the_trail(client, manager, settings):  # type: ignore[no-untyped-def]
    from audit.models import AuditEntry

    attempts = [
        client.post("/dang-nhap/", {"username": "manager", "password": "x"}).status_code
        for _n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert attempts == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the 5th locks
    locked = client.post("/dang-nhap/", {"username": "manager", "password": "pw-for-tests-only"})
    assert locked.status_code == 429
    assert not AuditEntry.objects.filter(action="login").exists()
    assert (
        AuditEntry.objects.filter(action="login_failed", username="manager").count()
        == settings.AXES_FAILURE_LIMIT + 1  # the try while locked out counts too
    )
