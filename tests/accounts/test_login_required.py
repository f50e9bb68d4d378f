"""Every URL in the configuration asks for a login, except the few that must not."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages that must answer without a login, and why.
PUBLIC = {
    "login",  # the way in
    "verify_certificate",  # the public check of a certificate's code
}


def _walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # Django admin guards itself (redirects to its own login)
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name


def _sample_path(route: str) -> str:
    import re

    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<[^>]+>", "X", path)
    return "/" + path.lstrip("^").rstrip("$")


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), ROUTES)
def test_anonymous_is_sent_to_login(client, route, name):  # type: ignore[no-untyped-def]
    if name in PUBLIC:
        pytest.skip("public by design")
    for method in (client.get, client.post):
        response = method(_sample_path(route))
        assert response.status_code == 302, route
        assert response.url.startswith("/dang-nhap/"), route


@pytest.mark.django_db
def test_login_page_is_public_and_vietnamese(client):  # type: ignore[no-untyped-def]
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_walk_finds_the_pages():  # type: ignore[no-untyped-def]
    names = {name for _, name in ROUTES}
    assert {"home", "employer_list", "employer_detail", "login"} <= names
