"""Assemble a yearly report from the system's data: the register, the stored indicator values and
benchmarks, the figures worked out for the report, and the narrative the partnership wrote.

Everything published is treated as published: figures go through disclosure control (`core.disclosure`), so
counts of 1 to 5, and figures from which one could be worked out, are shown as c (docs/architecture.md, "Data rules").
"""
import datetime

from django.utils import timezone

from safeguarding.core.disclosure import SUPPRESSED, is_small, small_count
from safeguarding.dashboard import charts
from safeguarding.dashboard import selectors as dashboard
from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.narrative import sentences
from safeguarding.indicators.rounding import round_half_up
from safeguarding.indicators.table import SUBJECTS, headings, population_note, row_cells
from safeguarding.partnership import models as register
from safeguarding.partnership import selectors as register_selectors
from safeguarding.working_days import financial_year, financial_year_bounds, year_label

from . import disproportionality
from . import document as doc
from . import workforce
from .models import ReportFigure


def _date(day):
    return f"{day.day} {day:%B %Y}"


def assemble(report):
    texts = {t.section: t.text for t in report.texts.all()}
    sections = [doc.Section(key, title, text=texts.get(key, "")) for key, title in doc.SECTIONS]
    for key, title, after, setting in doc.OPTIONAL_SECTIONS:
        if getattr(report, setting):
            place = next(n for n, s in enumerate(sections) if s.key == after) + 1
            sections.insert(place, doc.Section(key, title, text=texts.get(key, "")))
    document = doc.Document(title=report.title, partnership=report.partnership.name, year_label=report.year_label,
                            sections=sections, status=report.get_status_display(),
                            period=period(report), dated=dated(report),
                            sign_offs=[(s.name, s.organisation.name, _date(s.signed_at.date()))
                                       for s in report.sign_offs.select_related("organisation")])
    table = core_table(report)
    builders = {"local-context": lambda: local_context(report, table), "partnership": lambda: partnership(report),
                "section-11": lambda: section_11(report),
                "accountability": lambda: accountability(report, table) + disproportionality.blocks(report),
                "lado": lambda: lado(report), "finance": lambda: finance(report), "priorities": lambda: priorities(report),
                "voice": lambda: voice(report), "case-reviews": lambda: case_reviews(report),
                "looking-ahead": lambda: looking_ahead(report), "workforce": lambda: workforce.blocks(report),
                "looking-ahead-demand": lambda: looking_ahead_demand(report)}
    for section in sections:
        if section.key in builders:
            section.blocks = builders[section.key]()
    document.missing = doc.missing_elements(document)
    return document


def period(report):
    """The report's year in days: "1 April 2020 to 31 March 2021"."""
    start, end = financial_year_bounds(report.year)
    return f"{_date(start)} to {_date(end)}"


def dated(report):
    """The cover's date: when it was published, else when it was last signed off, else today's draft."""
    if report.published_at:
        return f"Published {_date(timezone.localdate(report.published_at))}"
    signed = [s.signed_at for s in report.sign_offs.all()]
    if signed:
        return f"Signed off {_date(timezone.localdate(max(signed)))}"
    return f"{report.get_status_display()} of {_date(timezone.localdate())}"


def core_table(report):
    # The dashboard's table for the same year and comparators, from its cache (it is keyed by the data's version).
    table = dashboard.core_table(report.partnership.la_code, dashboard.Choice(report.year, report.comparators))
    return dashboard.suppressed_table(table) if table.rows else table


def generated_narrative(report, section="accountability"):
    """Sentences written from the figures, offered to the editor as a starting point: the indicator engine's
    for the accountability section, the LADO register's for the LADO section, the workforce's for the workforce
    section ("" for other sections)."""
    if section == "accountability":
        table = core_table(report)
        return "\n\n".join(s.text for s in sentences(table) if s.kind != "flag") if table.rows else ""
    if section == "workforce":
        return workforce.narrative(report)
    if section == "lado":
        from safeguarding.lado import figures as f
        from safeguarding.lado.models import LadoContact

        contacts = list(LadoContact.objects.for_partnership(report.partnership).active())
        if any(financial_year(c.received_on) == report.year for c in contacts):
            return f.paragraph(f.year_figures(contacts, report.year), suppress=True)  # the report is published
    return ""


