import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.roles import Role
from safeguarding.reports.models import YearlyReport
from tests import factories


@pytest.fixture
def draft_report(db):
    """A partnership "Home" with three statutory partners (council, police, ICB), a signed-in admin of the council
    and a signed-in partner lead of each, and an empty draft of its 2020-21 report:
    (home, admin client, admin user, lead clients, report)."""
    home = factories.partnership("Home")
    partners = factories.partners(home, ("Home council", Organisation.Sector.LOCAL_AUTHORITY),
                                  ("Home police", Organisation.Sector.POLICE), ("Home ICB", Organisation.Sector.HEALTH))
    admin_user = factories.person(home, Role.ADMIN, org=partners[0])
    admin = factories.sign_in(Client(), admin_user)
    leads = [factories.sign_in(Client(), factories.person(home, Role.PARTNER_LEAD, org=org)) for org in partners]
    report = YearlyReport.objects.create(partnership=home, year=2021, title="Home yearly report 2020-21")
    return home, admin, admin_user, leads, report


def report_url(name, report, **extra):
    """The address of one of a report's pages (reports:NAME)."""
    return reverse(f"reports:{name}", kwargs={"slug": report.partnership.slug, "pk": report.pk, **extra})
