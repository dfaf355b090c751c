"""Every partnership page is reached through here: the partnership comes from the URL,
but only among the partnerships the signed-in person belongs to, so an outsider gets
404 and never learns whether a partnership or record exists."""
import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safeguarding.accounts.models import Partnership


def partnership_for(user, slug):
    try:
        return Partnership.objects.filter(memberships__user=user).distinct().get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404("No such partnership") from None


def partnership_view(permission="partnership.view"):
    """Decorate a view taking ``slug``: sets request.partnership and request.roles, checks the permission.

    A member without the permission gets 403 (they know the partnership); anyone else 404.
    """

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            partnership = partnership_for(request.user, slug)
            request.partnership = partnership
            request.roles = request.user.roles_in(partnership)
            if not request.user.has_perm(permission, partnership):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.permission = permission
        return wrapped

    return decorator


def can(request, permission):
    """For templates and views: may the current person do this in the current partnership?"""
    return request.user.has_perm(permission, getattr(request, "partnership", None))
