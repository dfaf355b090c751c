import datetime
import sys

from django import db, forms
from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from safeguarding.core import archiving, audit
from safeguarding.core.spreadsheets import to_csv
from safeguarding.core.forms import Form, GovukDateField, dates_in_order
from safeguarding.core.models import AccessLogEntry, AuditEvent
from safeguarding.core.tenancy import can, partnership_view


# The content type of an Excel download, for every app's exports.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the case review and action forms ask of whoever types in them.
NO_NAMES = "Record no names: references and roles are enough."


def moved(url_name, model=None):
    """A page that has moved to ``url_name``: a permanent redirect there (query string kept), so bookmarks and
    saved links still work. Members only, like the page itself: anyone else gets 404, as does the address of
    another partnership's record (``model``, by the URL's pk); the new page checks the permission."""
    @partnership_view()
    def view(request, **kwargs):
        if model is not None:
            record_or_404(request, model, kwargs["pk"])
        to = reverse(url_name, kwargs={"slug": request.partnership.slug, **kwargs})
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(to + ("?" + query if query else ""))
    return view


def csv_response(filename, header, rows):
    """Any app's CSV download: a header row, then the rows, every text cell made safe for a spreadsheet."""
    response = HttpResponse(to_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def breadcrumbs(partnership, *more):
    """The partnership's home, then ``more``: each a ready {"text", "href"} or a (text, href) pair."""
    items = [{"text": partnership.short_name, "href": reverse("partnership:home", kwargs={"slug": partnership.slug})}]
    return items + [item if isinstance(item, dict) else {"text": item[0], "href": item[1]} for item in more]


def record_or_404(request, model, pk, *, archived=False):
    """One current record (or, with ``archived``, one archived record) of the person's own partnership; another
    partnership's is not found, as if it did not exist. ``model`` may be a queryset already narrowed."""
    records = model if hasattr(model, "model") else model.objects
    records = records.for_partnership(request.partnership)
    return get_object_or_404(records.archived() if archived else records.active(), pk=pk)


def save(request, form, **parents):
    """Create or change the form's record through the audit trail, in the request's transaction: the record
    belongs to the person's partnership, and to ``parents`` (e.g. ``incident=incident``) where given."""
    record = form.save(commit=False)
    if hasattr(record, "partnership_id"):
        record.partnership = request.partnership
    for name, parent in parents.items():
        setattr(record, name, parent)
    (audit.update if record.pk else audit.create)(record, by=request.user)
    if hasattr(form, "save_m2m"):
        form.save_m2m()
    return record


def _archivable(request, kind):
    archivable = archiving.kind(kind)
    if not can(request, archivable.permission):
        raise PermissionDenied
    return archivable


@partnership_view()
def archive(request, kind, pk):
    """Are you sure? then archive: the record leaves its lists and figures, keeps its history, can be restored."""
    archivable = _archivable(request, kind)
    record = record_or_404(request, archivable.model, pk)
    back = archivable.back(record)
    if getattr(record, "detail_permission", None):
        audit.log_access(request, record)  # its label names a record whose reading is logged
    refusal = archivable.refuse(record) if archivable.refuse else None
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    if request.method == "POST":
        audit.archive(record, by=request.user)
        messages.success(request, f"Archived {archivable.singular}: {record}")
        return redirect(back)
    return render(request, "core/archive.html", {
        "record": record, "singular": archivable.singular, "cancel": back,
        "page_title": f"Archive {archivable.singular}",
        "breadcrumbs": breadcrumbs(request.partnership, (archivable.area, back))})


@require_POST
@partnership_view()
def restore(request, kind, pk):
    archivable = _archivable(request, kind)
    record = record_or_404(request, archivable.model, pk, archived=True)
    audit.restore(record, by=request.user)
    messages.success(request, f"Restored {archivable.singular}: {record}")
    if archivable.restored:
        return redirect(archivable.restored(record))
    return redirect("core:archived", slug=request.partnership.slug)


ARCHIVED_SHOWN = 200  # per kind, newest first: more than anyone restores by hand


@partnership_view()
def archived(request):
    """The archived records of every kind this person may archive, by area, each with a Restore button."""
    if not any(can(request, a.permission) for a in archiving.KINDS.values()):
        raise PermissionDenied
    groups = []
    for area, archivables in archiving.areas().items():
        kinds = []
        for archivable in archivables:
            if not can(request, archivable.permission):
                continue
            records = archivable.model.objects.for_partnership(request.partnership).archived()
            shown = list(records.order_by("-archived_at")[:ARCHIVED_SHOWN])
            if shown:
                kinds.append((archivable, shown))
        if kinds:
            groups.append((area, kinds))
    return render(request, "core/archived.html", {
        "groups": groups, "shown": ARCHIVED_SHOWN, "page_title": "Archived records",
        "breadcrumbs": breadcrumbs(request.partnership)})


def form_page(request, form, title, back, breadcrumbs, *, caption="", intro="", button="Save", another=False):
    """Any app's page of one form (form_page.html): title, error summary, fields, Save, and a way back."""
    return render(request, "form_page.html", {"form": form, "page_title": title, "back": back, "caption": caption,
                                              "intro": intro, "button": button, "another": another,
                                              "breadcrumbs": breadcrumbs})


def add_or_change(request, form, record, title, breadcrumbs, *, page, listing, saved, **options):
    """Any app's form page that adds a record to a list (``record`` None) or changes one (``form`` bound to it).
    On a valid post the record is saved through the audit trail (``save``), ``saved`` is said (``{}`` stands for
    the record) and the person goes to the record's page, ``page`` (a URL name taking its pk). Otherwise the form
    (``options`` are form_page's), whose Cancel goes back to the record's page, or to the list ``listing``."""
    slug = request.partnership.slug
    if request.method == "POST" and form.is_valid():
        record = save(request, form)
        messages.success(request, saved.format(record))
        return redirect(page, slug=slug, pk=record.pk)
    back = reverse(page, kwargs={"slug": slug, "pk": record.pk}) if record else reverse(listing, kwargs={"slug": slug})
    return form_page(request, form, title, back, breadcrumbs, **options)


class TrailFilterForm(Form):
    """Filter the audit trail or access log by person, record and date."""

    person = forms.ChoiceField(label="Person", required=False)
    record_type = forms.ChoiceField(label="Kind of record", required=False)
    record_id = forms.CharField(label="Record number", required=False, max_length=64,
                                widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def __init__(self, data, *, queryset, person_field):
        super().__init__(data)
        people = queryset.order_by().values_list(person_field, flat=True).distinct()
        self.fields["person"].choices = [("", "Anyone")] + [(p, p) for p in sorted(set(people)) if p]
        types = queryset.order_by().values_list("record_type", flat=True).distinct()
        self.fields["record_type"].choices = [("", "Any")] + sorted(
            ((t, audit.kind_of(t)) for t in set(types) if t), key=lambda choice: choice[1])

    def clean(self):
        cleaned = super().clean()
        dates_in_order(self, "date_from", "date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return cleaned

    def apply(self, queryset, person_field):
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data["person"]:
            queryset = queryset.filter(**{person_field: data["person"]})
        if data["record_type"]:
            queryset = queryset.filter(record_type=data["record_type"])
        if data["record_id"]:
            queryset = queryset.filter(record_id=data["record_id"].strip())
        if data["date_from"]:
            queryset = queryset.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            queryset = queryset.filter(at__date__lte=data["date_to"])
        return queryset


def _trail_page(request, model, person_field, template):
    base = model.objects.filter(partnership=request.partnership)
    filtered = bool(request.GET.keys() - {"page"})
    form = TrailFilterForm(request.GET if filtered else None, queryset=base, person_field=person_field)
    entries = form.apply(base, person_field) if filtered else base
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    kinds = {e.record_type: audit.kind_of(e.record_type) for e in page.object_list}
    return render(request, template, {"form": form, "page": page, "query": query.urlencode(), "kinds": kinds})


@partnership_view("core.view_audit_trail")
def audit_trail(request):
    return _trail_page(request, AuditEvent, "actor_email", "core/audit_trail.html")


def _detail_permission(record_type):
    """The permission a kind of record asks of anyone reading its values (its model's ``detail_permission``)."""
    try:
        model = apps.get_model(record_type)
    except (LookupError, ValueError):
        return None
    return getattr(model, "detail_permission", None)


@partnership_view("core.view_audit_trail")
def audit_event(request, pk):
    event = get_object_or_404(AuditEvent, partnership=request.partnership, pk=pk)
    # The values are the record's: someone who may not see the record (a LADO contact, to anyone but a LADO
    # officer) may not read them here either. They know the event exists from the trail, so 403, not 404.
    needed = _detail_permission(event.record_type)
    if needed and not can(request, needed):
        raise PermissionDenied
    # Before-and-after values can hold anything a record held: reading them is logged.
    audit.log_access(request, event)
    return render(request, "core/audit_event.html", {"event": event, "rows": audit.changes_in_words(event),
                                                     "kind": audit.kind_of(event.record_type)})


@partnership_view("core.view_audit_trail")
def access_log(request):
    return _trail_page(request, AccessLogEntry, "user_email", "core/access_log.html")


def healthz(request):
    """Liveness: the process serves requests and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "time": datetime.datetime.now(datetime.timezone.utc).isoformat()})


def readyz(request):
    """Readiness, for a load balancer: 200 only when this instance can serve the service properly (the
    database answers and is fully migrated, the static files are collected); 503 with what is wrong."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.db.migrations.executor import MigrationExecutor

    problems = []
    try:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            problems.append("database migrations not applied")
    except Exception as error:  # the database is down or unreachable
        problems.append(f"database unavailable: {type(error).__name__}")
    if not staticfiles_storage.exists("css/app.css"):
        problems.append("static files not collected")
    status = 503 if problems else 200
    return JsonResponse({"status": "ok" if not problems else "not ready", "problems": problems}, status=status)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def _database_unavailable(error):
    """Whether the error comes of the database being down, restarting or locked (directly, or as the cause of
    another error, as when a session cannot be saved)."""
    while error is not None:
        if isinstance(error, (db.OperationalError, db.InterfaceError)):
            return True
        error = error.__cause__ or error.__context__
    return False


def _quiet_context(request=None):
    """What an error page may show without asking the database: the service header, and, where this request had
    already read them, the person's sign-in and the partnership (set only once its membership was checked)."""
    user = getattr(request, "_cached_user", None)  # Django's AuthenticationMiddleware keeps the user once read
    signed_in = bool(user is not None and user.is_authenticated)
    return {"quiet": True, "request": request, "signed_in": signed_in,
            "partnership": getattr(request, "partnership", None) if signed_in else None}


def service_unavailable():
    """503, saying so and what to do. Rendered without the request: its context would need the database."""
    response = HttpResponse(render_to_string("errors/503.html", _quiet_context()), status=503)
    response["Retry-After"] = "30"
    return response


def server_error(request):
    # Called while the exception is being handled: a database that is down, restarting or locked gets a 503
    # saying so (and to try again), not the generic 500.
    if _database_unavailable(sys.exc_info()[1]):
        return service_unavailable()
    # Whatever failed may be the database too (a broken transaction, a lock): the page asks it nothing.
    return HttpResponse(render_to_string("errors/500.html", _quiet_context(request)), status=500)


def bad_request(request, exception=None):
    """A request Django could not read: say what was wrong with it, where that is known."""
    if _database_unavailable(exception):  # the session could not be saved: the database went away mid-request
        return service_unavailable()
    from django.conf import settings
    from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
    from django.http.multipartparser import MultiPartParserError

    reason = None
    if isinstance(exception, TooManyFieldsSent):
        reason = (f"The form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields to {request.path}; "
                  "the forms of this service have far fewer.")
    elif isinstance(exception, TooManyFilesSent):
        reason = (f"The form sent more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES:,} files to {request.path}; "
                  "choose fewer files.")
    elif isinstance(exception, RequestDataTooBig):
        reason = f"The form sent to {request.path} is larger than this page accepts: send less text."
    elif isinstance(exception, MultiPartParserError):
        reason = (f"The form sent to {request.path} was cut short or garbled on the way ({exception}); "
                  "expected a complete form as a web browser sends it.")
    elif isinstance(exception, BadRequest):  # Django's own, e.g. a form sent in another encoding than UTF-8
        reason = f"{exception} (sent to {request.path})"
    return render(request, "errors/400.html", {"reason": reason}, status=400)


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)
