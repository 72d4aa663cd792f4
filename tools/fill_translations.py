"""Fill msgstr entries of the ky/ru catalogues from a JSON file of {msgid: {"ky": ..., "ru": ...}}.

Usage: .venv/bin/python tools/fill_translations.py strings.json
Only empty entries are filled; existing translations are kept. Plural entries take a list.
"""
import json
import sys

from babel.messages.pofile import read_po, write_po


def main(path):
    strings = json.load(open(path, encoding="utf-8"))
    for lang in ("ky", "ru"):
        po_path = f"pb/translations/{lang}/LC_MESSAGES/messages.po"
        with open(po_path, "rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key in strings and lang in strings[key]:
                empty = not message.string or (isinstance(message.string, tuple) and not all(message.string))
                if empty:
                    value = strings[key][lang]
                    message.string = tuple(value) if isinstance(message.id, tuple) else value
        with open(po_path, "wb") as fh:
            write_po(fh, catalog, width=0, ignore_obsolete=True)


if __name__ == "__main__":
    main(sys.argv[1])
