"""Every string of the interface is translated into Kyrgyz and Russian."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def source_ids(tmp_path_factory):
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-k", "_l",
         "-o", str(pot), "--no-location", "--omit-header", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def _catalog(lang):
    with (ROOT / "pb" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh)


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_catalogue_has_every_string_translated(lang, source_ids):
    catalog = _catalog(lang)
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if strings and all(s.strip() for s in strings) and not message.fuzzy:
            translated[key] = strings
    missing = sorted(source_ids - translated.keys())
    assert missing == [], f"{lang}: {len(missing)} strings without translation, e.g. {missing[:5]}"


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_translations_keep_their_placeholders(lang):
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[0]))
        for string in filter(None, strings):  # empty ones fail the test above
            # plural forms may leave the count implicit, never invent a placeholder
            assert set(PLACEHOLDER.findall(string)) <= expected | set(PLACEHOLDER.findall(ids[-1])), message.id
            if len(ids) == 1:
                assert set(PLACEHOLDER.findall(string)) == expected, message.id
