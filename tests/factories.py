"""Test data: partnerships, people with roles, and one record of each register section."""
import datetime
import itertools
from decimal import Decimal

from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import Membership, Organisation, Partnership, User
from safeguarding.actions.models import MeetingAction
from safeguarding.partnership import models as m

PASSWORD = "a-long-test-password-123"
_numbers = itertools.count(1)


def partnership(name="Testshire", **extra):
    slug = extra.pop("slug", name.lower().replace(" ", "-"))
    values = {"name": f"{name} Safeguarding Children Partnership", "short_name": f"{name[:3].upper()}SCP",
              "local_authority": name, "la_code": "999"}
    values.update(extra)
    return Partnership.objects.create(slug=slug, **values)


def organisation(name=None, sector=Organisation.Sector.LOCAL_AUTHORITY):
    return Organisation.objects.get_or_create(name=name or f"Organisation {next(_numbers)}",
                                              defaults={"sector": sector})[0]


def agency(p, org=None, kind=m.PartnerAgency.Kind.STATUTORY):
    org = org or organisation()
    return m.PartnerAgency.objects.create(partnership=p, organisation=org, kind=kind)


def partners(p, *names):
    """Organisations made statutory partner agencies of p, one for each name (or (name, sector))."""
    return [agency(p, organisation(*([name] if isinstance(name, str) else name))).organisation for name in names]


def person(p=None, *roles, email=None, org=None, verified_device=True):
    user = User.objects.create_user(email or f"person{next(_numbers)}@test.example", PASSWORD,
                                    full_name="Test Person", organisation=org)
    for role in roles:
        Membership.objects.create(user=user, partnership=p, role=role)
    if verified_device:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def sign_in(client, user):
    """Sign in as the person, with their two-factor device verified for the session, as every sign-in is (a person
    without one, a demo sign-in say, is given one first)."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def records_for(p):
    """One record of every register section in a partnership, keyed by section slug."""
    org = organisation(f"{p.slug} council")
    partner = m.PartnerAgency.objects.get_or_create(partnership=p, organisation=org,
                                                    defaults={"kind": m.PartnerAgency.Kind.STATUTORY})[0]
    subgroup = m.Subgroup.objects.create(partnership=p, name="Quality and Effectiveness", short_name="Q&E")
    member = m.BoardMember.objects.create(partnership=p, post="Director of Children's Services", organisation=org)
    chair = m.ChairTerm.objects.create(partnership=p, arrangement="independent", holder="A. Chair",
                                       starts_on=datetime.date(2019, 6, 1))
    meeting = m.Meeting.objects.create(partnership=p, title="Executive", held_on=datetime.date(2021, 1, 14))
    decision = m.Decision.objects.create(partnership=p, meeting=meeting, text="Agreed the priorities")
    action = MeetingAction.objects.create(partnership=p, description="Update the escalation policy", owner="Chair",
                                         due_on=datetime.date(2021, 3, 31))
    priority = m.Priority.objects.create(partnership=p, title="Neglect", starts_on=datetime.date(2020, 9, 1))
    focus = m.QuarterlyFocus.objects.create(partnership=p, priority=priority,
                                            quarter_starts_on=datetime.date(2020, 10, 1))
    contribution = m.Contribution.objects.create(partnership=p, organisation=org, financial_year=2020,
                                                 amount=Decimal("1000.00"))
    from safeguarding.indicators.models import FactorGroup

    group = FactorGroup.objects.create(partnership=p, name="Extra-familial harm", factors=["11A", "13A"])
    return {"factor-groups": group, "partners": partner, "members": member, "subgroups": subgroup, "chairs": chair, "meetings": meeting,
            "decisions": decision, "actions": action, "priorities": priority, "quarterly-focus": focus,
            "contributions": contribution}
