"""Processes killed with SIGKILL in the middle of writing: during an import in the task worker, during the
publication and the build of a yearly report, and during a form save in a gunicorn worker. Afterwards nothing is
half-written, nothing acknowledged is lost, and the person is told what to do again.

(A bare import killed mid-write is tests/returns/test_robustness.py; here the import runs as the service runs it,
uploaded through the page and imported by `manage.py task_worker`.)
"""
import os
import signal
import sys
import threading
import time

from tests.reliability.instance import DEMO_LA, DEMO_SLUG, Server, session_code, wait_for
from tests.returns import samples

RETURNS = f"/p/{DEMO_SLUG}/returns/"


def _kill(pid):
    os.kill(pid, signal.SIGKILL)


def _marker_pid(marker, process=None, timeout=90):
    def reached():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the process ended before the pause ({process.returncode}):\n"
                                 + process.stdout.read())
        return marker.exists() and marker.read_text()

    return int(wait_for(reached, timeout, f"the pause announced in {marker}"))


def _kill_at_pause(process, marker, while_paused=None):
    """SIGKILL the process where it announced its pause in `marker` (after `while_paused(pid)` has looked at the
    system meanwhile), and check it died of it."""
    try:
        pid = _marker_pid(marker, process)
        if while_paused is not None:
            while_paused(pid)
        _kill(pid)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL


def _indicator_values(instance):
    return instance.sql("SELECT indicator, year, value FROM indicators_indicatorvalue WHERE la_code = ? "
                        "ORDER BY indicator, year", (DEMO_LA,))


def test_an_import_whose_worker_is_killed_is_shown_failed_and_loads_when_uploaded_again(instances, tmp_path):
    instance = instances.copy("import")
    earlier = samples.write(tmp_path, "earlier.xml", samples.cin_xml(5))
    instance.manage("import_returns", str(earlier), "--la", DEMO_LA)
    before, values_before = instance.store_counts(), _indicator_values(instance)
    assert before["cin_children"] == 5 and values_before
    marker = tmp_path / "paused"
    upload = samples.cin_xml(400).encode()

    with Server(instance, RETURNS_IMPORT_STALE_SECONDS=3) as server:
        analyst = server.browser(instance.sign_in("analyst@sscp.example"))
        response = analyst.post(RETURNS + "upload/", {"year": ""}, files=[("files", "CIN 2021.xml", upload)])
        assert response.status == 302, response.text[:2000]
        page = response.location
        assert "Waiting to start" in analyst.get(page).text
        folder = next((instance.var_dir / "uploads").iterdir())

        worker = instance.popen([sys.executable, "-m", "tests.reliability.pausing", "worker"],
                                RELIABILITY_MARKER=marker, RETURNS_IMPORT_HEARTBEAT_SECONDS=1)

        def running(pid):
            assert pid == worker.pid
            # Part of the new return is written, in the import's open transaction; the page says it is running.
            assert "Importing" in analyst.get(page).text

        _kill_at_pause(worker, marker, running)
        killed_at = time.monotonic()
        assert instance.store_counts() == before, "nothing of the killed import is in the store"
        assert _indicator_values(instance) == values_before

        # The person is told, within the stale limit, that the import stopped and to upload again.
        shown = wait_for(lambda: (text := analyst.get(page).text) and "The import stopped" in text and text, 30,
                         "the import page to say the import stopped")
        told_after = time.monotonic() - killed_at
        assert "The import was interrupted" in shown and "Upload the files again" in shown
        assert "The figures are still those of the returns loaded before" in shown
        assert 'http-equiv="refresh"' not in shown  # it no longer pretends to be running
        listing = analyst.get(RETURNS).text
        assert "Failed" in listing and "earlier.xml" in listing

        # Uploaded again; the worker, started again as its service would be, first records the failure and
        # deletes the dead import's uploaded files (pages only read), then loads the new upload in full.
        again = analyst.post(RETURNS + "upload/", {"year": ""}, files=[("files", "CIN 2021.xml", upload)])
        instance.manage("task_worker", "--batch", "--no-startup-delay", "--no-reload", "-v", "0",
                        env={"RETURNS_IMPORT_STALE_SECONDS": "3"})
        assert not folder.exists(), "the uploaded child-level files are not kept"
        assert 'id="outcome-title">Loaded' in analyst.get(again.location).text
    assert instance.store_counts()["cin_children"] == 400
    assert _indicator_values(instance) != values_before
    print(f"\nimport killed in the worker: store unchanged ({sum(before.values())} rows), the page said it "
          f"stopped {told_after:.1f} s after the kill (stale limit 3 s)")


