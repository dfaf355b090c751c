"""The access matrix: for every URL pattern of the project, who may use it, written out here independently of
the rules in the code, and the records its URL needs.

tests/test_access.py walks every URL pattern (get_resolver(), includes followed) and requests each one as every
role, an agency lead of another organisation, a member (each role) of another partnership, a member holding
every role asked for another partnership's record, and an anonymous visitor. A pattern missing from TABLE fails
that test with its name. tests/test_security.py uses the same table and records for two-factor sign-in and the
access log.

A key is a URL name, or ``name[variant]`` when the same pattern is requested more than once (each register
section; a published page of a partnership with nothing published).
"""
import datetime
import functools
import uuid
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client, override_settings

from safeguarding.accounts.roles import Role
from safeguarding.partnership.sections import SECTIONS

D = datetime.date

# -- who ------------------------------------------------------------------------------------------------------

EVERYONE = frozenset(Role)
NOBODY = frozenset()
ADMIN = frozenset({Role.ADMIN})
IMPORTERS = frozenset({Role.ADMIN, Role.ANALYST})  # child-level returns
LADO = frozenset({Role.LADO})
CASE_REVIEWERS = frozenset({Role.ADMIN, Role.CASE_REVIEW})  # incident notifications, rapid reviews, CSPRs
ACTION_UPDATERS = frozenset({Role.ADMIN, Role.CASE_REVIEW, Role.PARTNER_LEAD, Role.AGENCY_LEAD})
SIGNERS = frozenset({Role.PARTNER_LEAD})
DETAIL = frozenset({Role.ADMIN, Role.PARTNER_LEAD})  # agency- and case-level assurance detail
RETURN_READERS = frozenset({Role.ADMIN, Role.PARTNER_LEAD, Role.AGENCY_LEAD})
AGENCY = frozenset({Role.AGENCY_LEAD})
FINDINGS = frozenset({Role.ADMIN, Role.AGENCY_LEAD})
SECTION_MANAGERS = {"actions": frozenset({Role.ADMIN, Role.PARTNER_LEAD})}  # default: the business unit

# How a URL is reached.
PARTNERSHIP = "partnership"  # /p/<slug>/…: members by role (403 otherwise), 404 to anyone else, sign-in if anonymous
API = "api"  # a token: members by role, 404 outside the partnership, 401 without a token
PUBLIC = "public"  # anyone, signed in or not, gets `status`
SIGNED_IN = "signed-in"  # anyone signed in gets `status`; anonymous visitors are sent to sign in
SIGNED_OUT = "signed-out"  # the sign-in page: anonymous visitors get `status`, anyone signed in is sent on (302)


@dataclass(frozen=True)
class Entry:
    allowed: frozenset = NOBODY  # partnership and API pages: the roles that may use it
    methods: str = "get"  # "get"; "get post" (a form); "post" (GET is 405 for everyone)
    record: str | None = None  # the world's key for the URL's arguments besides the slug
    access: str = PARTNERSHIP
    post_allowed: frozenset | None = None  # when fewer roles may POST than GET
    org_scoped: bool = False  # one organisation's record: an agency lead of another organisation gets 404
    status: tuple = (200,)  # what someone who may use it gets on GET
    # The access log: the roles whose GET writes one entry, and the record it names (its type, and which URL
    # argument holds its id; None for a list). A `log_record` says the view's code logs (tests/test_security.py
    # checks that against the code), `logged` who is logged here.
    logged: frozenset = NOBODY
    log_record: tuple | None = None
    logged_own_org_only: bool = False  # logged only for an agency lead whose organisation takes part
    note: str = ""

    @property
    def gets(self):
        return "get" in self.methods.split()

    @property
    def posts(self):
        return "post" in self.methods.split()

    def who(self, method):
        if method == "post" and self.post_allowed is not None:
            return self.post_allowed
        return self.allowed


# An add page served by the same view as a page that logs: the view's code logs, but only a record it shows, and
# an add page shows none, so nobody's view of it is logged.
SHARED = "the view also serves a page showing a record, which it logs; this page shows none"


def _e(allowed, methods="get", record=None, **extra):
    return Entry(allowed=allowed, methods=methods, record=record, **extra)


