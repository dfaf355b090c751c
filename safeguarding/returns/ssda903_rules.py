"""The SSDA903 as the DfE defines it, year by year: its tables, its code lists, and the validation rules this
system checks (numbered as in the DfE's SSDA903 validation guidance; the wording is ours).

Collection year Y runs from 1 April Y-1 to 31 March Y. Code lists that changed are given per year; a year
before the first one known here is read with the first, a later one with the latest (docs/returns.md, SSDA903).
"""
import datetime

from safeguarding.returns.findings import ERROR, WARNING, Rule

# -- the tables, told by their columns ---------------------------------------------------------------------------
# Each table: the columns that tell it (all must be there), the other columns the DfE defines for it.
TABLES = {
    "header": (("CHILD", "SEX", "DOB", "ETHNIC"), ("UPN", "MOTHER", "MC_DOB")),
    "episodes": (("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"),
                 ("CIN", "PLACE_PROVIDER", "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN")),
    "uasc": (("CHILD", "DOB", "DUC"), ("SEX",)),
    "reviews": (("CHILD", "REVIEW", "REVIEW_CODE"), ("DOB",)),
    "missing": (("CHILD", "MISSING", "MIS_START"), ("DOB", "MIS_END")),
    "oc2": (("CHILD", "SDQ_SCORE", "CONVICTED"),
            ("DOB", "SDQ_REASON", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT",
             "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")),
    "oc3": (("CHILD", "IN_TOUCH", "ACTIV", "ACCOM"), ("DOB",)),
    "ad1": (("CHILD", "DATE_INT", "DATE_MATCH"), ("DOB", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")),
    "placed_for_adoption": (("CHILD", "DATE_PLACED", "DATE_PLACED_CEASED"), ("DOB", "REASON_PLACED_CEASED")),
    "previous_permanence": (("CHILD", "PREV_PERM", "DATE_PERM"), ("DOB", "LA_PERM")),
    "social_worker_episodes": (("CHILD", "SW_ID", "SW_DECOM"), ("DOB", "SW_DEC", "SW_REASON")),
    "deprivation_of_liberty": (("CHILD", "DOLO_START"), ("DOB", "DOLO_END")),  # from 2026-27
}
NEEDED = ("header", "episodes")
# Columns some exports add: an authority column is compared with the authority importing.
LA_COLUMNS = ("LA", "LA_CODE", "LA_CODE_OLD", "LEA")


def normalise_column(name):
    """A column name as the DfE writes it: upper case, words joined by '_' ('Place Provider' -> PLACE_PROVIDER)."""
    return "_".join(str(name or "").replace("\ufeff", "").replace("-", " ").upper().split())


def recognise(columns):
    """Which 903 table a header row (normalised names) belongs to, or None. The most specific match wins."""
    names = set(columns)
    best = None
    for table, (telling, _) in TABLES.items():
        if set(telling) <= names and (best is None or len(telling) > len(TABLES[best][0])):
            best = table
    return best


# The DfE's internal checks of the other tables against the header: child not in it, another date of birth, more
# than one row for a child.
AGAINST_HEADER = {
    "ad1": {"child": "INT01", "dob": "INT11", "once": "INT31"},
    "placed_for_adoption": {"child": "INT02", "dob": "INT12"},
    "missing": {"child": "INT04", "dob": "INT13"},
    "oc2": {"child": "INT05", "dob": "INT14", "once": "INT33"},
    "oc3": {"child": "INT06", "dob": "INT15", "once": "INT34"},
    "previous_permanence": {"child": "INT07", "dob": "INT16", "once": "INT35"},
    "reviews": {"child": "INT08", "dob": "INT17"},
    "uasc": {"child": "INT09", "dob": "INT18", "once": "INT36"},
}
_TABLE_LABEL = {"ad1": "AD1", "placed_for_adoption": "placed for adoption", "missing": "missing", "oc2": "OC2",
                "oc3": "OC3", "previous_permanence": "previous permanence", "reviews": "reviews", "uasc": "UASC"}

# -- code lists ---------------------------------------------------------------------------------------------------
FIRST_YEAR = 2023  # the earliest rule set published; earlier years are read with it

SEX_TO_2024 = frozenset({"1", "2"})
SEX_FROM_2025 = frozenset({"M", "F", "U"})
SEX_BETWEEN = {"1": "M", "2": "F", "M": "1", "F": "2"}  # the same sex in the other era's code
ETHNICITY = frozenset({
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
    "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"})
REASON_NEW_EPISODE = frozenset({"S", "P", "L", "T", "U", "B"})
LEGAL_STATUS = frozenset({"C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3"})
CATEGORY_OF_NEED = frozenset({"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"})
_PLACE_TO_2024 = frozenset({
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1", "T2",
    "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"})
_PLACE_2025 = _PLACE_TO_2024 | {"K3"}
_PLACE_FROM_2026 = frozenset({
    "A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1", "T2", "T3",
    "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z11", "Z12", "Z13", "Z14"})
PROVIDER = frozenset({"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"})
REASON_CEASED = frozenset({
    "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5", "E6", "E7", "E8", "E9",
    "E14", "E15", "E16", "E17", "X1"})
REASON_PLACE_CHANGE = frozenset({
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE", "CUSTOD", "OTHER"})
TEMPORARY = frozenset({"T0", "T1", "T2", "T3", "T4"})
_NO_PROVIDER_TO_2025 = TEMPORARY | {"Z1"}
_NO_PROVIDER_FROM_2026 = TEMPORARY | {"Z11", "Z12", "Z13", "Z14"}


def sexes(year):
    return SEX_FROM_2025 if year >= 2025 else SEX_TO_2024


def placements(year):
    return _PLACE_FROM_2026 if year >= 2026 else _PLACE_2025 if year == 2025 else _PLACE_TO_2024


def no_provider(year):
    """Placements that take no placement provider (temporary placements, and from 2026 the Z1x codes)."""
    return _NO_PROVIDER_FROM_2026 if year >= 2026 else _NO_PROVIDER_TO_2025


def expected(codes):
    return ", ".join(sorted(codes))


# -- the rules ----------------------------------------------------------------------------------------------------
def _error(code, title):
    return Rule(code, ERROR, title)


def _warning(code, title):
    return Rule(code, WARNING, title)


R = {rule.code: rule for rule in [
    # header
    _error("101", "Sex is not a valid code"),
    _error("102", "Date of birth is not a valid date"),
    _error("103", "Ethnicity missing or not a valid code"),
    _error("232", "Sex reported as unknown"),
    _error("301", "Date of birth after the end of the collection year"),
    _error("351", "Child was over 25 at the start of the collection year"),
    _error("INT32", "Child appears more than once in the header table"),
    # episodes: one value
    _error("141", "Date episode began is missing or not a valid date"),
    _error("143", "Reason for new episode is missing or not a valid code"),
    _error("144", "Legal status is missing or not a valid code"),
    _error("145", "Category of need is not a valid code"),
    _error("146", "Placement type is missing or not a valid code"),
    _error("147", "Date episode ceased is not a valid date"),
    _error("148", "Date episode ceased and reason episode ceased must both be given, or both left blank"),
    _error("149", "Reason episode ceased is not a valid code"),
    _error("178", "Placement provider is not a valid code, or given for a placement that takes none"),
    _error("1009", "Reason for placement change is not a valid code"),
    _error("INT03", "Child in the episodes table is not in the header table"),
    # episodes: dates
    _error("353", "Episode starts before 14 October 1991"),
    _error("354", "Episode starts after the end of the collection year"),
    _error("385", "Episode ceased after the end of the collection year"),
    _error("355", "Episode lasted less than 24 hours"),
    _error("356", "Episode ceased before it began"),
    # episodes: codes together
    _error("213", "Placement provider given for a placement that takes none"),
    _error("526", "Placement provider missing"),
    _error("527", "Placement provider PR1 with placement P1, R2 or R5"),
    _error("528", "Placement provider PR2 with placement P1, R2 or R5"),
    _error("529", "Placement provider PR3 with a placement PR3 cannot provide"),
    _error("530", "Placement provider PR4 with placement P1"),
    _error("531", "Placement provider PR5 with placement P1"),
    _error("550", "Placement provider PR0 with a placement other than P1"),
    _error("217", "Placed for adoption with current foster carers (A3, A5) since April 2015 without reason S, T or U"),
    _error("217t", "Placement P2 after 28 October 2023"),
    _error("233", "Reason for placement change given for an episode that has not ceased"),
    _error("365", "Short-term respite placement (V3) longer than 17 days"),
    _error("366", "Short-term respite placement (V3) with a reason for new episode other than S"),
    _error("378", "Child placed with parents (P1) under a single period of accommodation (V2)"),
    _error("380", "A period of care starts with a temporary placement"),
    _error("381", "A period of care ends with a temporary placement"),
    _error("382", "Child receiving respite care (V3, V4) in a temporary placement"),
    _error("384", "Child receiving respite care (V3, V4) in a long-term foster placement"),
    _error("445", "Legal status D1 for an episode starting after December 2005"),
    _error("446", "Legal status E1 for an episode starting before December 2005"),
    # episodes and the child's age
    _error("302", "Episode starts before the child was born"),
    _error("352", "Child started to be looked after aged 18 or over"),
    _error("358", "Legal status J1, J2 or J3 for a child under 10"),
    _error("386", "Ceased as adopted, but the child had reached 18"),
    _error("387", "Ceased to independent living, but the child was under 14"),
    _error("389", "Ceased to adult social care, but the child was under 16"),
    _error("407", "Ceased under a special guardianship order, but the child had reached 18"),
    _error("460", "Ceased as staying with current carers at 18, but the child was under 18"),
    _error("359", "Looked after past 18 other than under section 20(5) (V2 in K2)"),
    _error("370", "Child in independent living (P2) younger than allowed"),
    _error("371", "Child in semi-independent or supported accommodation (H5, from 2025 K3) younger than allowed"),
    _error("372", "Child in youth custody or prison (R5) under 10"),
    _error("373", "Child placed in a school (S1) under 4"),
    _error("374", "Child in residential employment (P3) under 14"),
    _error("375", "Temporary placement in hospital (T1) longer than six weeks"),
    _error("376", "Temporary placement for the foster carers' holiday (T3) longer than three weeks"),
    _error("379", "Temporary placement for another reason (T4) longer than seven days"),
    _error("390", "Ceased as adopted (E11, E12), but not placed for adoption (A3-A6)"),
    _error("408", "Placed for adoption (A5, A6) without a placement order (E1)"),
    _error("516", "Ceased to stay with former foster carers (E45, E46), but not in a foster placement (U1-U6)"),
    _error("234", "Placement changed because of custody (CUSTOD) for a child under 10"),
    _error("451", "Child still freed for adoption (D1), though freeing orders ended in December 2005"),
    _error("209", "Child of school age with the unknown UPN code UN1"),
    _error("210", "Child looked after for more than a week at 31 March with the UPN code UN4 (newly looked after)"),
    _error("199", "Episode after the child was adopted from care"),
    # with last year's return (quality.py)
    _error("377", "More than two temporary placements for the foster carers' holiday (T3) in the year"),
    _error("502", "Last year's open episode does not start when this year's first episode starts"),
    _error("503A", "The reason for new episode of the first episode differs from last year's open episode"),
    _error("503B", "The legal status of the first episode differs from last year's open episode"),
    _error("503C", "The category of need of the first episode differs from last year's open episode"),
    _error("503D", "The placement type of the first episode differs from last year's open episode"),
    _error("503E", "The placement provider of the first episode differs from last year's open episode"),
    _error("562", "An episode that began before the year is not last year's latest episode"),
    _error("NoE", "Looked after before the year, but not in last year's return"),
    _error("202", "The sex disagrees with last year's return"),
    _error("203", "The month of birth disagrees with last year's return"),
    _error("204", "The ethnicity disagrees with last year's return"),
    # episodes in sequence (quality.py)
    _error("142", "A new episode started, but the previous one has not ended"),
    _error("501", "A new episode started before the previous one ended"),
    _error("388", "Reason ceased 'new episode begins' (X1) without a continuation episode, or the reverse"),
    _error("437", "Ceased as died or aged 18 or over (E2, E15), but there are further episodes"),
    _error("431", "Started to be looked after (S), but the previous episode ended on or after that day"),
    _error("432", "Ceased to be looked after at the end of the previous episode, but the new one is not S"),
    _error("433", "A continuation episode does not start on the day the previous one ended"),
    _error("434", "Reason 'legal status changed' (L), but the legal status is the same or the placement changed"),
    _error("435", "Reason 'placement changed' (P, T), but the legal status changed"),
    _error("436", "Reason 'both changed' (B, U), but the legal status did not change"),
    _error("357", "The child's first episode, in the year, does not start to be looked after (S)"),
    _error("504", "Category of need differs from the start of the period of care"),
    _error("426", "Respite care recorded under both V3 and V4 in the year"),
    _error("361", "Police protection (L1) lasted longer than 72 hours"),
    _error("362", "Emergency protection order (L2) lasted longer than 21 days"),
    _error("363", "Child assessment order (L3) lasted longer than 7 days"),
    _error("364", "Detention under PACE (J2) lasted longer than 21 days"),
    _error("367", "More than 75 days of respite care (V3) in the year"),
    _error("225", "Reason for placement change missing when the placement changed"),
    _error("226", "Reason for placement change given for a temporary placement"),
    *[_error(codes["child"], f"Child in the {_TABLE_LABEL[kind]} table is not in the header table")
      for kind, codes in AGAINST_HEADER.items()],
    *[_error(codes["dob"], f"Date of birth in the {_TABLE_LABEL[kind]} table differs from the header's")
      for kind, codes in AGAINST_HEADER.items()],
    *[_error(codes["once"], f"Child appears more than once in the {_TABLE_LABEL[kind]} table")
      for kind, codes in AGAINST_HEADER.items() if "once" in codes],
    _error("INT21", "Sex in the UASC table differs from the header's"),
    _error("EPI", "Child in the header with no episode (and not a care leaver in the OC3 table)"),
    # this system's own (no DfE number): the files themselves
    _error("S-CHILD", "Child identifier missing: the row is left out"),
    _error("S-BLANK", "A field the DfE requires is blank (DECOM, RNE, LS, PLACE)"),
    _error("S-HEADER", "No header table: the children's sex, date of birth and ethnicity are unknown"),
    _warning("S-OUTSIDE", "Episode ended before the collection year began: kept, counts in none of its figures"),
    _warning("L-SPACE", "Spaces around values"),
    _warning("L-CASE", "Codes in lower case"),
    _warning("L-DATE", "Dates not written dd/mm/yyyy"),
    _warning("L-COLUMN", "Column names not written as the DfE writes them"),
    _warning("L-EXTRA", "Columns the SSDA903 does not define: ignored"),
    _warning("L-ABSENT", "Columns of the SSDA903 missing: read as blank"),
    _warning("L-SHEET", "Workbook sheets that are not SSDA903 tables: ignored"),
    _warning("L-LA", "Authority column that is not a DfE code: not compared"),
]}

EARLIEST_EPISODE = datetime.date(1991, 10, 14)
D1_LAST = datetime.date(2005, 12, 31)
E1_FIRST = datetime.date(2005, 12, 1)
P2_LAST = datetime.date(2023, 10, 28)
A3_A5_SINCE = datetime.date(2015, 4, 1)


def youngest(year):
    """Placement -> (rule, the age a child must have reached when it starts), for the collection year."""
    ages = {"R5": ("372", 10), "S1": ("373", 4), "P3": ("374", 14)}
    if year <= 2023:
        ages.update({"P2": ("370", 15), "H5": ("371", 14)})
    elif year == 2024:
        ages.update({"P2": ("370", 16), "H5": ("371", 16)})
    else:
        ages["K3"] = ("371", 16)
    return ages


LONGEST_TEMPORARY = {"T1": ("375", 42), "T3": ("376", 21), "T4": ("379", 7)}  # days
