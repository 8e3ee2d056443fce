"""The module's files as Odoo's own test runner and OCA's tooling read them."""

import ast

from conftest import MODULE_ROOT


def test_tests_init_imports_every_test_module():
    # Odoo's runner (odoo/tests/loader.py) runs only the test_* modules that tests/__init__.py
    # imports; pytest-odoo would find the others, so scripts/test alone would not notice.
    init = ast.parse((MODULE_ROOT / "tests" / "__init__.py").read_text())
    imported = {
        alias.name
        for node in init.body
        if isinstance(node, ast.ImportFrom) and node.level == 1 and not node.module
        for alias in node.names
    }
    on_disk = {path.stem for path in (MODULE_ROOT / "tests").glob("test_*.py")}
    assert sorted(on_disk - imported) == [], "add them to tests/__init__.py"
    assert sorted(imported - on_disk) == [], "tests/__init__.py imports modules that are gone"


def test_requirements_txt_lists_the_manifests_python_dependencies():
    # What OCA's oca-gen-external-dependencies writes: one line per external Python dependency.
    manifest = ast.literal_eval((MODULE_ROOT / "__manifest__.py").read_text())
    lines = (MODULE_ROOT / "requirements.txt").read_text().splitlines()
    assert lines[0] == "# generated from manifests external_dependencies"
    assert lines[1:] == sorted(manifest["external_dependencies"]["python"], key=str.lower)
