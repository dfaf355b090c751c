"""The roles a person can hold in a partnership (docs/architecture.md, "Roles")."""
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Partnership admin (business unit)"
    PARTNER_LEAD = "partner_lead", "Statutory partner lead"
    ANALYST = "analyst", "Analyst"
    AGENCY_LEAD = "agency_lead", "Agency lead"
    CASE_REVIEW = "case_review", "Case review member"
    LADO = "lado", "LADO officer"
    SCRUTINEER = "scrutineer", "Scrutineer (read only)"

