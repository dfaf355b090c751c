"""The states a child can be in: age band × placement type (looked after), age band (on a plan)."""

# Age in whole years at the day counted; a child of 18 has left care (and a plan) by definition.
AGE_BANDS = [(0, 1, "Under 1"), (1, 5, "1 to 4"), (5, 10, "5 to 9"), (10, 16, "10 to 15"), (16, 18, "16 and 17")]
BAND_LABELS = [label for _, _, label in AGE_BANDS]

# SSDA903 placement codes grouped as the costs of a placement differ (weekly cost is entered per group).
PLACEMENT_GROUPS = {
    "fostering": ("U1", "U2", "U3", "U4", "U5", "U6"),
    "residential": ("K1", "K2", "R1", "R2", "R5", "S1"),
    "family": ("P1", "A3", "A4", "A5", "A6"),  # placed with parents, or for adoption
}
OTHER = "other"  # supported and independent living, family centres, anything else
GROUPS = list(PLACEMENT_GROUPS) + [OTHER]
GROUP_LABELS = {"fostering": "Foster care", "residential": "Residential care",
                "family": "With parents or for adoption", OTHER: "Other placements"}

LAC = "lac"
CP = "cp"
KIND_LABELS = {LAC: "Children looked after", CP: "Children on child protection plans"}
STATES = {
    LAC: [f"{band}|{group}" for band in BAND_LABELS for group in GROUPS],
    CP: list(BAND_LABELS),
}


def state_label(kind, state):
    if kind == CP:
        return state
    band, group = state.split("|")
    return f"{band}, {GROUP_LABELS[group].lower()}"


def group_of(state):
    return state.split("|")[1]


def band_of(state):
    return state.split("|")[0]
