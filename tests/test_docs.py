"""Documentation generated from the code stays in step with it."""

from pathlib import Path

from zhida.imports.spec import all_kinds
from zhida.imports.template import formats_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_import_formats_doc_is_current():
    expected = formats_markdown(all_kinds()[k] for k in sorted(all_kinds())) + "\n"
    actual = (ROOT / "docs" / "import-formats.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/import-formats.md is stale: run `zhida import formats > docs/import-formats.md`"


def test_every_kind_of_the_data_format_notes_is_importable():
    assert {"enterprises", "ui-payments", "credit-list", "industrial-output", "indicators"} <= set(all_kinds())