# Local context ----------------------------------------------------------------------------------------

def local_context(report, table):
    items = [(f.label, f.value, f.source) for f in report.context_figures.all()]
    population = table.population.get(report.year) if table.rows else None
    if population:
        items.append(("Children aged 0 to 17, the population the rates in this report use", f"{population[0]:,}",
                      population[1]))
    if not items:
        return [doc.Notice("No local context figures have been entered for this report yet.")]
    return [doc.Facts("The local area in figures", items, panel=True)]


# The partnership --------------------------------------------------------------------------------------

def partnership(report):
    p = report.partnership
    blocks = []
    agencies = register.PartnerAgency.objects.for_partnership(p).active().select_related("organisation")
    statutory = [a.organisation.name for a in agencies if a.kind == register.PartnerAgency.Kind.STATUTORY]
    relevant = [a.organisation.name for a in agencies if a.kind != register.PartnerAgency.Kind.STATUTORY]
    year_end = datetime.date(report.year, 3, 31)
    # A report tells its own year: terms that began by the day after it ended (an arrangement agreed to start with
    # the next year is news the report gives), and an end date only if it fell within the year.
    chairs = register.ChairTerm.objects.for_partnership(p).active().filter(
        starts_on__lte=year_end + datetime.timedelta(days=1)).select_related("organisation")
    items = [("Statutory safeguarding partners", ", ".join(statutory) or "none recorded", ""),
             ("Relevant agencies and other members", ", ".join(relevant) or "none recorded", "")]
    blocks.append(doc.Facts("Who the partnership is", items))
    if chairs:
        blocks.append(doc.Table(
            "How the partnership has been chaired",
            [[("Chair", 1), ("Arrangement", 1), ("From", 1), ("Until", 1)]],
            [[term.holder + (f", {term.organisation.name}" if term.organisation else ""),
              term.get_arrangement_display(), _date(term.starts_on),
              _date(term.ends_on) if term.ends_on and term.ends_on <= year_end
              else ("continuing" if term.starts_on <= year_end else "")]
             for term in chairs], numeric=False))
    columns, rows = register_selectors.membership_table(p)
    if rows:
        blocks.append(doc.Table(
            "Membership of the partnership", [[(c, 1) for c in columns]],
            [[_member(m) for m in row] for row in rows], numeric=False))
    training = training_block(report)
    if training:
        blocks.append(training)
    subgroups = register.Subgroup.objects.for_partnership(p).active()
    if subgroups:
        blocks.append(doc.Table(
            "Subgroups", [[("Subgroup", 1), ("Chair", 1), ("Purpose", 1), ("Status", 1)]],
            [[str(s), s.chair + (f" (joint with {s.joint_with})" if s.joint_with else ""), s.purpose,
              s.get_status_display()] for s in subgroups], numeric=False))
    return blocks


def training_block(report):
    """Practice development and learning: the year's training and what its three-stage evaluation showed."""
    from safeguarding.registers.selectors import training_figures

    t = training_figures(report.partnership, report.year)
    if not t.sessions:
        return None
    items = [("Training sessions", f"{t.sessions:,} ({t.courses:,} courses)", "training register"),
             ("Places taken up", f"{t.attended:,}", "training register")]
    for name, scores in (("Confidence", t.confidence), ("Practice", t.practice)):
        if scores.before is not None:
            items.append((f"{name} (1 to 10): before, straight after, 6 to 8 weeks later",
                          f"{scores.before} → {scores.after} → {scores.follow_up}", "three-stage evaluation"))
    return doc.Facts(f"Training and its impact, {t.label}", items)


def _member(member):
    if member is None:
        return ""
    shown_with_organisation = member.organisation.sector not in ("local_authority", "elected", "police")
    return f"{member.post}, {member.organisation.name}" if shown_with_organisation else member.post


# Accountability ---------------------------------------------------------------------------------------

