"""The figures worked out from the returns, as the returns app sees them: through what another app registers.

The returns app does not import the indicators app (issue 20: the arrow goes one way, indicators read the store).
The indicators app registers here at start-up (`IndicatorsConfig.ready`) the function that works an authority's
figures out again from the store, and the figures' codes and titles in the order of the core table. An import calls
`recompute` inside the transaction that marks it loaded, so a return is "loaded" only together with its figures
(ADR 0020).
"""

_registered = {}


def register(*, recompute, titles):
    """`recompute(la, *, store)` works out one authority's figures again; `titles` is [(code, title)]."""
    _registered.update(recompute=recompute, titles=list(titles))


def recompute(la, *, store):
    if "recompute" not in _registered:
        # Loading a return without its figures would break the guarantee above: refuse rather than skip.
        raise RuntimeError("No app has registered how the figures are worked out from the returns: "
                           "safeguarding.indicators must be in INSTALLED_APPS.")
    _registered["recompute"](la, store=store)


def titles():
    """[(code, title)] of the figures, in the order of the core table; [] if none are registered."""
    return _registered.get("titles", [])
