"""The partnership register through its pages: add, change, archive, restore, export."""
import csv
import io
from decimal import Decimal

import pytest

from safeguarding.accounts.models import Organisation
from safeguarding.accounts.roles import Role
from safeguarding.core.models import AuditEvent
from safeguarding.partnership import models as m
from tests import factories


@pytest.fixture
def council(partnership):
    return factories.agency(partnership, factories.organisation("Testshire Council")).organisation


def base(partnership):
    return f"/p/{partnership.slug}/register"


@pytest.mark.django_db
def test_admin_adds_a_subgroup_and_the_audit_trail_records_it(admin_client, partnership):
    response = admin_client.post(f"{base(partnership)}/subgroups/add/", {
        "name": "Adolescents at Risk", "short_name": "AAR", "status": "proposed", "chair": "",
        "joint_with": "", "purpose": "Exploitation and going missing", "terms_of_reference": ""})
    assert response.status_code == 302
    subgroup = m.Subgroup.objects.get(partnership=partnership, name="Adolescents at Risk")
    event = AuditEvent.objects.get(record_type="partnership.subgroup", record_id=str(subgroup.pk))
    assert event.action == "create" and event.after["name"] == "Adolescents at Risk"
    assert event.partnership == partnership and event.actor_email.endswith("@test.example")