def _public(status=200, methods="get", record=None, **extra):
    return Entry(access=PUBLIC, methods=methods, record=record, status=_tuple(status), **extra)


def _tuple(status):
    return status if isinstance(status, tuple) else (status,)


TABLE = {
    # -- outside any partnership ----------------------------------------------------------------------------
    "home": Entry(access=SIGNED_IN, status=(302,), note="sends a member to their partnership"),
    "healthz": _public(200),
    "readyz": _public((200, 503), note="503 until static files are collected: not an access decision"),
    "accounts:sign-in": Entry(access=SIGNED_OUT, methods="get post"),
    "accounts:sign-out": _public(methods="post"),
    "accounts:two-factor": Entry(access=SIGNED_IN, methods="get post", status=(302,),
                                 note="a verified person is sent on"),
    "accounts:two-factor-recovery": Entry(access=SIGNED_IN, methods="get post", status=(302,),
                                          note="a verified person is sent on"),
    "accounts:recovery-codes": Entry(access=SIGNED_IN, methods="get post", status=(200, 302),
                                     note="the person's own codes: GET shows how many are left, POST makes new ones "
                                          "and sends on to show them"),
    "accounts:password-reset": _public(methods="get post"),
    "accounts:password-reset-sent": _public(),
    "accounts:password-reset-confirm": _public(methods="get post", record="bad-reset-link"),
    "accounts:password-reset-complete": _public(),
    # Published yearly reports: anyone; nothing published (or a draft) is 404 for everyone, members included.
    "published:index": _public(record="published-index"),
    "published:index[nothing-published]": _public(404, record="nothing-published"),
    "published:latest": _public(record="published-year"),
    "published:latest[draft]": _public(404, record="draft-year"),
    "published:version": _public(record="published-version"),
    "published:pdf": _public(record="published-version"),
    "published:docx": _public(record="published-version"),
    # A survey through its link: anyone; a draft survey's link is 404.
    "survey:answer": _public(methods="get post", record="survey-link"),
    "survey:answer[draft]": _public(404, methods="get post", record="draft-survey-link"),
    "survey:thanks": _public(record="survey-link"),
    # The API: a token per person, the partnership among theirs.
    "api:schema": _public(),
    "api:indicator-values": Entry(access=API, allowed=EVERYONE),
    "api:benchmarks": Entry(access=API, allowed=EVERYONE),
    "api-token:manage": _e(EVERYONE, "get post"),
    # -- the partnership register -----------------------------------------------------------------------------
    "partnership:home": _e(EVERYONE),
    "partnership:register": _e(EVERYONE),
    "partnership:people": _e(ADMIN, logged=ADMIN, log_record=("accounts.membership", None)),
    # A member's lost phone: the business unit resets their two-factor sign-in (an audit event).
    "partnership:reset-two-factor": _e(ADMIN, "get post", record="member"),
    # -- audit trail and access log ----------------------------------------------------------------------------
    "core:audit-trail": _e(ADMIN),
    "core:audit-event": _e(ADMIN, record="audit-event", logged=ADMIN, log_record=("core.auditevent", "pk")),
    # A change to a LADO contact holds the contact's values: only someone who may see LADO detail reads them,
    # so the business unit alone (without the LADO officer role) may not.
    "core:audit-event[lado]": _e(NOBODY, record="audit-event-lado", log_record=("core.auditevent", "pk")),
    "core:access-log": _e(ADMIN),
    # Archive and restore (core/archiving.py): each kind for those who keep its register; the archived page for
    # anyone who keeps one. Here a register's record (the business unit); tests/test_archiving.py has every kind.
    "core:archived": _e(ADMIN | LADO | CASE_REVIEWERS | SIGNERS),  # SIGNERS: partner leads keep meeting actions
    # Opening a LADO contact's archive page is logged like its other pages (tests/test_archiving.py); this voice
    # record is not sensitive, so no entry here.
    "core:archive": _e(ADMIN, "get post", record="registers-voice-kind", log_record=("lado.ladocontact", "pk")),
    "core:restore": _e(ADMIN, "post", record="registers-archived-kind"),
    # -- child-level returns -------------------------------------------------------------------------------
    "returns:list": _e(IMPORTERS),
    "returns:upload": _e(IMPORTERS, "get post"),
    "returns:import": _e(IMPORTERS, record="import"),
    "returns:quality": _e(IMPORTERS, record="import", logged=IMPORTERS, log_record=("returns.returnimport", "pk")),
    # -- the dashboard -------------------------------------------------------------------------------------
    "dashboard:index": _e(EVERYONE),
    "dashboard:table-csv": _e(EVERYONE),
    "dashboard:table-xlsx": _e(EVERYONE),
    "dashboard:chart-data-csv": _e(EVERYONE),
    "dashboard:chart-data-xlsx": _e(EVERYONE),
    "dashboard:chart-svg": _e(EVERYONE),
    "dashboard:chart-png": _e(EVERYONE),
    "dashboard:workforce-csv": _e(EVERYONE),
    "dashboard:workforce-xlsx": _e(EVERYONE),
    "dashboard:workforce-chart-svg": _e(EVERYONE),
    "dashboard:workforce-chart-png": _e(EVERYONE),
    # -- the demand forecast (issue 17) ------------------------------------------------------------------------
    "forecast:index": _e(EVERYONE),
    "forecast:csv": _e(EVERYONE),
    "forecast:xlsx": _e(EVERYONE),
    "forecast:save": _e(IMPORTERS, "post"),
    "forecast:compare": _e(EVERYONE),
    "dashboard:disproportionality": _e(EVERYONE),
    "dashboard:disproportionality-csv": _e(EVERYONE),
    "dashboard:disproportionality-xlsx": _e(EVERYONE),
    "dashboard:disproportionality-svg": _e(EVERYONE),
    "dashboard:disproportionality-png": _e(EVERYONE),
    # -- the yearly report ---------------------------------------------------------------------------------
    "reports:index": _e(EVERYONE, "get post", post_allowed=ADMIN),
    "reports:detail": _e(EVERYONE, record="report"),
    "reports:edit-section": _e(ADMIN, "get post", record="report-section"),
    "reports:add-context": _e(ADMIN, "get post", record="report"),
    "reports:add-figure": _e(ADMIN, "get post", record="report"),
    "reports:remove-part": _e(ADMIN, "post", record="report-part"),
    "reports:mark-final": _e(ADMIN, "post", record="report"),
    "reports:sign-off": _e(SIGNERS, "post", record="report"),
    "reports:publish": _e(ADMIN, "get post", record="report"),
    "reports:new-version": _e(ADMIN, "post", record="report"),
    "reports:html": _e(EVERYONE, record="published-report"),
    "reports:pdf": _e(EVERYONE, record="published-report"),
    "reports:docx": _e(EVERYONE, record="published-report"),
    # -- the LADO register: contacts for LADO officers only, every view logged -------------------------------
    "lado:index": _e(EVERYONE),
    "lado:contacts": _e(LADO, logged=LADO, log_record=("lado.ladocontact", None)),
    "lado:add": _e(LADO, "get post", log_record=("lado.ladocontact", "pk"), note=SHARED),
    "lado:contact": _e(LADO, record="lado-contact", logged=LADO, log_record=("lado.ladocontact", "pk")),
    "lado:edit": _e(LADO, "get post", record="lado-contact", logged=LADO, log_record=("lado.ladocontact", "pk")),
    # -- the smaller registers -------------------------------------------------------------------------------
    "registers:index": _e(EVERYONE),
    # Private fostering: a child each, the business unit only, every view of one (or the list) logged.
    "registers:fostering": _e(EVERYONE, logged=ADMIN,
                              log_record=("registers.privatefosteringarrangement", None)),
    "registers:arrangement-add": _e(ADMIN, "get post", log_record=("registers.privatefosteringarrangement", "pk"),
                                    note=SHARED),
    "registers:arrangement": _e(ADMIN, record="arrangement", logged=ADMIN,
                                log_record=("registers.privatefosteringarrangement", "pk")),
    "registers:arrangement-edit": _e(ADMIN, "get post", record="arrangement", logged=ADMIN,
                                     log_record=("registers.privatefosteringarrangement", "pk")),
    "registers:visit-add": _e(ADMIN, "get post", record="arrangement", logged=ADMIN,
                              log_record=("registers.privatefosteringarrangement", "pk")),
    "registers:visit-edit": _e(ADMIN, "get post", record="visit", logged=ADMIN,
                               log_record=("registers.privatefosteringvisit", "pk")),
    "registers:training": _e(EVERYONE),
    "registers:course-add": _e(ADMIN, "get post"),
    "registers:course": _e(EVERYONE, record="course"),
    "registers:course-edit": _e(ADMIN, "get post", record="course"),
    "registers:session-add": _e(ADMIN, "get post", record="course"),
    "registers:session": _e(EVERYONE, record="session"),
    "registers:session-edit": _e(ADMIN, "get post", record="session"),
    "registers:attendance-add": _e(ADMIN, "get post", record="session"),
    "registers:attendance-edit": _e(ADMIN, "get post", record="attendance"),
    "registers:evaluation-add": _e(ADMIN, "get post", record="attendance"),
    "registers:evaluation-edit": _e(ADMIN, "get post", record="evaluation"),
    "registers:surveys": _e(EVERYONE),
    "registers:survey-add": _e(ADMIN, "get post"),
    "registers:survey": _e(EVERYONE, record="survey"),
    "registers:survey-edit": _e(ADMIN, "get post", record="survey"),
    "registers:survey-status": _e(ADMIN, "post", record="survey"),
    "registers:question-add": _e(ADMIN, "get post", record="draft-survey"),
    "registers:question-edit": _e(ADMIN, "get post", record="question"),
    "registers:survey-results": _e(EVERYONE, record="survey"),
    "registers:survey-csv": _e(EVERYONE, record="survey"),
    "registers:word-cloud": _e(EVERYONE, record="survey"),
    "registers:quote-add": _e(ADMIN, "get post", record="survey"),
    "registers:quote-edit": _e(ADMIN, "get post", record="quote"),
    "registers:voice": _e(EVERYONE),
    "registers:voice-add": _e(ADMIN, "get post"),
    "registers:voice-record": _e(EVERYONE, record="voice"),
    "registers:voice-edit": _e(ADMIN, "get post", record="voice"),
    # -- assurance: Section 11, multi-agency audits, escalations ----------------------------------------------
    "audits:index": _e(EVERYONE),
    "audits:frameworks": _e(EVERYONE),
    "audits:framework-add": _e(ADMIN, "get post"),
    "audits:framework": _e(EVERYONE, record="framework"),
    "audits:framework-edit": _e(ADMIN, "get post", record="framework"),
    "audits:standard-add": _e(ADMIN, "get post", record="framework"),
    "audits:standard-edit": _e(ADMIN, "get post", record="standard"),
    "audits:cycle-add": _e(ADMIN, "get post"),
    "audits:cycle": _e(EVERYONE, record="cycle"),
    "audits:cycle-edit": _e(ADMIN, "get post", record="cycle"),
    "audits:matrix": _e(DETAIL, record="cycle"),
    "audits:matrix-xlsx": _e(DETAIL, record="cycle"),
    "audits:cycle-actions": _e(DETAIL, record="cycle"),
    "audits:return-start": _e(AGENCY, "post", record="cycle"),
    "audits:return-share": _e(AGENCY, "post", record="cycle"),
    "audits:cycle-recommendation-add": _e(ADMIN, "get post", record="cycle"),
    # An agency's return: the detail roles see every one, an agency lead only its own organisation's.
    "audits:return": _e(RETURN_READERS, record="own-return", org_scoped=True),
    "audits:answer": _e(AGENCY, "get post", record="own-answer", org_scoped=True),
    "audits:evidence": _e(RETURN_READERS, record="own-evidence", org_scoped=True),
    "audits:evidence-remove": _e(AGENCY, "post", record="own-evidence", org_scoped=True),
    "audits:planned-action-add": _e(AGENCY, "get post", record="own-return", org_scoped=True),
    "audits:planned-action-edit": _e(AGENCY, "get post", record="own-planned-action", org_scoped=True),
    "audits:return-submit": _e(AGENCY, "get post", record="own-return", org_scoped=True),
    "audits:return-send-back": _e(ADMIN, "post", record="submitted-return"),
    "audits:moderate": _e(ADMIN, "get post", record="submitted-return"),
    "audits:challenge-add": _e(ADMIN, "get post", record="submitted-return"),
    "audits:challenge-respond": _e(AGENCY, "get post", record="own-challenge", org_scoped=True),
    "audits:challenge-resolve": _e(ADMIN, "post", record="own-challenge"),
    "audits:maa-list": _e(EVERYONE),
    "audits:maa-add": _e(ADMIN, "get post"),
    # The cases and findings: the detail roles (all) and an agency lead taking part (its own), each view logged.
    "audits:maa": _e(EVERYONE, record="maa", logged=FINDINGS | DETAIL, logged_own_org_only=True,
                     log_record=("audits.multiagencyaudit", "pk")),
    "audits:maa-edit": _e(ADMIN, "get post", record="maa"),
    "audits:maa-case-add": _e(ADMIN, "get post", record="maa"),
    "audits:maa-finding-add": _e(FINDINGS, "get post", record="maa", org_scoped=True, logged=FINDINGS,
                                 log_record=("audits.multiagencyaudit", "pk")),
    "audits:maa-finding-edit": _e(FINDINGS, "get post", record="own-finding", org_scoped=True, logged=FINDINGS,
                                  log_record=("audits.agencyfinding", "finding_pk")),
    "audits:maa-recommendation-add": _e(ADMIN, "get post", record="maa"),
    "audits:action-add": _e(ADMIN, "get post", record="audit-recommendation"),
    "audits:escalations": _e(EVERYONE, logged=DETAIL, log_record=("audits.escalation", None)),
    "audits:escalation-add": _e(ADMIN, "get post", log_record=("audits.escalation", "pk"), note=SHARED),
    "audits:escalation": _e(DETAIL, record="escalation", logged=DETAIL, log_record=("audits.escalation", "pk")),
    "audits:escalation-edit": _e(ADMIN, "get post", record="escalation", logged=ADMIN,
                                 log_record=("audits.escalation", "pk")),
    # -- case reviews and the action log ---------------------------------------------------------------------
    "reviews:index": _e(EVERYONE, logged=CASE_REVIEWERS, log_record=("reviews.seriousincident", None)),
    "reviews:incident-add": _e(CASE_REVIEWERS, "get post", log_record=("reviews.seriousincident", "pk"), note=SHARED),
    "reviews:incident": _e(CASE_REVIEWERS, record="incident", logged=CASE_REVIEWERS,
                           log_record=("reviews.seriousincident", "pk")),
    "reviews:incident-edit": _e(CASE_REVIEWERS, "get post", record="incident", logged=CASE_REVIEWERS,
                                log_record=("reviews.seriousincident", "pk")),
    "reviews:review": _e(CASE_REVIEWERS, "get post", record="incident", logged=CASE_REVIEWERS,
                         log_record=("reviews.seriousincident", "pk")),
    "reviews:document-add": _e(CASE_REVIEWERS, "get post", record="incident", logged=CASE_REVIEWERS,
                               log_record=("reviews.seriousincident", "pk")),
    "reviews:document": _e(CASE_REVIEWERS, record="review-document", logged=CASE_REVIEWERS,
                           log_record=("reviews.reviewdocument", "document_pk")),
    "reviews:incident-recommendation-add": _e(CASE_REVIEWERS, "get post", record="incident", logged=CASE_REVIEWERS,
                                              log_record=("reviews.seriousincident", "pk")),
    # -- the action log ---------------------------------------------------------------------------------------
    "actions:log": _e(EVERYONE),
    # The action log's old addresses under case reviews, and the registers' archived page: moved (301) for members.
    "reviews:moved-action-log": _e(EVERYONE, status=(301,)),
    "reviews:moved-action": _e(EVERYONE, record="own-action", status=(301,)),
    "reviews:moved-recommendation-add": _e(EVERYONE, status=(301,)),
    "reviews:moved-action-add": _e(EVERYONE, record="review-recommendation", status=(301,)),
    "registers:moved-archived": _e(EVERYONE, status=(301,)),
    "actions:recommendation-add": _e(CASE_REVIEWERS, "get post"),
    "actions:action-add": _e(CASE_REVIEWERS, "get post", record="review-recommendation"),
    # An agency lead updates its own organisation's actions only.
    "actions:action-edit": _e(ACTION_UPDATERS, "get post", record="own-action", org_scoped=True),
}