def accountability(report, table):
    if not table.rows:
        return [doc.Notice(f"No child-level returns for {report.year_label} have been imported yet, so the core "
                           "child protection figures cannot be shown.")]
    first, second = headings(table)
    head = [_spans(first), [(c, 1) for c in second]]
    notes = ["* Rates per 10,000 children aged 0 to 17 unless given as a percentage; “change” is the change in "
             "the number since the year before.", population_note(table)]
    notes += [f"{year_label(y)}: population {pop[0]:,} ({pop[1]})" for y, pop in sorted(table.population.items(),
                                                                                       reverse=True) if pop]
    notes += table.notes
    notes += [f"Note: {flag}" for flag in table.flags]
    blocks = [doc.Table(f"Core child protection activity, {table.la_name}, {year_label(table.year)}", head,
                        [row_cells(table, row) for row in table.rows], notes)]
    figures = report_figures(report, table, ReportFigure.Kind.ON_DAY)
    earlier = earlier_plans(report)
    if earlier:
        figures.append(earlier)
    for sentence in sentences(table):
        if sentence.kind == "what-if":
            figures.append((f"What it would take to match the comparators, {report.year_label}", sentence.text, ""))
    if figures:
        blocks.append(doc.Facts("Other figures in this section", figures))
    fostering = private_fostering_block(report)
    if fostering:
        blocks.append(fostering)
    choice = dashboard.Choice(report.year, report.comparators)
    for trend in dashboard.suppressed_trends(dashboard.trends(report.partnership.la_code, choice)):
        header = [[("Year", 1)] + [(name, 1) for name in trend.series]]
        summary = " ".join(part for part in (trend.summary(), trend.population_note) if part)
        blocks.append(doc.Chart(trend.title, summary, charts.svg(trend), (lambda t=trend: charts.png(t)),
                                doc.Table(f"{trend.title}: the figures", header,
                                          [[label] + cells for label, cells in trend.rows()],
                                          [n for n in (trend.population_note, trend.published_note()) if n])))
    return blocks


def private_fostering_block(report):
    from safeguarding.registers.selectors import private_fostering_figures

    from safeguarding.registers.fostering import disclosure, share_shown

    f = private_fostering_figures(report.partnership, report.year)
    if not (f.notifications or f.open_at_end or f.visits_made):
        return None
    found = disclosure(f, suppress=True)
    return doc.Facts(f"Private fostering, {f.label}", [
        ("Notifications", found.shown("notifications"), "private fostering register"),
        ("First visits within 7 working days",
         share_shown(found, ("first", "on time"), ("first", "due"), f.first_visits.percent), "private fostering register"),
        ("Later visits on time (6 weeks in the first year, 12 after)",
         share_shown(found, ("statutory", "on time"), ("statutory", "due"), f.statutory_visits.percent),
         "private fostering register"),
        ("Arrangements open on 31 March", found.shown("open"), "private fostering register")])


def _spans(first):
    """headings() gives each year of the authority as a heading and an empty cell: merge them."""
    spans = []
    for text in first:
        if text == "" and spans and spans[-1][0]:
            spans[-1] = (spans[-1][0], spans[-1][1] + 1)
        else:
            spans.append((text, 1))
    return spans


def report_figures(report, table, kind):
    """The figures of one kind asked of the engine for the report: plans open on a day go with the core
    table; co-occurrence of assessment factors goes with the priorities."""
    population = table.population.get(report.year) if table is not None and table.rows else None
    items = []
    for figure in report.figures.filter(kind=kind):
        if figure.kind == ReportFigure.Kind.ON_DAY:
            subject = SUBJECTS.get(figure.indicator, d.BY_CODE[figure.indicator].title)
            value = f"{figure.count:,}"
            source = "counted from the child-level returns"
            pop = figure.population or (population[0] if population else None)
            if pop and d.BY_CODE[figure.indicator].rate:
                rate = round_half_up(figure.count * 10000 / pop, 1)
                value += f" ({rate} per 10,000 children)"
                source += f"; population {pop:,} ({figure.population_vintage or population[1]})"
            items.append((f"{subject[0].upper()}{subject[1:]} on {_date(figure.ends_on)}",
                          SUPPRESSED if is_small(figure.count) else value, source))
        else:
            share = round_half_up(figure.of_which * 100 / figure.count, 0) if figure.count else None
            period = f"{_date(figure.starts_on)} to {_date(figure.ends_on)}"
            items.append((f"Children whose assessments found {figure.factor_group.lower()}, {period}",
                          small_count(figure.count), "counted from the child-level returns"))
            if share is not None and not is_small(figure.count):
                items.append(("Of them, with a further vulnerability (neglect, domestic abuse, drug or alcohol "
                              f"misuse, mental health), {period}",
                              SUPPRESSED if is_small(figure.of_which) else f"{figure.of_which:,} ({share}%)",
                              "counted from the child-level returns"))
    return items


