"""Who may see and write the action log (autodiscovered by django-rules). Meeting actions are written in the
partnership register (partnership.update_actions)."""
import rules

from safeguarding.accounts.roles import Role
from safeguarding.accounts.rules import has_role, is_member

# Every member sees the log; an agency lead only its own organisation's actions (selectors.SEE_ALL).
rules.add_perm("actions.view", is_member)
# Recommendations and the actions on them: case review members and the business unit (docs/architecture.md, Roles).
rules.add_perm("actions.manage", has_role(Role.ADMIN, Role.CASE_REVIEW))
# Progress on an action: also partner leads, and agency leads on their own organisation's actions.
rules.add_perm("actions.update_own", has_role(Role.ADMIN, Role.CASE_REVIEW, Role.PARTNER_LEAD, Role.AGENCY_LEAD))
