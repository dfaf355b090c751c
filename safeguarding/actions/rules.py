"""Who may see the action log (autodiscovered by django-rules). Adding and updating actions stays with their
source: meetings in the partnership register, recommendations in case reviews and audits."""
import rules

from safeguarding.accounts.rules import is_member

# Every member sees the log; an agency lead only its own organisation's actions (selectors.SEE_ALL).
rules.add_perm("actions.view", is_member)
