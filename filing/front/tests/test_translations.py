"""English is complete: every interface string has a translation and none is marked fuzzy."""

import subprocess
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_the_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def test_the_catalogue_covers_every_string_in_the_code(tmp_path):
    """makemessages on the current code adds nothing the catalogue lacks."""
    from django.core.management import call_command

    before = CATALOGUE.read_text(encoding="utf-8")
    ids_before = {line for line in before.splitlines() if line.startswith("msgid ")}
    try:
        call_command(
            "makemessages",
            locale=["en"],
            ignore_patterns=[".venv/*", "node_modules/*", "definitions/*"],
            verbosity=0,
        )
        after = CATALOGUE.read_text(encoding="utf-8")
    finally:
        CATALOGUE.write_text(before, encoding="utf-8")
    ids_after = {line for line in after.splitlines() if line.startswith("msgid ")}
    assert ids_after - ids_before == set()
