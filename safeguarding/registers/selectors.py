"""Reads of the smaller registers, for their pages and for the yearly report.

The functions the yearly report calls take a partnership and a year named by the financial year's end
(2021 is 1 April 2020 to 31 March 2021) and return plain dataclasses:

- ``survey_figures(partnership, year)`` -> [SurveyFigures]
- ``voice_records(partnership, year)`` -> [VoiceFigure]
- ``private_fostering_figures(partnership, year)`` -> fostering.FosteringFigures
- ``training_figures(partnership, year)`` -> TrainingFigures
- ``word_cloud(partnership, year)`` -> WordCloud, or None without a practitioners' survey with free-text answers

Archived records are left out everywhere.
"""
import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone

from safeguarding.indicators.rounding import percent, round_half_up
from safeguarding.working_days import financial_year, financial_year_bounds, year_label

from . import fostering
from . import models as m


def active(model, partnership):
    return model.objects.for_partnership(partnership).active()


def years_with(dates, today=None):
    """Financial years (named by their end) with any of the dates, and the current one; newest first."""
    today = today or timezone.localdate()
    return sorted({financial_year(d) for d in dates if d} | {financial_year(today)}, reverse=True)


def chosen_year(request, years):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return years[0]
    return year if year in years else years[0]


def mean(values):
    values = list(values)
    return None if not values else round_half_up(Decimal(sum(values)) / len(values), 1)


# --- Private fostering -------------------------------------------------------------------------------------

def arrangements(partnership):
    visits = Prefetch("visits", queryset=m.PrivateFosteringVisit.objects.filter(archived_at__isnull=True))
    return active(m.PrivateFosteringArrangement, partnership).prefetch_related(visits)


def _visits_of(arrangement):
    return arrangement.visits.all()


def private_fostering_figures(partnership, year, today=None):
    """Private fostering in the financial year: a ``fostering.FosteringFigures`` with the notifications (and
    how many came in time, and from whom), arrangements begun, ended and open at the year's end, first visits
    (within 7 working days) and statutory visits (6 weeks in the first year, 12 after) that fell due in the
    year with how many were on time (``.first_visits.percent``, ``.statutory_visits.percent``,
    ``.all_visits.percent``: one decimal place, None when none fell due), visits made and the share with the
    child seen alone (``.seen_alone_percent``), and the visits overdue at the year's end (``.overdue``).
    A year not yet over is counted up to today."""
    return fostering.year_figures(list(arrangements(partnership)), _visits_of, year, today or timezone.localdate())


def arrangement_schedule(arrangement, today=None):
    today = today or timezone.localdate()
    return fostering.schedule(arrangement, [v for v in arrangement.visits.all() if v.archived_at is None], today)


# --- Training ----------------------------------------------------------------------------------------------

@dataclass
class StageScores:
    """Average scores at each stage of the evaluation (one decimal place; None where nobody answered)."""

    before: Decimal = None
    after: Decimal = None
    follow_up: Decimal = None
    change_after: Decimal = None  # mean of (after - before) over people who gave both
    change_follow_up: Decimal = None  # mean of (follow-up - before) over people who gave both


@dataclass
class CourseRow:
    course: object
    sessions: int
    attended: int
    confidence: StageScores


@dataclass
class TrainingFigures:
    """Training in the financial year, counted by the date of the session.

    sessions, courses (with a session in the year), places (offered, where recorded); attended and
    did_not_attend (bookings); by_agency: [(agency name, attended)], most first; by_sector: [(sector label,
    attended)]; by_role: [(role label, attended)]; evaluations: {stage: number completed}; response_rate:
    {stage: percent of those who attended}; confidence and practice: ``StageScores`` (1 to 10; before, straight
    after, 6 to 8 weeks later, and the average change from before); follow_ups_in_window: follow-ups completed
    42 to 56 days after the session; courses_table: [CourseRow].
    """

    year: int
    sessions: int = 0
    courses: int = 0
    places: int = 0
    attended: int = 0
    did_not_attend: int = 0
    by_agency: list = field(default_factory=list)
    by_sector: list = field(default_factory=list)
    by_role: list = field(default_factory=list)
    evaluations: dict = field(default_factory=dict)
    response_rate: dict = field(default_factory=dict)
    confidence: StageScores = field(default_factory=StageScores)
    practice: StageScores = field(default_factory=StageScores)
    follow_ups_in_window: int = 0
    courses_table: list = field(default_factory=list)

    @property
    def label(self):
        return year_label(self.year)


