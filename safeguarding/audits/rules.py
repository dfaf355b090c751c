"""Who may do what in the assurance workflows (autodiscovered by django-rules)."""
import rules

from safeguarding.accounts.rules import has_role, is_member
from safeguarding.accounts.roles import Role

rules.add_perm("audits.view", is_member)
