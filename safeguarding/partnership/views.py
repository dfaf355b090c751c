
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.core.views import csv_response, save
from safeguarding.accounts import services as account_services
from safeguarding.accounts.models import Membership, User
from safeguarding.actions import selectors as action_selectors
from safeguarding.core import audit
from safeguarding.core.formats import format_date
from safeguarding.core.tenancy import can, partnership_view
from safeguarding.partnership import models as m
from safeguarding.partnership import selectors
from safeguarding.partnership.sections import SECTIONS, SECTIONS_BY_SLUG


def _section(slug):
    try:
        return SECTIONS_BY_SLUG[slug]
    except KeyError:
        raise Http404("No such register section") from None


def _record(request, section, pk):
    return get_object_or_404(section.queryset(request.partnership), pk=pk)


def _require(request, permission):
    if not can(request, permission):
        raise PermissionDenied


@partnership_view()
def home(request):
    partnership = request.partnership
    priorities = m.Priority.objects.for_partnership(partnership).active()
    return render(request, "partnership/home.html", {
        "chair": selectors.current_chair(partnership),
        "statutory_partners": m.PartnerAgency.objects.for_partnership(partnership).active().filter(
            kind=m.PartnerAgency.Kind.STATUTORY).select_related("organisation"),
        "subgroups": m.Subgroup.objects.for_partnership(partnership).active(),
        "priorities": priorities.filter(kind=m.Priority.Kind.PRIORITY),
        "themes": priorities.filter(kind=m.Priority.Kind.THEME),
        "action_counts": action_selectors.counts(partnership, request.user),
        "sections": SECTIONS,
    })


@partnership_view()
def register(request):
    counts = {s.slug: s.queryset(request.partnership).active().count() for s in SECTIONS}
    return render(request, "partnership/register.html", {"sections": SECTIONS, "counts": counts})


@partnership_view()
def section_list(request, section):
    section = _section(section)
    show_archived = request.GET.get("archived") == "1"
    records = section.queryset(request.partnership)
    records = records.archived() if show_archived else records.active()
    if request.GET.get("format") == "csv":
        return _csv(section, records, request.partnership)
    context = {"section": section, "records": records, "show_archived": show_archived,
               "can_manage": can(request, section.manage_permission)}
    if section.slug == "members":
        context["table_headings"], context["table_rows"] = selectors.membership_table(request.partnership)
    if section.slug == "contributions":
        context["years"] = selectors.contributions_by_year(request.partnership)
    if section.slug == "actions":
        status = request.GET.get("status", "")
        if status == "overdue":
            records = records.overdue()
        elif status == "open":
            records = records.open()
        context.update(records=records, status=status)
    return render(request, section.list_template, context)


def _csv(section, records, partnership):
    return csv_response(f"{partnership.slug}-{section.slug}.csv", [column.heading for column in section.columns],
                        ([str(column.of(record)) for column in section.columns] for record in records))


@partnership_view()
def section_detail(request, section, pk):
    section = _section(section)
    record = _record(request, section, pk)
    form = section.form_class(instance=record, partnership=request.partnership)
    rows = []
    for name, bound in ((name, form[name]) for name in form.fields):
        value = getattr(record, name, None) if hasattr(record, name) else bound.value()
        if hasattr(value, "all"):
            value = ", ".join(str(item) for item in value.all())
        elif isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value))
        elif hasattr(record, f"get_{name}_display"):
            value = getattr(record, f"get_{name}_display")()
        elif hasattr(value, "isoformat"):
            value = format_date(value)
        rows.append({"key": {"text": str(bound.label)}, "value": {"text": "" if value is None else str(value)}})
    return render(request, "partnership/section_detail.html", {
        "section": section, "record": record, "rows": rows,
        "can_manage": can(request, section.manage_permission),
    })


@partnership_view()
def section_add(request, section):
    section = _section(section)
    _require(request, section.manage_permission)
    form = section.form_class(request.POST if request.method == "POST" else None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        record = save(request, form)
        messages.success(request, f"Added {section.singular}: {record}")
        return redirect("partnership:section", slug=request.partnership.slug, section=section.slug)
    return render(request, "partnership/section_form.html", {"section": section, "form": form, "record": None})


@partnership_view()
def section_edit(request, section, pk):
    section = _section(section)
    _require(request, section.manage_permission)
    record = _record(request, section, pk)
    form = section.form_class(request.POST if request.method == "POST" else None, instance=record, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        record = save(request, form)
        messages.success(request, f"Saved {section.singular}: {record}")
        return redirect("partnership:record", slug=request.partnership.slug, section=section.slug, pk=record.pk)
    return render(request, "partnership/section_form.html", {"section": section, "form": form, "record": record})


@partnership_view("partnership.view_people")
def people(request):
    """Who has access, with which roles. Account details are sensitive: each view is logged."""
    app = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    memberships = Membership.objects.filter(partnership=request.partnership).select_related(
        "user", "user__organisation").annotate(has_app=Exists(app)).order_by("user__full_name", "role")
    audit.log_access(request, record_type_label="accounts.membership", record_label="People with access")
    return render(request, "partnership/people.html", {"memberships": memberships})


@partnership_view("accounts.reset_two_factor")
def reset_two_factor(request, pk):
    """The business unit resets a member's two-factor sign-in (a lost phone): they set up a new app when they
    next sign in. Members of this partnership only (anyone else is 404), and not the admin's own: another admin
    resets that, so a password and one recovery code cannot be turned into a new app of one's own."""
    member = get_object_or_404(
        User.objects.filter(memberships__partnership=request.partnership).exclude(pk=request.user.pk).distinct(),
        pk=pk)
    if request.method == "POST":
        account_services.reset_two_factor(user=member, partnership=request.partnership, by=request.user)
        messages.success(request, f"Two-factor sign-in reset for {member}. They set up an authenticator app "
                                  "when they next sign in.")
        return redirect("partnership:people", slug=request.partnership.slug)
    return render(request, "partnership/reset_two_factor.html", {"member": member})

