from django_tasks import task


# Asked ahead (new figures, a draft's page opened), in a queue of its own with its own worker: an import uploaded
# meanwhile must not wait seconds of layout (ADR 0031).
@task(priority=-50, queue_name="layout")
def prepare_draft_files(report_id):
    """Write a draft report's PDF and Word file into the shared cache (render.prepare_ahead asks for it)."""
    from . import render
    from .models import YearlyReport

    report = YearlyReport.objects.filter(pk=report_id, archived_at__isnull=True).first()
    if report is not None and not report.is_published:
        render.to_pdf(report)
        render.to_docx(report)


# Someone is about to publish: before a draft's files, behind an import.
@task(priority=-40, queue_name="layout")
def prepare_publication_files(report_id):
    """Write a signed-off report's PDF and Word file as publication will (render.prepare_publication asks)."""
    from . import render
    from .models import YearlyReport

    report = YearlyReport.objects.filter(pk=report_id, status=YearlyReport.Status.SIGNED_OFF,
                                         archived_at__isnull=True).first()
    if report is not None:
        render.to_pdf(report, draft=False)
        render.to_docx(report, draft=False)
