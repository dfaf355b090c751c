"""The demo partnership's 2020-21 yearly report, as a draft: the narrative is our own summary of what the
reference report covers (its figures come from the system, not from this text), the local context figures
are the ones it quotes, and the figures beyond the table are asked of the indicator engine."""
import datetime

from safeguarding.accounts.models import Partnership, User
from safeguarding.accounts.roles import Role

from . import services
from .assemble import generated_narrative
from .models import ReportFigure, YearlyReport

YEAR = 2021
SOURCE = "SSCP yearly report 2020-21"

CONTEXT = [
    ("Children and young people aged 0 to 19", "70,800", f"{SOURCE} (ONS mid-year estimate)"),
    ("Children under 16 living in poverty", "23.2% (12,355)", f"{SOURCE} (HMRC children in low-income families)"),
    ("School children from minority ethnic groups", "78.7%", f"{SOURCE} (school census)"),
]

TEXTS = {
    "foreword": (
        "This report looks back on a year shaped by the pandemic. Partners kept working together on the cases "
        "that needed them most, moved most of their meetings online and watched closely for the harm that "
        "lockdowns could hide.\n\n"
        "It also records a change in how the partnership is led: from an independent chair to a chair that "
        "rotates between the council, health and the police, with independent scrutiny kept alongside."),
    "local-context": (
        "The borough is young, diverse and unequal: a large share of its children are growing up in poverty, and "
        "most of its school children come from minority ethnic groups. These facts frame every figure that "
        "follows."),
    "partnership": (
        "The three statutory partners share responsibility for the arrangements, with schools, probation, the "
        "fire brigade and the voluntary sector as relevant agencies. The subgroups carry the detailed work; two "
        "new subgroups, on violence against women and girls and on adolescents at risk, were being set up.\n\n"
        "Independent scrutiny continued through the independent scrutineer and the council's scrutiny "
        "commission, which asked for four years of figures rather than two and for clearer evidence of impact."),
    "section-11": (
        "Agencies completed their Section 11 self-assessments in the London format during the year; the "
        "quality and effectiveness subgroup reviewed and challenged the returns."),
    "finance": (
        "The partnership is funded by its statutory partners, with a contribution from the fire brigade. The "
        "table gives each contribution for the year."),
    "priorities": (
        "Partners chose four priorities after a survey of professionals: domestic abuse (shared with the "
        "adults' board), extra-familial harm, mental health, and neglect and adverse childhood experiences. "
        "COVID-19 and racial equality run across all of them, and each quarter concentrates on one priority."),
    "case-reviews": (
        "Two serious incidents met the criteria for a local child safeguarding practice review. One will not be "
        "published because the cause of death would identify the child; the other waits for criminal "
        "proceedings to finish. Learning from both is already being acted on."),
    "looking-ahead": (
        "Private fostering needs better identification and notification, and the scrutiny commission asked for "
        "clearer evidence of impact. The coming year concentrates on both, alongside the four priorities."),
    "contact": "Southwark Safeguarding Children Partnership business unit, 160 Tooley Street, London SE1 2QH.",
}


def load(partnership=None):
    """Create the demo's 2020-21 report once (idempotent); returns it, or None without the demo."""
    partnership = partnership or Partnership.objects.filter(slug="southwark").first()
    if partnership is None:
        return None
    existing = YearlyReport.objects.for_partnership(partnership).filter(year=YEAR).first()
    if existing is not None:
        return existing
    admin = User.objects.filter(memberships__partnership=partnership, memberships__role=Role.ADMIN).first()
    report = services.create_report(partnership=partnership, year=YEAR, comparators="as-published", by=admin)
    for label, value, source in CONTEXT:
        services.add_context_figure(report=report, label=label, value=value, source=source, by=admin)
    services.compute_figure(report=report, kind=ReportFigure.Kind.ON_DAY, indicator="cpp_open",
                            ends_on=datetime.date(2021, 12, 31), by=admin)
    efh = next((name for name in partnership_groups(partnership) if "extra-familial" in name.lower()), None)
    if efh:
        services.compute_figure(report=report, kind=ReportFigure.Kind.CO_OCCURRENCE, factor_group=efh,
                                starts_on=datetime.date(2017, 4, 1), ends_on=datetime.date(2020, 3, 18), by=admin)
    texts = dict(TEXTS, accountability=generated_narrative(report), lado=generated_narrative(report, "lado"))
    for section, text in texts.items():
        services.save_text(report=report, section=section, text=text, by=admin)
    return report


def partnership_groups(partnership):
    from safeguarding.indicators.models import FactorGroup

    return FactorGroup.objects.for_partnership(partnership).active().values_list("name", flat=True)
