"""`flask pb minutes HEARING_ID --lang ky -o out.pdf` renders the minutes without the web interface."""
import io

from pypdf import PdfReader

from tests import minutes_factories as mf


def test_minutes_command_writes_a_pdf_of_unpublished_minutes(app, tmp_path):
    hearing = mf.make_held_hearing()
    out = tmp_path / "out.pdf"
    result = app.test_cli_runner().invoke(args=["pb", "minutes", str(hearing.id), "--lang", "ru", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Жаны-Ноокатский айыл окмоту" in text and "Көк-Бел" in text


def test_minutes_command_names_a_missing_hearing(app, tmp_path):
    out = tmp_path / "out.pdf"
    result = app.test_cli_runner().invoke(args=["pb", "minutes", "999", "-o", str(out)])
    assert result.exit_code != 0 and "999" in result.output
    assert not out.exists()


def test_minutes_command_refuses_another_language(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["pb", "minutes", "1", "--lang", "de", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0
