"""Imports of government data files (CSV/XLSX with Chinese headers), all or nothing.

Flow: ``reader.read_table`` (bytes → header + string cells with Excel row numbers; the
header found by ``layout``, XLSX streamed by ``xlsx``; cells normalised by ``cells`` inside
the field types)
→ ``validate.validate`` (every cell parsed by its ``fields`` type; cross-row and
cross-table checks of the kind) → ``writer.apply`` (one transaction: insert new rows,
update changed ones, count the unchanged). Kinds are declared with ``spec.ImportKind``
in a ``zhida/<package>/imports.py`` module and found by ``spec.all_kinds()``.

Entry point: ``engine.run_import(kind, path, dry_run=False, errors_out=None)``.
"""
