from safeguarding.core.tenancy import can


def service(request):
    partnership = getattr(request, "partnership", None)
    return {
        "request": request,
        "partnership": partnership,
        "can": lambda permission: can(request, permission),
    }
