from django.conf import settings
from django.db import models
from django.utils import timezone


class PartnershipRecordQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        return self.filter(partnership=partnership)

    def active(self):
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)


class PartnershipRecord(models.Model):
    """A record that belongs to one partnership and is archived, not deleted: the base of every register's records
    (ADR 0003), so it lives in core, which every app may import."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.CASCADE, related_name="+")
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PartnershipRecordQuerySet.as_manager()

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One create, change, archive or delete of a record: who, when, which record, values before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        ARCHIVE = "archive", "Archived"
        RESTORE = "restore", "Restored"
        DELETE = "delete", "Deleted"

    partnership = models.ForeignKey("accounts.Partnership", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    # Kept as text too, so the trail still names the person if their account is removed.
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    record_type = models.CharField(max_length=100, db_index=True)
    record_id = models.CharField(max_length=64, db_index=True)
    record_label = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.record_type} {self.record_id} by {self.actor_email or 'system'}"


class AccessLogEntry(models.Model):
    """One view of a record marked sensitive (child-level data, LADO detail, account details)."""

    partnership = models.ForeignKey("accounts.Partnership", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    user_email = models.CharField(max_length=254, blank=True)
    record_type = models.CharField(max_length=100, db_index=True)
    record_id = models.CharField(max_length=64, blank=True, db_index=True)
    record_label = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "access log entries"

    def __str__(self):
        return f"{self.user_email} viewed {self.record_type} {self.record_id}"
