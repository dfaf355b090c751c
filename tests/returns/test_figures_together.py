"""A return is "loaded" only together with the figures worked out from it, although the returns app no longer
imports the indicators app: the indicators register how to work them out (safeguarding/returns/figures.py)."""
import pytest

from safeguarding.indicators.models import IndicatorValue
from safeguarding.returns import figures
from safeguarding.returns.models import ReturnImport
from safeguarding.returns.services import run_import
from tests.returns import samples

pytestmark = pytest.mark.django_db


def figures_of(la):
    return sorted(IndicatorValue.objects.filter(la_code=la).values_list("year", "indicator", "value"))


def import_cin(tmp_path, store, children, name):
    path = samples.write(tmp_path, name, samples.cin_xml(children))
    record = ReturnImport.objects.create(la_code="210", file_names=name)
    return record, [path]


def test_the_indicators_app_registers_its_figures_at_start_up(store, tmp_path):
    assert ("referrals", "Referrals") in figures.titles()
    record, paths = import_cin(tmp_path, store, 3, "cin.xml")
    run_import(record, paths, store=store)
    record.refresh_from_db()
    assert record.status == ReturnImport.Status.LOADED
    assert figures_of("210"), "the import worked out the authority's figures through the registered function"


def test_an_import_whose_figures_fail_leaves_nothing_said_or_worked_out(store, tmp_path, monkeypatch):
    record, paths = import_cin(tmp_path, store, 3, "cin_first.xml")
    run_import(record, paths, store=store)
    before = figures_of("210")
    assert before

    real = figures._registered["recompute"]

    def fails_after_writing(la, *, store):
        real(la, store=store)  # the new figures are written, then something goes wrong
        raise ValueError("the figures could not be worked out")

    monkeypatch.setitem(figures._registered, "recompute", fails_after_writing)
    record, paths = import_cin(tmp_path, store, 6, "cin_second.xml")
    with pytest.raises(ValueError):
        run_import(record, paths, store=store)
    record.refresh_from_db()
    assert record.status == ReturnImport.Status.FAILED
    assert "the figures could not be worked out from it" in record.problems[0]
    assert not record.findings.exists() and record.left_out == {}
    assert figures_of("210") == before  # the figures written by the failed step were rolled back with it


def test_without_a_registered_function_an_import_is_not_said_to_be_loaded(store, tmp_path, monkeypatch):
    monkeypatch.setattr(figures, "_registered", {})
    record, paths = import_cin(tmp_path, store, 2, "cin.xml")
    with pytest.raises(RuntimeError, match="safeguarding.indicators must be in INSTALLED_APPS"):
        run_import(record, paths, store=store)
    record.refresh_from_db()
    assert record.status == ReturnImport.Status.FAILED
