"""Lockout after repeated failures (django-axes, config/settings.py): per address across
accounts, per account across addresses, with a page in Vietnamese."""

from __future__ import annotations

from django.urls import reverse

LOGIN = reverse("login")


def _fail(client, username: str, address: str) -> int:  # type: ignore[no-untyped-def]
    return client.post(
        LOGIN, {"username": username, "password": "sai"}, REMOTE_ADDR=address
    ).status_code


def test_one_address_guessing_many_accounts_is_locked_out(client, settings, db) -> None:  # type: ignore[no-untyped-def]
    codes = [_fail(client, f"user{n}", "10.0.0.7") for n in range(settings.AXES_FAILURE_LIMIT)]
    assert codes[-1] == 429
    page = client.post(LOGIN, {"username": "another", "password": "x"}, REMOTE_ADDR="10.0.0.7")
    assert page.status_code == 429
    text = page.content.decode()
    assert "Tạm khóa đăng nhập" in text and "Hãy thử lại sau 30 phút" in text
    assert _fail(client, "another", "10.0.0.8") == 200  # another address is not locked


def test_one_account_guessed_from_many_addresses_is_locked_out(client, settings, manager) -> None:  # type: ignore[no-untyped-def]
    codes = [_fail(client, "manager", f"10.0.1.{n}") for n in range(settings.AXES_FAILURE_LIMIT)]
    assert codes[-1] == 429
    right = client.post(
        LOGIN, {"username": "manager", "password": "pw-for-tests-only"}, REMOTE_ADDR="10.0.2.1"
    )
    assert right.status_code == 429  # the right password from a new address: still locked
