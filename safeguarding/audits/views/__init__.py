"""Pages of the assurance workflows: Section 11 audits, multi-agency audits and escalations."""
