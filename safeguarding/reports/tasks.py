from django_tasks import task


# Asked ahead (new figures, a draft's page opened): after the other background work.
@task(priority=-50)
def prepare_draft_files(report_id):
    """Write a draft report's PDF and Word file into the shared cache (render.prepare_ahead asks for it)."""
    from . import render
    from .models import YearlyReport

    report = YearlyReport.objects.filter(pk=report_id, archived_at__isnull=True).first()
    if report is not None and not report.is_published:
        render.to_pdf(report)
        render.to_docx(report)
