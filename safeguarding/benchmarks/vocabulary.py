"""The shared vocabulary: indicator codes, how each published file's columns map to them, and areas.

Indicator codes are a contract with the indicator engine (docs/indicators.md):

    referrals, re_referrals, assessments_completed, s47_started, icpcs, cpp_open, cpp_2_years, cpp_starts,
    cpp_second_or_subsequent, cpp_ceased, lac_open, lac_starts, lac_ceased, factor_<CIN factor code>

Other codes used here for figures the files also publish (kept so nothing useful is thrown away):
referrals_nfa, referrals_assessed_not_in_need, referrals_children, re_referrals_children, cin_* (children in
need episodes), cpp_open_<duration>, factor_episodes (assessments with any factor), csww_<column>
(workforce, year = the September census year), assessments_within_45_days, icpcs_within_15_days,
cpp_reviews_on_time, cpp_ceased_2_years (plans ceasing in the year that had lasted 2 years or more).
"""
import re

# ---------------------------------------------------------------------------------------------- areas
ENGLAND = ("E92000001", "England")
REGIONS = {  # ONS region codes, as in the EES files' region_code
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}
LONDON = "E12000007"
INNER_OUTER_LONDON = {"E13000001": "Inner London", "E13000002": "Outer London"}


def area_key(name):
    """A name folded for matching: 'Yorkshire and the Humber', 'London (Inner)' and 'Inner London' all match."""
    text = re.sub(r"[^a-z0-9 ]+", " ", (name or "").lower().replace("&", " and "))
    words = text.split()
    if words[-1:] in (["inner"], ["outer"]) and words[:1] == ["london"]:  # "London (Inner)" -> "inner london"
        words = words[-1:] + words[:-1]
    return " ".join(words)


# area_key(name) -> (level, code, name); LAs are matched by code, never by name.
NAMED_AREAS = {area_key(ENGLAND[1]): ("england", *ENGLAND)}
NAMED_AREAS.update({area_key(name): ("region", code, name) for code, name in REGIONS.items()})
NAMED_AREAS.update({area_key(name): ("inner_outer_london", code, name) for code, name in INNER_OUTER_LONDON.items()})


def la_code(text):
    """'210', '210.0', 210 -> '210'; anything else -> None."""
    text = str(text if text is not None else "").strip()
    if re.fullmatch(r"\d{3}(\.0+)?", text):
        return text[:3]
    return None


# ----------------------------------------------------------------------------------- EES tidy files
# column -> (indicator, measure)
C1_REFERRALS = {
    "referral_count": ("referrals", "count"),
    "rereferral_count": ("re_referrals", "count"),
    "rereferral_percent": ("re_referrals", "percent"),
    "no_further_action_count": ("referrals_nfa", "count"),
    "no_further_action_percent": ("referrals_nfa", "percent"),
    "not_in_need_count": ("referrals_assessed_not_in_need", "count"),
    "not_in_need_percent": ("referrals_assessed_not_in_need", "percent"),
    "referral_child_count": ("referrals_children", "count"),
    "rereferral_child_count": ("re_referrals_children", "count"),
    "rereferral_child_percent": ("re_referrals_children", "percent"),
}
B1_CHILDREN_IN_NEED = {
    "Anypoint_episodes": ("cin_any_point", "count"),
    "Anypoint_child": ("cin_any_point_children", "count"),
    "Started_episodes": ("cin_starts", "count"),
    "Started_child": ("cin_starts_children", "count"),
    "Ended_episodes": ("cin_ceased", "count"),
    "Ended_child": ("cin_ceased_children", "count"),
    "At31_episodes": ("cin_open", "count"),
    "awaiting_assessment": ("cin_awaiting_assessment", "count"),
}
D3_CPP_SUBSEQUENT = {
    "CPP_start": ("cpp_starts", "count"),
    "CPP_subsequent": ("cpp_second_or_subsequent", "count"),
    "CPP_subsequent_percent": ("cpp_second_or_subsequent", "percent"),
}
D5_CPP_DURATION = {
    "CPP_At31": ("cpp_open", "count"),
    "2_years_or_more": ("cpp_2_years", "count"),
    "2_years_or_more_percent": ("cpp_2_years", "percent"),
    "3_months_or_less": ("cpp_open_3_months_or_less", "count"),
    "3_months_or_less_percent": ("cpp_open_3_months_or_less", "percent"),
    "more_than_3_months_6_months": ("cpp_open_3_to_6_months", "count"),
    "more_than_3_months_6_months_percent": ("cpp_open_3_to_6_months", "percent"),
    "more_than_6_months_less_than_1_year": ("cpp_open_6_to_12_months", "count"),
    "more_than_6_months_less_than_1_year_percent": ("cpp_open_6_to_12_months", "percent"),
    "1_year_less_than_2_years": ("cpp_open_1_to_2_years", "count"),
    "1_year_less_than_2_years_percent": ("cpp_open_1_to_2_years", "percent"),
}
# Factors identified at the end of assessment: the c3 file's column -> CIN census factor code
# (CIN_schema_2026.xsd, assessmentfactorstype). "_child"/"_parent"/"_person" are the A/B/C codes.
# Privately fostered is published for codes 8B-8F together, so it becomes factor_8.
C3_FACTOR_CODES = {
    "Alcohol_Misuse_child": "1A", "Alcohol_Misuse_parent": "1B", "Alcohol_Misuse_person": "1C",
    "Drug_Misuse_child": "2A", "Drug_Misuse_parent": "2B", "Drug_Misuse_person": "2C",
    "Domestic_Abuse_child": "3A", "Domestic_Abuse_parent": "3B", "Domestic_Abuse_person": "3C",
    "Mental_Health_child": "4A", "Mental_Health_parent": "4B", "Mental_Health_person": "4C",
    "Learning_Disability_child": "5A", "Learning_Disability_parent": "5B", "Learning_Disability_person": "5C",
    "Physical_Disability_child": "6A", "Physical_Disability_parent": "6B", "Physical_Disability_person": "6C",
    "Young_Carer": "7A",
    "Privately_fostered": "8",
    "Unaccompanied_asylum_seeker": "9A",
    "Going_missing": "10A",
    "Child_sexual_exploitation": "11A",
    "Trafficking": "12A",
    "Gangs": "13A",
    "Socially_unacceptable_behaviour": "14A",
    "Self_harm": "15A",
    "Neglect": "16A",
    "Emotional_Abuse": "17A",
    "Physical_Abuse_unknown": "18A", "Physical_Abuse_child_on_child": "18B", "Physical_Abuse_adult_on_child": "18C",
    "Sexual_Abuse_unknown": "19A", "Sexual_Abuse_child_on_child": "19B", "Sexual_Abuse_adult_on_child": "19C",
    "Other": "20",
    "Female_Genital_Mutilation": "22A",
    "Faith_linked_abuse": "23A",
    "Child_criminal_exploitation": "24A",
}
C3_FACTORS = {column: (f"factor_{code}", "count") for column, code in C3_FACTOR_CODES.items()}
C3_FACTORS["Episodes_with_assessment_factor"] = ("factor_episodes", "count")