# The register: the same five pages for every section, written out once (archive and restore are core's).
for _section in SECTIONS:
    _managers = SECTION_MANAGERS.get(_section.slug, ADMIN)
    _record = f"section:{_section.slug}"
    TABLE.update({
        f"partnership:section[{_section.slug}]": _e(EVERYONE, record=f"section-list:{_section.slug}"),
        f"partnership:record[{_section.slug}]": _e(EVERYONE, record=_record),
        f"partnership:add[{_section.slug}]": _e(_managers, "get post", record=f"section-list:{_section.slug}"),
        f"partnership:edit[{_section.slug}]": _e(_managers, "get post", record=_record),
    })


def url_name(key):
    return key.split("[", 1)[0]


# -- the records ------------------------------------------------------------------------------------------------


def records_for(p, agency):
    """Every record the partnership's URLs name, as URL arguments (the slug apart), keyed as TABLE's `record`.
    `agency` is the organisation the test people belong to: the owner of the organisation-scoped records."""
    from safeguarding.core import audit
    from safeguarding.lado.models import LadoContact
    from safeguarding.reports.models import ContextFigure, YearlyReport
    from safeguarding.returns.models import ReturnImport
    from safeguarding.actions.models import Action, Recommendation
    from safeguarding.reviews.models import ReviewDocument, SeriousIncident
    from tests import factories
    from tests.audits import builders
    from tests.registers import records as register_records

    kwargs = {}
    register = factories.records_for(p)
    for section in SECTIONS:
        kwargs[f"section-list:{section.slug}"] = {"section": section.slug}
        kwargs[f"section:{section.slug}"] = {"section": section.slug, "pk": register[section.slug].pk}
    kwargs["audit-event"] = {"pk": audit.log(action="create", instance=register["subgroups"], by=None).pk}

    kwargs["import"] = {"pk": ReturnImport.objects.create(partnership=p, la_code=p.la_code, file_names="cin.xml").pk}

    contact = LadoContact.objects.create(
        partnership=p, reference="L-1", kind="consultation", received_on=D(2020, 5, 1), person_role="Coach",
        employer_sector="sport", referrer="Club", referrer_sector="sport", category="physical")
    kwargs["lado-contact"] = {"pk": contact.pk}
    kwargs["audit-event-lado"] = {"pk": audit.log(action="create", instance=contact, by=None,
                                                  after=audit.snapshot(contact)).pk}

    draft = YearlyReport.objects.create(partnership=p, year=2021, title=f"{p.short_name} yearly report 2020-21")
    part = ContextFigure.objects.create(report=draft, label="Children aged 0 to 19", value="1,000")
    published = YearlyReport.objects.create(
        partnership=p, year=2020, title=f"{p.short_name} yearly report 2019-20",
        status=YearlyReport.Status.PUBLISHED, published_html="<p>Published</p>", published_pdf=b"%PDF-1.7 test",
        published_docx=b"PK test", published_at=datetime.datetime(2020, 9, 1, tzinfo=datetime.timezone.utc))
    kwargs.update({
        "report": {"pk": draft.pk}, "report-section": {"pk": draft.pk, "section": "foreword"},
        "report-part": {"pk": draft.pk, "kind": "context", "part": part.pk},
        "published-report": {"pk": published.pk},
        "published-index": {"slug": p.slug}, "published-year": {"slug": p.slug, "year": 2020},
        "published-version": {"slug": p.slug, "year": 2020, "version": 1},
        "draft-year": {"slug": p.slug, "year": 2021},
    })

    # Case reviews: an incident with a decision to hold a local review, its document, a recommendation, and an
    # action owned by the test people's organisation.
    incident = SeriousIncident.objects.create(partnership=p, reference="SIN-1", summary="x", aware_on=D(2020, 6, 1),
                                              decision="local_cspr", decision_on=D(2020, 6, 20))
    document = ReviewDocument(partnership=p, incident=incident, title="Terms of reference")
    document.file.save("tor.pdf", ContentFile(b"%PDF-1.7"), save=False)
    document.save()
    recommendation = Recommendation.objects.create(partnership=p, source=incident, source_title="Child Z",
                                                   text="Do better", made_on=D(2021, 1, 5))
    from safeguarding.partnership.models import PartnerAgency

    PartnerAgency.objects.get_or_create(partnership=p, organisation=agency, defaults={"kind": "relevant"})
    action = Action.objects.create(partnership=p, recommendation=recommendation, description="Act",
                                   organisation=agency, owner="Head", due_on=D(2021, 6, 30))
    kwargs.update({"incident": {"pk": incident.pk},
                   "review-document": {"pk": incident.pk, "document_pk": document.pk},
                   "review-recommendation": {"pk": recommendation.pk}, "own-action": {"pk": action.pk}})

    registers = register_records.records_for(p)
    for key in ("arrangement", "visit", "course", "session", "attendance", "evaluation", "survey", "question",
                "quote", "voice"):
        kwargs[key] = {"pk": registers[key].pk}
    kwargs["draft-survey"] = {"pk": registers["draft"].pk}
    kwargs["registers-voice-kind"] = {"kind": "voice", "pk": registers["voice"].pk}
    kwargs["registers-archived-kind"] = {"kind": "voice", "pk": registers["archived"].pk}
    kwargs["survey-link"] = {"token": registers["survey"].token}
    kwargs["draft-survey-link"] = {"token": registers["draft"].token}

    # Assurance: the test people's organisation has a return in progress; another agency has submitted one.
    w = builders.world(p, agency)
    kwargs.update({
        "framework": {"pk": w.framework.pk}, "standard": {"pk": w.framework.standards.first().pk},
        "cycle": {"pk": w.cycle.pk}, "own-return": {"pk": w.draft.pk},
        "own-answer": {"pk": w.draft.pk, "key": w.framework.standards.first().key},
        "own-evidence": {"pk": w.draft.pk, "file_pk": w.evidence.pk},
        "own-planned-action": {"pk": w.draft.pk, "action_pk": w.action.pk},
        "submitted-return": {"pk": w.submitted.pk}, "own-challenge": {"pk": w.challenge.pk},
        "maa": {"pk": w.audit.pk}, "own-finding": {"pk": w.audit.pk, "finding_pk": w.finding.pk},
        "audit-recommendation": {"pk": w.recommendation.pk}, "escalation": {"pk": w.escalation.pk},
    })
    kwargs["bad-reset-link"] = {"uidb64": "MQ", "token": "not-a-real-token"}
    kwargs["member"] = {"pk": factories.person(p, Role.SCRUTINEER, org=agency).pk}  # whose two-factor is reset
    return kwargs


