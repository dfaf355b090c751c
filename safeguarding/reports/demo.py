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

# The reference's infographics, as key figures.
CONTEXT = [
    ("Children and young people aged 0 to 19", "70,800", f"{SOURCE} (ONS mid-year estimate)"),
    ("Children under 16 living in poverty", "23.2% (12,355)", f"{SOURCE} (HMRC children in low-income families)"),
    ("School children from minority ethnic groups", "78.7%", f"{SOURCE} (school census)"),
    ("Among the most deprived districts and unitary authorities in England", "20%",
     f"{SOURCE} (index of multiple deprivation)"),
    ("People who moved in from elsewhere in the UK, and residents who moved out, 2016 to 2017", "29,300 and 32,000",
     f"{SOURCE} (ONS)"),
    ("School pupils with social, emotional and mental health needs", "2.6%",
     f"{SOURCE} (joint strategic needs assessment)"),
    ("Expected growth of the population by 2030", "almost 20%", f"{SOURCE} (joint strategic needs assessment)"),
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
        "Partners are confident that safeguarding is central to what the statutory and voluntary services in "
        "Southwark do. The partnership keeps an open dialogue with every one of them and works with them for "
        "outcomes built around each child and young person.\n\n"
        "The current arrangements began in June 2019, after Sir Alan Wood's review of local safeguarding "
        "arrangements. In December 2020 the partnership started a review of how well they work, led by the "
        "independent chair with all partners, which will add subgroups on violence against women and girls and "
        "on adolescents at risk; it reports in 2021-22. Since this year a quarterly newsletter, shared with the "
        "adults' board, carries key messages to members, subgroups and the wider community and voluntary "
        "sector; past issues can be read on the partnership's website.\n\n"
        "The practice development and learning subgroup, shared with the adults' board, has long counted how many "
        "people take up training, but what matters is whether practice changes. Late in the year it reviewed its "
        "model, and from 2021-22 it moves to an approach in which learning is embedded in everyday safeguarding "
        "practice across every agency.\n\n"
        "The practice review subgroup revised its terms of reference for the new statutory guidance. It decides "
        "which cases meet the criteria for a review, finds learning in those below the threshold, looks for themes "
        "and trends across local referrals and national reviews, follows the learning into practice, and reviews "
        "the Youth Offending Service's community safety and public protection incident reports. In the year it "
        "looked at two cases, and found that both met the criteria for a review (they are described in the case "
        "reviews section).\n\n"
        "For the quality and effectiveness subgroup, the main piece of work in the year was bringing the "
        "partnership's escalation policy up to date. It has also begun to review the performance dashboard so that "
        "it follows the priorities the partners agreed."),
    "section-11": (
        "Section 11 of the Children Act 2004 requires organisations to carry out their functions with regard to "
        "the need to safeguard children and promote their welfare, and Working Together 2018 asks safeguarding "
        "children partnerships to check how their partner agencies meet that duty. Agencies complete the London Safeguarding Children Partnership's Section 11 audit tool every year. In "
        "2020-21 the returns named COVID-19 as a theme: capacity and staff resilience were under strain, and "
        "agencies answered with more safeguarding supervision. Virtual appointments in the first lockdown were "
        "less good than face-to-face ones at spotting risk, but joint working improved during the pandemic, and "
        "meeting virtually helped partners attend. Children's mental health and extra-familial harm came through "
        "as themes, in line with the partnership's priorities for the coming year. The self-assessments also "
        "showed that key partners should keep improving how key messages reach frontline staff, and should build "
        "closer links with the voluntary and community sector."),
    "finance": (
        "The partnership is funded by its statutory partners, with a contribution from the fire brigade; partners "
        "also give support in kind. The table gives each contribution for the year."),
    "priorities": (
        "Early in 2020-21 the partnership asked its partners what it should concentrate on, in a survey shared "
        "widely, with its Young Advisors among others. Even at the height of the pandemic 136 people answered, most "
        "of them front-line staff. From their answers and discussion at partnership meetings, four priorities were "
        "agreed: domestic abuse (joint with the adults' board), complex safeguarding and extra-familial harm, "
        "mental health, and childhood trauma and adverse childhood experiences (neglect/ACEs). Two cross-cutting "
        "themes run through all four: COVID-19 and Black Lives Matter / Southwark Stands Together. One respondent "
        "wanted Black Lives Matter to be integral to every priority rather than treated as a side issue; another "
        "hoped that Black Lives Matter / Southwark Stands Together would shape all of the partnership's planning. "
        "The pandemic delayed the decision until September 2020; the priorities hold until March 2022, and while "
        "all four are worked on throughout, each quarter gives one of them particular attention.\n\n"
        "Domestic abuse. A respondent argued that lockdowns, and the prospect of further local ones, made domestic "
        "abuse a pressing focus: more families would be hurt, and more badly, as stress mounted and isolation "
        "became part of everyday life. Because domestic abuse is bound up with so many other difficulties, partners "
        "chose where to concentrate: acting earlier to prevent harm; making sure teenage victims are found and "
        "supported; and taking account of language barriers and cultural assumptions. A task and finish group set "
        "up in the year started with a data collection exercise, and a half-day event in 2021-22 will take a deep "
        "dive into case studies put forward by partner agencies.\n\n"
        "Extra-familial harm. To one respondent, criminal and sexual exploitation were the most urgent "
        "safeguarding issues Southwark had to tackle. At the end of 2020-21 the pan-London Child Exploitation "
        "Protocol came out: a multi-agency document that the police and the local safeguarding partnerships own "
        "together. It aims to identify children at risk of exploitation and keep them safe; to bring every "
        "partnership to one standard way of working together against exploitation; to offer early intervention so "
        "that fewer children become victims; and to give front-line responders the right disruption tools. In the "
        "year the multi-agency child exploitation (MACE) arrangements were reviewed and strengthened and now cover "
        "every kind of exploitative behaviour, and a detailed problem profile showed how far particular risk "
        "factors reach, so that help can be better targeted. In 2021-22 a task and finish group will write an "
        "extra-familial harm strategy, draw up a continuum of need matrix for its risk factors and exploitation "
        "concerns, and add extra-familial harm as a category to the existing threshold document.\n\n"
        "Mental health. A respondent saw children's mental health difficulties growing during COVID-19, which "
        "added to parental stress and anxiety, and warned of the long-term harm such difficulties do to "
        "relationships, education and economic prospects. In 2020-21 partners set out the priority's first themes: "
        "children's mental wellbeing is closely tied to the cross-cutting themes of Black Lives Matter and COVID; "
        "emotional wellbeing needs promoting in schools and colleges; children's mental health cannot be separated "
        "from adult mental health and domestic abuse; health inequalities and early awareness of risk; and closer "
        "connections between children and young people, parents and communities. Children's mental health and "
        "wellbeing will be a particular focus in 2021-22, and that year's report will say more about it.\n\n"
        "Neglect and adverse childhood experiences. For one respondent, ACEs are insidious and pervasive and matter "
        "enormously to how children develop, so resources aimed at them would reach many other problems too. "
        "Partners have noted how closely neglect and ACEs are linked with the other priorities. With the "
        "priorities agreed only in September 2020, the partnership could not give this one a focus of its own in "
        "2020-21. Neglect and ACEs run through domestic abuse, children's mental health and extra-familial harm, "
        "though, and the partnership is assured that partners' everyday services keep identifying, assessing and "
        "addressing neglect. In 2021-22 more in-depth scrutiny will test how effective partners' work with "
        "children, young people and families is."),
    "case-reviews": (
        "Working Together 2018 requires the safeguarding partners to identify serious child safeguarding cases "
        "that raise issues of importance for their area, and to review them. A case is serious when abuse or "
        "neglect of a child is known or suspected and the child has died or been seriously harmed; serious harm "
        "includes, among other things, serious or long-term impairment of a child's mental health or of their "
        "intellectual, emotional, social or behavioural development, and impairment of their physical health. "
        "Every child safeguarding practice review ends in a report, which the partnership puts on its website for "
        "at least 12 months unless there are overwhelming reasons not to publish it.\n\n"
        "In 2020-21 the partnership completed reviews into the deaths of two Southwark children. Both looked "
        "closely at health services and how their systems worked together. One report will not be published, "
        "as agreed with the National Panel, because the cause of death would identify the child; publication of "
        "the other is delayed until criminal proceedings are over. Although neither is public, their learning has "
        "been shared across the partnership, and action plans on their recommendations have been drawn up, "
        "taken forward and regularly monitored."),
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