FOLLOW_UP_WINDOW = (42, 56)  # 6 to 8 weeks, in days


def stage_scores(attendances, score):
    """``attendances``: each with ``.scores`` {stage: Evaluation}. ``score``: "confidence" or "practice"."""
    by_stage = {stage: [getattr(a.scores[stage], score) for a in attendances if stage in a.scores]
                for stage in m.Evaluation.Stage.values}

    def change(stage):
        return mean(getattr(a.scores[stage], score) - getattr(a.scores["before"], score)
                    for a in attendances if stage in a.scores and "before" in a.scores)

    return StageScores(mean(by_stage["before"]), mean(by_stage["after"]), mean(by_stage["follow_up"]),
                       change("after"), change("follow_up"))


def attendances_in(partnership, year=None, **filters):
    """Attendances (with their session, course, agency and evaluations as ``.scores``), in a financial year if
    given, narrowed by ``filters`` (for example ``session=``)."""
    records = active(m.Attendance, partnership).filter(**filters).filter(
        session__archived_at__isnull=True, session__course__archived_at__isnull=True
    ).select_related("session__course", "organisation").prefetch_related(
        Prefetch("evaluations", queryset=m.Evaluation.objects.filter(archived_at__isnull=True)))
    if year is not None:
        start, end = financial_year_bounds(year)
        records = records.filter(session__held_on__range=(start, end))
    records = list(records.order_by("session__held_on", "id"))
    for attendance in records:
        attendance.scores = {e.stage: e for e in attendance.evaluations.all()}
    return records


def training_figures(partnership, year):
    """The year's training (see ``TrainingFigures``)."""
    start, end = financial_year_bounds(year)
    sessions = list(active(m.TrainingSession, partnership).filter(
        held_on__range=(start, end), course__archived_at__isnull=True).select_related("course"))
    figures = TrainingFigures(year=year, sessions=len(sessions), courses=len({s.course_id for s in sessions}),
                              places=sum(s.places or 0 for s in sessions))
    everyone = attendances_in(partnership, year)
    attended = [a for a in everyone if a.attended]
    figures.attended, figures.did_not_attend = len(attended), len(everyone) - len(attended)
    figures.by_agency = Counter(a.organisation.name for a in attended).most_common()
    sectors = Counter(a.organisation.get_sector_display() for a in attended)
    figures.by_sector = sectors.most_common()
    roles = dict(m.PersonRole.choices)
    figures.by_role = [(roles.get(role, role), n) for role, n in Counter(a.role for a in attended).most_common()]
    for stage in m.Evaluation.Stage.values:
        done = sum(1 for a in attended if stage in a.scores)
        figures.evaluations[stage] = done
        figures.response_rate[stage] = percent(done, len(attended))
    figures.confidence = stage_scores(attended, "confidence")
    figures.practice = stage_scores(attended, "practice")
    low, high = FOLLOW_UP_WINDOW
    figures.follow_ups_in_window = sum(
        1 for a in attended if "follow_up" in a.scores
        and low <= (a.scores["follow_up"].completed_on - a.session.held_on).days <= high)
    courses = {}
    for session in sessions:
        courses.setdefault(session.course, []).append(session)
    for course, held in sorted(courses.items(), key=lambda item: item[0].title):
        people = [a for a in attended if a.session.course_id == course.pk]
        figures.courses_table.append(CourseRow(course, len(held), len(people), stage_scores(people, "confidence")))
    return figures


# --- Surveys -----------------------------------------------------------------------------------------------

@dataclass
class QuoteFigure:
    text: str
    attribution: str
    question: str  # the question it answered, or "" for a quote entered by hand


