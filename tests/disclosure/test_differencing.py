"""No suppressed count can be worked out again from what a scrutineer is shown.

The walk reads every page, table and download with figures that a scrutineer sees (the dashboard for each year
and its CSV and Excel files, the API, the LADO figures for each year, private fostering for each year, the
yearly report's HTML), once as the scrutineer and once as people with the right to detail (who give the true
counts), and the attacker (``attack.py``) tries every relation a reader knows: a total minus the other parts,
a count from a change and the year before, from a share and its whole, from a rate and the population, from an
average, and the same count shown elsewhere. The test fails on any count from 1 to 5 it recovers.

Two sets of figures: the demo partnership as loaded (with one LADO referral recorded in 2021-22, as in issue
14), and crafted figures with small numbers where the three leaks of issue 14 were: LADO's change on the year
before, the 2018-19 categories of abuse against the plan starts, and private fostering's share of first visits
on time next to notifications of c."""
import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token

from safeguarding.accounts.models import Partnership
from safeguarding.accounts.roles import Role
from safeguarding.dashboard.selectors import years_for
from safeguarding.indicators.models import IndicatorValue
from safeguarding.lado.models import LadoContact
from safeguarding.registers import models as registers
from safeguarding.reports.models import YearlyReport
from safeguarding.working_days import financial_year
from tests import factories
from tests.dashboard import data
from tests.disclosure import attack, read

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def walk(partnership, *roles):
    """Everything the roles are shown, read into one ledger."""
    ledger = attack.Ledger()
    slug, la = partnership.slug, partnership.la_code
    lado_years = sorted({financial_year(d) for d in LadoContact.objects.for_partnership(partnership).active()
                         .values_list("received_on", flat=True)})
    arrangements = registers.PrivateFosteringArrangement.objects.filter(partnership=partnership)
    fostering_years = sorted({financial_year(d) for a in arrangements for d in (a.notified_on, a.began_on)})
    for role in roles:
        user = factories.person(partnership, role)
        client = factories.sign_in(Client(), user)
        token = Token.objects.create(user=user).key
        pending = []
        for year in years_for(la):
            pending += read.dashboard(client, slug, year, ledger)
            pending += read.dashboard_files(client, slug, year, ledger)
        pending += read.api(client, slug, ledger, token)
        for year in lado_years:
            read.lado_page(client, slug, year, lado_years, ledger)
        for year in fostering_years:
            read.fostering_page(client, slug, year, ledger)
        for report in YearlyReport.objects.filter(partnership=partnership):
            pending += read.report_html(client, slug, report.pk, report.year, lado_years, ledger)
        for later in pending:  # once every population shown is known
            later()
    return ledger


def truth_of(partnership):
    """The counts as people with the right to detail see them (a LADO officer for LADO's)."""
    shown = walk(partnership, Role.PARTNER_LEAD, Role.LADO).shown
    return {name: next(iter(values)) for name, values in shown.items() if len(values) == 1}


def leaks_for(partnership):
    seen = walk(partnership, Role.SCRUTINEER)
    truth = truth_of(partnership)
    return seen, truth, attack.recover(seen, truth)


def _referral(partnership, day, sector="education", kind="referral", outcome_on=None, n=[0]):
    n[0] += 1
    return LadoContact.objects.create(
        partnership=partnership, reference=f"LADO-{n[0]}", kind=kind, received_on=day, person_role="Teacher",
        employer_sector=sector, referrer="Head teacher", referrer_sector=sector, category="physical",
        outcome="unfounded" if outcome_on else "", outcome_on=outcome_on)


