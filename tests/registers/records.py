"""One record of every kind the registers hold, in a partnership, for the access and flow tests."""
import datetime

from safeguarding.partnership.models import PartnerAgency
from safeguarding.registers import models as m
from tests import factories

D = datetime.date


def agency(p, name=None, sector="local_authority"):
    org = factories.organisation(name or f"{p.slug} council", sector)
    PartnerAgency.objects.get_or_create(partnership=p, organisation=org, defaults={"kind": "statutory"})
    return org


def survey(p, *, status=m.Survey.Status.OPEN, title="Views of practitioners", **extra):
    values = {"audience": m.Survey.Audience.PRACTITIONERS, "opens_on": D(2020, 6, 1) if status != "draft" else None}
    values.update(extra)
    found = m.Survey.objects.create(partnership=p, title=title, status=status, **values)
    m.Question.objects.create(partnership=p, survey=found, order=1, kind="choice", text="Which matters most?",
                              options=["Domestic abuse", "Neglect", "Mental health"])
    m.Question.objects.create(partnership=p, survey=found, order=2, kind="scale", text="How well do we work together?",
                              low_label="Badly", high_label="Well")
    m.Question.objects.create(partnership=p, survey=found, order=3, kind="text", text="What would help?",
                              required=False)
    return found


def records_for(p):
    org = agency(p)
    arrangement = m.PrivateFosteringArrangement.objects.create(
        partnership=p, reference="PF-1", notified_on=D(2020, 5, 1), notified_by="school", began_on=D(2020, 5, 1))
    visit = m.PrivateFosteringVisit.objects.create(partnership=p, arrangement=arrangement, visited_on=D(2020, 5, 6))
    course = m.TrainingCourse.objects.create(partnership=p, title="Neglect basics")
    session = m.TrainingSession.objects.create(partnership=p, course=course, held_on=D(2020, 10, 1))
    attendance = m.Attendance.objects.create(partnership=p, session=session, organisation=org, role="front_line")
    evaluation = m.Evaluation.objects.create(partnership=p, attendance=attendance, stage="before",
                                             completed_on=D(2020, 9, 28), confidence=4, practice=5)
    draft = survey(p, status=m.Survey.Status.DRAFT, title="Draft survey")
    live = survey(p)
    response = m.SurveyResponse.objects.create(partnership=p, survey=live, organisation=org, role="front_line")
    answer = m.Answer.objects.create(partnership=p, response=response, question=live.questions.get(kind="text"),
                                     text="More joint training please")
    quote = m.Quote.objects.create(partnership=p, survey=live, answer=answer, text=answer.text)
    voice = m.VoiceRecord.objects.create(partnership=p, title="Bus stops", heard_on=D(2020, 10, 1), who="children",
                                         source="forum", you_said="Bus stops feel unsafe")
    archived = m.VoiceRecord.objects.create(partnership=p, title="Old", heard_on=D(2019, 10, 1), who="children",
                                            source="forum", you_said="Something", archived_at=datetime.datetime(
                                                2021, 1, 1, tzinfo=datetime.timezone.utc))
    return {"arrangement": arrangement, "visit": visit, "course": course, "session": session,
            "attendance": attendance, "evaluation": evaluation, "draft": draft, "survey": live,
            "question": draft.questions.first(), "response": response, "answer": answer, "quote": quote,
            "voice": voice, "archived": archived}