def earlier_plans(report):
    """Second or subsequent plans in the year before, against the comparators (the reference report quotes
    the previous year's figure because the current one was not yet published for the comparators)."""
    before = dashboard.suppressed_table(dashboard.core_table(
        report.partnership.la_code, dashboard.Choice(report.year - 1, report.comparators), extra_rows=True))
    row = next((r for r in before.rows if r.code == "cpp_second_or_subsequent"), None)
    if row is None or row.now.rate.value is None:
        return None
    compared = ", ".join(f"{heading} {row.comparators[key].shown}" for key, heading in before.groups
                         if row.comparators.get(key) and row.comparators[key].shown)
    return (f"Second or subsequent child protection plans, {year_label(report.year - 1)}",
            row.now.rate.shown + (f" ({compared})" if compared else ""),
            "computed from the returns; comparators " + ", ".join(
                sorted({row.comparators[k].source for k, _ in before.groups if row.comparators.get(k)
                        and row.comparators[k].shown})))


# Finance ----------------------------------------------------------------------------------------------

def finance(report):
    year = next((y for y in register_selectors.contributions_by_year(report.partnership)
                 if y["year"] == report.year - 1), None)
    if year is None:
        return [doc.Notice(f"No contributions are recorded for {report.year_label} yet.")]
    body = [[row.contributor, f"£{row.amount:,.2f}", row.in_kind] for row in year["rows"]]
    body.append(["Total", f"£{year['total']:,.2f}", ""])
    return [doc.Table(f"Contributions from the partners, {year['label']}",
                      [[("Partner", 1), ("Contribution", 1), ("Support in kind", 1)]], body)]


# Priorities -------------------------------------------------------------------------------------------

def priorities(report):
    p = report.partnership
    blocks = []
    found = register.Priority.objects.for_partnership(p).active()
    if found:
        blocks.append(doc.Table("The partnership's priorities and cross-cutting themes",
                                [[("Priority", 1), ("Kind", 1), ("Shared with", 1), ("What it covers", 1)]],
                                [[x.title, x.get_kind_display(), x.joint_with, x.description] for x in found],
                                numeric=False))
    start, end = datetime.date(report.year - 1, 4, 1), datetime.date(report.year, 3, 31)
    focus = register.QuarterlyFocus.objects.for_partnership(p).active().filter(
        quarter_starts_on__range=(start, end)).select_related("priority")
    if focus:
        blocks.append(doc.Table("Quarterly focus", [[("Quarter", 1), ("Priority", 1), ("Focus", 1)]],
                                [[f.quarter, f.priority.title, f.focus] for f in focus], numeric=False))
    from safeguarding.registers.selectors import survey_figures

    chosen_by = [f for f in survey_figures(report.partnership, report.year) if "priorit" in f.title.lower()]
    for survey in chosen_by:
        blocks.append(doc.Facts(f"How the priorities were chosen{_survey_period(survey)}", [
            (f"Responses to “{survey.title}”", f"{survey.responses:,}", survey.audience)]
            + [(f"Responses from: {label.lower()}", f"{n:,}", "") for label, n in survey.by_role]))
    figures = report_figures(report, None, ReportFigure.Kind.CO_OCCURRENCE)
    if figures:
        blocks.append(doc.Facts("What assessments show about the priorities", figures))
    panels = dashboard.panels(p, report.year, scrutineer=True)
    if panels["priorities"]:
        header = [[("Priority", 1)] + [(label, 1) for label in panels["year_labels"]]]
        blocks.append(doc.Table(
            "Completed assessments that found factors under each priority (number and share)", header,
            [[row["name"]] + [_cell(c) for c in row["cells"]] for row in panels["priorities"]]))
    if panels["sources"]:
        blocks.append(doc.Table(
            f"Referrals by source, {panels['year_label']}", [[("Source", 1), ("Referrals", 1), ("Share", 1)]],
            [[s["label"], s["cell"].shown, s["cell"].percent_shown] for s in panels["sources"]]))
    if panels["findings"]:
        blocks.append(referral_findings(panels))
    if not blocks:
        blocks.append(doc.Notice("No priorities are recorded in the partnership register yet."))
    return blocks