# The partnership's own reading of the figures, after the sentences the system writes from them.
ACCOUNTABILITY_MORE = (
    "Referral rates went down across the country in 2020-21, in every comparator group: England, London and the "
    "statistical neighbours. Southwark's rate followed the national decrease but fell less, so it is now higher "
    "than all comparator groups; a year earlier it had been broadly in line with England and London and below "
    "the statistical neighbours' average. The share of referrals that were re-referrals (a new referral within "
    "12 months of the one before) went up for the second year in a row, but it stays close to similar "
    "authorities and below the England average.\n\n"
    "Child protection activity grew sharply. The number of S47 enquiries that started rose by 72.4%, taking the "
    "rate to 197 per 10,000 children, far above every comparator; in 2019-20 it had been 115, well under the "
    "averages for England (167), the statistical neighbours (164) and London (154). Partners are still working "
    "out why, among other things by reviewing threshold standards and through audit. Part of the rise is "
    "likely to reflect what COVID did to families in an inner London borough, and the early suspension of face "
    "to face work under the Department for Education's guidance, when the virus had to be held back without a "
    "vaccine. The rise carried through to initial child protection conferences (ICPCs, 55% more than in "
    "2019-20) and to new child protection plans (64.2% more).\n\n"
    "Southwark has had more children on plans than London and its statistical neighbours for several years, "
    "and in 2020-21 the gap widened: 60 per 10,000 children against their average of 36 per 10,000. Matching "
    "that average would mean around 240 children on plans. The number has come down since the year ended.\n\n"
    "The looked after population has been more stable. The rate fell by 2%, from 70 to 68 per 10,000, still "
    "above the comparators, with fewer children starting to be looked after (-18.6%) and fewer ceasing "
    "(-19.8%). The rise in safeguarding activity, in other words, has not brought major changes to the number "
    "of children looked after.")

