"""The demo's draft 2021-22 report answers the scrutiny commission's points (February 2022) from the records: the
move to a chair rotating between council, health and police (the register's chair terms), private fostering
needing improvement (the register's figures for the year), and none of it leaks into the 2020-21 report."""
import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _text(year, tmp_path):
    out = tmp_path / f"report-{year}.html"
    call_command("build_report", partnership="southwark", year=year, format="html", out=str(out),
                 stdout=io.StringIO())
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", out.read_text()))


def test_the_draft_2021_22_report_answers_the_commission_from_the_records(demo, tmp_path):
    from safeguarding.accounts.models import Partnership
    from safeguarding.registers import selectors

    assert "Demo yearly report begun: Southwark Safeguarding Children Partnership yearly report 2021-22" in demo
    text = _text(2022, tmp_path)
    assert "Draft of " in text and "1 April 2021 to 31 March 2022" in text
    chairs = text[text.index("How the partnership has been chaired"):text.index("Membership of the partnership")]
    assert "Anna Berry Independent chair 1 June 2019 31 March 2022" in chairs
    assert "Chair rotating between the statutory partners 1 April 2022" in chairs
    assert "2023" not in chairs  # a report tells its own year, and the arrangement agreed for the next
    fostering = selectors.private_fostering_figures(Partnership.objects.get(slug="southwark"), 2022)
    assert f"Private fostering, 2021-22 Notifications {fostering.notifications}" in text
    assert "Private fostering needs to improve" in text
    # Domestic abuse behind most of the police's referrals: referrals by source crossed with what assessments found.
    findings = text[text.index("Referrals by source and what assessments found, 2021-22"):]
    police = re.search(r"Police ([\d,]+) ([\d,]+) ([\d,]+) ([\d.]+)%", findings)
    assert police and float(police.group(4)) > 50, findings[:400]

    earlier = _text(2021, tmp_path)
    chairs = earlier[earlier.index("How the partnership has been chaired"):earlier.index("Membership of the")]
    assert "rotating" not in chairs and "Anna Berry Independent chair 1 June 2019 continuing" in chairs