@dataclass
class SurveyFigures:
    """One survey for the yearly report: title, audience (label), status (label), opens_on and closes_on
    (dates or None), responses (all the survey's responses), responses_in_year (those submitted in the
    financial year), by_role: [(role label, responses)], and quotes: [QuoteFigure] picked for the report."""

    title: str
    audience: str
    status: str
    opens_on: datetime.date
    closes_on: datetime.date
    responses: int
    responses_in_year: int
    by_role: list
    quotes: list


def surveys_in_year(partnership, year):
    """Surveys that were open at some time in the financial year (open or since closed; drafts never are)."""
    start, end = financial_year_bounds(year)
    return active(m.Survey, partnership).exclude(status=m.Survey.Status.DRAFT).filter(
        opens_on__lte=end).filter(Q(closes_on__isnull=True) | Q(closes_on__gte=start)).order_by("opens_on", "title")


def survey_figures(partnership, year):
    """The surveys open at some time in the financial year, each as ``SurveyFigures``."""
    start, end = financial_year_bounds(year)
    found = []
    roles = dict(m.PersonRole.choices)
    for survey in surveys_in_year(partnership, year):
        responses = active(m.SurveyResponse, partnership).filter(survey=survey)
        in_year = sum(1 for at in responses.values_list("submitted_at", flat=True)
                      if start <= timezone.localdate(at) <= end)
        by_role = Counter(responses.values_list("role", flat=True))
        quotes = active(m.Quote, partnership).filter(survey=survey).select_related("answer__question")
        found.append(SurveyFigures(
            title=survey.title, audience=survey.get_audience_display(), status=survey.status_label(),
            opens_on=survey.opens_on, closes_on=survey.closes_on, responses=responses.count(),
            responses_in_year=in_year,
            by_role=[(roles.get(r, "Not said") if r else "Not said", n) for r, n in by_role.most_common()],
            quotes=[QuoteFigure(q.text, q.attribution, q.answer.question.text if q.answer else "") for q in quotes]))
    return found


@dataclass
class OptionCount:
    label: str
    count: int
    percent: Decimal  # of the people who answered the question


@dataclass
class QuestionResult:
    question: object
    answered: int
    options: list = field(default_factory=list)  # [OptionCount] for a list or a scale
    average: Decimal = None  # for a scale
    texts: int = 0  # free-text answers given


@dataclass
class SurveyResults:
    responses: int
    by_agency: list  # [(agency name, responses)]
    by_role: list  # [(role label, responses)]
    by_agency_and_role: dict  # {(agency name, role label): responses}
    questions: list  # [QuestionResult]


NOT_SAID = "Another organisation or not said"


def responses_of(survey, agency="", role=""):
    """A survey's responses, optionally of one agency ("none": another organisation or not said) or role."""
    responses = m.SurveyResponse.objects.filter(survey=survey, archived_at__isnull=True)
    if agency == "none":
        responses = responses.filter(organisation__isnull=True)
    elif agency:
        responses = responses.filter(organisation_id=agency)
    if role:
        responses = responses.filter(role=role)
    return responses


def survey_results(survey, agency="", role=""):
    """Counts for the results page: responses by agency and role, and each question's answers."""
    responses = list(responses_of(survey, agency, role).select_related("organisation"))
    roles = dict(m.PersonRole.choices)

    def agency_name(r):
        return r.organisation.name if r.organisation else NOT_SAID

    def role_name(r):
        return roles.get(r.role, "Not said") if r.role else "Not said"

    answers = {}
    for answer in m.Answer.objects.filter(response__in=[r.pk for r in responses], archived_at__isnull=True):
        answers.setdefault(answer.question_id, []).append(answer)
    results = []
    for question in survey.questions.filter(archived_at__isnull=True):
        given = answers.get(question.pk, [])
        result = QuestionResult(question, len(given))
        if question.kind == m.Question.Kind.CHOICE:
            counts = Counter(choice for a in given for choice in a.choices)
            result.options = [OptionCount(o, counts[o], percent(counts[o], len(given))) for o in question.options]
        elif question.kind == m.Question.Kind.SCALE:
            counts = Counter(a.number for a in given)
            result.options = [OptionCount(str(n), counts[n], percent(counts[n], len(given)))
                              for n in question.scale_values]
            result.average = mean(a.number for a in given if a.number is not None)
        else:
            result.texts = sum(1 for a in given if a.text)
        results.append(result)
    return SurveyResults(
        responses=len(responses),
        by_agency=Counter(agency_name(r) for r in responses).most_common(),
        by_role=Counter(role_name(r) for r in responses).most_common(),
        by_agency_and_role=Counter((agency_name(r), role_name(r)) for r in responses),
        questions=results)


