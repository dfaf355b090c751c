"""The demo partnership loads from the reference report, and loading it again changes nothing."""
from decimal import Decimal

import pytest
from django.core.management import call_command

from safeguarding.accounts.models import Membership, Organisation, Partnership, User
from safeguarding.accounts.roles import Role
from safeguarding.core.models import AuditEvent
from safeguarding.partnership import models as m
from safeguarding.partnership import selectors
from safeguarding.partnership.demo import agencies
from safeguarding.partnership.demo.agencies import ACUTE_TRUST_A
from tests import factories


@pytest.fixture
def southwark(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return Partnership.objects.get(slug="southwark")


def test_demo_partnership_matches_the_reference_report(southwark):
    assert southwark.name == "Southwark Safeguarding Children Partnership" and southwark.la_code == "210"
    years = selectors.contributions_by_year(southwark)
    assert years[0]["label"] == "2020-21" and years[0]["total"] == Decimal("123921.50")
    assert {r.contributor: r.amount for r in years[0]["rows"]} == {
        "Police (MOPAC)": Decimal("5000"), "Southwark CCG": Decimal("55000"),
        "London Fire Brigade": Decimal("500"), "London Borough Southwark": Decimal("63421.50")}
    headings, rows = selectors.membership_table(southwark)
    columns = {h: [r[i].post for r in rows if r[i]] for i, h in enumerate(headings)}
    assert len(columns["Council"]) == 14 and len(columns["CCG/NHS"]) == 10 and len(columns["Police"]) == 2
    assert columns["Council"][0] == "Cabinet Member for Children, Schools and Adult Care"
    assert "Provider Representatives" in columns["Other organisations"]
    subgroups = {s.short_name: s for s in m.Subgroup.objects.for_partnership(southwark)}
    assert set(subgroups) == {"PDL", "CSPR", "Q&E", "VAWG", "AAR"}
    assert subgroups["VAWG"].status == subgroups["AAR"].status == "proposed"
    statutory = m.PartnerAgency.objects.for_partnership(southwark).filter(kind="statutory")
    assert {a.organisation.sector for a in statutory} == {"local_authority", "police", "health"}
    priorities = m.Priority.objects.for_partnership(southwark)
    assert priorities.filter(kind="priority").count() == 4 and priorities.filter(kind="theme").count() == 2
    assert priorities.get(title="Domestic abuse").joint_with
    chairs = m.ChairTerm.objects.for_partnership(southwark).order_by("starts_on")
    assert chairs[0].arrangement == "independent" and chairs[0].holder == "Anna Berry"
    assert {c.organisation.sector for c in chairs if c.arrangement == "rotating"} == {
        "local_authority", "health", "police"}


def test_one_demo_sign_in_per_role(southwark):
    roles = set(Membership.objects.filter(partnership=southwark).values_list("role", flat=True))
    assert roles == set(Role)
    assert Membership.objects.filter(partnership=southwark, role=Role.PARTNER_LEAD).count() == 3


def test_loading_again_changes_nothing(southwark):
    counts = (AuditEvent.objects.count(), User.objects.count(), m.BoardMember.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (AuditEvent.objects.count(), User.objects.count(), m.BoardMember.objects.count()) == counts


def test_loading_again_puts_back_what_was_changed(southwark):
    contribution = m.Contribution.objects.get(partnership=southwark, label="London Fire Brigade")
    contribution.amount = Decimal("1")
    contribution.save()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    contribution.refresh_from_db()
    assert contribution.amount == Decimal("500")
    assert AuditEvent.objects.filter(action="update", record_id=str(contribution.pk)).exists()


def test_demo_home_page(southwark, client):
    user = User.objects.get(email="lead.police@sscp.example")
    factories.sign_in(client, user)
    page = client.get("/p/southwark/").content.decode()
    assert "Southwark Safeguarding Children Partnership" in page
    assert "Domestic abuse" in page and "COVID-19" in page


def test_demo_returns_made_without_the_published_files_are_made_again_with_them(southwark, store, settings, tmp_path):
    # Issue 13: returns generated once without the DfE files stayed, flat estimates, after the files arrived.
    import io
    import shutil

    from safeguarding.returns.synthetic.targets import FILES

    settings.VAR_DIR = tmp_path / "var"
    empty, dfe = tmp_path / "empty", tmp_path / "dfe"
    empty.mkdir()
    dfe.mkdir()
    for name in FILES.values():
        shutil.copyfile(settings.PUBLISHED_DATA_DIR / "dfe" / name, dfe / name)

    def load(folder):
        out = io.StringIO()
        call_command("load_demo", returns=True, years="2021", dfe_dir=str(folder), stdout=out)
        return out.getvalue()

    first = load(empty)
    assert "DfE files missing" in first and "Generating" in first and "imported Children in Need census 2021" in first
    assert "Generating" not in load(empty)
    with_files = load(dfe)
    assert "DfE files missing" not in with_files
    assert "Generating" in with_files and "imported Children in Need census 2021" in with_files
    assert "Generating" not in load(dfe)


# ------------------------------------------------------------------------------------ the neighbour (issue 20)


@pytest.fixture
def both(southwark):
    return southwark, Partnership.objects.get(slug="lambeth")


def test_the_neighbour_shares_the_police_and_health_partners(both):
    southwark, lambeth = both
    assert lambeth.la_code == "208" and lambeth.name == "Lambeth Safeguarding Children Partnership"

    def partners(partnership, sectors):
        return {a.organisation_id for a in m.PartnerAgency.objects.for_partnership(partnership)
                if a.organisation.sector in sectors}

    shared = partners(lambeth, {"police", "health"})
    assert len(shared) == 5 and shared <= partners(southwark, {"police", "health"})  # the same rows, not copies
    councils = [a.organisation.name for a in m.PartnerAgency.objects.for_partnership(lambeth)
                if a.organisation.sector == "local_authority"]
    assert councils == ["London Borough of Lambeth"]
    members = Membership.objects.filter(partnership=lambeth)
    assert 0 < members.count() < Membership.objects.filter(partnership=southwark).count()
    assert not Membership.objects.filter(partnership=southwark, user__memberships__partnership=lambeth).exists()


def test_a_section_11_return_is_shared_and_moderated_by_each(both):
    from safeguarding.audits.models import CycleReturn

    southwark, lambeth = both
    trust = ACUTE_TRUST_A
    theirs = CycleReturn.objects.get(cycle__partnership=southwark, cycle__year=2021, organisation__name=trust)
    ours = CycleReturn.objects.get(cycle__partnership=lambeth, cycle__year=2021, organisation__name=trust)
    assert ours.section11_return_id == theirs.section11_return_id  # one return
    assert ours.partnership == lambeth and ours.is_moderated and theirs.is_moderated

    def ratings(link):
        return {r.standard_key: r.rating for r in link.moderated_ratings.all()}

    assert ratings(ours).keys() == ratings(theirs).keys() and len(ratings(ours)) == 8
    assert ratings(ours) != ratings(theirs)  # each partnership's own moderation
    assert {r.partnership_id for r in ours.moderated_ratings.all()} == {lambeth.pk}


def test_each_partnerships_members_get_404_on_the_others_pages(both, client):
    from safeguarding.audits.models import CycleReturn

    southwark, lambeth = both
    links = {p.slug: CycleReturn.objects.get(cycle__partnership=p, cycle__year=2021,
                                             organisation__name=ACUTE_TRUST_A)
             for p in both}

    def pages(slug):
        return [f"/p/{slug}/", f"/p/{slug}/register/", f"/p/{slug}/assurance/",
                f"/p/{slug}/assurance/section-11/returns/{links[slug].pk}/"]

    for email, mine, other in (("admin@lscp.example", "lambeth", "southwark"),
                               ("admin@sscp.example", "southwark", "lambeth")):
        factories.sign_in(client, User.objects.get(email=email))
        for url in pages(mine):
            assert client.get(url).status_code == 200, url
        for url in pages(other):
            assert client.get(url).status_code == 404, url
        # Nor does the other partnership's view of the shared return open under one's own address.
        assert client.get(f"/p/{mine}/assurance/section-11/returns/{links[other].pk}/").status_code == 404
        client.logout()


# ------------------------------------------------------------------------------------ no invented judgments (issue 15)


def _judged():
    """What the demo's illustrative assurance records judge or name, as (what, organisation) pairs: Section 11
    returns and the agencies asked, moderated ratings, the multi-agency audit's agencies and findings, escalations
    (both sides) and the actions those cycles and audits gave agencies in the action log."""
    from django.contrib.contenttypes.models import ContentType

    from safeguarding.actions.models import Action
    from safeguarding.audits import models as a

    found = [("return", link.organisation) for link in a.CycleReturn.objects.select_related("organisation")]
    found += [("self-assessment", r.organisation) for r in a.Section11Return.objects.select_related("organisation")]
    found += [("moderated rating", r.cycle_return.organisation)
              for r in a.ModeratedRating.objects.select_related("cycle_return__organisation")]
    found += [("asked", o) for cycle in a.Cycle.objects.all() for o in cycle.organisations.all()]
    found += [("audited", o) for audit in a.MultiAgencyAudit.objects.all() for o in audit.organisations.all()]
    found += [("finding", f.organisation) for f in a.AgencyFinding.objects.select_related("organisation")]
    found += [(side, getattr(e, side)) for e in a.Escalation.objects.all() for side in ("raised_by", "about")]
    assurance = [ContentType.objects.get_for_model(model) for model in (a.Cycle, a.MultiAgencyAudit)]
    found += [("action", action.organisation) for action in Action.objects.filter(
        recommendation__source_type__in=assurance).select_related("organisation") if action.organisation]
    return found


def _on_the_registers(found):
    register = {agency.organisation_id for agency in m.PartnerAgency._base_manager.all()}
    return sorted({(what, o.name) for what, o in found if o.pk in register})


def test_no_real_named_organisation_is_given_an_invented_judgment(both):
    """Issue 15: every judgment the demo invents is a generic agency's. The rule has no exception: every
    organisation on either partnership's register is a real one (Southwark's are the reference's members, the
    statutory partners and the collective "Southwark primary and secondary schools" included; Lambeth's are real
    names too), and the reference rates, grades or escalates none of them. What the reference itself says of real
    organisations (the case reviews' recommendations to health, actions owned by the CCG) is not an assurance
    record here, and stays theirs."""
    found = _judged()
    assert {what for what, _ in found} >= {"return", "self-assessment", "moderated rating", "asked", "audited",
                                           "finding", "raised_by", "about", "action"}
    assert _on_the_registers(found) == []
    assert {o.name for _, o in found} <= {name for name, _ in agencies.ILLUSTRATIVE_AGENCIES}
    assert not m.PartnerAgency._base_manager.filter(
        organisation__name__in=[name for name, _ in agencies.ILLUSTRATIVE_AGENCIES]).exists()  # off the registers
    assert User.objects.get(email="agency.lead@sscp.example").organisation.name == agencies.FIRE_SERVICE
    assert User.objects.get(email="agency.lead@lscp.example").organisation.name == agencies.ACUTE_TRUST_A


def test_loading_again_moves_an_older_demos_judgments_off_the_real_organisations(both):
    """A database loaded by the demo before issue 15 had these records on the real organisations: loading again
    moves them to the stand-ins, without making any twice."""
    from safeguarding.actions.models import Action
    from safeguarding.audits import models as a

    def counts():
        return [model._base_manager.count() for model in (
            a.Cycle, a.CycleReturn, a.Section11Return, a.ReturnAnswer, a.ModeratedRating, a.PlannedAction,
            a.Challenge, a.MultiAgencyAudit, a.AgencyFinding, a.Escalation, Action)] + [
            a.Cycle.organisations.through.objects.count(), a.MultiAgencyAudit.organisations.through.objects.count()]

    before = counts()
    named = {o.name: o for o in Organisation.objects.all()}
    back = {named[new]: named[old] for old, new in agencies.STOOD_IN_FOR.items()}
    for stand_in, real in back.items():  # the database as the older demo left it
        for model, field in ((a.CycleReturn, "organisation"), (a.AgencyFinding, "organisation"),
                             (a.Escalation, "raised_by"), (a.Escalation, "about"), (Action, "organisation"),
                             (User, "organisation")):
            model._base_manager.filter(**{field: stand_in}).update(**{field: real})
        for answer in a.Section11Return.objects.filter(organisation=stand_in):
            answer.organisation, answer.summary = real, answer.summary.replace(stand_in.name, real.name)
            answer.save()
        for through in (a.Cycle.organisations.through, a.MultiAgencyAudit.organisations.through):
            through.objects.filter(organisation=stand_in).update(organisation=real)
    assert len(_on_the_registers(_judged())) > 10

    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert counts() == before
    assert _on_the_registers(_judged()) == []
    assert not any(old in r.summary for r in a.Section11Return.objects.all() for old in agencies.STOOD_IN_FOR)
    assert User.objects.get(email="agency.lead@sscp.example").organisation.name == agencies.FIRE_SERVICE
    test_a_section_11_return_is_shared_and_moderated_by_each(both)


def test_load_demo_prints_the_sign_ins_of_both(db):
    import io

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "/p/southwark/" in text and "/p/lambeth/" in text
    assert "admin@sscp.example" in text and "admin@lscp.example" in text


def test_bad_years_are_refused_before_anything_is_loaded(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match=r"--years 'last year': expected a year or a range such as 2017-2025"):
        call_command("load_demo", returns=True, years="last year", stdout=open("/dev/null", "w"))
    assert not Partnership.objects.exists() and not AuditEvent.objects.exists()


def test_the_neighbour_gets_its_own_returns_and_figures(demo):
    from safeguarding.indicators.models import IndicatorValue
    from safeguarding.returns.models import ReturnImport
    from safeguarding.returns.store import AnalyticalStore

    store = AnalyticalStore()

    lambeth = Partnership.objects.get(slug="lambeth")
    assert {r.year for r in store.loaded_returns("208")} == {2024, 2025}  # its last two of the demo's years
    assert set(ReturnImport.objects.filter(la_code="208").values_list("partnership", flat=True)) == {lambeth.pk}
    assert IndicatorValue.objects.filter(la_code="208").exists()
    assert {r.year for r in store.loaded_returns("210")} == set(range(2017, 2026))


def test_a_demo_made_before_keeps_one_ccg_renamed(db):
    from safeguarding.accounts.models import Organisation
    from safeguarding.partnership.demo.southwark import CCG, RENAMED

    (old,) = RENAMED
    before = Organisation.objects.create(name=old, sector="health")
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert Organisation.objects.filter(name__contains="South East London CCG").get().pk == before.pk
    assert Organisation.objects.get(pk=before.pk).name == CCG