# -- the people ---------------------------------------------------------------------------------------------------


@dataclass
class Principal:
    """Someone asking for a page: a member with one role, an agency lead of another organisation, a member of
    another partnership, a member with every role asking for another partnership's record, or anonymous."""

    label: str
    kind: str  # member | stranger | outsider | foreign | anonymous
    role: Role | None = None
    user: object = None
    session_key: str | None = None
    token: str | None = None
    client: Client = field(default_factory=Client)

    def request(self, method, url, *, api=False):
        """One request, signed in as this person (by token for the API), with a fresh copy of their session."""
        from django.conf import settings

        self.client.cookies.clear()
        if self.session_key and not api:
            self.client.cookies[settings.SESSION_COOKIE_NAME] = self.session_key
        headers = {"HTTP_AUTHORIZATION": f"Token {self.token}"} if api and self.token else {}
        return getattr(self.client, method)(url, **headers)


def _signed_in(label, kind, user, role=None):
    from rest_framework.authtoken.models import Token

    from tests import factories

    client = factories.sign_in(Client(), user)
    session = client.session
    session.set_expiry(6 * 60 * 60)  # the whole module's run; idle expiry has its own tests
    session.save()
    token = Token.objects.get_or_create(user=user)[0]
    return Principal(label, kind, role, user, session.session_key, token.key, client)


