"""Case reviews: the statutory clocks in working days, who sees what, documents, the action log and reminders."""
import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.roles import Role
from safeguarding.core.models import AccessLogEntry
from safeguarding.actions import reminders
from safeguarding.reviews import clocks
from safeguarding.actions.models import Action, Recommendation
from safeguarding.reviews.models import PracticeReview, ReviewDocument, SeriousIncident
from tests import factories

D = datetime.date


def _incident(**values):
    base = {"aware_on": D(2020, 12, 21), "notified_on": None, "rapid_review_on": None, "decision": "",
            "decision_on": None}
    return SimpleNamespace(**{**base, **values})


def test_notification_clock_skips_christmas_and_the_weekend():
    # Aware Monday 21 December 2020: 22, 23, 24 December, then Christmas Day, Boxing Day (Saturday) with its
    # substitute Monday 28th, so 29th and 30th are the 4th and 5th working days.
    notify, rapid = clocks.stages(_incident())
    assert notify.due == D(2020, 12, 30)
    # The rapid review runs 15 working days from the due notification: 31 Dec, New Year's Day off, ...
    assert rapid.due == D(2021, 1, 21)


def test_clocks_over_easter_and_a_year_end():
    notify, rapid = clocks.stages(_incident(aware_on=D(2021, 3, 31), notified_on=D(2021, 4, 8)))
    # Good Friday 2 April and Easter Monday 5 April 2021 are bank holidays.
    assert notify.due == D(2021, 4, 9) and notify.status(D(2021, 4, 12)) == "done"
    assert rapid.due == D(2021, 4, 29)
    late = clocks.stages(_incident(aware_on=D(2021, 3, 31), notified_on=D(2021, 4, 13)))[0]
    assert late.status() == "done late" and late.late_by == 2


def test_cspr_and_publication_clocks():
    incident = _incident(aware_on=D(2020, 6, 8), notified_on=D(2020, 6, 11), rapid_review_on=D(2020, 7, 1),
                         decision="local_cspr", decision_on=D(2020, 7, 1))
    review = SimpleNamespace(started_on=D(2020, 8, 31), final_report_on=None, published_on=D(2021, 4, 6),
                             sent_to_panel_on=D(2021, 3, 25))
    notify, rapid, cspr, panel, kept = clocks.stages(incident, review)
    assert cspr.due == D(2021, 2, 28) and cspr.status(D(2021, 3, 1)) == "overdue"
    # Seven working days before Tuesday 6 April 2021, counting back over Easter Monday and Good Friday:
    # 1 April, 31, 30, 29, 26, 25, 24 March. Sent on the 25th: a day late.
    assert panel.due == D(2021, 3, 24) and panel.status() == "done late" and panel.late_by == 1
    assert kept.due == D(2022, 4, 6) and kept.status(D(2021, 5, 1)) == "keep available"
    assert rapid.status() == "done" and notify.status() == "done"


@pytest.fixture
def home(db):
    p = factories.partnership("Home")
    council = factories.agency(p, factories.organisation("Home council")).organisation
    police = factories.agency(p, factories.organisation("Home police", Organisation.Sector.POLICE)).organisation
    incident = SeriousIncident.objects.create(partnership=p, reference="SIN-1", summary="Harm", aware_on=D(2020, 6, 8),
                                              decision="local_cspr", decision_on=D(2020, 7, 1))
    PracticeReview.objects.create(partnership=p, incident=incident, title="Child Z", started_on=D(2020, 7, 20))
    recommendation = Recommendation.objects.create(partnership=p, source=incident, source_title="Child Z (local CSPR)",
                                                   text="Do better", made_on=D(2021, 1, 5))
    for organisation, due in ((council, D(2021, 1, 31)), (police, D(2099, 1, 1))):
        Action.objects.create(partnership=p, recommendation=recommendation, description=f"{organisation} acts",
                              organisation=organisation, owner="Head of service", due_on=due)
    return SimpleNamespace(p=p, council=council, police=police, incident=incident)


def test_scrutineer_and_agency_lead_see_no_case_detail(home):
    index = reverse("reviews:index", kwargs={"slug": home.p.slug})
    detail = reverse("reviews:incident", kwargs={"slug": home.p.slug, "pk": home.incident.pk})
    for role in (Role.SCRUTINEER, Role.AGENCY_LEAD, Role.PARTNER_LEAD):
        client = factories.sign_in(Client(), factories.person(home.p, role))
        assert "SIN-1" not in client.get(index).content.decode()
        assert client.get(detail).status_code == 403
    reviewer = factories.sign_in(Client(), factories.person(home.p, Role.CASE_REVIEW))
    page = reviewer.get(detail).content.decode()
    assert "Statutory clocks" in page and "Child Z" in page
    assert AccessLogEntry.objects.filter(record_type="reviews.seriousincident").count() == 1


