from django.urls import path

from .views import escalations as esc
from .views import multi_agency as maa
from .views import overview
from .views import section11 as s11

app_name = "audits"
urlpatterns = [
    path("", overview.index, name="index"),
    # Section 11: the partnership's frameworks of standards
    path("section-11/frameworks/", s11.framework_list, name="frameworks"),
    path("section-11/frameworks/add/", s11.framework_form, name="framework-add"),
    path("section-11/frameworks/<int:pk>/", s11.framework_detail, name="framework"),
    path("section-11/frameworks/<int:pk>/change/", s11.framework_form, name="framework-edit"),
    path("section-11/frameworks/<int:pk>/standards/add/", s11.standard_add, name="standard-add"),
    path("section-11/standards/<int:pk>/change/", s11.standard_edit, name="standard-edit"),
    # Section 11: cycles, the subgroup's matrix and the agencies' actions
    path("section-11/cycles/add/", s11.cycle_form, name="cycle-add"),
    path("section-11/cycles/<int:pk>/", s11.cycle_detail, name="cycle"),
    path("section-11/cycles/<int:pk>/change/", s11.cycle_form, name="cycle-edit"),
    path("section-11/cycles/<int:pk>/matrix/", s11.matrix, name="matrix"),
    path("section-11/cycles/<int:pk>/matrix.xlsx", s11.matrix_xlsx, name="matrix-xlsx"),
    path("section-11/cycles/<int:pk>/actions/", s11.cycle_actions, name="cycle-actions"),
    path("section-11/cycles/<int:pk>/start/", s11.return_start, name="return-start"),
    path("section-11/cycles/<int:pk>/share/", s11.return_share, name="return-share"),
    path("section-11/cycles/<int:pk>/recommendations/add/", s11.cycle_recommendation_add,
         name="cycle-recommendation-add"),
    # Section 11: an agency's return as this partnership sees it
    path("section-11/returns/<int:pk>/", s11.return_detail, name="return"),
    path("section-11/returns/<int:pk>/standards/<slug:key>/", s11.answer, name="answer"),
    path("section-11/returns/<int:pk>/evidence/<int:file_pk>/", s11.evidence, name="evidence"),
    path("section-11/returns/<int:pk>/evidence/<int:file_pk>/remove/", s11.evidence_remove, name="evidence-remove"),
    path("section-11/returns/<int:pk>/actions/add/", s11.planned_action_form, name="planned-action-add"),
    path("section-11/returns/<int:pk>/actions/<int:action_pk>/", s11.planned_action_form,
         name="planned-action-edit"),
    path("section-11/returns/<int:pk>/submit/", s11.return_submit, name="return-submit"),
    path("section-11/returns/<int:pk>/send-back/", s11.return_send_back, name="return-send-back"),
    path("section-11/returns/<int:pk>/moderate/", s11.moderate, name="moderate"),
    path("section-11/returns/<int:pk>/challenges/add/", s11.challenge_add, name="challenge-add"),
    path("section-11/challenges/<int:pk>/respond/", s11.challenge_respond, name="challenge-respond"),
    path("section-11/challenges/<int:pk>/resolve/", s11.challenge_resolve, name="challenge-resolve"),
    # Multi-agency audits
    path("multi-agency-audits/", maa.audit_list, name="maa-list"),
    path("multi-agency-audits/add/", maa.audit_form, name="maa-add"),
    path("multi-agency-audits/<int:pk>/", maa.audit_detail, name="maa"),
    path("multi-agency-audits/<int:pk>/change/", maa.audit_form, name="maa-edit"),
    path("multi-agency-audits/<int:pk>/cases/add/", maa.case_add, name="maa-case-add"),
    path("multi-agency-audits/<int:pk>/findings/add/", maa.finding_form, name="maa-finding-add"),
    path("multi-agency-audits/<int:pk>/findings/<int:finding_pk>/", maa.finding_form, name="maa-finding-edit"),
    path("multi-agency-audits/<int:pk>/recommendations/add/", maa.recommendation_add, name="maa-recommendation-add"),
    # Actions on a recommendation of a Section 11 cycle or a multi-agency audit (the shared action log)
    path("recommendations/<int:pk>/actions/add/", overview.action_add, name="action-add"),
    # Escalations
    path("escalations/", esc.escalation_list, name="escalations"),
    path("escalations/add/", esc.escalation_form, name="escalation-add"),
    path("escalations/<int:pk>/", esc.escalation_detail, name="escalation"),
    path("escalations/<int:pk>/change/", esc.escalation_form, name="escalation-edit"),
]
