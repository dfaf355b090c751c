"""The LADO register: the yearly figures and their maths, who sees what, the access log, and clear errors."""
import datetime
from decimal import Decimal
from types import SimpleNamespace as Contact

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.core.models import AccessLogEntry
from safeguarding.lado import figures as f
from safeguarding.lado.models import LadoContact
from safeguarding.working_days import add_months, financial_year
from tests import factories

D = datetime.date


def test_months_are_calendar_months():
    assert add_months(D(2021, 1, 31), 1) == D(2021, 2, 28)
    assert add_months(D(2020, 1, 31), 1) == D(2020, 2, 29)
    assert add_months(D(2020, 11, 15), 3) == D(2021, 2, 15)
    assert add_months(D(2020, 4, 1), 12) == D(2021, 4, 1)
    assert f.within(D(2020, 5, 10), D(2020, 6, 10), 1) and not f.within(D(2020, 5, 10), D(2020, 6, 11), 1)


def test_financial_year():
    assert financial_year(D(2020, 4, 1)) == 2021 and financial_year(D(2021, 3, 31)) == 2021
    assert financial_year(D(2020, 3, 31)) == 2020


def _c(kind, day, sector="education", outcome_on=None):
    return Contact(kind=kind, received_on=day, employer_sector=sector, referrer_sector=sector,
                   outcome="unfounded" if outcome_on else "", outcome_on=outcome_on)


def test_year_figures():
    contacts = ([_c("referral", D(2018, 5, 1))] * 4 + [_c("referral", D(2019, 5, 1))] * 6
                + [_c("referral", D(2019, 6, 1), "health", outcome_on=D(2020, 4, 20))]  # 2019-20, concluded 2020-21
                + [_c("referral", D(2020, 6, 1), outcome_on=D(2020, 6, 30)),  # within 1 month
                   _c("referral", D(2020, 6, 1), outcome_on=D(2020, 8, 15)),  # within 3 months
                   _c("referral", D(2020, 9, 1))]  # open
                + [_c("consultation", D(2020, 7, 1), "foster_carer"), _c("consultation", D(2020, 7, 1), "sport"),
                   _c("consultation", D(2020, 7, 1), "sport"), _c("consultation", D(2020, 7, 1))])
    y = f.year_figures(contacts, 2021)
    assert (y.referrals, y.consultations, y.referrals_before) == (3, 4, 7)
    assert round(y.change, 1) == Decimal("-57.1")
    assert y.earlier_years == [2019, 2020] and y.average_before == round((4 + 7) / 2)
    assert y.consultations_education_fostering == 2 and y.education_fostering_share == 50
    assert y.concluded == 3  # the 2019-20 referral concluded in 2020-21 counts for 2020-21
    assert y.on_time == {1: (1, Decimal("33.3")), 3: (2, Decimal("66.7")), 12: (3, Decimal("100.0"))}
    shown, detail = f.disclosure(y, suppress=True), f.disclosure(y, suppress=False)
    assert shown.shown("referrals") == "c" and detail.shown("referrals") == "3"
    assert shown.shown(("referrals", 2020)) == "7" and f.change_shown(y, shown, "-57.1%") == "c"


def test_a_referral_after_a_year_with_none_has_no_percentage_change():
    # Issue 14: the paragraph compared the change with 0 when there was none to give, and the page failed.
    contacts = [_c("referral", D(2018, 5, 1)), _c("consultation", D(2019, 5, 1)), _c("referral", D(2020, 5, 1))]
    y = f.year_figures(contacts, 2021)
    assert (y.referrals, y.referrals_before, y.change) == (1, 0, None)
    assert f.paragraph(y).startswith("The LADO received 1 referral in 2020-21, against none the year before")


@pytest.mark.django_db
def test_demo_records_give_the_reference_paragraph():
    from django.core.management import call_command
    import io

    call_command("load_demo", stdout=io.StringIO())
    contacts = list(LadoContact.objects.all())
    text = f.paragraph(f.year_figures(contacts, 2021))
    assert text.startswith("The LADO received 85 referrals in 2020-21, down 49% on the year before")
    assert "4-year average of 160 (2016-17 to 2019-20)" in text
    assert "164 consultations, 48% of them about staff in education and foster carers" in text
    call_command("load_demo", stdout=io.StringIO())
    assert LadoContact.objects.count() == len(contacts)  # idempotent


@pytest.fixture
def home(db):
    p = factories.partnership("Home")
    for day in (D(2020, 5, 1), D(2020, 6, 1), D(2020, 7, 1)):
        LadoContact.objects.create(partnership=p, reference=f"L-{day:%m}", kind="referral", received_on=day,
                                   threshold_limb="harmed", person_role="Teacher", employer_sector="education",
                                   referrer="DSL", referrer_sector="education", category="physical")
    return p


def test_small_numbers_are_c_except_for_the_lado(home):
    url = reverse("lado:index", kwargs={"slug": home.slug})
    for role in (Role.ADMIN, Role.SCRUTINEER, Role.PARTNER_LEAD):
        page = factories.sign_in(Client(), factories.person(home, role)).get(url).content.decode()
        assert "Referrals in 2020-21</dt><dd class=\"govuk-summary-list__value\">c</dd>" in page, role
        assert "Record a LADO contact" not in page
    page = factories.sign_in(Client(), factories.person(home, Role.LADO)).get(url).content.decode()
    assert "Referrals in 2020-21</dt><dd class=\"govuk-summary-list__value\">3</dd>" in page
    assert "The LADO received 3 referrals" in page


def test_viewing_a_contact_is_logged(home):
    lado = factories.person(home, Role.LADO)
    client = factories.sign_in(Client(), lado)
    record = LadoContact.objects.first()
    assert client.get(reverse("lado:contact", kwargs={"slug": home.slug, "pk": record.pk})).status_code == 200
    entry = AccessLogEntry.objects.get(record_type="lado.ladocontact", record_id=str(record.pk))
    assert entry.user == lado and entry.partnership == home
    client.get(reverse("lado:contacts", kwargs={"slug": home.slug}))
    assert AccessLogEntry.objects.filter(record_label="LADO contacts list").count() == 1


def test_bad_contact_is_refused_and_nothing_saved(home):
    client = factories.sign_in(Client(), factories.person(home, Role.LADO))
    before = LadoContact.objects.count()
    response = client.post(reverse("lado:add", kwargs={"slug": home.slug}), {
        "reference": "L-05", "kind": "referral", "received_on-day": "10", "received_on-month": "6",
        "received_on-year": "2020", "person_role": "Coach", "employer_sector": "sport", "referrer": "Club",
        "referrer_sector": "sport", "category": "physical", "outcome": "unfounded", "outcome_on-day": "1",
        "outcome_on-month": "6", "outcome_on-year": "2020"})
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "L-05 is already used by another contact" in page
    assert "Select which limb of the harm threshold" in page
    assert "The outcome must be on or after the date of contact" in page
    assert LadoContact.objects.count() == before


def test_another_partnerships_contact_is_not_found(home):
    away = factories.partnership("Away")
    theirs = LadoContact.objects.create(partnership=away, reference="A-1", kind="consultation",
                                        received_on=D(2020, 5, 1), person_role="Coach", employer_sector="sport",
                                        referrer="Club", referrer_sector="sport", category="physical")
    client = factories.sign_in(Client(), factories.person(home, Role.LADO))
    for name in ("lado:contact", "lado:edit"):
        assert client.get(reverse(name, kwargs={"slug": home.slug, "pk": theirs.pk})).status_code == 404
