"""Fixed roles for every test (as healthchecks' alice, bob and charlie): two offices, an officer
and a head of each, a manager, a police liaison and a labour-federation liaison."""

import pytest

from accounts.models import User
from participants.imports.coverage import import_coverage
from tests.factories import EmployerFactory, OfficeFactory, UserFactory, agency
from tests.statements import COVERAGE_SAMPLE

# Shared data fixtures: sample_province (shared/samples in the database) and, below,
# coverage_sample (docs/samples/coverage.csv imported).
pytest_plugins = ["tests.samples"]


@pytest.fixture(autouse=True)
def _fast_hashing_and_memory_mail(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads and letters never land in .data
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def office_a(db):  # type: ignore[no-untyped-def]
    return OfficeFactory(name="Lương Sơn")


@pytest.fixture
def office_b(db):  # type: ignore[no-untyped-def]
    return OfficeFactory(name="Tân Lạc")


@pytest.fixture
def officer_a(office_a):  # type: ignore[no-untyped-def]
    return UserFactory(username="officer_a", role=User.Role.OFFICER, offices=[office_a])


@pytest.fixture
def officer_b(office_b):  # type: ignore[no-untyped-def]
    return UserFactory(username="officer_b", role=User.Role.OFFICER, offices=[office_b])


@pytest.fixture
def head_a(office_a):  # type: ignore[no-untyped-def]
    """The head of office A (a grassroots office): sees its work, gives its approvals."""
    return UserFactory(username="head_a", role=User.Role.OFFICE_HEAD, offices=[office_a])


@pytest.fixture
def head_b(office_b):  # type: ignore[no-untyped-def]
    return UserFactory(username="head_b", role=User.Role.OFFICE_HEAD, offices=[office_b])


@pytest.fixture
def manager(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="manager", role=User.Role.MANAGER)


@pytest.fixture
def police(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="police", role=User.Role.LIAISON, agency=agency("police"))


@pytest.fixture
def federation(db):  # type: ignore[no-untyped-def]
    return UserFactory(
        username="federation", role=User.Role.LIAISON, agency=agency("labour_federation")
    )


@pytest.fixture
def employer_a(office_a):  # type: ignore[no-untyped-def]
    return EmployerFactory(office=office_a, name="Công ty TNHH Minh Phát")


@pytest.fixture
def employer_b(office_b):  # type: ignore[no-untyped-def]
    return EmployerFactory(office=office_b, name="Hợp tác xã Đồng Tâm")


@pytest.fixture
def coverage_sample(office_a, office_b) -> None:  # type: ignore[no-untyped-def]
    """docs/samples/coverage.csv: the province 2023-2024 (2024 is the published figure),
    Lương Sơn (office_a) 2023-2024 and Tân Lạc (office_b) 2024; for the coverage import's
    and the coverage report's tests."""
    result = import_coverage(COVERAGE_SAMPLE)
    assert (result.created, result.updated, result.unchanged) == (6, 0, 0)


@pytest.fixture
def client_as(client):  # type: ignore[no-untyped-def]
    """client_as(user) -> a test client signed in as that user."""

    def sign_in(user: User):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return sign_in