CLA_POPULATION_TYPES = {  # the cla file's population_type column names the measure
    "children looked after on 31 march each year": "lac_open",
    "children starting to be looked after each year": "lac_starts",
    "children ceasing to be looked after each year": "lac_ceased",
}


def csww_measure(column):
    if "_rate" in column:
        return "percent"
    if column.startswith("caseload"):
        return "value"  # average caseload per case-holding social worker
    return "count" if column.endswith(("headcount", "cases")) else "value"  # FTEs, days lost


# ------------------------------------------------------------------------------------------ LAIT
# LAIT Short Desc -> (indicator, measure). Found from lait_data_dictionary.csv (Measure_short, Measure,
# y_axis_name) and checked against Southwark's 2020-21 counts (e.g. CPP_Total_NumRef 2021 = 3510 referrals,
# CPP_Abuse 2021 = 458 plan starts, ReRegCPR 2021 = 82 of them second or subsequent = PrevRegCPR 17.9%).
# LAIT has no S47 or ICPC counts and no rate of completed assessments (only their timeliness).
LAIT_MEASURES = {
    "CPP_Total_NumRef": ("referrals", "count"),
    "CPP_Total_Rateper10,000": ("referrals", "rate"),
    "ReReferral": ("re_referrals", "percent"),
    "CIN_Refferals_NFA": ("referrals_nfa", "percent"),
    "Referrals_AssessedNotNeed": ("referrals_assessed_not_in_need", "percent"),
    "Continue_Assess_Comp": ("assessments_within_45_days", "percent"),
    "Section_47": ("s47_started", "rate"),
    "ISCP_Conf": ("icpcs", "rate"),
    "CP_conf_15days": ("icpcs_within_15_days", "percent"),
    "CPP_Num": ("cpp_open", "count"),
    "CPP_rate": ("cpp_open", "rate"),
    "CPPlans2yrsActive": ("cpp_2_years", "percent"),
    "CPP_Abuse": ("cpp_starts", "count"),
    "CPP_Abuse_Rate": ("cpp_starts", "rate"),
    "ReRegCPR": ("cpp_second_or_subsequent", "count"),
    "PrevRegCPR": ("cpp_second_or_subsequent", "percent"),
    "DeRegCPR": ("cpp_ceased", "rate"),
    "CPPlans2yrs": ("cpp_ceased_2_years", "percent"),
    "RevCP": ("cpp_reviews_on_time", "percent"),
    "CIN": ("cin_open", "rate"),
    "LACnum": ("lac_open", "count"),
    "LAC": ("lac_open", "rate"),
    "LACnum_Start": ("lac_starts", "count"),
    "LAC_Start_Rate": ("lac_starts", "rate"),
    "LACceased": ("lac_ceased", "count"),
    "LAC_Cease_Rate": ("lac_ceased", "rate"),
}


def lait_slug(short_desc):
    return "lait_" + (re.sub(r"[^0-9a-z]+", "_", short_desc.lower().replace("%", " pct ")).strip("_") or "measure")


def lait_guess_measure(short_desc, data_item):
    text = f"{short_desc} {data_item or ''}".lower()
    if "rate" in text or "per 10" in text or "per 1000" in text:
        return "rate" if "per 1" in text else "value"
    if "%" in text or "percent" in text or "proportion" in text:
        return "percent"
    if text.startswith("no_") or "number" in text or text.split()[0].endswith("num"):
        return "count"
    return "value"
