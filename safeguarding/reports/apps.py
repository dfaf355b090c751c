from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safeguarding.reports"
    label = "reports"
    verbose_name = "The yearly report"

    def ready(self):
        from safeguarding.indicators.signals import figures_saved

        figures_saved.connect(on_figures_saved, dispatch_uid="reports-prepare-drafts")
        from django.db.models.signals import post_delete, post_save

        from .models import ContextFigure, ReportFigure, ReportText, SignOff, YearlyReport

        for model in (YearlyReport, ReportText, ContextFigure, ReportFigure, SignOff):
            for signal in (post_save, post_delete):
                signal.connect(on_report_changed, sender=model, dispatch_uid=f"reports-forget-files-{model.__name__}")


def on_report_changed(sender, instance, **kwargs):
    """The report's own text or parts changed: a download must not serve its files written before
    (render.recent_draft_file serves a draft's newest file only while the records it draws on change)."""
    from .models import YearlyReport
    from .render import forget_draft_files

    forget_draft_files(instance.pk if sender is YearlyReport else instance.report_id)


def on_figures_saved(sender, las, **kwargs):
    """New figures change every draft report of the authority: once the import commits, ask the task worker for
    their PDF and Word files (tasks.prepare_draft_files), so the first download after an import is not laid out
    in a request (ADR 0031)."""
    from django.conf import settings
    from django.db import transaction

    def prepare():
        from .models import YearlyReport
        from .tasks import prepare_draft_files

        for report in YearlyReport.objects.filter(partnership__la_code__in=las, archived_at__isnull=True):
            if not report.is_published:
                prepare_draft_files.enqueue(report.pk)

    if settings.PREPARE_PAGES_AHEAD:
        transaction.on_commit(prepare)
