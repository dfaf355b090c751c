"""Who may do what with case reviews and the action log (autodiscovered by django-rules)."""
import rules

from safeguarding.accounts.roles import Role
from safeguarding.accounts.rules import has_role, is_member

# Incident notifications, rapid reviews and CSPRs: case review members and the business unit (docs/architecture.md).
rules.add_perm("reviews.view_cases", has_role(Role.ADMIN, Role.CASE_REVIEW))
rules.add_perm("reviews.manage_cases", has_role(Role.ADMIN, Role.CASE_REVIEW))
# The action log: every member sees it (an agency lead only its own organisation's actions).
rules.add_perm("reviews.view_actions", is_member)
rules.add_perm("reviews.manage_actions", has_role(Role.ADMIN, Role.CASE_REVIEW))
rules.add_perm("reviews.update_own_actions", has_role(Role.ADMIN, Role.CASE_REVIEW, Role.PARTNER_LEAD,
                                                       Role.AGENCY_LEAD))