@pytest.fixture
def crafted(db):
    """Southwark's stored values with the 2018-19 categories of abuse adding up to the plan starts (sexual
    abuse 5), a LADO year of 85 referrals followed by one of 1, and four private fostering notifications with three
    first visits on time; each year's report."""
    partnership = factories.partnership("Southwark", la_code="210")
    data.store_values("210", small={(2021, "cpp_2_years"): 3})
    data.factor_groups(partnership)
    data.import_benchmarks()
    for year in (2019, 2021):  # categories and sources that add up exactly, one of them small
        starts = IndicatorValue.objects.get(la_code="210", year=year, indicator="cpp_starts").value
        IndicatorValue.objects.filter(la_code="210", year=year, indicator="initial_category:SAB").update(numerator=5)
        others = sum(v.numerator for v in IndicatorValue.objects.filter(
            la_code="210", year=year, indicator__startswith="initial_category:").exclude(
            indicator="initial_category:NEG"))
        IndicatorValue.objects.filter(la_code="210", year=year, indicator="initial_category:NEG").update(
            numerator=int(starts) - others)
        referrals = IndicatorValue.objects.get(la_code="210", year=year, indicator="referrals").value
        others = sum(v.numerator for v in IndicatorValue.objects.filter(
            la_code="210", year=year, indicator__startswith="referral_source:").exclude(indicator="referral_source:6"))
        IndicatorValue.objects.filter(la_code="210", year=year, indicator="referral_source:6").update(
            numerator=int(referrals) - others)
        IndicatorValue.objects.filter(la_code="210", year=year, indicator="source_assessed:6").update(
            denominator=int(referrals) - others)  # the same count: a share of the police's referrals
    sectors = ["education"] * 60 + ["health"] * 20 + ["sport"] * 3 + ["police"] * 2
    for i, sector in enumerate(sectors):
        _referral(partnership, D(2020, 4, 1) + datetime.timedelta(days=i * 4), sector,
                  outcome_on=D(2020, 5, 1) + datetime.timedelta(days=i * 3) if i < 40 else None)
    for i in range(70):
        _referral(partnership, D(2019, 5, 1) + datetime.timedelta(days=i * 4), "health")
    for sector in ["education"] * 3 + ["foster_carer"] * 4 + ["health"] * 30:
        _referral(partnership, D(2020, 9, 1), sector, kind="consultation")
    _referral(partnership, D(2021, 6, 1), "education")  # 2021-22: one referral
    for i in range(4):
        arrangement = registers.PrivateFosteringArrangement.objects.create(
            partnership=partnership, reference=f"PF-{i}", notified_by="school", notified_on=D(2020, 6, 1 + i),
            began_on=D(2020, 6, 1 + i))
        registers.PrivateFosteringVisit.objects.create(partnership=partnership, arrangement=arrangement,
                                                       visited_on=D(2020, 6, 5 + i) if i < 3 else D(2020, 7, 30))
    for year in (2021, 2022):
        YearlyReport.objects.create(partnership=partnership, year=year, title=f"Report {year}")
    return partnership


def test_crafted_small_numbers_cannot_be_worked_out(crafted):
    seen, truth, leaks = leaks_for(crafted)
    # The three places issue 14 found leaks are read, and hold a c.
    for name in [("lado", 2022, "referrals"), ("ind", 2019, "initial_category:SAB"), ("pf", 2021, "notifications")]:
        assert name in seen.hidden and truth[name] in attack.SMALL, name
    assert len(seen.relations) > 200 and len(seen.hidden) >= 10
    # Every kind of relation was read somewhere (a page that changes shape would quietly drop one).
    assert {r.kind for r in seen.relations} == {"total minus parts", "share of a whole", "change %",
                                                "rate and population", "average"}
    wheres = {r.where for r in seen.relations}
    for source in ("dashboard 2021 ", "dashboard 2021 downloads (Excel)", "dashboard 2021 downloads (CSV)",
                   "dashboard 2021 downloads trends", "API indicator values", "LADO page 2022", "LADO page 2021",
                   "private fostering page 2021", "report "):
        assert any(where.startswith(source) for where in wheres), source
    # what the assessments of each source's referrals found (issue 15 point 4), on the dashboard and in the report
    assert {where.split(" (")[0].split(" ")[0] for where in wheres if where.endswith("what assessments found")} == {
        "dashboard", "report"}
    assert ("ind", 2021, "source_assessed:9") in seen.hidden
    assert not leaks, "suppressed counts worked out again:\n" + "\n".join(map(str, leaks))


def test_demo_partnership_small_numbers_cannot_be_worked_out(demo):
    southwark = Partnership.objects.get(slug="southwark")
    _referral(southwark, D(2021, 6, 1))  # one referral in a new year, as in issue 14
    seen, truth, leaks = leaks_for(southwark)
    assert ("lado", 2022, "referrals") in seen.hidden and ("ind", 2019, "initial_category:SAB") in seen.hidden
    assert len(seen.relations) > 500
    assert not leaks, "suppressed counts worked out again:\n" + "\n".join(map(str, leaks))
