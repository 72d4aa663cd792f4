"""The sample spreadsheet offered on the import page: the demo's Ak-Dobo 2027 draft."""
from pathlib import Path

from pb.budgets import exporters, importers

SAMPLE_CSV = Path(__file__).resolve().parents[1] / "demo" / "data" / "ak-dobo-2027.csv"


def sample_rows():
    result = importers.parse_lines(SAMPLE_CSV.name, SAMPLE_CSV.read_bytes())
    if not result.ok:  # the shipped sample must always import; fail loudly if it does not
        raise RuntimeError(f"the sample spreadsheet has errors: {result.errors}")
    return result.rows


def sample_spreadsheet(fmt):
    rows = sample_rows()
    return exporters.export_csv(rows) if fmt == "csv" else exporters.export_xlsx(rows)