def referral_findings(panels):
    """Per source, the year's referrals, those with a completed assessment and those whose assessment found domestic
    abuse (the scrutiny commission heard that domestic abuse is behind most of the police's referrals)."""
    return doc.Table(
        f"Referrals by source and what assessments found, {panels['year_label']}",
        [[("Source", 1), ("Referrals", 1), ("Completed assessments", 1), ("Found domestic abuse", 1),
          ("Share of those assessed", 1)]],
        [[f["label"], f["cell"].shown, f["assessed"].shown, f["domestic_abuse"].shown,
          f["domestic_abuse"].percent_shown] for f in panels["findings"]])


def _survey_period(survey):
    """When a survey was open, so its figures name their period (", open 1 May 2020 to 30 June 2020")."""
    if survey.opens_on is None:
        return ""
    return f", open {_date(survey.opens_on)}" + (f" to {_date(survey.closes_on)}" if survey.closes_on else "")


def _cell(cell):
    return f"{cell.shown} ({cell.percent_shown})" if cell.percent_shown else cell.shown


# What later parts of the system will fill --------------------------------------------------------------

def section_11(report):
    """Section 11 returns and their moderated ratings, multi-agency audits and their learning, escalations:
    the assurance the Quality and Effectiveness subgroup gathered in the year."""
    from safeguarding.audits.selectors import audit_learning, escalation_figures, section_11_figures

    # Counts of agencies, returns and escalations are not about children: shown as they are. The cases a
    # multi-agency audit sampled are children's, so 1 to 5 is c.
    shown = "{:,}".format
    blocks = []
    found = section_11_figures(report.partnership, report.year)
    if found.expected:
        items = [("Agencies asked for a Section 11 return", shown(found.expected), ", ".join(found.cycles)),
                 ("Returns submitted", f"{shown(found.submitted)} ({shown(found.late)} after the due date)", ""),
                 ("Returns moderated by the partnership", shown(found.moderated), "")]
        if found.overdue:
            items.append(("Returns still outstanding", ", ".join(found.overdue), ""))
        if found.themes:
            items.append(("Themes across the returns", "; ".join(f"{theme} ({shown(n)})" for theme, n in found.themes),
                          "moderation"))
        blocks.append(doc.Facts(f"Section 11 self-assessment, {found.label}", items))
        blocks.append(doc.Table(
            f"Agencies by moderated rating on each standard, {found.label}",
            [[("Standard", 1)] + [(label, 1) for label in found.scale] + [("Not yet moderated", 1)]],
            [[f"{s.number}. {s.title}"] + [shown(s.by_moderated_rating.get(label, 0)) for label in found.scale]
             + [shown(s.not_moderated)] for s in found.standards]))
    else:
        blocks.append(doc.Notice(f"No Section 11 audit cycle is recorded for {report.year_label}."))
    audits = audit_learning(report.partnership, report.year)
    if audits:
        blocks.append(doc.Table(
            "Multi-agency audits", [[("Audit", 1), ("Theme", 1), ("Cases", 1), ("What we learned", 1),
                                     ("Actions done", 1)]],
            [[a.title, a.theme, small_count(a.cases), a.learning, f"{a.actions_done} of {a.actions}"] for a in audits],
            numeric=False))
    escalations = escalation_figures(report.partnership, report.year)
    if escalations.raised:
        items = [("Professional disagreements escalated", shown(escalations.raised), "escalation log"),
                 ("Resolved", shown(escalations.resolved), "escalation log")]
        if escalations.median_working_days is not None:
            items.append(("Working days to resolve (median)", f"{escalations.median_working_days:g}",
                          "England and Wales working days"))
        if escalations.themes:
            items.append(("Themes", "; ".join(f"{t} ({shown(n)})" for t, n in escalations.themes), ""))
        blocks.append(doc.Facts(f"Escalations under the escalation policy, {escalations.label}", items))
    return blocks