REPORT_SETUP = """
import json
from django.utils import timezone
from safeguarding.accounts.models import Membership, Partnership, User
from safeguarding.reports import services
from safeguarding.reports.models import YearlyReport
p = Partnership.objects.get(slug="southwark")
admin = User.objects.get(email="admin@sscp.example")
leads = [m.user for m in Membership.objects.filter(partnership=p, role="partner_lead").select_related("user")]
first = services.create_report(partnership=p, year=2021, comparators="dfe", by=admin)
# Version 1 was published earlier (its frozen document stands in for the rendered one).
YearlyReport.objects.filter(pk=first.pk).update(status="published", published_html="<p>Version 1 as published</p>",
                                                published_at=timezone.now(), published_by=admin)
first.refresh_from_db()
second = services.new_version(report=first, by=admin)
services.mark_final(report=second, by=admin)
for lead in leads:
    services.sign_off(report=second, by=lead)
second.refresh_from_db()
print(json.dumps({"first": first.pk, "second": second.pk, "status": second.status}))
"""


def _reports(instance, *pks):
    rows = instance.sql("SELECT id, status, length(published_html), published_at IS NOT NULL FROM "
                        "reports_yearlyreport WHERE id IN (?, ?) ORDER BY id", pks)
    return {row[0]: row[1:] for row in rows}


def test_a_report_publication_or_build_killed_half_way_leaves_no_half_published_report(instances, tmp_path):
    instance = instances.copy("report")
    made = instance.shell(REPORT_SETUP)
    first, second = made["first"], made["second"]
    assert made["status"] == "signed_off"
    before = _reports(instance, first, second)
    events_before = instance.sql("SELECT count(*) FROM core_auditevent")[0][0]

    # Publication killed after the new version's row (published, with its frozen HTML, PDF and Word) is written
    # and before the version it supersedes is marked superseded: one transaction, so neither happened.
    marker = tmp_path / "publishing"
    publishing = instance.popen([sys.executable, "-m", "tests.reliability.pausing", "publish", str(second),
                                 "admin@sscp.example"], RELIABILITY_MARKER=marker)
    _kill_at_pause(publishing, marker)
    assert _reports(instance, first, second) == before == {
        first: ("published", len("<p>Version 1 as published</p>"), True), second: ("signed_off", 0, False)}
    assert instance.sql("SELECT count(*) FROM core_auditevent")[0][0] == events_before
    # What the report page offers is what to do again: publish. It works at once (no lock left behind).
    instance.shell(f"""
from safeguarding.accounts.models import User
from safeguarding.reports import services
from safeguarding.reports.models import YearlyReport
services.publish(report=YearlyReport.objects.get(pk={second}), by=User.objects.get(email="admin@sscp.example"),
                 incomplete_because="Published again after the interrupted attempt.")
print(1)
""")
    after = _reports(instance, first, second)
    assert after[first][0] == "superseded" and after[second][0] == "published" and after[second][1] > 1000

    # build_report killed half way through writing its file: the file there before is whole and unchanged.
    out = tmp_path / "built" / "report.html"
    out.parent.mkdir()
    args = ["--partnership", DEMO_SLUG, "--year", "2021", "--format", "html", "--out", str(out)]
    instance.manage("build_report", *args, "--report-version", "1")
    earlier = out.read_bytes()
    assert earlier.rstrip().endswith(b"</html>")
    marker = tmp_path / "building"
    building = instance.popen([sys.executable, "-m", "tests.reliability.pausing", "build", *args],
                              RELIABILITY_MARKER=marker, RELIABILITY_PAUSE_IN=out.parent)
    _kill_at_pause(building, marker)
    assert out.read_bytes() == earlier, "the report file is the earlier one, whole"
    leftovers = [p.name for p in out.parent.iterdir() if p != out]
    assert all(name.startswith(".report.html.") and name.endswith(".partial") for name in leftovers), leftovers
    built = instance.manage("build_report", *args).stdout
    assert "Wrote" in built and out.read_bytes() != earlier and out.read_bytes().rstrip().endswith(b"</html>")
    print(f"\nreport: publication killed mid-transaction left v{second} signed off and v{first} published; "
          f"build killed mid-write left the earlier {len(earlier):,}-byte file whole ({len(leftovers)} hidden partial)")


