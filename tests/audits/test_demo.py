"""The demo's assurance records: loaded twice without change, and the yearly figures they give."""
import datetime

import pytest

from safeguarding.audits import demo, selectors
from safeguarding.audits.models import CycleReturn, Escalation, Section11Return
from safeguarding.core.models import AuditEvent
from safeguarding.partnership.demo import southwark as southwark_data
from safeguarding.partnership.demo.agencies import FIRE_SERVICE
from safeguarding.partnership.demo.load import load

TODAY = datetime.date(2021, 6, 1)


@pytest.fixture
def southwark(db):
    partnership, _ = load(southwark_data, "a-long-test-password-123")
    demo.load(partnership)
    return partnership


def test_loading_again_changes_nothing(southwark):
    events = AuditEvent.objects.count()
    returns = Section11Return.objects.count()
    demo.load(southwark)
    assert AuditEvent.objects.count() == events
    assert Section11Return.objects.count() == returns


def test_section_11_figures_of_2020_21(southwark):
    figures = selectors.section_11_figures(southwark, 2021, today=TODAY)
    assert figures.label == "2020-21" and figures.cycles == ["Section 11 audit 2020-21"]
    assert (figures.expected, figures.submitted, figures.moderated, figures.late) == (12, 11, 8, 1)
    assert figures.overdue == [FIRE_SERVICE] == ["Fire and rescue service"]
    assert figures.scale == ["Red: not met", "Amber: partly met", "Green: met"]
    first = figures.standards[0]
    assert first.number == 1 and sum(first.by_moderated_rating.values()) == 8 and first.not_moderated == 3
    assert figures.themes[0] == ("COVID-19: capacity and workforce resilience", 7)


def test_audit_learning_and_escalations_of_2020_21(southwark):
    (learning,) = selectors.audit_learning(southwark, 2021)
    assert (learning.theme, learning.cases, learning.agencies, learning.recommendations) == ("Domestic abuse", 6, 6, 2)
    assert (learning.actions, learning.actions_done) == (4, 2)
    figures = selectors.escalation_figures(southwark, 2021)
    assert (figures.raised, figures.resolved, figures.still_open) == (5, 5, 0)
    assert figures.highest_stage == {1: 1, 2: 2, 3: 1, 4: 1}
    assert figures.working_days_to_resolve == sorted(
        e.working_days_to_resolve for e in Escalation.objects.filter(partnership=southwark))
    assert selectors.escalation_figures(southwark, 2022).raised == 0


def test_the_overdue_agency_starts_from_last_years_answers(southwark):
    assert not CycleReturn.objects.filter(cycle__year=2021, organisation__name=FIRE_SERVICE).exists()
    assert CycleReturn.objects.filter(cycle__year=2020, organisation__name=FIRE_SERVICE).exists()


def test_changing_a_record_keeps_its_agencies_that_are_not_on_the_register(southwark):
    # The demo's illustrative agencies are not on the register: a record that names them is changed without
    # losing them, while a new record offers the register's agencies.
    from safeguarding.actions.forms import ActionForm
    from safeguarding.actions.models import Action
    from safeguarding.audits.forms import CycleForm, EscalationForm, MultiAgencyAuditForm
    from safeguarding.audits.models import Cycle, MultiAgencyAudit

    escalation = Escalation.objects.get(partnership=southwark, reference="ESC-2021-02")
    form = EscalationForm(instance=escalation, partnership=southwark)
    assert escalation.raised_by in form.fields["raised_by"].queryset
    assert escalation.about in form.fields["about"].queryset
    assert escalation.raised_by not in EscalationForm(partnership=southwark).fields["raised_by"].queryset
    for record, form_class in ((Cycle.objects.get(partnership=southwark, year=2021), CycleForm),
                               (MultiAgencyAudit.objects.get(partnership=southwark), MultiAgencyAuditForm)):
        chosen = set(form_class(instance=record, partnership=southwark).fields["organisations"].queryset)
        assert set(record.organisations.all()) <= chosen
    action = Action.objects.filter(partnership=southwark, recommendation__source_title__contains="multi-agency")[0]
    assert action.organisation in ActionForm(instance=action, partnership=southwark).fields["organisation"].queryset