def lado(report):
    """The LADO's yearly figures from the register (counts only: the report is published, so 1 to 5 is c)."""
    from safeguarding.lado import figures as f
    from safeguarding.lado.models import LadoContact, Sector

    contacts = list(LadoContact.objects.for_partnership(report.partnership).active())
    if not any(financial_year(c.received_on) == report.year for c in contacts):
        return [doc.Notice(f"No LADO contacts are recorded for {report.year_label} yet.")]
    figures = f.year_figures(contacts, report.year)
    found = f.disclosure(figures, suppress=True)
    shown = found.shown
    items = [(f"Referrals in {figures.label}", shown("referrals"), "LADO register")]
    if figures.change is not None:
        before = year_label(report.year - 1)
        change = f.change_shown(figures, found, f"{round_half_up(figures.change, 0)}%")
        items.append((f"Change on the year before ({before})",
                      f"{change} (from {shown(('referrals', figures.year - 1))} in {before})", "LADO register"))
    if figures.average_before is not None:
        first, last = figures.earlier_years[0], figures.earlier_years[-1]
        items.append((f"Average referrals a year, {year_label(first)} to {year_label(last)}",
                      f.average_shown(figures, found), "LADO register"))
    items.append(("Consultations", shown("consultations"), "LADO register"))
    if figures.consultations:
        share = f"{round_half_up(figures.education_fostering_share, 0)}%"
        items.append(("Consultations about staff in education and foster carers",
                      f"{shown('education and fostering')} "
                      f"({found.derived(share, 'education and fostering', 'consultations')})", "LADO register"))
    sectors = [[label, shown(("referrals", code)) or "0", shown(("consultations", code)) or "0"]
               for code, label in Sector.choices
               if figures.referrals_by_sector.get(code) or figures.consultations_by_sector.get(code)]
    timeliness = [[f"Within {months} month{'s' if months > 1 else ''}", shown(("on time", months)) or "0",
                   found.derived(f"{share}%", ("on time", months), "concluded") if share is not None else ""]
                  for months, (n, share) in figures.on_time.items()]
    return [doc.Facts(f"The LADO's year in figures, {figures.label}", items),
            doc.Table(f"Contacts by the sector of the person's employer, {figures.label}",
                      [[("Sector", 1), ("Referrals", 1), ("Consultations", 1)]], sectors),
            doc.Table(f"Time from referral to outcome, referrals concluded in {figures.label} "
                      f"({shown('concluded')})", [[("Target", 1), ("Referrals", 1), ("Share", 1)]], timeliness)]


def voice(report):
    """What children, young people and families said in the year's surveys and elsewhere, and what changed."""
    from safeguarding.registers.selectors import survey_figures, voice_records

    blocks = []
    for survey in survey_figures(report.partnership, report.year):
        items = [(f"Responses to “{survey.title}”", f"{survey.responses:,}", survey.audience)]
        items += [(f"“{quote.text}”", quote.attribution, quote.question) for quote in survey.quotes]
        blocks.append(doc.Facts(f"{survey.title}{_survey_period(survey)}", items))
    records = voice_records(report.partnership, report.year)
    if records:
        blocks.append(doc.Table("You said, we did", [[("What we heard", 1), ("From", 1), ("What changed", 1)]],
                                [[r.you_said, f"{r.who}, {r.source}", r.we_did or "Not yet"] for r in records],
                                numeric=False))
    return blocks or [doc.Notice(f"No surveys or feedback from children and families are recorded for "
                                 f"{report.year_label}.")]


