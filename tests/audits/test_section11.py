"""Section 11 returns through the pages: save part-way, start from last cycle's answers, one return shared with
two partnerships, submission, moderation and challenge, evidence files, the matrix and its Excel export."""
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.accounts.models import Membership, Organisation
from safeguarding.accounts.roles import Role
from safeguarding.audits import selectors, services
from safeguarding.audits.models import (Challenge, CycleReturn, EvidenceFile, ModeratedRating, PlannedAction,
                                        ReturnAnswer, Section11Return)
from safeguarding.core.models import AuditEvent
from tests import factories

from . import builders

D = datetime.date


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    return tmp_path


def url(name, partnership, **kwargs):
    return reverse(name, kwargs={"slug": partnership.slug, **kwargs})


@pytest.fixture
def agency(db):
    return factories.organisation("Testshire Fire and Rescue", Organisation.Sector.FIRE)


@pytest.fixture
def lead(client, partnership, agency):
    factories.sign_in(client, factories.person(partnership, Role.AGENCY_LEAD, org=agency))
    return client


def test_save_part_way_then_finish_and_submit(lead, partnership, agency, media):
    frame = builders.framework(partnership)
    cycle = builders.cycle(partnership, frame, [agency])
    response = lead.post(url("audits:return-start", partnership, pk=cycle.pk))
    link = CycleReturn.objects.get(cycle=cycle, organisation=agency)
    assert response["Location"] == url("audits:return", partnership, pk=link.pk)
    standards = list(frame.standards_in_order())
    assert len(standards) == 8

    # Evidence but no rating yet, and a file: saved part-way, back to the return.
    first = url("audits:answer", partnership, pk=link.pk, key=standards[0].key)
    assert "Senior leaders make safeguarding children a priority" in lead.get(first).content.decode()
    upload = SimpleUploadedFile("board minutes.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = lead.post(first, {"rating": "", "evidence": "Board minutes, March", "evidence_file": upload,
                                 "evidence_title": "Board minutes", "next": "later"})
    assert response.status_code == 302 and response["Location"] == url("audits:return", partnership, pk=link.pk)
    answer = ReturnAnswer.objects.get(section11_return=link.section11_return, standard_key=standards[0].key)
    assert (answer.rating, answer.evidence) == ("", "Board minutes, March")
    page = lead.get(url("audits:return", partnership, pk=link.pk)).content.decode()
    assert "Started: no rating yet" in page and "8 standards still to rate" in page

    # The file is stored with the default storage and read back only through the checked view.
    stored = EvidenceFile.objects.get(section11_return=link.section11_return)
    assert (media / stored.file.name).exists()
    download = lead.get(url("audits:evidence", partnership, pk=link.pk, file_pk=stored.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 minutes"

    # Submitting too early names what is missing and changes nothing.
    page = lead.get(url("audits:return-submit", partnership, pk=link.pk)).content.decode()
    assert "Rate every standard before you submit" in page
    assert lead.post(url("audits:return-submit", partnership, pk=link.pk),
                     {"summary": "x", "confirm": "on"}).status_code == 200
    assert not Section11Return.objects.get(pk=link.section11_return_id).is_submitted

    # "Save and continue" moves to the next standard.
    response = lead.post(first, {"rating": "3", "evidence": "Board minutes, March", "next": "continue"})
    assert response["Location"] == url("audits:answer", partnership, pk=link.pk, key=standards[1].key)
    for standard in standards[1:]:
        lead.post(url("audits:answer", partnership, pk=link.pk, key=standard.key),
                  {"rating": "2", "evidence": "Some", "next": "continue"})
    response = lead.post(url("audits:return-submit", partnership, pk=link.pk), {"summary": "Mostly met"})
    assert "Confirm that a senior leader" in response.content.decode()
    response = lead.post(url("audits:return-submit", partnership, pk=link.pk),
                         {"summary": "Mostly met", "confirm": "on"})
    assert response.status_code == 302
    record = Section11Return.objects.get(pk=link.section11_return_id)
    assert record.is_submitted and record.summary == "Mostly met"
    # Locked once submitted: the answer page sends the agency back to its return.
    assert lead.post(first, {"rating": "1", "evidence": "changed"})["Location"] == url(
        "audits:return", partnership, pk=link.pk)
    assert ReturnAnswer.objects.get(pk=answer.pk).rating == "3"
    # Every write is in the partnership's audit trail.
    kinds = set(AuditEvent.objects.filter(partnership=partnership).values_list("record_type", flat=True))
    assert {"audits.section11return", "audits.returnanswer", "audits.evidencefile", "audits.cyclereturn"} <= kinds


def test_a_bad_evidence_file_is_refused_with_a_clear_message(lead, partnership, agency, media):
    cycle = builders.cycle(partnership, builders.framework(partnership), [agency])
    link = services.start_return(cycle=cycle, organisation=agency, by=None)
    key = cycle.framework.standards_in_order().first().key
    response = lead.post(url("audits:answer", partnership, pk=link.pk, key=key), {
        "rating": "3", "evidence": "x", "evidence_file": SimpleUploadedFile("run.exe", b"MZ")})
    assert response.status_code == 200
    assert "The file must be a PDF, Word, Excel, PowerPoint, image or text file" in response.content.decode()
    assert not ReturnAnswer.objects.filter(section11_return=link.section11_return).exists()


def test_a_new_return_starts_from_last_cycles_answers(lead, partnership, agency, media):
    frame = builders.framework(partnership)
    last_year = builders.cycle(partnership, frame, [agency], year=2020)
    earlier = builders.submitted(last_year, agency, rating="2")
    standards = list(frame.standards_in_order())
    ReturnAnswer.objects.filter(section11_return=earlier.section11_return, standard_key=standards[0].key).update(
        evidence="Policy of 2019")
    evidence = EvidenceFile(section11_return=earlier.section11_return, standard_key=standards[0].key, title="Policy")
    evidence.file.save("policy.pdf", io.BytesIO(b"%PDF policy"), save=True)
    open_action = PlannedAction.objects.create(section11_return=earlier.section11_return,
                                               standard_key=standards[4].key, description="Train managers",
                                               owner="Head of Safeguarding", due_on=D(2020, 12, 31),
                                               status="in_progress", progress="Half trained")
    PlannedAction.objects.create(section11_return=earlier.section11_return, standard_key=standards[1].key,
                                 description="Done already", owner="Chief", due_on=D(2020, 3, 1), status="done",
                                 completed_on=D(2020, 2, 1))
    this_year = builders.cycle(partnership, frame, [agency], year=2021)
    page = lead.get(url("audits:cycle", partnership, pk=this_year.pk)).content.decode()
    assert "Your return will start from your answers in Section 11 audit 2019-20" in page

    lead.post(url("audits:return-start", partnership, pk=this_year.pk))
    link = CycleReturn.objects.get(cycle=this_year)
    record = link.section11_return
    assert record.started_from == earlier.section11_return and not record.is_submitted
    answers = {a.standard_key: a for a in record.answers.all()}
    assert len(answers) == 8 and {a.rating for a in answers.values()} == {"2"}
    assert answers[standards[0].key].evidence == "Policy of 2019"
    (copied,) = record.files.all()
    assert copied.file.name == evidence.file.name
    assert lead.get(url("audits:evidence", partnership, pk=link.pk, file_pk=copied.pk)).status_code == 200
    (carried,) = record.actions.all()
    assert (carried.description, carried.status, carried.progress) == ("Train managers", "in_progress", "Half trained")
    open_action.refresh_from_db()
    assert open_action.status == PlannedAction.Status.CARRIED_FORWARD
    # Last year's return is untouched otherwise.
    assert ReturnAnswer.objects.filter(section11_return=earlier.section11_return).count() == 8
    page = lead.get(url("audits:return", partnership, pk=link.pk)).content.decode()
    assert "started from your organisation's answers in the last cycle" in page


def test_one_return_shared_with_two_partnerships(client, agency, media):
    first = factories.partnership("Northshire")
    second = factories.partnership("Southshire")
    lead = factories.person(first, Role.AGENCY_LEAD, org=agency)
    Membership.objects.create(user=lead, partnership=second, role=Role.AGENCY_LEAD)
    factories.sign_in(client, lead)
    north = builders.cycle(first, builders.framework(first), [agency])
    south = builders.cycle(second, builders.framework(second), [agency])
    # A third partnership's framework on another scale could not take the same return.
    other_scale = builders.cycle(second, builders.framework(second, scale="rag", name="RAG"), [agency],
                                 title="Another cycle")

    client.post(url("audits:return-start", first, pk=north.pk))
    north_link = CycleReturn.objects.get(cycle=north)
    key = north.framework.standards_in_order().first().key
    client.post(url("audits:answer", first, pk=north_link.pk, key=key), {"rating": "2", "evidence": "Shared"})

    page = client.get(url("audits:cycle", second, pk=south.pk)).content.decode()
    assert "Share the return made for NORSCP: Section 11 audit 2020-21" in page
    assert "Share the return" not in client.get(url("audits:cycle", second, pk=other_scale.pk)).content.decode()
    response = client.post(url("audits:return-share", second, pk=south.pk),
                           {"return": north_link.section11_return_id})
    south_link = CycleReturn.objects.get(cycle=south)
    assert response["Location"] == url("audits:return", second, pk=south_link.pk)
    assert south_link.section11_return_id == north_link.section11_return_id
    assert Section11Return.objects.filter(organisation=agency).count() == 1
    assert "shared with Northshire" in client.get(url("audits:return", second, pk=south_link.pk)).content.decode()

    # A change made through one partnership shows in the other; so does the submission.
    south_key = south.framework.standards_in_order().first().key
    assert south_key == key
    client.post(url("audits:answer", second, pk=south_link.pk, key=key), {"rating": "3", "evidence": "Changed"})
    assert ReturnAnswer.objects.get(section11_return=north_link.section11_return, standard_key=key).rating == "3"
    builders.answer_all(north_link)
    client.post(url("audits:return-submit", second, pk=south_link.pk), {"summary": "One return", "confirm": "on"})
    for link in (north_link, south_link):
        assert Section11Return.objects.get(pk=link.section11_return_id).is_submitted

    # Each partnership moderates in its own right.
    services.moderate(cycle_return=south_link, ratings={key: ("1", "Not yet shown")}, themes=["Mental health"],
                      summary="", complete=False, by=None)
    assert ModeratedRating.objects.filter(cycle_return=north_link).count() == 0
    north_summary = selectors.cycle_summary(north)
    assert north_summary.submitted == 1 and north_summary.rows[0].cells[0].moderated is None
    south_summary = selectors.cycle_summary(south)
    assert south_summary.rows[0].cells[0].moderated.label == "1: not met"
    # Writes made through the second partnership's pages are filed in its audit trail.
    assert AuditEvent.objects.filter(partnership=second, record_type="audits.returnanswer").exists()

    # Sharing twice, or into a cycle that does not ask for the agency, is refused.
    response = client.post(url("audits:return-share", second, pk=south.pk), {"return": north_link.section11_return_id})
    assert CycleReturn.objects.filter(cycle=south).count() == 1 and response.status_code == 302


def test_an_agency_not_asked_cannot_start_a_return(lead, partnership, agency):
    cycle = builders.cycle(partnership, builders.framework(partnership), [factories.organisation("Someone else")])
    assert "is not asked for a return in this cycle" in lead.get(url("audits:cycle", partnership, pk=cycle.pk)
                                                                 ).content.decode()
    lead.post(url("audits:return-start", partnership, pk=cycle.pk))
    assert not CycleReturn.objects.filter(cycle=cycle).exists()


def test_moderation_challenge_and_the_matrix(client, partnership, agency, media):
    frame = builders.framework(partnership)
    other = factories.organisation("Testshire hospital", Organisation.Sector.HEALTH)
    cycle = builders.cycle(partnership, frame, [agency, other], due_on=D(2021, 1, 29))
    link = builders.submitted(cycle, agency, rating="3")
    standards = list(frame.standards_in_order())
    factories.sign_in(client, factories.person(partnership, Role.ADMIN))
    moderate = url("audits:moderate", partnership, pk=link.pk)
    page = client.get(moderate).content.decode()
    assert "Moderated rating for standard 8" in page and "Our evidence" in page

    # Part-way, then complete: complete needs every standard.
    data = {f"rating_{s.key}": "" for s in standards} | {f"comment_{s.key}": "" for s in standards}
    data[f"rating_{standards[0].key}"] = "2"
    data[f"comment_{standards[0].key}"] = "Minutes show no discussion"
    data["themes"] = ["Mental health"]
    assert client.post(moderate, data).status_code == 302
    link.refresh_from_db()
    assert not link.is_moderated and link.themes == ["Mental health"]
    response = client.post(moderate, {**data, "complete": "on"})
    assert "Select a moderated rating for standard 2" in response.content.decode()
    data.update({f"rating_{s.key}": "3" for s in standards[1:]})
    assert client.post(moderate, {**data, "complete": "on"}).status_code == 302
    link.refresh_from_db()
    assert link.is_moderated

    # A challenge, the agency's answer, resolution.
    client.post(url("audits:challenge-add", partnership, pk=link.pk), {
        "standard_key": standards[0].key, "raised_on-day": "1", "raised_on-month": "3", "raised_on-year": "2021",
        "text": "Show us the board minutes"})
    challenge = Challenge.objects.get(cycle_return=link)
    lead = factories.sign_in(type(client)(), factories.person(partnership, Role.AGENCY_LEAD, org=agency))
    assert "Show us the board minutes" in lead.get(url("audits:return", partnership, pk=link.pk)).content.decode()
    lead.post(url("audits:challenge-respond", partnership, pk=challenge.pk), {"response": "Attached to standard 1"})
    client.post(url("audits:challenge-resolve", partnership, pk=challenge.pk))
    challenge.refresh_from_db()
    assert challenge.response == "Attached to standard 1" and challenge.responded_on and challenge.resolved_on
    assert challenge.state == "resolved"

    # The subgroup's matrix: self and moderated side by side; the other agency is overdue.
    summary = selectors.cycle_summary(cycle, today=D(2021, 3, 1))
    row = next(r for r in summary.rows if r.organisation == agency)
    assert (row.cells[0].self_rating.label, row.cells[0].moderated.label) == ("3: fully met", "2: partly met")
    assert [o.name for o in summary.overdue] == ["Testshire hospital"]
    assert summary.by_standard[0].moderated_counts[1][1] == 1
    page = client.get(url("audits:matrix", partnership, pk=cycle.pk)).content.decode()
    assert 'Moderated <strong class="govuk-tag govuk-tag--yellow">2</strong>' in page

    from openpyxl import load_workbook

    response = client.get(url("audits:matrix-xlsx", partnership, pk=cycle.pk))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Matrix", "By standard", "Standards", "Notes"]
    rows = list(book["Matrix"].values)
    assert rows[0][:4] == ("Agency", "Status", "1 self-rating", "1 moderated")
    # Submitted today, long after the 2021 due date: late.
    assert rows[1][:4] == ("Testshire Fire and Rescue", "moderated (late)", "3: fully met", "2: partly met")
    assert rows[2][:3] == ("Testshire hospital", "overdue", None)

    # Sending the return back reopens it and clears the moderation.
    client.post(url("audits:return-send-back", partnership, pk=link.pk))
    link.refresh_from_db()
    assert not link.section11_return.is_submitted and not link.is_moderated


def test_planned_actions_run_to_completion_after_submission(lead, partnership, agency):
    cycle = builders.cycle(partnership, builders.framework(partnership), [agency])
    link = builders.submitted(cycle, agency)
    key = cycle.framework.standards_in_order().first().key
    add = url("audits:planned-action-add", partnership, pk=link.pk)
    response = lead.post(add, {"standard_key": key, "description": "Train managers", "owner": "Head of HR",
                               "due_on-day": "30", "due_on-month": "6", "due_on-year": "2021", "status": "done"})
    assert "Enter the date the action was completed" in response.content.decode()
    lead.post(add, {"standard_key": key, "description": "Train managers", "owner": "Head of HR",
                    "due_on-day": "30", "due_on-month": "6", "due_on-year": "2021", "status": "open"})
    action = PlannedAction.objects.get(section11_return=link.section11_return)
    lead.post(url("audits:planned-action-edit", partnership, pk=link.pk, action_pk=action.pk), {
        "standard_key": key, "description": "Train managers", "owner": "Head of HR", "due_on-day": "30",
        "due_on-month": "6", "due_on-year": "2021", "status": "done", "completed_on-day": "1",
        "completed_on-month": "6", "completed_on-year": "2021", "progress": "All trained"})
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == D(2021, 6, 1)
    admin = factories.sign_in(type(lead)(), factories.person(partnership, Role.ADMIN))
    page = admin.get(url("audits:cycle-actions", partnership, pk=cycle.pk) + "?show=all").content.decode()
    assert "Train managers" in page and "All trained" in page
    assert "Train managers" not in admin.get(url("audits:cycle-actions", partnership, pk=cycle.pk)).content.decode()


def test_a_framework_starts_from_a_set_and_a_cycle_is_set_up(client, partnership, agency):
    factories.sign_in(client, factories.person(partnership, Role.ADMIN))
    response = client.post(url("audits:framework-add", partnership), {
        "name": "Working Together standards", "description": "", "scale": "four_point",
        "starting_set": "working_together_2023"})
    framework = selectors.frameworks(partnership).get()
    assert response["Location"] == url("audits:framework", partnership, pk=framework.pk)
    assert framework.standards.count() == 9 and framework.ratings[-1].label == "Outstanding"
    page = client.get(url("audits:framework", partnership, pk=framework.pk)).content.decode()
    assert "A culture of listening to children" in page
    client.post(url("audits:standard-add", partnership, pk=framework.pk), {
        "number": "10", "title": "Online safety", "description": "", "questions": "How?\nWho?", "guidance": ""})
    assert framework.standards.get(number=10).key == "online-safety"

    factories.agency(partnership, agency)
    response = client.post(url("audits:cycle-add", partnership), {
        "title": "Section 11 audit 2021-22", "framework": framework.pk, "year": "2022",
        "opens_on-day": "1", "opens_on-month": "10", "opens_on-year": "2021",
        "due_on-day": "1", "due_on-month": "9", "due_on-year": "2021", "organisations": [agency.pk]})
    assert "The due date must be on or after the opening date" in response.content.decode()
    response = client.post(url("audits:cycle-add", partnership), {
        "title": "Section 11 audit 2021-22", "framework": framework.pk, "year": "2022",
        "opens_on-day": "1", "opens_on-month": "10", "opens_on-year": "2021",
        "due_on-day": "31", "due_on-month": "1", "due_on-year": "2022", "organisations": [agency.pk],
        "themes": "Neglect"})
    cycle = selectors.cycles(partnership).get()
    assert list(cycle.organisations.all()) == [agency] and cycle.theme_list == ["Neglect"]
    assert "No returns have been submitted yet." in client.get(url("audits:cycle", partnership, pk=cycle.pk)
                                                              ).content.decode()


def test_ratings_on_a_changed_scale_are_not_carried_forward(partnership, agency):
    last_year = builders.cycle(partnership, builders.framework(partnership, scale="rag", name="RAG"), [agency],
                               year=2020)
    earlier = services.start_return(cycle=last_year, organisation=agency, by=None)
    builders.answer_all(earlier, rating="green", evidence="Kept")
    this_year = builders.cycle(partnership, builders.framework(partnership, name="Numbers"), [agency], year=2021)
    link = services.start_return(cycle=this_year, organisation=agency, by=None)
    answers = list(link.section11_return.answers.all())
    assert len(answers) == 8 and {(a.rating, a.evidence) for a in answers} == {("", "Kept")}
