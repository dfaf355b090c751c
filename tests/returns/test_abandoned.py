"""An import whose process died (issue 19, point 4): its pages show it stopped without writing anything; the task
worker's sweep records it failed and deletes its uploaded files."""
import datetime
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safeguarding.accounts.roles import Role
from safeguarding.returns.management.commands.task_worker import sweep_until
from safeguarding.returns.models import ReturnImport
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent(partnership, tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.RETURNS_IMPORT_STALE_SECONDS = 60
    folder = settings.UPLOAD_DIR / "abc"
    folder.mkdir(parents=True)
    (folder / "CIN 2021.xml").write_text("<Message/>")
    long_ago = timezone.now() - datetime.timedelta(seconds=61)
    return ReturnImport.objects.create(partnership=partnership, la_code=partnership.la_code, file_names="cin.xml",
                                       status=ReturnImport.Status.RUNNING, heartbeat_at=long_ago,
                                       upload_folder=str(folder))


@pytest.fixture
def analyst(client, partnership):
    return factories.sign_in(client, factories.person(partnership, Role.ANALYST))


def test_the_pages_show_a_silent_import_stopped_and_write_nothing(silent, analyst, partnership):
    with CaptureQueriesContext(connection) as queries:
        page = analyst.get(f"/p/{partnership.slug}/returns/{silent.pk}/").content.decode()
        listing = analyst.get(f"/p/{partnership.slug}/returns/").content.decode()
    assert "The import was interrupted" in page and "Upload the files again" in page
    assert 'http-equiv="refresh"' not in page
    assert "Failed" in listing
    writes = [q["sql"] for q in queries.captured_queries if "returns_returnimport" in q["sql"]
              and not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    silent.refresh_from_db()
    assert silent.status == ReturnImport.Status.RUNNING  # recorded by the worker, not by a page


def test_an_import_still_beating_is_shown_running(silent, analyst, partnership):
    ReturnImport.objects.filter(pk=silent.pk).update(heartbeat_at=timezone.now())
    page = analyst.get(f"/p/{partnership.slug}/returns/{silent.pk}/").content.decode()
    assert "Importing" in page and "The import was interrupted" not in page


@pytest.mark.django_db(transaction=True)
def test_the_workers_sweep_records_the_failure_and_deletes_the_uploaded_files(silent):
    stop = threading.Event()
    stop.set()  # one sweep, then stop
    sweeper = threading.Thread(target=sweep_until, args=(stop,))  # its own connection, as in the worker
    sweeper.start()
    sweeper.join(timeout=60)
    silent.refresh_from_db()
    assert silent.status == ReturnImport.Status.FAILED and "The import was interrupted" in silent.problems[0]
    assert not Path(silent.upload_folder).exists()


def test_a_silent_import_is_the_same_in_the_database_and_in_memory(partnership):
    """The sweep asks the database (`silent_since`), the pages ask the record they have read (`is_silent_since`):
    every status, with and without a heartbeat, before and after the cutoff, gives the same answer."""
    cutoff = timezone.now() - datetime.timedelta(seconds=60)
    times = [None, cutoff - datetime.timedelta(seconds=1), cutoff, cutoff + datetime.timedelta(seconds=1)]
    for status in ReturnImport.Status.values:
        for created_at in times[1:]:
            for heartbeat_at in times:
                ReturnImport.objects.create(partnership=partnership, la_code=partnership.la_code, file_names="x",
                                            status=status, created_at=created_at, heartbeat_at=heartbeat_at)
    in_database = set(ReturnImport.objects.silent_since(cutoff).values_list("pk", flat=True))
    in_memory = {record.pk for record in ReturnImport.objects.all() if record.is_silent_since(cutoff)}
    assert in_database == in_memory and len(in_database) == 4  # running: 3 old heartbeats or none and created old