def case_reviews(report):
    """Reviews of the year and the recommendations they made, with how far their actions have got."""
    from safeguarding.reviews.selectors import review_figures

    found = review_figures(report.partnership, report.year)
    if not (found.notifications or found.reviews or found.recommendations):
        return [doc.Notice(f"No incident notifications, rapid reviews or child safeguarding practice reviews are "
                           f"recorded for {report.year_label}.")]
    items = [("Serious incidents notified to the national Panel", f"{found.notifications:,}", "case review tracker"),
             ("Rapid reviews completed", f"{found.rapid_reviews:,}", "case review tracker")]
    items += [(f"Decision: {decision.lower()}", f"{n:,}", "case review tracker") for decision, n in found.decisions.items()]
    items.append(("Actions from recommendations", f"{found.actions_done:,} done, {found.actions_open:,} open "
                  f"({found.actions_overdue:,} overdue)", "action log"))
    blocks = [doc.Facts(f"Case reviews in figures, {report.year_label}", items)]
    if found.reviews:
        blocks.append(doc.Table("Local child safeguarding practice reviews", [[("Review", 1), ("Where it stands", 1)]],
                                found.reviews, numeric=False))
    if found.recommendations:
        blocks.append(doc.Table("Recommendations and progress on their actions",
                                [[("Review", 1), ("Recommendation", 1), ("Actions done", 1)]],
                                [[f"{source}, {number}", text, f"{done} of {total}"]
                                 for source, number, text, done, total in found.recommendations], numeric=False))
    return blocks


# Looking ahead ----------------------------------------------------------------------------------------

def looking_ahead(report):
    """The word cloud of the year's review: what partners said the partnership should grow stronger in."""
    from safeguarding.registers.selectors import word_cloud

    from . import wordcloud

    cloud = word_cloud(report.partnership, report.year)
    if cloud is None or not cloud.words:
        return []
    top = ", ".join(word for word, _ in cloud.words[:6])
    picture = wordcloud.svg(cloud.words)
    table = doc.Table(f"Words used in answers to “{cloud.question}” (responses using each)",
                      [[("Word", 1), ("Responses", 1)]],
                      # Words in professionals' answers tell nothing about a child: shown as counted.
                      [[word, small_count(n, suppress=False)] for word, n in cloud.words],
                      notes=[f"From {cloud.survey}: {cloud.responses:,} answers. Words used in only one answer and "
                             "common words are left out."])
    return [doc.WordCloud(f"What partners said the partnership should grow stronger in ({cloud.survey})",
                          f"Word cloud of {cloud.responses:,} answers from {cloud.survey}. The words used most: "
                          f"{top}.", picture, lambda: wordcloud.png(picture), table)]


def looking_ahead_demand(report):
    """The optional forecast section (issue 17): a chart of each kind with its intervals, the back-test, a sentence
    on uncertainty."""
    from safeguarding.forecast.report import demand

    found = demand(report.partnership.la_code, report.year)
    if found is None:
        return [doc.Notice("No forecast: the returns for 31 March of this year are not loaded.")]
    blocks = []
    for chart in found["charts"]:
        blocks.append(doc.Chart(chart["title"], chart["summary"], chart["svg"], chart["png"],
                                doc.Table(f"{chart['title']}: the figures (80% interval)",
                                          [[("", 1), (f"{found['base']} (counted)", 1)] + [(e, 1) for e in found["ends"]]],
                                          chart["rows"], [f"Rates from the returns of {', '.join(found['used'])}; "
                                                          f"{found['runs']:,} simulated futures, seed {found['seed']}."])))
    from safeguarding.forecast.engine.output import verdict_sentence

    blocks.append(doc.Table("How well the forecast would have done in past years (31 March, one and two years ahead)",
                            [[("Children: forecast", 1), ("Tests", 1), ("Average error", 1),
                              ("Inside 80% interval", 1), ("Inside 95% interval", 1)]],
                            [[f"{r['kind']}: {r['method']}", f"{r['cases']:,}", r["mape"], r["within80"],
                              r["within95"]] for r in found["backtest"]],
                            [found["uncertainty"], verdict_sentence(found["verdict"])]))
    return blocks