@pytest.mark.django_db
def test_a_form_with_errors_shows_the_summary_and_saves_nothing(admin_client, partnership):
    page = admin_client.post(f"{base(partnership)}/chairs/add/", {
        "arrangement": "", "holder": "", "starts_on-day": "31", "starts_on-month": "2", "starts_on-year": "2021"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in text and "There is a problem" in text
    assert "Enter a real date" in text and 'href="#id_starts_on-day"' in text
    assert 'href="#id_holder"' in text
    assert not m.ChairTerm.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_chair_term_end_must_follow_start(admin_client, partnership):
    page = admin_client.post(f"{base(partnership)}/chairs/add/", {
        "arrangement": "independent", "holder": "A Chair",
        "starts_on-day": "1", "starts_on-month": "4", "starts_on-year": "2022",
        "ends_on-day": "1", "ends_on-month": "4", "ends_on-year": "2021"})
    assert "The end date must be on or after the start date" in page.content.decode()


@pytest.mark.django_db
def test_rotating_chair_schedule(admin_client, partnership, council):
    police = factories.agency(partnership, factories.organisation("Testshire Police", "police")).organisation
    for holder, org, start, end in [("Director of Children's Services", council, "2022", "2023"),
                                    ("Borough Commander", police, "2023", "2024")]:
        admin_client.post(f"{base(partnership)}/chairs/add/", {
            "arrangement": "rotating", "holder": holder, "organisation": org.pk,
            "starts_on-day": "1", "starts_on-month": "4", "starts_on-year": start,
            "ends_on-day": "31", "ends_on-month": "3", "ends_on-year": end})
    terms = m.ChairTerm.objects.for_partnership(partnership).order_by("starts_on")
    assert [t.organisation for t in terms] == [council, police]
    assert all(t.arrangement == "rotating" for t in terms)
    listing = admin_client.get(f"{base(partnership)}/chairs/").content.decode()
    assert "Chair rotating between the statutory partners" in listing and "1 April 2023" in listing


@pytest.mark.django_db
def test_change_records_before_and_after(admin_client, partnership):
    subgroup = factories.records_for(partnership)["subgroups"]
    admin_client.post(f"{base(partnership)}/subgroups/{subgroup.pk}/edit/", {
        "name": "Quality and Effectiveness", "short_name": "QE", "status": "active", "chair": "Designated nurse",
        "joint_with": "", "purpose": "", "terms_of_reference": ""})
    event = AuditEvent.objects.get(action="update", record_id=str(subgroup.pk))
    assert event.before == {"short_name": "Q&E", "chair": ""}
    assert event.after == {"short_name": "QE", "chair": "Designated nurse"}


@pytest.mark.django_db
def test_archive_and_restore(admin_client, partnership):
    subgroup = factories.records_for(partnership)["subgroups"]
    url = f"{base(partnership)}/subgroups/{subgroup.pk}"
    archive = f"/p/{partnership.slug}/archive/register-subgroups/{subgroup.pk}/"  # core's page (core/archiving.py)
    assert archive in admin_client.get(f"{url}/").content.decode()
    assert "Are you sure" in admin_client.get(archive).content.decode()
    assert admin_client.post(archive)["Location"] == f"{base(partnership)}/subgroups/"
    subgroup.refresh_from_db()
    assert subgroup.archived_at is not None
    link = f'href="{url}/"'
    assert link not in admin_client.get(f"{base(partnership)}/subgroups/").content.decode()
    assert link in admin_client.get(f"{base(partnership)}/subgroups/?archived=1").content.decode()
    restored = admin_client.post(f"/p/{partnership.slug}/restore/register-subgroups/{subgroup.pk}/")
    assert restored["Location"] == f"{url}/"  # back to the record's page, which offered Restore
    subgroup.refresh_from_db()
    assert subgroup.archived_at is None
    assert list(AuditEvent.objects.filter(record_id=str(subgroup.pk)).order_by("at", "id").values_list(
        "action", flat=True)) == ["archive", "restore"]


@pytest.mark.django_db
def test_choices_in_forms_are_limited_to_the_partnership(admin_client, partnership, other_partnership, council):
    theirs = factories.agency(other_partnership, factories.organisation("Elsewhere Police", "police"))
    their_subgroup = m.Subgroup.objects.create(partnership=other_partnership, name="Their secret subgroup")
    page = admin_client.get(f"{base(partnership)}/members/add/").content.decode()
    assert "Testshire Council" in page
    assert "Elsewhere Police" not in page and "Their secret subgroup" not in page
    response = admin_client.post(f"{base(partnership)}/members/add/", {
        "post": "Borough Commander", "name": "", "organisation": theirs.organisation.pk, "order": "1"})
    assert "Select a valid choice" in response.content.decode()
    response = admin_client.post(f"{base(partnership)}/members/add/", {
        "post": "Borough Commander", "name": "", "organisation": council.pk, "order": "1",
        "subgroups": [their_subgroup.pk]})
    assert "Select a valid choice" in response.content.decode()
    assert not m.BoardMember.objects.exists()


@pytest.mark.django_db
def test_adding_a_partner_agency_reuses_a_shared_organisation(admin_client, partnership, other_partnership):
    shared = factories.agency(other_partnership, factories.organisation("Shared NHS Trust", "health")).organisation
    admin_client.post(f"{base(partnership)}/partners/add/", {
        "organisation_name": "shared nhs trust", "sector": "health", "kind": "relevant", "notes": ""})
    assert m.PartnerAgency.objects.get(partnership=partnership).organisation == shared
    assert Organisation.objects.filter(name__iexact="shared nhs trust").count() == 1
    again = admin_client.post(f"{base(partnership)}/partners/add/", {
        "organisation_name": "Shared NHS Trust", "sector": "health", "kind": "relevant", "notes": ""})
    assert "already a partner agency" in again.content.decode()


@pytest.mark.django_db
def test_contributions_are_totalled_by_year(admin_client, partnership, council):
    for amount in ("5000", "63421.50"):
        response = admin_client.post(f"{base(partnership)}/contributions/add/", {
            "organisation": council.pk, "label": "", "financial_year": "2020", "amount": amount, "in_kind": ""})
        assert response.status_code == 302
    page = admin_client.get(f"{base(partnership)}/contributions/").content.decode()
    assert "Contributions received in 2020-21" in page and "£68,421.50" in page
    negative = admin_client.post(f"{base(partnership)}/contributions/add/", {
        "organisation": council.pk, "label": "", "financial_year": "2020", "amount": "-1", "in_kind": ""})
    assert "The amount must be £0 or more" in negative.content.decode()


@pytest.mark.django_db
def test_partner_leads_update_actions_but_not_the_rest(as_role, partnership):
    records = factories.records_for(partnership)
    client = as_role(Role.PARTNER_LEAD)
    action = records["actions"]
    response = client.post(f"{base(partnership)}/actions/{action.pk}/edit/", {
        "description": action.description, "owner": "Chair", "due_on-day": "31", "due_on-month": "3",
        "due_on-year": "2021", "status": "done", "progress": "Approved in February"})
    assert "Enter the date the action was completed" in response.content.decode()
    response = client.post(f"{base(partnership)}/actions/{action.pk}/edit/", {
        "description": action.description, "owner": "Chair", "due_on-day": "31", "due_on-month": "3",
        "due_on-year": "2021", "status": "done", "completed_on-day": "11", "completed_on-month": "2",
        "completed_on-year": "2021", "progress": "Approved in February"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and not action.is_overdue
    assert client.get(f"{base(partnership)}/subgroups/add/").status_code == 403


@pytest.mark.django_db
def test_overdue_actions_filter(as_role, partnership):
    factories.records_for(partnership)  # its action was due 31 March 2021 and is still open
    page = as_role(Role.SCRUTINEER).get(f"{base(partnership)}/actions/?status=overdue").content.decode()
    assert "Update the escalation policy" in page and "Overdue" in page


@pytest.mark.django_db
def test_csv_export_neutralises_formulas(admin_client, partnership):
    m.Subgroup.objects.create(partnership=partnership, name="=HYPERLINK(\"http://x\")")
    response = admin_client.get(f"{base(partnership)}/subgroups/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Subgroup", "Chair", "Joint with", "Status"]
    assert rows[1][0].startswith("'=")


@pytest.mark.django_db
def test_script_in_a_text_field_is_shown_as_text(admin_client, partnership):
    admin_client.post(f"{base(partnership)}/subgroups/add/", {
        "name": "<script>alert(1)</script>", "short_name": "", "status": "active", "chair": "", "joint_with": "",
        "purpose": "", "terms_of_reference": ""})
    page = admin_client.get(f"{base(partnership)}/subgroups/").content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.django_db
def test_membership_table_has_the_reports_columns(admin_client, partnership, council):
    police = factories.agency(partnership, factories.organisation("Testshire Police", "police")).organisation
    fire = factories.agency(partnership, factories.organisation("Testshire Fire", "fire")).organisation
    for post, org in [("Director of Children's Services", council), ("Borough Commander", police),
                      ("Borough Commander", fire)]:
        m.BoardMember.objects.create(partnership=partnership, post=post, organisation=org)
    page = admin_client.get(f"{base(partnership)}/members/").content.decode()
    for heading in ("Council", "CCG/NHS", "Police", "Other organisations"):
        assert f'scope="col" class="govuk-table__header">{heading}<' in page
    assert "Borough Commander</a><span class=\"govuk-body-s\">, Testshire Fire" in page


@pytest.mark.django_db
def test_empty_sections_say_so(as_role, partnership):
    page = as_role(Role.SCRUTINEER).get(f"{base(partnership)}/meetings/").content.decode()
    assert "No meetings recorded yet." in page


def test_amounts_keep_pennies():
    from safeguarding.core.formats import format_money

    assert format_money(Decimal("123921.50")) == "£123,921.50" and format_money(Decimal("5000")) == "£5,000"


@pytest.mark.django_db
def test_admin_sets_which_factors_count_under_a_priority(admin_client, partnership):
    from safeguarding.indicators.models import FactorGroup
    from safeguarding.indicators.services import factor_groups_for

    partnership.la_code = "210"
    partnership.save()
    response = admin_client.post(f"{base(partnership)}/factor-groups/add/", {
        "name": "Extra-familial harm", "factors": ["11A", "13A", "24A"], "order": "2"})
    assert response.status_code == 302
    group = FactorGroup.objects.get(partnership=partnership)
    assert group.factors == ["11A", "13A", "24A"]
    assert factor_groups_for("210") == {"Extra-familial harm": ["11A", "13A", "24A"]}
    page = admin_client.get(f"{base(partnership)}/factor-groups/{group.pk}/").content.decode()
    assert "11A, 13A, 24A" in page
    bad = admin_client.post(f"{base(partnership)}/factor-groups/add/", {"name": "X", "factors": ["99Z"], "order": "1"})
    assert "Select a valid choice" in bad.content.decode()