LADO_MORE = (
    "The LADO's duties are set by chapter 2 of Working Together, chapter 7 of the London Child Protection "
    "Procedures, and Keeping Children Safe in Education. The fall in referrals is most likely the result of "
    "schools and other settings, nurseries and colleges among them, closing when COVID-19 arrived. Consultations "
    "followed the same pattern as referrals: education staff and foster carers were the subject of the largest "
    "share.\n\n"
    "In 2021-22 the LADO will rebuild the function's presence in key partner agencies through training and "
    "events, and reach further into third sector agencies and independent organisations, faith groups among "
    "them. From 2021-22 consultations will also be recorded on the children's social care database: until now "
    "only referrals went onto Mosaic, although many consultations fall below the threshold for a referral and "
    "still need to be captured.\n\n"
    "Southwark's LADO continues to host and chair the quarterly London LADO meeting, and contributed to the "
    "revised London Child Protection Procedures.")


def load(partnership=None):
    """Create the demo's 2020-21 report once (idempotent); returns it, or None without the demo."""
    partnership = partnership or Partnership.objects.filter(slug="southwark").first()
    if partnership is None:
        return None
    report, admin, new = begin(partnership, YEAR, "as-published")
    if not new:
        return report
    for label, value, source in CONTEXT:
        services.add_context_figure(report=report, label=label, value=value, source=source, by=admin)
    services.compute_figure(report=report, kind=ReportFigure.Kind.ON_DAY, indicator="cpp_open",
                            ends_on=datetime.date(2021, 12, 31), by=admin)
    efh = next((name for name in partnership_groups(partnership) if "extra-familial" in name.lower()), None)
    if efh:
        services.compute_figure(report=report, kind=ReportFigure.Kind.CO_OCCURRENCE, factor_group=efh,
                                starts_on=datetime.date(2017, 4, 1), ends_on=datetime.date(2020, 3, 18), by=admin)
    texts = dict(TEXTS, accountability=_after(generated_narrative(report), ACCOUNTABILITY_MORE),
                 lado=_after(generated_narrative(report, "lado"), LADO_MORE),
                 workforce=generated_narrative(report, "workforce"))
    for section, text in texts.items():
        services.save_text(report=report, section=section, text=text, by=admin)
    return report


def begin(partnership, year, comparators):
    """The demo's report of the year, the partnership's admin who begins it, and whether it is new: a report begun
    before is left as it is, so loading the demo again changes nothing."""
    admin = User.objects.filter(memberships__partnership=partnership, memberships__role=Role.ADMIN).first()
    existing = YearlyReport.objects.for_partnership(partnership).filter(year=year).first()
    if existing is not None:
        return existing, admin, False
    return services.create_report(partnership=partnership, year=year, comparators=comparators, by=admin), admin, True


def _after(generated, own):
    """The sentences written from the figures, then the partnership's own paragraphs."""
    return f"{generated}\n\n{own}" if generated else own


def partnership_groups(partnership):
    from safeguarding.indicators.models import FactorGroup

    return FactorGroup.objects.for_partnership(partnership).active().values_list("name", flat=True)
