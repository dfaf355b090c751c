"""Who may do what, per partnership (django-rules predicates over Membership).

Each permission is checked against the partnership as the object:
``request.user.has_perm("partnership.manage_register", partnership)``.
"""
import rules

from safeguarding.accounts.roles import Role


def has_role(*roles):
    wanted = frozenset(roles)
    name = "has_role:" + ",".join(sorted(wanted))

    @rules.predicate(name)
    def predicate(user, partnership):
        if partnership is None or not user.is_authenticated:
            return False
        return bool(user.roles_in(partnership) & wanted)

    return predicate


@rules.predicate
def is_member(user, partnership):
    if partnership is None or not user.is_authenticated:
        return False
    return bool(user.roles_in(partnership))


is_admin = has_role(Role.ADMIN)

rules.add_perm("partnership.view", is_member)
rules.add_perm("partnership.manage_register", is_admin)
rules.add_perm("partnership.update_actions", has_role(Role.ADMIN, Role.PARTNER_LEAD))
rules.add_perm("partnership.view_people", is_admin)
# A member who has lost their phone: the business unit removes their authenticator app and recovery codes.
rules.add_perm("accounts.reset_two_factor", is_admin)
rules.add_perm("core.view_audit_trail", is_admin)
# Child-level returns: the business unit and analysts (docs/architecture.md, "Roles").
rules.add_perm("returns.import", has_role(Role.ADMIN, Role.ANALYST))
rules.add_perm("returns.view_child_level", has_role(Role.ADMIN, Role.ANALYST))
# The yearly report: every member reads it; the business unit writes it; the statutory partner leads sign it off.
rules.add_perm("reports.view", is_member)
rules.add_perm("reports.manage", is_admin)
rules.add_perm("reports.sign_off", has_role(Role.PARTNER_LEAD))
# The LADO register: only LADO officers see a contact; every member sees the yearly counts (c for 1-5).
rules.add_perm("lado.view_detail", has_role(Role.LADO))
rules.add_perm("lado.view_figures", is_member)
# The smaller registers (private fostering, training, surveys): members read, the business unit manages.
rules.add_perm("registers.view", is_member)
rules.add_perm("registers.manage", is_admin)
