"""Load (or bring up to date) one demo partnership's register from its data module (``southwark``,
``lambeth``). Safe to run again: records are matched by their natural keys, and only what changed is written,
through the audit trail. A data module leaves out what its partnership does not have (the smaller neighbour
has no subgroups or meetings, for example)."""
from django.db import transaction

from safeguarding.accounts.models import Membership, Organisation, Partnership, User
from safeguarding.actions.models import MeetingAction
from safeguarding.core import audit
from safeguarding.core.audit import snapshot
from safeguarding.partnership import models as m


def upsert(model, lookup, values):
    """Create the record, or change it to match; both go through the audit trail as the system."""
    manager = model._base_manager
    record = manager.filter(**lookup).first()
    if record is None:
        record = model(**lookup, **values)
        return audit.create(record, by=None)
    before = snapshot(record)
    for name, value in values.items():
        setattr(record, name, value)
    if snapshot(record) != before:
        audit.update(record, by=None)
    return record


@transaction.atomic
def load(data, password):
    """Returns the partnership and its sign-ins, (email, role) in the data module's order."""
    partnership = upsert(Partnership, {"slug": data.PARTNERSHIP["slug"]},
                         {k: v for k, v in data.PARTNERSHIP.items() if k != "slug"})
    for old, new in getattr(data, "RENAMED", {}).items():
        organisation = Organisation.objects.filter(name=old).first()
        if organisation and not Organisation.objects.filter(name=new).exists():
            organisation.name = new
            audit.update(organisation, by=None)
    organisations = {}
    for name, sector, kind in data.ORGANISATIONS:
        organisations[name] = upsert(Organisation, {"name": name}, {"sector": sector})
        upsert(m.PartnerAgency, {"partnership": partnership, "organisation": organisations[name]},
               {"kind": kind, "archived_at": None})
    for name, sector in getattr(data, "ILLUSTRATIVE_AGENCIES", []):  # organisations, not on the register
        organisations[name] = upsert(Organisation, {"name": name}, {"sector": sector})

    subgroups = {}
    for values in getattr(data, "SUBGROUPS", []):
        values = dict(values)
        subgroups[values["short_name"]] = upsert(m.Subgroup, {"partnership": partnership, "name": values.pop("name")},
                                                 values)

    for order, (organisation, post) in enumerate(data.MEMBERS, start=1):
        upsert(m.BoardMember, {"partnership": partnership, "post": post, "organisation": organisations[organisation]},
               {"order": order})

    for term in getattr(data, "CHAIR_TERMS", []):
        term = dict(term)
        organisation = organisations[term.pop("organisation")] if term["organisation"] else None
        term.pop("organisation", None)
        upsert(m.ChairTerm, {"partnership": partnership, "starts_on": term.pop("starts_on")},
               {**term, "organisation": organisation})

    priorities = {}
    for values in getattr(data, "PRIORITIES", []):
        values = dict(values)
        title = values.pop("title")
        priorities[title] = upsert(
            m.Priority, {"partnership": partnership, "title": title},
            {**values, "starts_on": data.PRIORITIES_AGREED, "ends_on": data.PRIORITIES_END})
    for title, quarter, focus in getattr(data, "QUARTERLY_FOCUS", []):
        upsert(m.QuarterlyFocus, {"partnership": partnership, "quarter_starts_on": quarter},
               {"priority": priorities[title], "focus": focus})

    for organisation, label, year, amount in getattr(data, "CONTRIBUTIONS", []):
        upsert(m.Contribution, {"partnership": partnership, "organisation": organisations[organisation],
                                "financial_year": year}, {"label": label, "amount": amount})

    meetings = {}
    for values in getattr(data, "MEETINGS", []):
        values = dict(values)
        decisions = values.pop("decisions")
        subgroup = subgroups[values.pop("subgroup")] if values["subgroup"] else None
        values.pop("subgroup", None)
        meeting = upsert(m.Meeting, {"partnership": partnership, "held_on": values.pop("held_on"),
                                     "title": values.pop("title")}, {**values, "subgroup": subgroup})
        meetings[meeting.held_on] = meeting
        for text in decisions:
            upsert(m.Decision, {"partnership": partnership, "meeting": meeting, "text": text}, {})

    for values in getattr(data, "ACTIONS", []):
        values = dict(values)
        organisation = organisations[values.pop("organisation")] if values["organisation"] else None
        values.pop("organisation", None)
        meeting = meetings.get(values.pop("meeting"))
        upsert(MeetingAction, {"partnership": partnership, "description": values.pop("description")},
               {**values, "owner_organisation": organisation, "meeting": meeting})

    from safeguarding.indicators.models import FactorGroup

    for order, (name, factors) in enumerate(getattr(data, "FACTOR_GROUPS", []), start=1):
        upsert(FactorGroup, {"partnership": partnership, "name": name}, {"factors": factors, "order": order})

    sign_ins = []
    for email, name, job_title, organisation, role in data.USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, full_name=name, job_title=job_title,
                                            organisation=organisations[organisation])
        else:
            user.set_password(password)
            user.full_name, user.job_title, user.organisation = name, job_title, organisations[organisation]
            user.is_active = True
            user.save()
        Membership.objects.get_or_create(user=user, partnership=partnership, role=role)
        sign_ins.append((email, role))
    return partnership, sign_ins
