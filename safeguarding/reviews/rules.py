"""Who may do what with case reviews (autodiscovered by django-rules); the action log's rules are in actions."""
import rules

from safeguarding.accounts.roles import Role
from safeguarding.accounts.rules import has_role, is_member

# Incident notifications, rapid reviews and CSPRs: case review members and the business unit (docs/architecture.md).
rules.add_perm("reviews.view_cases", has_role(Role.ADMIN, Role.CASE_REVIEW))
rules.add_perm("reviews.manage_cases", has_role(Role.ADMIN, Role.CASE_REVIEW))
# The case reviews page (with the action log's counts): every member.
rules.add_perm("reviews.view", is_member)
