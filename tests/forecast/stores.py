"""Small hand-made stores of returns whose forecast counts are known."""
import datetime

from safeguarding.indicators.engine.run import connect

D = datetime.date


def lac_return(store, la, year, children):
    """children: (child_id, birth_month, [(start, end, placement, legal_status)…])."""
    with store.replacing(la=la, year=year, kind="ssda903", source="hand", sha256="") as writer:
        for child, born, episodes in children:
            writer.add("lac_children", (la, year, child, "", "1", born, "WBRI", False))
            for n, (start, end, placement, legal) in enumerate(episodes, start=1):
                writer.add("lac_episodes", (la, year, child, n, start, "S", legal, "N1", placement, "PR1", end,
                                            "E11" if end else None, None))


def cin_return(store, la, year, children):
    """children: (child_id, birth_month, [(plan start, plan end)…])."""
    with store.replacing(la=la, year=year, kind="cin", source="hand", sha256="") as writer:
        for child, born, plans in children:
            writer.add("cin_children", (la, year, child, "", "1", born, "WBRI", False, None, False, None))
            for n, (start, end) in enumerate(plans, start=1):
                writer.add("cin_plans", (la, year, child, 1, n, start, end, "NEG", "NEG", 0))


def ibis_connection(store):
    return connect(store.url)
