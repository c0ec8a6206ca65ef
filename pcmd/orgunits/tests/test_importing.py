import io

from openpyxl import load_workbook

from pcmd.orgunits.importing import village_rows_read, village_template_xlsx


def _filled_template(rows: list[list[str]]) -> bytes:
    wb = load_workbook(io.BytesIO(village_template_xlsx()))
    ws = wb["Thôn"]
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_template_filled_in_reads_back_as_villages() -> None:
    data = _filled_template([["Thôn Đông", "Thôn", ""], ["Tổ dân phố 3", "Tổ dân phố", "TDP3"]])
    rows, errors = village_rows_read(data=data, filename="mau-nhap-thon.xlsx")
    assert errors == []
    assert [(r.name, r.kind) for r in rows] == [
        ("Thôn Đông", "village"),
        ("Tổ dân phố 3", "residential_group"),
    ]


def test_template_lists_every_accepted_kind_on_its_help_sheet() -> None:
    wb = load_workbook(io.BytesIO(village_template_xlsx()))
    words = {str(row[0].value) for row in wb["Hướng dẫn"].iter_rows() if row[0].value}
    assert {"Thôn", "Xóm", "Ấp", "Bản", "Tổ dân phố", "Khu phố"} <= words
