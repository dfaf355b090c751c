"""Code lists of the two returns: the CIN census (as its XSDs give them, 2021–2026) and the SSDA903."""

YES_NO = frozenset({"0", "1"})
GENDER = frozenset({"1", "2", "0", "9"})  # CIN census to 2024: GenderCurrent
SEX = frozenset({"M", "F", "U"})  # CIN census from 2025: Sex
ETHNICITY = frozenset({
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
    "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"})
DISABILITY = frozenset({"NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA"})
UPN_UNKNOWN = frozenset({"UN1", "UN2", "UN3", "UN4", "UN5", "UN6", "UN7"})

REFERRAL_SOURCE = {
    "1A": "Individual: family member, relative or carer",
    "1B": "Individual: acquaintance",
    "1C": "Individual: self",
    "1D": "Individual: other",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health: GP",
    "3B": "Health: health visitor",
    "3C": "Health: school nurse",
    "3D": "Health: other primary health services",
    "3E": "Health: A&E",
    "3F": "Health: other",
    "4": "Housing",
    "5A": "LA services: social care",
    "5B": "LA services: other internal",
    "5C": "LA services: external",
    "5D": "LA services: early help",
    "6": "Police",
    "7": "Other legal agency",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
}
POLICE_REFERRAL_SOURCE = "6"

PRIMARY_NEED = frozenset({"N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"})
REASON_FOR_CLOSURE = frozenset({"RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9"})
CATEGORY_OF_ABUSE = {"NEG": "Neglect", "PHY": "Physical abuse", "SAB": "Sexual abuse", "EMO": "Emotional abuse",
                     "MUL": "Multiple"}

ASSESSMENT_FACTORS = {
    "1A": "Alcohol misuse: child", "1B": "Alcohol misuse: parent or carer", "1C": "Alcohol misuse: other person",
    "2A": "Drug misuse: child", "2B": "Drug misuse: parent or carer", "2C": "Drug misuse: other person",
    "3A": "Domestic abuse: child", "3B": "Domestic abuse: parent or carer", "3C": "Domestic abuse: other person",
    "4A": "Mental health: child", "4B": "Mental health: parent or carer", "4C": "Mental health: other person",
    "5A": "Learning disability: child", "5B": "Learning disability: parent or carer",
    "5C": "Learning disability: other person",
    "6A": "Physical disability or illness: child", "6B": "Physical disability or illness: parent or carer",
    "6C": "Physical disability or illness: other person",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas, to return", "8C": "Privately fostered: overseas, to stay",
    "8D": "Privately fostered: UK, educational placement", "8E": "Privately fostered: UK, family arrangement",
    "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going or being missing", "11A": "Child sexual exploitation", "12A": "Trafficking", "13A": "Gangs",
    "14A": "Socially unacceptable behaviour", "15A": "Self-harm",
    "16A": "Neglect", "17A": "Emotional abuse",
    "18A": "Physical abuse", "18B": "Physical abuse: child on child", "18C": "Physical abuse: adult on child",
    "19A": "Sexual abuse", "19B": "Sexual abuse: child on child", "19C": "Sexual abuse: adult on child",
    "20": "Other", "21": "No factors identified", "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief", "24A": "Child criminal exploitation",
}

# SSDA903 (looked-after children)
LAC_SEX = frozenset({"1", "2"})
REASON_NEW_EPISODE = frozenset({"S", "P", "L", "T", "B", "U"})
LEGAL_STATUS = frozenset({"C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"})
SHORT_BREAK_LEGAL_STATUS = frozenset({"V3", "V4"})  # a series of short-term placements: not counted as looked after
CATEGORY_OF_NEED = frozenset({"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"})
PLACEMENT = frozenset({
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1", "T2",
    "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"})
PLACEMENT_PROVIDER = frozenset({"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"})
REASON_EPISODE_CEASED = frozenset({
    "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E41", "E45", "E46", "E47", "E48", "E4A", "E4B",
    "E5", "E6", "E7", "E8", "E9", "X1"})
EPISODE_CONTINUES = "X1"  # the episode ends and a new one begins in the same period of care
REASON_PLACE_CHANGE = frozenset({
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHRON", "LAREQ", "PLACE", "CUSTOD", "OTHER"})