def test_agency_lead_sees_and_updates_only_its_own_actions(home):
    lead = factories.sign_in(Client(), factories.person(home.p, Role.AGENCY_LEAD, org=home.police))
    page = lead.get(reverse("actions:log", kwargs={"slug": home.p.slug}) + "?show=all").content.decode()
    assert "Home police acts" in page and "Home council acts" not in page
    theirs = Action.objects.get(organisation=home.council)
    mine = Action.objects.get(organisation=home.police)
    assert lead.get(reverse("actions:action-edit", kwargs={"slug": home.p.slug, "pk": theirs.pk})).status_code == 404
    response = lead.post(reverse("actions:action-edit", kwargs={"slug": home.p.slug, "pk": mine.pk}), {
        "description": "Changed by the agency", "status": "done", "completed_on-day": "3",
        "completed_on-month": "3", "completed_on-year": "2021", "impact": "Officers trained"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "done" and mine.impact == "Officers trained"
    assert mine.description == "Home police acts"  # ownership and wording are the partnership's to change


def test_action_log_overdue_and_excel(home):
    admin = factories.sign_in(Client(), factories.person(home.p, Role.ADMIN))
    url = reverse("actions:log", kwargs={"slug": home.p.slug})
    page = admin.get(url + "?show=overdue").content.decode()
    assert "Home council acts" in page and "Home police acts" not in page
    response = admin.get(url + "?show=all&format=xlsx")
    sheet = load_workbook(filename=__import__("io").BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Action", "From", "Organisation"] and sheet.max_row >= 3
    assert admin.get(url + "?show=nonsense").status_code == 404


def test_documents_are_kept_and_downloaded_only_by_case_review_roles(home, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": tmp_path}}}
    reviewer = factories.sign_in(Client(), factories.person(home.p, Role.CASE_REVIEW))
    add = reverse("reviews:document-add", kwargs={"slug": home.p.slug, "pk": home.incident.pk})
    bad = reviewer.post(add, {"title": "Script", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert "must be a PDF or a Word document" in bad.content.decode() and not ReviewDocument.objects.exists()
    reviewer.post(add, {"title": "Terms of reference", "file": SimpleUploadedFile("tor.pdf", b"%PDF-1.7 test")})
    document = ReviewDocument.objects.get()
    url = reverse("reviews:document", kwargs={"slug": home.p.slug, "pk": home.incident.pk, "document_pk": document.pk})
    assert b"".join(reviewer.get(url).streaming_content) == b"%PDF-1.7 test"
    lead = factories.sign_in(Client(), factories.person(home.p, Role.PARTNER_LEAD))
    assert lead.get(url).status_code == 403


def test_reminders_go_to_the_owning_agency_once_a_day(home):
    factories.person(home.p, Role.AGENCY_LEAD, email="lead@council.example", org=home.council)
    factories.person(home.p, Role.AGENCY_LEAD, email="lead@police.example", org=home.police)
    factories.person(home.p, Role.ADMIN, email="unit@home.example")
    sent, actions = reminders.send(today=D(2021, 2, 1))
    assert (sent, actions) == (2, 1)  # the council's overdue action; the police's is years away
    assert sorted(m.to[0] for m in mail.outbox) == ["lead@council.example", "unit@home.example"]
    assert "OVERDUE" in mail.outbox[0].body
    assert reminders.send(today=D(2021, 2, 1)) == (0, 0)


def test_another_partnerships_incident_is_not_found(home):
    away = factories.partnership("Away")
    theirs = SeriousIncident.objects.create(partnership=away, reference="A", summary="x", aware_on=D(2020, 6, 8))
    client = factories.sign_in(Client(), factories.person(home.p, Role.CASE_REVIEW))
    for name in ("reviews:incident", "reviews:incident-edit", "reviews:review", "reviews:document-add"):
        assert client.get(reverse(name, kwargs={"slug": home.p.slug, "pk": theirs.pk})).status_code == 404


def test_the_yearly_figures_tell_the_actions_and_reviews_as_they_stood_at_the_year_end(home):
    # Issue 15: the 2020-21 report counted actions done and overdue as of today, so a later year's work (or a
    # later year's delay) showed in it.
    from safeguarding.reviews.selectors import review_figures

    recommendation = Recommendation.objects.get(partnership=home.p)
    Action.objects.filter(recommendation=recommendation).delete()
    for what, due, status, completed in (("done in the year", D(2021, 2, 1), "done", D(2021, 3, 1)),
                                         ("done after the year", D(2021, 2, 1), "done", D(2021, 6, 1)),
                                         ("open, due in the year", D(2021, 3, 30), "in_progress", None),
                                         ("open, due on the last day", D(2021, 3, 31), "open", None),
                                         ("open, due after the year", D(2021, 6, 30), "open", None),
                                         ("cancelled", D(2021, 2, 1), "cancelled", None)):
        Action.objects.create(partnership=home.p, recommendation=recommendation, description=what,
                              organisation=home.council, owner="Head of service", due_on=due, status=status,
                              completed_on=completed)
    review = PracticeReview.objects.get(partnership=home.p)
    review.final_report_on, review.not_published = D(2021, 3, 10), "criminal_proceedings"
    review.save()

    found = review_figures(home.p, 2021)
    # Done after the year end: still to do on 31 March, and overdue then (due 1 February).
    assert (found.actions_done, found.actions_open, found.actions_overdue) == (1, 4, 2)
    assert found.recommendations[0][3:] == (1, 6)
    assert found.reviews == [("Child Z", "A local child safeguarding practice review; completed; publication "
                                         "delayed until criminal proceedings are over")]
    # The same actions in the next year's report, as they stood on 31 March 2022.
    later = review_figures(home.p, 2022)
    assert (later.actions_done, later.actions_open, later.actions_overdue) == (2, 3, 3)

    review.published_on, review.not_published = D(2021, 9, 1), ""
    review.save()
    assert review_figures(home.p, 2021).reviews[0][1].endswith("; completed, not yet published")
    assert review_figures(home.p, 2022).reviews[0][1].endswith("; published on 1 September 2021")
