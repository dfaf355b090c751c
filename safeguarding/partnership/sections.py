"""The sections of the partnership register, described once: what each lists, how it is edited.

The register's views and its access tests are generated from this list, so a new
section gets list, detail, add, edit, archive, restore and CSV export in one place.
"""
from dataclasses import dataclass, field

from safeguarding.actions.models import MeetingAction
from safeguarding.core.formats import format_date, format_money
from safeguarding.indicators.models import FactorGroup
from safeguarding.partnership import forms, models as m


@dataclass(frozen=True)
class Column:
    heading: str
    value: object  # attribute name or function of the record
    numeric: bool = False

    def of(self, record):
        value = self.value(record) if callable(self.value) else getattr(record, self.value)
        if hasattr(value, "isoformat"):
            return format_date(value)
        return "" if value is None else value


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    singular: str
    model: type
    form_class: type
    columns: list
    intro: str = ""
    manage_permission: str = "partnership.manage_register"
    list_template: str = "partnership/section_list.html"
    related: list = field(default_factory=list)

    def queryset(self, partnership):
        return self.model.objects.for_partnership(partnership)


def _choice(name):
    return lambda record: getattr(record, f"get_{name}_display")()


SECTIONS = [
    Section(
        "partners", "Partner agencies", "partner agency", m.PartnerAgency, forms.PartnerAgencyForm,
        [Column("Organisation", "organisation"), Column("Sector", lambda r: r.organisation.get_sector_display()),
         Column("Part in the partnership", _choice("kind"))],
        intro="The statutory safeguarding partners (local authority, police and health) and the relevant agencies.",
    ),
    Section(
        "members", "Members", "member", m.BoardMember, forms.BoardMemberForm,
        [Column("Job title", "post"), Column("Name", "name"), Column("Organisation", "organisation"),
         Column("Column in the membership table", "membership_column")],
        intro="The people who sit on the partnership, by post, as the yearly report lists them.",
        list_template="partnership/members.html",
    ),
    Section(
        "subgroups", "Subgroups", "subgroup", m.Subgroup, forms.SubgroupForm,
        [Column("Subgroup", "name"), Column("Chair", "chair"), Column("Joint with", "joint_with"),
         Column("Status", _choice("status"))],
    ),
    Section(
        "chairs", "Chair arrangements", "chair arrangement", m.ChairTerm, forms.ChairTermForm,
        [Column("Arrangement", _choice("arrangement")), Column("Chair", "holder"),
         Column("Partner holding the chair", "organisation"), Column("Starts", "starts_on"),
         Column("Ends", "ends_on")],
        intro="Who chairs the partnership over time: an independent chair, or a chair rotating between the "
              "council, health and police on a schedule.",
    ),
    Section(
        "meetings", "Meetings", "meeting", m.Meeting, forms.MeetingForm,
        [Column("Meeting", "title"), Column("Date", "held_on"), Column("Subgroup", "subgroup")],
        related=["decisions", "actions"],
    ),
    Section(
        "decisions", "Decisions", "decision", m.Decision, forms.DecisionForm,
        [Column("Decision", "text"), Column("Meeting", "meeting")],
    ),
    Section(
        "actions", "Meeting actions", "meeting action", MeetingAction, forms.MeetingActionForm,
        [Column("Action", "description"), Column("Owner", "owner"), Column("Due", "due_on"),
         Column("Status", lambda r: "Overdue" if r.is_overdue else r.get_status_display())],
        manage_permission="partnership.update_actions",
        list_template="partnership/actions.html",
    ),
    Section(
        "priorities", "Priorities and themes", "priority or theme", m.Priority, forms.PriorityForm,
        [Column("Priority or theme", "title"), Column("Kind", _choice("kind")), Column("Joint with", "joint_with"),
         Column("Agreed", "starts_on"), Column("Runs until", "ends_on")],
    ),
    Section(
        "quarterly-focus", "Quarterly focus", "quarterly focus", m.QuarterlyFocus, forms.QuarterlyFocusForm,
        [Column("Quarter", "quarter"), Column("Priority", "priority"), Column("Focus", "focus")],
        intro="All priorities run through the year; each quarter concentrates on one.",
    ),
    Section(
        "factor-groups", "Priorities in the figures", "group of assessment factors", FactorGroup,
        forms.FactorGroupForm,
        [Column("Priority", "name"), Column("Assessment factors", lambda r: ", ".join(r.factors))],
        intro="Which assessment factors the dashboard counts under each priority. Figures follow the next "
              "import of a return.",
    ),
    Section(
        "contributions", "Financial contributions", "contribution", m.Contribution, forms.ContributionForm,
        [Column("Year", "year_label"), Column("Contributor", "contributor"),
         Column("Amount", lambda r: format_money(r.amount), numeric=True)],
        list_template="partnership/contributions.html",
    ),
]
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


def archivables():
    """Each section's records, archived and restored through core's pages (core/archiving.py) by whoever manages
    the section; an archived record keeps its page, which offers Restore."""
    from safeguarding.core import archiving

    return [archiving.Archivable(f"register-{section.slug}", section.model, section.singular, "Partnership register",
                                 section.manage_permission,
                                 archiving.to_page("partnership:section", {"section": section.slug}),
                                 restored=archiving.to_page("partnership:record", {"section": section.slug}, pk="pk"))
            for section in SECTIONS]
