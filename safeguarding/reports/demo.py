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
        "This is the partnership's second yearly report. It covers 1 April 2020 to 31 March 2021, a year the "
        "COVID-19 pandemic dominated. Even so, the everyday work of keeping children safe and well stayed at the "
        "centre of what partners did: the council, the police and health, as the three safeguarding partners, "
        "led a joint response to new pressures while essential services carried on.\n\n"
        "As independent chair I saw partners share information promptly, agree priorities and act on them, and "
        "the safeguarding partners kept a clear view of the children most at risk throughout the year. Working "
        "together closely proved its worth, and it will matter as much in the recovery. The report shows the "
        "progress made and the challenges we carry into 2021-22.\n\n"
        "My thanks go to the business unit, the Cabinet's elected members, the partnership's members and every "
        "member of staff who does this demanding work.\n\n"
        "Anna Berry, Independent Chair, Southwark Safeguarding Children Partnership"),
    "local-context": (
        "Southwark is among the 20% most deprived districts and unitary authorities in England. Its population "
        "moves more than almost anywhere in the country: between 2016 and 2017 about 29,300 people moved in from "
        "elsewhere in the UK and 32,000 residents moved out. 2.6% of school pupils have social, emotional and "
        "mental health needs, and the population is expected to grow by almost 20% by 2030.\n\n"
        "Sources: the Southwark joint strategic needs assessment, the Office for National Statistics and the "
        "index of multiple deprivation."),
    "partnership": (
        "Our vision is that every child in Southwark is safe and protected from harm, and that by working together "
        "through good services we help children and young people reach their potential. The partnership's first "
        "aim is to be assured that local arrangements and partners act to help and protect children. It holds "
        "agencies to account so that everyone working with children knows what to do when they are worried; so "
        "that concerns are acted on quickly and the right help comes at the right time, from early help to "
        "emergency action; and so that services for children are safe and their quality and impact are "
        "checked.\n\n"
        "Four questions guide its work: is the help effective, and how do we know; do all agencies meet their "
        "duties under Working Together 2018; do they quality assure their practice and learn from it; and is "
        "training monitored, evaluated and seen to change practice?\n\n"
        "The current arrangements began in June 2019, after Sir Alan Wood's review of local safeguarding "
        "arrangements. In December 2020 the partnership started a review of how well they work, led by the "
        "independent chair with all partners, which will add subgroups on violence against women and girls and "
        "on adolescents at risk; it reports in 2021-22. Since this year a quarterly newsletter, shared with the "
        "adults' board, carries key messages to members, subgroups and the wider community and voluntary "
        "sector.\n\n"
        "The practice review subgroup revised its terms of reference for the new statutory guidance. It decides "
        "which cases meet the criteria for a review, finds learning in those below the threshold, looks for themes "
        "and trends across local referrals and national reviews, follows the learning into practice, and reviews "
        "the Youth Offending Service's community safety and public protection incident reports."),
    "section-11": (
        "Agencies complete the London Safeguarding Children Partnership's Section 11 audit tool every year. In "
        "2020-21 the returns named COVID-19 as a theme: capacity and staff resilience were under strain, and "
        "agencies answered with more safeguarding supervision. Virtual appointments in the first lockdown were "
        "less good than face-to-face ones at spotting risk, but joint working improved during the pandemic, and "
        "meeting virtually helped partners attend. Children's mental health and extra-familial harm came through "
        "as themes, in line with the partnership's priorities for the coming year."),
    "finance": (
        "The partnership is funded by its statutory partners, with a contribution from the fire brigade. The "
        "table gives each contribution for the year."),
    "priorities": (
        "Partners chose four priorities after a survey of professionals: domestic abuse (shared with the "
        "adults' board), extra-familial harm, mental health, and neglect and adverse childhood experiences. "
        "COVID-19 and racial equality run across all of them, and each quarter concentrates on one priority."),
    "case-reviews": (
        "In 2020-21 the partnership completed reviews into the deaths of two Southwark children. Both looked "
        "closely at health services and how their systems worked together. One report will not be published, "
        "as agreed with the national Panel, because the cause of death would identify the child; the other waits "
        "for criminal proceedings to end. Neither is public, but their learning has been shared across the "
        "partnership, and the action plans on their recommendations are followed up regularly."),
    "looking-ahead": (
        "The priorities of 2020-21 stay the focus in 2021-22. An end-of-year review asked partners where the "
        "partnership should grow stronger: the word cloud of their answers points to engaging young people and "
        "families and hearing the voice of the child, which the partnership will work on in 2021-22.\n\n"
        "Partners also asked for more review of the impact of partnership work: the quality and effectiveness "
        "subgroup will carry out more thematic reviews of the priorities, and the practice development and "
        "learning subgroup will evaluate how learning changes frontline practice."),
    "contact": (
        "Questions about this report, or ideas for the next one: sscp@southwark.gov.uk.\n\n"
        "Worried about a child in Southwark? Tell the multi-agency safeguarding hub straight away: "
        "MASH@southwark.gov.uk. If the child is injured, get advice from their GP or, in an emergency, call 999. "
        "If you think a crime has been committed, tell the police."),
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
