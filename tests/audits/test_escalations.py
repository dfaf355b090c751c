"""Escalations: time to resolve in England and Wales working days, the stages, the yearly figures, the form."""
import datetime

import pytest
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.audits import selectors
from safeguarding.audits.models import Escalation
from tests import factories

D = datetime.date


def escalation(partnership, reference, raised_on, resolved_on=None, theme="threshold", **stages):
    raised_by = factories.organisation("School")
    about = factories.organisation("Council")
    return Escalation.objects.create(partnership=partnership, reference=reference, raised_by=raised_by, about=about,
                                     theme=theme, concern="A disagreement", raised_on=raised_on,
                                     resolved_on=resolved_on, outcome="agreed" if resolved_on else "", **stages)


def test_working_days_to_resolve_skip_weekends_and_bank_holidays():
    over_christmas = Escalation(raised_on=D(2020, 12, 14), resolved_on=D(2021, 1, 5))
    # 15-18 and 21-24 December, 29-31 December, 4-5 January: Christmas Day, the Boxing Day substitute (28th)
    # and New Year's Day are bank holidays.
    assert over_christmas.working_days_to_resolve == 13
    same_week = Escalation(raised_on=D(2021, 3, 1), resolved_on=D(2021, 3, 5))
    assert same_week.working_days_to_resolve == 4
    same_day = Escalation(raised_on=D(2021, 3, 1), resolved_on=D(2021, 3, 1))
    assert same_day.working_days_to_resolve == 0
    assert Escalation(raised_on=D(2021, 3, 1)).working_days_to_resolve is None


def test_each_stage_lasts_until_the_next_over_easter():
    record = Escalation(raised_on=D(2021, 3, 1), stage_2_on=D(2021, 3, 4), stage_3_on=D(2021, 3, 15),
                        stage_4_on=D(2021, 3, 24), resolved_on=D(2021, 4, 9))
    assert record.stage == 4
    # Good Friday (2 April) and Easter Monday (5 April 2021) are not working days.
    assert record.stage_durations() == [(1, D(2021, 3, 1), 3), (2, D(2021, 3, 4), 7), (3, D(2021, 3, 15), 7),
                                        (4, D(2021, 3, 24), 10)]
    assert record.working_days_to_resolve == 27 == sum(days for _, _, days in record.stage_durations())
    still_open = Escalation(raised_on=D(2021, 3, 1), stage_2_on=D(2021, 3, 4))
    assert still_open.working_days_open(today=D(2021, 3, 8)) == 5
    assert still_open.stage_durations(today=D(2021, 3, 8))[-1] == (2, D(2021, 3, 4), 2)


@pytest.mark.django_db
def test_yearly_figures_count_escalations_raised_in_the_financial_year(partnership):
    escalation(partnership, "E-1", D(2020, 4, 1), D(2020, 4, 3))  # first day of 2020-21; 2 working days
    escalation(partnership, "E-2", D(2020, 12, 14), D(2021, 1, 5), theme="information", stage_2_on=D(2020, 12, 18))
    escalation(partnership, "E-3", D(2021, 3, 31), stage_2_on=D(2021, 4, 6))  # last day; still open
    escalation(partnership, "E-4", D(2021, 4, 1), D(2021, 4, 1))  # 2021-22
    escalation(partnership, "E-5", D(2020, 3, 31), D(2020, 4, 2))  # 2019-20
    figures = selectors.escalation_figures(partnership, 2021)
    assert figures.label == "2020-21"
    assert (figures.raised, figures.resolved, figures.still_open) == (3, 2, 1)
    assert figures.highest_stage == {1: 1, 2: 2, 3: 0, 4: 0}
    assert figures.working_days_to_resolve == [2, 13]
    assert (figures.median_working_days, figures.mean_working_days, figures.longest_working_days) == (7.5, 7.5, 13)
    assert figures.themes[0] == ("Thresholds: a referral or request for help not accepted", 2)
    assert figures.outcomes == [("Resolved by agreement", 2)]
    assert selectors.escalation_figures(partnership, 2019).raised == 0


@pytest.mark.django_db
def test_the_form_checks_stages_and_dates(client, partnership):
    school, council = factories.partners(partnership, "School", "Council")
    factories.sign_in(client, factories.person(partnership, Role.ADMIN))
    add = reverse("audits:escalation-add", kwargs={"slug": partnership.slug})

    def date(name, day):
        return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year} if day else {}

    base = {"reference": "esc-7", "raised_by": school.pk, "about": council.pk, "theme": "closure",
            "concern": "Closed too soon", **date("raised_on", D(2021, 2, 1))}
    page = client.post(add, {**base, "about": school.pk, **date("stage_3_on", D(2021, 2, 3)),
                             **date("resolved_on", D(2021, 1, 1))}).content.decode()
    assert "An escalation is between two agencies: choose the other agency" in page
    assert "Enter the date of stage 2 first" in page
    assert "The date resolved must be on or after the last stage" in page
    assert "Give both the outcome and the date resolved, or neither" in page
    response = client.post(add, {**base, "reference": "Jane Smith"})
    assert "Enter a pseudonymised reference" in response.content.decode()
    response = client.post(add, {**base, **date("stage_2_on", D(2021, 2, 3)), **date("resolved_on", D(2021, 2, 8)),
                                 "outcome": "upheld", "resolution": "Case reopened"})
    record = Escalation.objects.get(partnership=partnership)
    assert response["Location"] == reverse("audits:escalation", kwargs={"slug": partnership.slug, "pk": record.pk})
    assert record.reference == "ESC-7" and record.stage == 2 and record.working_days_to_resolve == 5
    page = client.get(response["Location"]).content.decode()
    assert "8 February 2021, 5 working days after it was raised" in page
    listing = client.get(reverse("audits:escalations", kwargs={"slug": partnership.slug}) + "?year=2021")
    assert "ESC-7" in listing.content.decode()


def test_escalations_download_as_excel(db):
    import io

    from django.test import Client
    from django.urls import reverse
    from openpyxl import load_workbook

    from safeguarding.accounts.roles import Role
    from safeguarding.audits.models import Escalation
    from tests import factories

    home = factories.partnership("Home")
    one, two = factories.organisation("Agency one"), factories.organisation("Agency two")
    Escalation.objects.create(partnership=home, reference="ESC-1", raised_by=one, about=two,
                              theme=Escalation.Theme.values[0], concern="Threshold", raised_on="2020-06-01")
    url = reverse("audits:escalations", kwargs={"slug": home.slug}) + "?year=2021&format=xlsx"
    admin = factories.sign_in(Client(), factories.person(home, Role.ADMIN))
    sheet = load_workbook(io.BytesIO(admin.get(url).content)).active
    assert [c.value for c in sheet[2]][:4] == ["ESC-1", "Agency one", None, "Agency two"]
    scrutineer = factories.sign_in(Client(), factories.person(home, Role.SCRUTINEER))
    assert scrutineer.get(url)["Content-Type"].startswith("text/html")  # figures only, no records
