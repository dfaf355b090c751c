"""Writes to the yearly report: each one audited, each one refused once the report has left draft."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.indicators.engine import definitions as d
from safeguarding.indicators.models import FactorGroup, OTHER_VULNERABILITIES
from safeguarding.indicators.services import engine_for
from safeguarding.partnership.models import PartnerAgency
from safeguarding.working_days import year_label

from .models import ContextFigure, ReportFigure, ReportText, SignOff, YearlyReport


def _draft(report):
    if not report.editable:
        raise ValidationError(f"The report is {report.get_status_display().lower()}: it can no longer be changed. "
                              "Start a new version to change it.")


@transaction.atomic
def create_report(*, partnership, year, comparators, by, title="", looking_ahead_demand=False):
    version = (YearlyReport.objects.for_partnership(partnership).filter(year=year)
               .order_by("-version").values_list("version", flat=True).first() or 0) + 1
    report = YearlyReport(partnership=partnership, year=year, comparators=comparators, version=version,
                          title=title or f"{partnership.name} yearly report {year_label(year)}",
                          looking_ahead_demand=looking_ahead_demand)
    return audit.create(report, by=by)


@transaction.atomic
def save_text(*, report, section, text, by):
    _draft(report)
    found = ReportText.objects.filter(report=report, section=section).first()
    if found is None:
        return audit.create(ReportText(report=report, section=section, text=text), by=by)
    found.text = text
    found.updated_at = timezone.now()
    return audit.update(found, by=by)


@transaction.atomic
def add_context_figure(*, report, label, value, source, by):
    _draft(report)
    order = report.context_figures.count() + 1
    return audit.create(ContextFigure(report=report, label=label, value=value, source=source, order=order), by=by)


@transaction.atomic
def remove(*, record, by):
    _draft(record.report)
    audit.delete(record, by=by)


def compute_figure(*, report, kind, by, indicator="", factor_group="", starts_on=None, ends_on, store=None):
    """Ask the indicator engine for a figure beyond the table and keep it with the question asked."""
    _draft(report)
    la = report.partnership.la_code
    engine = engine_for(store)
    if engine.tables is None:
        raise ValidationError("No child-level returns have been imported yet.")
    try:
        if kind == ReportFigure.Kind.ON_DAY:
            if indicator not in d.BY_CODE or not isinstance(d.BY_CODE[indicator].measure, d.Stock):
                raise ValidationError(f"{indicator!r} is not something open on a day; choose one of "
                                      + ", ".join(i.code for i in d.COUNTED if isinstance(i.measure, d.Stock)))
            count, of_which = engine.at(indicator, ends_on, la=la).get(la, 0), None
        else:
            group = FactorGroup.objects.for_partnership(report.partnership).active().filter(name=factor_group).first()
            if group is None:
                raise ValidationError(f"The partnership has no factor group called {factor_group!r}.")
            if starts_on is None or starts_on > ends_on:
                raise ValidationError("The period must start on or before its last day.")
            others = [code for code in OTHER_VULNERABILITIES if code not in group.factors]
            count, of_which = engine.cooccurrence(la, list(group.factors), others, starts_on, ends_on)
    finally:
        engine.close()
    figure = ReportFigure(report=report, kind=kind, indicator=indicator, factor_group=factor_group,
                          starts_on=starts_on, ends_on=ends_on, count=count, of_which=of_which)
    return audit.create(figure, by=by)


@transaction.atomic
def mark_final(*, report, by):
    _draft(report)
    report.status = YearlyReport.Status.FINAL
    return audit.update(report, by=by)


def statutory_partners(partnership):
    return [a.organisation for a in PartnerAgency.objects.for_partnership(partnership).active()
            .filter(kind=PartnerAgency.Kind.STATUTORY).select_related("organisation")]


@transaction.atomic
def sign_off(*, report, by):
    """A statutory partner lead signs the final report off for their organisation; when every statutory
    partner has signed, the report is signed off."""
    report = YearlyReport.objects.select_for_update().get(pk=report.pk)
    if report.status != YearlyReport.Status.FINAL:
        raise ValidationError("Only a report marked final can be signed off.")
    partners = statutory_partners(report.partnership)
    if by.organisation not in partners:
        raise ValidationError("Only a lead of one of the statutory safeguarding partners can sign the report off.")
    if report.sign_offs.filter(organisation=by.organisation).exists():
        raise ValidationError(f"{by.organisation.name} has already signed the report off.")
    signed = audit.create(SignOff(report=report, user=by, name=by.full_name, organisation=by.organisation), by=by)
    if {s.organisation_id for s in report.sign_offs.all()} >= {o.pk for o in partners}:
        report.status = YearlyReport.Status.SIGNED_OFF
        audit.update(report, by=by)
        from . import render

        transaction.on_commit(lambda: render.prepare_publication(report))  # its files, before anyone publishes
    return signed


def gaps(report):
    """What the report still lacks (Working Together elements, empty narratives), one sentence each."""
    from .assemble import assemble
    from .document import gaps as gaps_of

    return [sentence for sentence, _ in gaps_of(assemble(report))]


@transaction.atomic
def publish(*, report, by, incomplete_because=""):
    """Freeze the document as it stands and make it public; the version it supersedes stays reachable.

    A report that still lacks Working Together elements or narrative is published only with a reason, kept on
    the report with what was missing (so the audit trail says who published it incomplete, when and why)."""
    from . import render

    report = YearlyReport.objects.select_for_update().get(pk=report.pk)
    if report.status != YearlyReport.Status.SIGNED_OFF:
        raise ValidationError("Only a report signed off by every statutory partner can be published.")
    missing = gaps(report)
    if missing and not incomplete_because.strip():
        raise ValidationError(f"The report still lacks {len(missing)} thing{'s' if len(missing) > 1 else ''} "
                              "Working Together or its own sections ask for: say why it should be published now.")
    if missing:
        report.published_incomplete_because = incomplete_because.strip()
        report.missing_when_published = "\n".join(missing)
    html = render.to_html(report, draft=False)
    pdf, docx = render.to_pdf(report, draft=False), render.to_docx(report, draft=False)
    report.published_html, report.published_pdf, report.published_docx = html, pdf, docx
    report.published_at = timezone.now()
    report.published_by = by
    report.status = YearlyReport.Status.PUBLISHED
    audit.update(report, by=by)
    if report.supersedes_id:
        older = report.supersedes
        older.status = YearlyReport.Status.SUPERSEDED
        audit.update(older, by=by)
    return report


@transaction.atomic
def new_version(*, report, by):
    """A new draft that starts from this one (its narrative, context figures and report figures)."""
    if not report.is_published or hasattr(report, "superseded_by"):
        raise ValidationError("A new version can only be started from the latest published report.")
    draft = create_report(partnership=report.partnership, year=report.year, comparators=report.comparators,
                          by=by, title=report.title)
    draft.supersedes = report
    draft.save(update_fields=["supersedes"])
    for text in report.texts.all():
        audit.create(ReportText(report=draft, section=text.section, text=text.text), by=by)
    for figure in report.context_figures.all():
        audit.create(ContextFigure(report=draft, label=figure.label, value=figure.value, source=figure.source,
                                   order=figure.order), by=by)
    for figure in report.figures.all():
        figure.pk = None
        figure.report = draft
        audit.create(figure, by=by)
    return draft