@dataclass
class World:
    home: object
    away: object
    agency: object  # the test people's organisation
    home_records: dict
    away_records: dict
    principals: list
    members: dict  # role -> Principal
    baseline: tuple = ()

    def url(self, key, *, foreign=False):
        """The URL of a TABLE entry in the home partnership (with another partnership's record if foreign)."""
        from django.urls import reverse

        entry = TABLE[key]
        records = self.away_records if foreign else self.home_records
        kwargs = dict(records[entry.record]) if entry.record else {}
        if entry.access in (PARTNERSHIP, API):
            kwargs["slug"] = self.home.slug
        return reverse(url_name(key), kwargs=kwargs)

    def record_id(self, key):
        entry = TABLE[key]
        _, argument = entry.log_record
        return str(self.home_records[entry.record][argument]) if argument else ""


# Tables whose rows change with every request whatever it is: not evidence of a write.
_NOT_WRITES = ("django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog",
               "axes_accessattemptexpiration")


@functools.lru_cache(maxsize=1)
def fingerprint_sql():
    from django.apps import apps

    tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)
                     if m._meta.managed and not m._meta.proxy} - set(_NOT_WRITES))
    quote = connection.ops.quote_name
    return "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables), tables


def fingerprint():
    """Rows in every table but sessions and sign-in attempts: any create, delete, or change made through the
    audit trail (which adds an event) shows."""
    sql, _ = fingerprint_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def changed_tables(world):
    _, tables = fingerprint_sql()
    return [table for table, before, now in zip(tables, world.baseline, fingerprint()) if before != now]