MODERATION_SETUP = """
import json
from safeguarding.audits.models import CycleReturn
link = (CycleReturn.objects.filter(partnership__slug="southwark", moderated_at__isnull=True,
                                   section11_return__status="submitted")
        .exclude(moderated_ratings__isnull=False).order_by("pk").first())
framework = link.cycle.framework
print(json.dumps({"pk": link.pk, "standards": list(framework.standards_in_order().values_list("key", flat=True)),
                  "rating": framework.ratings[-1].value, "session": session.session_key}))
"""


def _moderation(instance, pk):
    ratings = instance.sql("SELECT standard_key, rating, comment FROM audits_moderatedrating WHERE cycle_return_id = ? "
                           "ORDER BY standard_key", (pk,))
    link = instance.sql("SELECT moderation_summary, moderated_at IS NOT NULL FROM audits_cyclereturn WHERE id = ?",
                        (pk,))[0]
    events = instance.sql("SELECT count(*) FROM core_auditevent")[0][0]
    return ratings, link, events


def test_a_form_save_killed_mid_request_saves_nothing_and_can_be_made_again(instances, tmp_path):
    """Moderating a Section 11 return writes a rating per standard, an audit event for each and the return itself;
    the gunicorn worker is SIGKILLed after two ratings are written."""
    instance = instances.copy("form")
    found = instance.shell(session_code("admin@sscp.example") + MODERATION_SETUP)
    pk, keys = found["pk"], found["standards"]
    path = f"/p/{DEMO_SLUG}/assurance/section-11/returns/{pk}/moderate/"
    form = {"summary": "Moderated at the panel", "complete": "on"}
    for key in keys:
        form[f"rating_{key}"], form[f"comment_{key}"] = found["rating"], f"Evidence seen for {key}"
    before = _moderation(instance, pk)
    assert before[0] == [] and before[1] == ("", False)
    marker = tmp_path / "saving"

    with Server(instance, app="tests.reliability.pausing_wsgi:application", RELIABILITY_MARKER=marker,
                RELIABILITY_PAUSE_RECORD="ModeratedRating", RELIABILITY_PAUSE_AFTER=2) as server:
        admin = server.browser(found["session"])
        token = admin.csrf_token(path)
        answer = {}

        def save():
            try:
                answer["response"] = admin.post(path, form, token=token)
            except Exception as error:  # the connection is cut when the worker dies
                answer["error"] = error

        saving = threading.Thread(target=save)
        saving.start()
        pid = _marker_pid(marker)
        assert _moderation(instance, pk) == before  # two ratings written, not yet committed: not visible
        _kill(pid)
        saving.join(timeout=30)
        assert "response" not in answer, "the person got no acknowledgement"
        assert "error" in answer
        assert _moderation(instance, pk) == before, "nothing of the killed save is kept"

        # gunicorn replaces the worker; the form still shows nothing moderated, and saving again saves it all.
        page = wait_for(lambda: (r := admin.get(path)).status == 200 and r, 30, "the moderation page")
        assert "Moderated at the panel" not in page.text
        saved = admin.post(path, form)
        assert saved.status == 302, saved.text[:2000]
        assert "was sent SIGKILL" in server.output or "SIGKILL" in server.output
    ratings, link, events = _moderation(instance, pk)
    assert [r[0] for r in ratings] == sorted(keys) and link == ("Moderated at the panel", True)
    assert events == before[2] + len(keys) + 1
    print(f"\nform save killed after 2 of {len(keys)} ratings: 0 rows kept; saved again: {len(keys)} ratings "
          f"and {len(keys) + 1} audit events")
