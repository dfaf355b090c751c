"""Who may do what in the assurance workflows (autodiscovered by django-rules).

Every member sees the aggregates: the standards, each cycle's counts by rating and themes, each multi-agency
audit's theme, learning and action counts, the escalation figures. Agency-level and case-level detail (the
matrix of agencies, other agencies' returns, the cases sampled and each agency's findings, escalation records)
is for the business unit and the statutory partner leads. An agency lead completes its own organisation's
returns and findings; the views scope those to ``request.user.organisation`` (404 for anyone else's).
"""
import rules

from safeguarding.accounts.rules import has_role, is_member
from safeguarding.accounts.roles import Role

rules.add_perm("audits.view", is_member)
rules.add_perm("audits.view_detail", has_role(Role.ADMIN, Role.PARTNER_LEAD))
rules.add_perm("audits.manage", has_role(Role.ADMIN))
# Reading a Section 11 return: the detail roles (all returns) and agency leads (their own organisation's).
rules.add_perm("audits.view_returns", has_role(Role.ADMIN, Role.PARTNER_LEAD, Role.AGENCY_LEAD))
rules.add_perm("audits.complete_return", has_role(Role.AGENCY_LEAD))
# Findings in a multi-agency audit: the business unit for any agency, an agency lead for its own.
rules.add_perm("audits.record_findings", has_role(Role.ADMIN, Role.AGENCY_LEAD))
