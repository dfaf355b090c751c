"""Forms for the action log's records: recommendations and the actions on them (from case reviews, multi-agency
audits and Section 11 cycles). Meeting actions are edited in the partnership register (partnership.forms)."""
from django.db.models import Q

from safeguarding.accounts.models import Organisation
from safeguarding.core.forms import ModelForm
from safeguarding.partnership.models import PartnerAgency

from .models import Action, Recommendation


class RecommendationForm(ModelForm):
    class Meta:
        model = Recommendation
        fields = ["source_title", "number", "text", "made_on"]


class ActionForm(ModelForm):
    class Meta:
        model = Action
        fields = ["description", "organisation", "owner", "due_on", "status", "completed_on", "impact"]

    def __init__(self, *args, partnership, own_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = PartnerAgency.objects.for_partnership(partnership).active().values_list("organisation", flat=True)
        # The owner already named stays a choice even if not on the register (the demo's illustrative agencies).
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(pk__in=agencies) | Q(pk=self.instance.organisation_id))
        if own_organisation is not None:  # an agency updates its own action: progress, not ownership
            for name in ("description", "organisation", "owner", "due_on"):
                self.fields[name].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("status") == Action.Status.DONE and not data.get("completed_on"):
            self.add_error("completed_on", "Enter the date the action was completed")
        return data