def build_world():
    from safeguarding.accounts.models import Organisation
    from tests import factories

    home = factories.partnership("Home")
    away = factories.partnership("Away")
    agency = factories.organisation("Home fire service", Organisation.Sector.FIRE)
    away_agency = factories.organisation("Away fire service", Organisation.Sector.FIRE)
    home_records = records_for(home, agency)
    away_records = records_for(away, away_agency)
    home_records["nothing-published"] = {"slug": factories.partnership("Quiet").slug}
    stranger_org = factories.organisation("Another agency", Organisation.Sector.HEALTH)

    principals, members = [], {}
    for role in Role:
        members[role] = _signed_in(f"{role.value}", "member", factories.person(home, role, org=agency), role)
        principals.append(members[role])
    principals.append(_signed_in("agency_lead of another organisation", "stranger",
                                 factories.person(home, Role.AGENCY_LEAD, org=stranger_org), Role.AGENCY_LEAD))
    for role in Role:
        # Same organisation as the records: only the partnership differs.
        principals.append(_signed_in(f"{role.value} of another partnership", "outsider",
                                     factories.person(away, role, org=agency), role))
    # Every role at once, and the organisation of the other partnership's records: only the partnership differs.
    principals.append(_signed_in("every role, another partnership's record", "foreign",
                                 factories.person(home, *Role, org=away_agency)))
    principals.append(Principal("anonymous", "anonymous"))
    return World(home, away, agency, home_records, away_records, principals, members)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The partnerships, their records and the people, built once for the module inside a transaction that is
    rolled back at its end; each test runs in a savepoint inside it."""
    from django.conf import settings

    from safeguarding.returns.store import AnalyticalStore

    folder = tmp_path_factory.mktemp("access")
    storages = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                 "OPTIONS": {"location": folder / "media"}}}
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        analytics = {"ANALYTICS_URL": "", "ANALYTICS_SCHEMA": f"test_{uuid.uuid4().hex[:12]}"}
    else:
        analytics = {"ANALYTICS_URL": f"duckdb:///{folder / 'analytics.duckdb'}", "ANALYTICS_SCHEMA": "child_level"}
    with django_db_blocker.unblock(), override_settings(STORAGES=storages, **analytics):
        store = AnalyticalStore()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            built.baseline = fingerprint()
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            if store.kind == "postgres":
                store.drop()
