"""Statement files over STATEMENT_BACKGROUND_BYTES: queued, imported by a Celery worker, the
page polling until it shows the counts or every reason, for the uploader only."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arrears import balances
from arrears.imports import background
from arrears.models import Payment, StatementUpload
from audit.models import AuditEntry
from tests.arrears.imports.conftest import PAYMENTS
from tests.arrears.jobs import test_celery_worker as workers
from tests.arrears.jobs.test_celery_worker import broker_url, celery_worker, wait_for
from tests.factories import EmployerFactory

URL = "/nhap-du-lieu/"
queue = workers.queue  # a queue of the test's own, for its worker


@pytest.fixture(autouse=True)
def _no_refresh(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(balances, "request_balance_refresh", lambda: None)


@pytest.fixture
def small_threshold(settings):  # type: ignore[no-untyped-def]
    settings.STATEMENT_BACKGROUND_BYTES = 64


def payments(*rows: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("sao-ke.csv", "\n".join([PAYMENTS, *rows]).encode(), "text/csv")


GOOD = ("HB001,2025-08-05,1.000.000,UNC-1", "HB001,05/09/2025,2000000,UNC-2")


@pytest.mark.django_db
def test_a_big_file_is_queued_then_the_page_shows_the_counts(  # type: ignore[no-untyped-def]
    client_as, officer_a, office_a, small_threshold, django_capture_on_commit_callbacks
):
    EmployerFactory(unit_code="HB001", office=office_a)
    client = client_as(officer_a)
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(URL, {"kind": "payments", "file": payments(*GOOD)})
    upload = StatementUpload.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("import_status", args=[upload.pk]) == f"{URL}nen/{upload.pk}/"
    assert (upload.user, upload.kind, upload.filename, upload.status) == (
        officer_a,
        "payments",
        "sao-ke.csv",
        "queued",
    )
    assert len(queued) == 1 and not Payment.objects.exists()

    waiting = client.get(response.url).content.decode()
    assert "Đang chờ đến lượt" in waiting
    assert f'hx-get="{response.url}" hx-trigger="every 2s"' in waiting

    queued[0]()  # the task, eager: what the worker does
    fragment = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in fragment  # finished: the polling stops
    assert "Đã nhập xong: Khoản nộp" in fragment
    assert "<html" not in fragment
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [1_000_000, 2_000_000]
    upload.refresh_from_db()
    assert upload.counts == {"created": 2, "updated": 0, "unchanged": 0, "new_offices": 0}
    assert not upload.file  # the rows are in the tables; the file is not kept
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1


@pytest.mark.django_db
def test_a_big_bad_file_shows_every_reason_and_writes_nothing(  # type: ignore[no-untyped-def]
    client_as,
    officer_a,
    officer_b,
    manager,
    office_a,
    small_threshold,
    django_capture_on_commit_callbacks,
):
    EmployerFactory(unit_code="HB001", office=office_a)
    client = client_as(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {"kind": "payments", "file": payments(GOOD[0], "HB001,2025-08-06,1,5,UNC-3")}
        )
    page = client.get(response.url).content.decode()
    assert "Tệp bị từ chối (Khoản nộp): không có dữ liệu nào được ghi." in page
    assert "Có dữ liệu ở cột thứ 5, ngoài 4 cột của dòng tiêu đề." in page
    assert not Payment.objects.exists()
    upload = StatementUpload.objects.get()
    assert (upload.status, upload.reason_total) == ("refused", 1)
    assert upload.reasons[0][0] == 3
    # Nobody else sees it, not even a manager.
    for other in (officer_b, manager):
        assert client_as(other).get(response.url).status_code == 404


@pytest.mark.django_db
def test_a_small_file_is_still_imported_while_the_page_waits(client_as, officer_a, office_a):  # type: ignore[no-untyped-def]
    EmployerFactory(unit_code="HB001", office=office_a)
    response = client_as(officer_a).post(URL, {"kind": "payments", "file": payments(*GOOD)})
    assert response.status_code == 200
    assert response.context["result"].created == 2
    assert not StatementUpload.objects.exists()


@pytest.mark.django_db
def test_the_page_states_the_limits(client_as, officer_a, settings):  # type: ignore[no-untyped-def]
    settings.STATEMENT_UPLOAD_MAX_BYTES = 200 * 1024 * 1024
    settings.STATEMENT_BACKGROUND_BYTES = 2 * 1024 * 1024
    page = client_as(officer_a).get(URL).content.decode()
    assert "tối đa 200,0\xa0MB" in page or "tối đa 200.0\xa0MB" in page
    assert "Tệp lớn hơn 2,0\xa0MB" in page or "Tệp lớn hơn 2.0\xa0MB" in page


@pytest.mark.django_db
def test_a_message_delivered_twice_imports_once(officer_a, office_a):  # type: ignore[no-untyped-def]
    EmployerFactory(unit_code="HB001", office=office_a)
    upload = background.queue_upload("payments", payments(*GOOD), user=officer_a)
    background.run_upload(upload.pk)
    background.run_upload(upload.pk)
    assert Payment.objects.count() == 2
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).count() == 1


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.filterwarnings("ignore:The ``noload`` loader strategy is deprecated")
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_celery_worker_imports_the_file_and_the_page_follows(  # type: ignore[no-untyped-def]
    client_as,
    officer_a,
    office_a,
    small_threshold,
    request,
    tmp_path,
    settings,
    monkeypatch,
):
    """The upload page queues the task by name; a real worker (its own queue, the test
    database, the same MEDIA_ROOT) imports the file; the page then shows the counts."""
    from config.celery import app

    queue = request.getfixturevalue("queue")
    settings.MEDIA_ROOT = tmp_path
    EmployerFactory(unit_code="HB001", office=office_a)
    sent: list[str] = []

    def to_the_test_queue(name: str, *args: object) -> None:
        sent.append(name)
        with app.connection_for_write(broker_url()) as conn:
            app.send_task(name, args=list(args), queue=queue, connection=conn)

    monkeypatch.setattr(background, "send_on_commit", to_the_test_queue)
    client = client_as(officer_a)
    with celery_worker(queue, tmp_path) as process:
        response = client.post(URL, {"kind": "payments", "file": payments(*GOOD)})
        assert response.status_code == 302
        assert sent == ["arrears.tasks.import_statement_task"]
        upload = StatementUpload.objects.get()
        wait_for(lambda: not StatementUpload.objects.get(pk=upload.pk).pending, process)
    page = client.get(response.url).content.decode()
    assert "Đã nhập xong: Khoản nộp" in page
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [1_000_000, 2_000_000]


@pytest.mark.django_db
def test_the_page_shows_how_far_the_worker_has_read(client_as, officer_a):  # type: ignore[no-untyped-def]
    upload = StatementUpload.objects.create(
        user=officer_a, kind="payments", filename="sao-ke.csv", size=4000, bytes_read=1000
    )
    upload.status = StatementUpload.Status.RUNNING
    upload.save()
    client = client_as(officer_a)
    page = client.get(reverse("import_status", args=[upload.pk])).content.decode()
    assert "Đang đọc tệp: 25 %" in page
    assert 'max="100" value="25"' in page
    StatementUpload.objects.filter(pk=upload.pk).update(bytes_read=4000)
    page = client.get(reverse("import_status", args=[upload.pk])).content.decode()
    assert "Đã đọc hết tệp; đang kiểm tra và ghi từng dòng" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_progress_is_written_while_the_import_reads(officer_a, tmp_path, settings, monkeypatch):  # type: ignore[no-untyped-def]
    """On a connection of its own: the import's transaction would hide it until the end."""
    import time

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(background, "send_on_commit", lambda *_args: None)
    monkeypatch.setattr(background, "PROGRESS_SECONDS", 0.05)
    rows = [f"HB001,2025-08-05,{i + 1},UNC-{i}" for i in range(5000)]
    upload = background.queue_upload("payments", payments(*rows), user=officer_a)
    with open(upload.file.path, "rb") as file, background.progress(upload, file):
        file.read(20_000)
        deadline = time.monotonic() + 10
        while not StatementUpload.objects.get(pk=upload.pk).bytes_read:
            assert time.monotonic() < deadline, "no progress written"
            time.sleep(0.05)
        noted = StatementUpload.objects.get(pk=upload.pk).bytes_read
    assert 20_000 <= noted < upload.size
    assert upload.bytes_read == upload.size  # once read whole, the page says so
