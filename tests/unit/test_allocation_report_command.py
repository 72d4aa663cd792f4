"""`flask pb allocation-report ROUND_ID --lang ky -o out.pdf`: a closed round's report without the web interface."""
import io

from pypdf import PdfReader

from pb.voting import services as voting
from pb.voting.states import RoundStatus
from tests import factories as f
from tests.voting_factories import make_round


def _run(app, *args):
    return app.test_cli_runner().invoke(args=["pb", "allocation-report", *map(str, args)])


def test_the_command_writes_the_report_of_a_closed_round(app, db, tmp_path):
    round_ = make_round(title="Көк-Бел: үй-бүлөлөрдүн сунуштары")
    voting.close_round(f.make_staff(round_.municipality), round_)
    for lang, word in (("ky", "Бөлүштүрүү боюнча отчет"), ("ru", "Отчёт о распределении средств")):
        out = tmp_path / f"report-{lang}.pdf"
        result = _run(app, round_.id, "--lang", lang, "-o", out)
        assert result.exit_code == 0, result.output
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.read_bytes())).pages)
        assert word in text and "Көк-Бел: үй-бүлөлөрдүн сунуштары" in text


def test_the_command_refuses_a_round_that_is_not_closed_or_does_not_exist(app, db, tmp_path):
    out = tmp_path / "out.pdf"
    open_round = make_round(status=RoundStatus.OPEN)
    for round_id in (open_round.id, 999999):
        result = _run(app, round_id, "-o", out)
        assert result.exit_code != 0 and "Error" in result.output
    assert not out.exists()
    assert _run(app, open_round.id, "--lang", "en", "-o", out).exit_code != 0
