from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "safeguarding.reviews"
    label = "reviews"
    verbose_name = "Case reviews, recommendations and actions"

    def ready(self):
        from safeguarding.core import archiving

        from .models import SeriousIncident

        # A notification recorded in error leaves the lists and clocks; its recommendations stay in the action log.
        archiving.register(archiving.Archivable(
            "incident", SeriousIncident, "serious incident notification", "Case reviews", "reviews.manage_cases",
            archiving.to_page("reviews:index")))
