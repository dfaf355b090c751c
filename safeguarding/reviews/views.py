"""Case reviews (serious incident notifications, rapid reviews, local CSPRs, their documents and clocks) for
case review members and the business unit, and the recommendations they make. The actions on them are kept in
the action log (safeguarding.actions)."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from safeguarding.actions import selectors as action_selectors
from safeguarding.actions.forms import RecommendationForm
from safeguarding.actions.models import Recommendation
from safeguarding.core import audit
from safeguarding.core.forms import posted
from safeguarding.core.middleware import upload_limit
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.core.views import save, breadcrumbs, NO_NAMES, add_or_change, form_page

from . import clocks, selectors
from .forms import MAX_DOCUMENT_BYTES, DocumentForm, IncidentForm, PracticeReviewForm
from .models import PracticeReview, ReviewDocument, SeriousIncident


def _crumbs(partnership, *more):
    return breadcrumbs(partnership, ("Case reviews", reverse("reviews:index", kwargs={
        "slug": partnership.slug})), *more)


def _incident(request, pk):
    return get_object_or_404(selectors.incidents(request.partnership), pk=pk)


def _incident_crumb(request, incident):
    return {"text": incident.reference, "href": reverse("reviews:incident", kwargs={
        "slug": request.partnership.slug, "pk": incident.pk})}


def _form_page(request, form, title, back, *crumbs):
    return form_page(request, form, title, back, _crumbs(request.partnership, *crumbs), intro=NO_NAMES)


@partnership_view("reviews.view")
def index(request):
    partnership = request.partnership
    context = {"page_title": "Case reviews", "breadcrumbs": _crumbs(partnership)[:1],
               "counts": action_selectors.counts(partnership, request.user),
               "can_cases": can(request, "reviews.view_cases"), "can_manage": can(request, "reviews.manage_cases")}
    if context["can_cases"]:  # the incidents, a child each: logged like the LADO and private fostering lists
        audit.log_access(request, record_type_label="reviews.seriousincident", record_label="Serious incidents list")
        today = timezone.localdate()
        rows = []
        for incident in selectors.incidents(partnership).select_related("practice_review"):
            review = getattr(incident, "practice_review", None)
            stages = clocks.stages(incident, review)
            current = next((s for s in stages if s.status(today) in ("due", "overdue")), None)
            rows.append((incident, current, current.status(today) if current else "done"))
        context["rows"] = rows
    return render(request, "reviews/index.html", context)


@partnership_view("reviews.view_cases")
def incident_detail(request, pk):
    incident = _incident(request, pk)
    audit.log_access(request, incident)
    review = PracticeReview.objects.filter(incident=incident, archived_at__isnull=True).first()
    today = timezone.localdate()
    return render(request, "reviews/incident.html", {
        "incident": incident, "review": review, "today": today,
        "stages": [(s, s.status(today)) for s in clocks.stages(incident, review)],
        "documents": incident.documents.filter(archived_at__isnull=True),
        "recommendations": Recommendation.objects.for_partnership(request.partnership).active().filter(
            source_type__model="seriousincident", source_id=incident.pk).prefetch_related("actions"),
        "can_manage": can(request, "reviews.manage_cases"), "page_title": incident.reference,
        "breadcrumbs": _crumbs(request.partnership)})


@partnership_view("reviews.manage_cases")
def incident_form(request, pk=None):
    incident = _incident(request, pk) if pk else None
    if incident is not None:  # the form shows the incident
        audit.log_access(request, incident)
    form = IncidentForm(posted(request), instance=incident, partnership=request.partnership)
    return add_or_change(request, form, incident,
                         f"Change {incident}" if incident else "Record a serious incident notification",
                         _crumbs(request.partnership), page="reviews:incident", listing="reviews:index",
                         saved="{} saved.", intro=NO_NAMES)


@partnership_view("reviews.manage_cases")
def review_form(request, pk):
    incident = _incident(request, pk)
    audit.log_access(request, incident)
    if incident.decision != SeriousIncident.Decision.LOCAL_CSPR:
        messages.error(request, "Record the decision to hold a local review before the review itself.")
        return redirect("reviews:incident", slug=request.partnership.slug, pk=incident.pk)
    review = PracticeReview.objects.filter(incident=incident).first()
    form = PracticeReviewForm(posted(request), instance=review)
    if request.method == "POST" and form.is_valid():
        record = save(request, form, incident=incident)
        messages.success(request, f"{record} saved.")
        return redirect("reviews:incident", slug=request.partnership.slug, pk=incident.pk)
    return _form_page(request, form, "Local child safeguarding practice review",
                      reverse("reviews:incident", kwargs={"slug": request.partnership.slug, "pk": pk}),
                      _incident_crumb(request, incident))


@upload_limit(MAX_DOCUMENT_BYTES)
@partnership_view("reviews.manage_cases")
def document_add(request, pk):
    incident = _incident(request, pk)
    audit.log_access(request, incident)
    form = DocumentForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        document = ReviewDocument(partnership=request.partnership, incident=incident, title=form.cleaned_data["title"])
        document.file.save(form.cleaned_data["file"].name, form.cleaned_data["file"], save=False)
        audit.create(document, by=request.user)
        messages.success(request, f"{document} added.")
        return redirect("reviews:incident", slug=request.partnership.slug, pk=incident.pk)
    return _form_page(request, form, "Add a document",
                      reverse("reviews:incident", kwargs={"slug": request.partnership.slug, "pk": pk}),
                      _incident_crumb(request, incident))


@partnership_view("reviews.view_cases")
def document(request, pk, document_pk):
    incident = _incident(request, pk)
    found = get_object_or_404(ReviewDocument, incident=incident, pk=document_pk, archived_at__isnull=True)
    audit.log_access(request, found)
    return FileResponse(default_storage.open(found.file.name, "rb"), as_attachment=True,
                        filename=found.file.name.rsplit("/", 1)[-1])


@partnership_view("actions.manage")
def recommendation_add(request, pk):
    """A recommendation from this incident's rapid review or local review (a national review's: actions app)."""
    incident = _incident(request, pk)
    audit.log_access(request, incident)
    review = getattr(incident, "practice_review", None)
    initial = {"made_on": timezone.localdate(),
               "source_title": f"{review.title} (local CSPR)" if review else f"{incident.reference} (rapid review)",
               "number": Recommendation.objects.filter(source_type__model="seriousincident",
                                                       source_id=incident.pk).count() + 1}
    form = RecommendationForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        record = save(request, form, source=incident)
        messages.success(request, f"{record} added.")
        return redirect("actions:log", slug=request.partnership.slug)
    return _form_page(request, form, "Add a recommendation",
                      reverse("reviews:incident", kwargs={"slug": request.partnership.slug, "pk": pk}))