def text_answers(survey, search="", agency="", role=""):
    """Free-text answers, newest first, containing ``search`` (any case) if given."""
    answers = m.Answer.objects.filter(
        response__in=responses_of(survey, agency, role), question__kind=m.Question.Kind.TEXT,
        archived_at__isnull=True).exclude(text="").select_related("question", "response__organisation")
    if search:
        answers = answers.filter(text__icontains=search)
    return answers.order_by("-response__submitted_at", "-id")


# --- The voice of children and families --------------------------------------------------------------------

@dataclass
class VoiceFigure:
    """What children or families said in the year and what changed ("you said, we did"). who and source are
    labels; we_did is "" until something changed; priority and survey are titles or ""."""

    title: str
    heard_on: datetime.date
    who: str
    source: str
    you_said: str
    we_did: str
    changed_on: datetime.date
    priority: str
    survey: str


def voice_records(partnership, year):
    """Records heard in the financial year, or whose change was made in it, oldest first, as VoiceFigure."""
    start, end = financial_year_bounds(year)
    records = active(m.VoiceRecord, partnership).filter(
        Q(heard_on__range=(start, end)) | Q(changed_on__range=(start, end))).select_related("priority", "survey")
    return [VoiceFigure(r.title, r.heard_on, r.get_who_display(), r.get_source_display(), r.you_said, r.we_did,
                        r.changed_on, r.priority.title if r.priority else "", r.survey.title if r.survey else "")
            for r in records.order_by("heard_on", "id")]


# The word cloud of a year's review ------------------------------------------------------------------------

# Words that carry no view of their own; the rest are counted once per response that uses them.
COMMON_WORDS = frozenset("""
a about across after all also an and any are as at be been before being better both but by can come could do
does done each earlier even every for from get getting go had has have how i if in into is it its just keep less like made make making
many more most much need needs no not of on one only or other our out over own partnership partners really
should so some still such than that the their them then there these they this those through to too up us use
very was we well were what when where whether which while who will with work working would year you your
""".split())
MIN_RESPONSES_FOR_A_WORD = 2


@dataclass
class WordCloud:
    survey: str
    question: str
    responses: int  # responses that answered the question
    words: list  # [(word, responses using it)], most used first


def word_cloud(partnership, year, most=12):
    """The words partners used most in the year's last practitioners' survey with free-text answers: in the
    demo, as in the reference, the end-of-year review. Each word counts once per response; a word used by only
    one response is left out (it would be one person's words, not a view)."""
    answered = []  # (survey, its free-text answers)
    for survey in surveys_in_year(partnership, year).filter(audience=m.Survey.Audience.PRACTITIONERS):
        texts = list(active(m.Answer, partnership).filter(
            response__survey=survey, response__archived_at__isnull=True, question__kind=m.Question.Kind.TEXT
        ).exclude(text="").select_related("question"))
        if texts:
            answered.append((survey, texts))
    if not answered:
        return None
    # The last to close (one still open, with no closing date, counts as closing first).
    survey, texts = max(answered, key=lambda found: found[0].closes_on or datetime.date.min)
    counts = Counter()
    for answer in texts:
        counts.update({w for w in re.findall(r"[a-z][a-z'-]+", answer.text.lower()) if w not in COMMON_WORDS})
    words = [(w, n) for w, n in counts.most_common() if n >= MIN_RESPONSES_FOR_A_WORD][:most]
    questions = sorted({a.question.text for a in texts})
    return WordCloud(survey=survey.title, question="; ".join(questions), responses=len(texts), words=words)
