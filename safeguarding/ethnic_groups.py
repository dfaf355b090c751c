"""The DfE's major ethnic groups of the census ethnicity codes (CIN census and SSDA903 use the same codes), as its
statistics group them; REFU and NOBT (refused, not obtained) and any other code are "not known or refused".

A plain module beside the apps, like the working-day calendar: the indicator engine groups children by it
(indicators/engine/definitions.py, which imports no app) and the synthetic generator plants disparities by it
(returns/synthetic/disparity.py, which may not import the indicators), so both use one list (ADR 0028).
"""

ETHNIC_GROUPS = {
    "White": ("WBRI", "WIRI", "WIRT", "WOTH", "WROM"),
    "Mixed": ("MWBC", "MWBA", "MWAS", "MOTH"),
    "Asian": ("AIND", "APKN", "ABAN", "AOTH"),
    "Black": ("BCRB", "BAFR", "BOTH"),
    "Other": ("CHNE", "OOTH"),
}
NOT_KNOWN = "Not known or refused"
