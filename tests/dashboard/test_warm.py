"""The dashboard is worked out when its figures change, not when someone first asks (issue 19, ADR 0031): an import
builds the default view inside the transaction that says "loaded", into the cache every worker shares, and no
cached figure outlives the figures or benchmarks it came from."""
import re
import shutil

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from safeguarding.accounts.roles import Role
from safeguarding.dashboard import selectors, views
from safeguarding.returns.models import ReturnImport
from safeguarding.returns.services import run_import
from tests import factories
from tests.dashboard import data
from tests.returns import samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def southwark():
    partnership = factories.partnership("Southwark", la_code="210")
    lead = factories.person(partnership, Role.PARTNER_LEAD)
    scrutineer = factories.person(partnership, Role.SCRUTINEER)
    return partnership, lead, scrutineer


def load_cin(tmp_path, store, children, name):
    path = samples.write(tmp_path, name, samples.cin_xml(children))
    record = ReturnImport.objects.create(la_code="210", file_names=name)
    run_import(record, [path], store=store)
    record.refresh_from_db()
    assert record.status == ReturnImport.Status.LOADED
    return record


def page(user, address="/p/southwark/dashboard/"):
    response = factories.sign_in(Client(), user).get(address)
    assert response.status_code == 200
    # What differs between two requests for the same figures: the CSP nonce and the CSRF token.
    return re.sub(r'(nonce|value)="[^"]*"', "", response.content.decode())


def nothing_may_be_built(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the page built a table or a chart: it should have been worked out at the import")

    monkeypatch.setattr(selectors, "build_table", refuse)
    monkeypatch.setattr(views.charts, "spec", refuse)


def test_an_import_works_the_dashboard_out_before_it_says_loaded(southwark, store, tmp_path, settings,
                                                                  monkeypatch):
    settings.PREPARE_PAGES_AHEAD = True
    partnership, lead, scrutineer = southwark
    data.import_benchmarks(dfe=True)
    load_cin(tmp_path, store, 4, "cin.xml")

    nothing_may_be_built(monkeypatch)
    shown = page(lead)
    assert "Core child protection activity" in shown and "Referrals" in shown
    assert "Referrals" in page(scrutineer)  # the scrutineer's view (suppressed) was worked out too


def test_what_the_import_works_out_is_in_the_database_that_every_worker_and_a_restart_share(
        southwark, store, tmp_path, settings, monkeypatch):
    settings.PREPARE_PAGES_AHEAD = True
    cache.clear()
    load_cin(tmp_path, store, 4, "cin.xml")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM page_cache")
        keys = [key for (key,) in cursor.fetchall()]
    version = selectors.data_version("210")
    assert any(f":table:210:2021:dfe:mean:{version}" in key for key in keys), keys
    assert any(f":trends:210:2021:dfe:mean:{version}" in key for key in keys), keys


def test_without_warming_the_page_is_built_when_asked_for(southwark, store, tmp_path, settings, monkeypatch):
    settings.PREPARE_PAGES_AHEAD = False
    partnership, lead, _ = southwark
    load_cin(tmp_path, store, 4, "cin.xml")
    nothing_may_be_built(monkeypatch)
    with pytest.raises(AssertionError, match="worked out at the import"):
        page(lead)  # this test fails if the one above would pass without the import's work


@pytest.mark.parametrize("warming", [True, False], ids=["worked out at import", "worked out when asked"])
def test_a_new_import_is_never_answered_from_the_old_figures(southwark, store, tmp_path, settings, warming):
    settings.PREPARE_PAGES_AHEAD = warming
    partnership, lead, scrutineer = southwark
    data.import_benchmarks(dfe=True)
    load_cin(tmp_path, store, 3, "cin_first.xml")
    before = page(lead), page(scrutineer)

    load_cin(tmp_path, store, 9, "cin_second.xml")  # the same year again, with more children
    after = page(lead), page(scrutineer)
    cache.clear()
    built_afresh = page(lead), page(scrutineer)
    assert after == built_afresh
    assert after[0] != before[0] and after[1] != before[1]


@pytest.mark.parametrize("warming", [True, False], ids=["worked out at import", "worked out when asked"])
def test_new_published_figures_are_never_answered_from_the_old_ones(southwark, store, tmp_path, settings, warming):
    """A benchmark file loaded again with other figures (the DfE revises its tables): the comparators change."""
    settings.PREPARE_PAGES_AHEAD = warming
    partnership, lead, _ = southwark
    data.import_benchmarks(dfe=True)
    load_cin(tmp_path, store, 3, "cin.xml")
    before = page(lead)

    name = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    revised = tmp_path / name
    shutil.copy(data.DFE / name, revised)
    lines = revised.read_text().splitlines(keepends=True)
    # England's 2021 referrals, half again: the England rate of referrals in the table changes.
    england = next(i for i, line in enumerate(lines) if line.startswith("2021,") and ",National," in line)
    fields = lines[england].split(",")
    column = lines[0].split(",").index("referral_count")
    fields[column] = str(int(fields[column]) * 3 // 2)
    lines[england] = ",".join(fields)
    revised.write_text("".join(lines))
    from django.core.management import call_command

    call_command("import_benchmarks", str(revised), stdout=open("/dev/null", "w"))

    after = page(lead)
    cache.clear()
    assert after == page(lead)
    assert after != before


def test_a_page_that_cannot_be_worked_out_ahead_does_not_stop_the_import(southwark, store, tmp_path, settings,
                                                                        monkeypatch):
    settings.PREPARE_PAGES_AHEAD = True

    def broken(*args, **kwargs):
        raise ValueError("a fault in the dashboard")

    monkeypatch.setattr(views, "page_context", broken)
    load_cin(tmp_path, store, 4, "cin.xml")  # loaded all the same; the figures are there
    monkeypatch.undo()
    assert "Referrals" in page(southwark[1])


def test_once_the_import_has_committed_every_other_choice_is_worked_out_too(
        southwark, store, tmp_path, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.PREPARE_PAGES_AHEAD = True
    partnership, lead, scrutineer = southwark
    data.import_benchmarks(dfe=True)
    with django_capture_on_commit_callbacks(execute=True):
        load_cin(tmp_path, store, 4, "cin.xml")
    nothing_may_be_built(monkeypatch)
    for comparators in ("dfe", "as-published"):
        for average in ("mean", "median"):
            address = f"/p/southwark/dashboard/?year=2021&comparators={comparators}&sn_average={average}"
            assert "Referrals" in page(lead, address) and "Referrals" in page(scrutineer, address)
