"""The demo partnership's registers: the priorities survey with its 136 responses, quotes, voice records,
private fostering needing improvement, training with its evaluations; loading twice changes nothing."""
import io

import pytest
from django.core.management import call_command

from safeguarding.accounts.models import Partnership
from safeguarding.core.models import AuditEvent
from safeguarding.registers import demo
from safeguarding.registers import models as m
from safeguarding.registers import selectors


@pytest.fixture
def southwark(db):
    call_command("load_demo", stdout=io.StringIO())
    partnership = Partnership.objects.get(slug="southwark")
    demo.load(partnership)
    return partnership


def _counts():
    return [model.objects.count() for model in (
        m.Survey, m.Question, m.SurveyResponse, m.Answer, m.Quote, m.VoiceRecord, m.PrivateFosteringArrangement,
        m.PrivateFosteringVisit, m.TrainingCourse, m.TrainingSession, m.Attendance, m.Evaluation, AuditEvent)]


def test_the_priorities_survey_has_136_responses_and_its_quotes(southwark):
    figures = {f.title: f for f in selectors.survey_figures(southwark, 2021)}
    survey = figures[demo.PRIORITIES_SURVEY["title"]]
    assert survey.responses == 136 and survey.responses_in_year == 136 and survey.status == "Closed"
    # The points the reference quotes from its survey, in our words and in its order (Black Lives Matter twice,
    # then one under each priority); the reference does not say who made them.
    words = [("black lives matter", "integral", "side issue"), ("southwark stands together", "planning"),
             ("lockdown", "isolation"), ("criminal and sexual exploitation", "urgent"), ("parental stress", "long-term"),
             ("insidious", "pervasive")]
    quotes = [q.text.lower() for q in survey.quotes]
    assert len(quotes) == len(words) and all(all(w in q for w in said) for q, said in zip(quotes, words))
    assert {q.attribution for q in survey.quotes} == {demo.QUOTED}
    assert dict(survey.by_role)["Front-line practitioner"] > 136 / 2  # most answers came from front-line staff
    record = m.Survey.objects.get(title=survey.title)
    choice = selectors.survey_results(record).questions[0]
    top = sorted(choice.options, key=lambda o: -o.count)[:4]
    assert [o.label for o in top] == ["Domestic abuse", "Harm outside the family: exploitation, gangs and going missing",
                                      "Children's mental health and emotional wellbeing",
                                      "Neglect and adverse childhood experiences"]
    assert len(figures) == 3  # and the young people's survey, and the end-of-year review


def test_loading_again_changes_nothing(southwark):
    before = _counts()
    assert demo.load(southwark) == 0
    assert _counts() == before


def test_private_fostering_compliance_needs_improvement(southwark):
    figures = selectors.private_fostering_figures(southwark, 2021)
    assert figures.notifications == 8
    assert figures.first_visits.percent < 75 and figures.all_visits.percent < 90
    assert figures.notified_in_time_percent < 50  # most arrangements came to light after they began
    assert figures.overdue and all(o.visit.due_on < figures.as_of for o in figures.overdue)


def test_training_shows_confidence_rising(southwark):
    figures = selectors.training_figures(southwark, 2021)
    assert figures.sessions == 13 and figures.attended > 150 and len(figures.by_agency) > 5
    c = figures.confidence
    assert c.before < c.follow_up < c.after and c.change_after > 1
    assert figures.practice.follow_up > figures.practice.after > figures.practice.before


def test_voice_records(southwark):
    records = selectors.voice_records(southwark, 2021)
    assert len(records) == 5 and sum(1 for r in records if r.we_did) == 4


def test_private_fostering_still_needs_improvement_in_2021_22(southwark):
    """The year the scrutiny commission heard that private fostering needed to improve."""
    figures = selectors.private_fostering_figures(southwark, 2022)
    assert figures.notifications == 8
    assert figures.first_visits.percent < 75
    assert figures.notified_in_time_percent < 50


def test_the_end_of_year_review_gives_the_word_cloud(southwark):
    """As in the reference: partners said the partnership should grow stronger in engaging young people and
    families and hearing the voice of the child."""
    cloud = selectors.word_cloud(southwark, 2021)
    assert cloud.survey == demo.END_OF_YEAR_REVIEW["title"] and cloud.responses == demo.END_OF_YEAR_RESPONSES
    top = [word for word, _ in cloud.words[:8]]
    assert {"families", "young", "people", "voice", "child", "engagement"} <= set(top)
    assert all(n >= 2 for _, n in cloud.words) and not {"the", "and", "of"} & set(top)
    counts = [n for _, n in cloud.words]
    assert counts == sorted(counts, reverse=True)
    assert selectors.word_cloud(southwark, 2020) is None  # no review that year
