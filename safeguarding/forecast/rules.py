"""Who may see the forecast and save its scenarios: everyone who sees the dashboard sees it (a scrutineer with small
numbers as c); the admin and the analyst save scenarios."""
import rules

from safeguarding.accounts.roles import Role
from safeguarding.accounts.rules import has_role, is_member

rules.add_perm("forecast.view", is_member)
rules.add_perm("forecast.save_scenario", has_role(Role.ADMIN, Role.ANALYST))
