from safeguarding.core.tenancy import can


def service(request):
    partnership = getattr(request, "partnership", None)
    user = getattr(request, "user", None)  # not set when a request is refused before sign-in is read
    return {
        "request": request,
        "partnership": partnership,
        "signed_in": bool(user is not None and user.is_authenticated),
        "can": lambda permission: can(request, permission),
    }
