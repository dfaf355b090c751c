from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguarding.working_days import year_label


class ReturnImportQuerySet(models.QuerySet):
    def silent_since(self, cutoff):
        """Running, but not heard from since ``cutoff``: the process running it died. (The same test on one record
        in memory: ``ReturnImport.is_silent_since``; tests/returns/test_abandoned.py checks they agree.)"""
        return self.filter(status=ReturnImport.Status.RUNNING).filter(
            models.Q(heartbeat_at__lt=cutoff) | models.Q(heartbeat_at__isnull=True, created_at__lt=cutoff))


class ReturnImport(models.Model):
    """One attempt to import a return, from the command line or the upload page, and what came of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        LOADED = "loaded", "Loaded"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"

    # Empty for imports from the command line for an authority with no partnership on the system.
    partnership = models.ForeignKey("accounts.Partnership", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="+")
    la_code = models.CharField(max_length=3)
    kind = models.CharField(max_length=10, blank=True)
    year = models.PositiveIntegerField(null=True, blank=True)
    file_names = models.CharField(max_length=500)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done")
    counts = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True, help_text="Why the return was rejected")
    # Of a loaded return (returns/findings.py): "clean", "warnings" (looseness that changes no figure) or "errors"
    # (DfE rules broken); each rule with its count and children; records left out of each figure.
    outcome = models.CharField(max_length=10, blank=True)
    rule_summary = models.JSONField(default=list, blank=True)
    left_out = models.JSONField(default=dict, blank=True, help_text="Figure -> records left out of it")
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The process running the import touches this every RETURNS_IMPORT_HEARTBEAT_SECONDS; an import that stops
    # doing so (its worker was killed or the machine restarted) is marked failed, see services.fail_abandoned.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # Where uploaded files wait for the worker, so they can be deleted if the import never finishes.
    upload_folder = models.CharField(max_length=300, blank=True)

    objects = ReturnImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def is_silent_since(self, cutoff):
        """``ReturnImport.objects.silent_since(cutoff)`` for a record already read (a page shows it without asking
        the database again)."""
        return self.status == self.Status.RUNNING and (self.heartbeat_at or self.created_at) < cutoff

    def __str__(self):
        what = {"cin": "Children in Need census", "ssda903": "SSDA903"}.get(self.kind, "Return")
        return f"{what} {self.year_label} for local authority {self.la_code} ({self.outcome_label.lower()})"

    @property
    def year_label(self):
        return year_label(self.year) if self.year else ""

    @property
    def outcome_label(self):
        if self.status == self.Status.REJECTED:
            return "Refused"
        if self.status != self.Status.LOADED:
            return self.get_status_display()
        from safeguarding.returns.findings import OUTCOME_LABELS  # findings.py is free of Django

        return OUTCOME_LABELS.get(self.outcome, "Loaded")

    @property
    def finished(self):
        return self.status in (self.Status.LOADED, self.Status.REJECTED, self.Status.FAILED)


class QualityFinding(models.Model):
    """What the import or the DfE rules found in a loaded return: an error (a DfE rule broken) or a warning
    (looseness that changes no figure). Neither stops the import (returns/findings.py)."""

    class Severity(models.TextChoices):
        ERROR = "error", "Error"
        WARNING = "warning", "Warning"

    return_import = models.ForeignKey(ReturnImport, on_delete=models.CASCADE, related_name="findings")
    rule = models.CharField("DfE rule", max_length=10, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.ERROR)
    where = models.CharField("Where in the file", max_length=60, blank=True)
    check_name = models.CharField("Check", max_length=100)
    child = models.CharField("Child (pseudonym)", max_length=32, blank=True)
    field = models.CharField(max_length=60, blank=True)
    value = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=300)

    class Meta:
        ordering = ["severity", "rule", "check_name", "child"]

    def __str__(self):
        return f"{self.rule or '-'} {self.check_name}: {self.child}"
