"""Every app's CSV and Excel downloads go through core/spreadsheets.py: text a spreadsheet would run as a formula
stays text, empty cells stay empty, decimals stay numbers."""
import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from safeguarding.core.spreadsheets import to_csv, to_xlsx
from safeguarding.core.views import csv_response

ROW = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "plain", None, Decimal("12.5"), 3]


def test_csv_quotes_what_would_run_as_a_formula():
    (header, row) = list(csv.reader(io.StringIO(to_csv(["a"] * len(ROW), [ROW]))))
    assert row == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "plain", "", "12.5", "3"]


def test_a_csv_download_is_the_same_text_as_an_attachment():
    response = csv_response("x.csv", ["a"] * len(ROW), [ROW])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.decode() == to_csv(["a"] * len(ROW), [ROW])


def test_excel_keeps_typed_text_as_text_and_numbers_as_numbers():
    book = load_workbook(io.BytesIO(to_xlsx("Sheet", ["a"] * len(ROW), [ROW], [("Source", "test")])))
    cells = [c for c in next(book["Sheet"].iter_rows(min_row=2, max_row=2))]
    assert cells[0].data_type == "s" and cells[0].value.startswith("=")  # not a formula
    assert cells[6].value == 12.5 and cells[7].value == 3
    assert [list(r) for r in book["Notes"].iter_rows(values_only=True)][-1] == ["Source", "test"]
