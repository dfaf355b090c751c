"""The LADO register: contacts with the Local Authority Designated Officer about people who work with
children. Only LADO officers see a contact; everyone else sees yearly counts (small numbers as c)."""
from django.db import models

from safeguarding.core.models import PartnershipRecord


class Sector(models.TextChoices):
    EDUCATION = "education", "Education"
    EARLY_YEARS = "early_years", "Early years"
    FOSTER_CARER = "foster_carer", "Foster carer"
    RESIDENTIAL = "residential", "Residential care"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    FAITH = "faith", "Faith group"
    SPORT = "sport", "Sport"
    VOLUNTARY = "voluntary", "Voluntary sector"
    TRANSPORT = "transport", "Transport"
    SOCIAL_CARE = "social_care", "Children's social care"
    OTHER = "other", "Other"


class LadoContact(PartnershipRecord):
    class Kind(models.TextChoices):
        CONSULTATION = "consultation", "Consultation (advice; below the harm threshold)"
        REFERRAL = "referral", "Referral (meets the harm threshold)"

    class Limb(models.TextChoices):
        HARMED = "harmed", "Behaved in a way that has harmed, or may have harmed, a child"
        OFFENCE = "offence", "Possibly committed a criminal offence against or related to a child"
        RISK = "risk", "Behaved towards a child in a way that indicates they may pose a risk of harm to children"
        SUITABILITY = "suitability", "Behaved in a way that indicates they may not be suitable to work with children"

    class Category(models.TextChoices):
        PHYSICAL = "physical", "Physical abuse"
        SEXUAL = "sexual", "Sexual abuse"
        EMOTIONAL = "emotional", "Emotional abuse"
        NEGLECT = "neglect", "Neglect"
        CONDUCT = "conduct", "Conduct outside work (transferable risk)"

    class Outcome(models.TextChoices):
        SUBSTANTIATED = "substantiated", "Substantiated"
        UNSUBSTANTIATED = "unsubstantiated", "Unsubstantiated"
        UNFOUNDED = "unfounded", "Unfounded"
        FALSE = "false", "False"
        MALICIOUS = "malicious", "Malicious"

    class FurtherAction(models.TextChoices):
        DISMISSAL = "dismissal", "Dismissal"
        DBS = "dbs", "Referral to the DBS"
        POLICE = "police", "Police action"
        TRAINING = "training", "Training"
        NONE = "none", "No further action"

    reference = models.CharField(max_length=20, help_text="The LADO's own reference, for example LADO-2021-012")
    kind = models.CharField("Consultation or referral", max_length=20, choices=Kind.choices)
    received_on = models.DateField("Date of contact")
    threshold_limb = models.CharField("Harm threshold met", max_length=20, choices=Limb.choices, blank=True,
                                      help_text="For a referral: which of the four limbs it meets")
    person_role = models.CharField("Role of the person the allegation is about", max_length=200,
                                   help_text="Their job, for example class teacher; no names")
    employer_sector = models.CharField("Their employer's sector", max_length=20, choices=Sector.choices)
    referrer = models.CharField("Who made the contact", max_length=200, help_text="Their role and agency, no names")
    referrer_sector = models.CharField("Referrer's sector", max_length=20, choices=Sector.choices)
    category = models.CharField("Allegation", max_length=20, choices=Category.choices)
    strategy_meeting_on = models.DateField("Date of the strategy meeting", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField("Date of the outcome", null=True, blank=True)
    further_action = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_on", "reference"]
        constraints = [models.UniqueConstraint(fields=["partnership", "reference"], name="lado_reference_once")]

    # Reading a contact's values anywhere (its page, or a change to it in the audit trail) needs this permission.
    detail_permission = "lado.view_detail"

    def __str__(self):
        return f"{self.reference} ({self.get_kind_display().split(' (')[0].lower()})"

    @property
    def further_action_display(self):
        labels = dict(self.FurtherAction.choices)
        return ", ".join(labels.get(a, a) for a in self.further_action)
