"""What Odoo loads with the module is product code only: the Altinn simulator and its control
client are development tools, imported by the tests, the demo script and the one guarded
simulator action, never when the module itself is imported."""

import ast

from conftest import MODULE_ROOT

DEVELOPMENT_ONLY = ("tools/altinn_simulator/", "tools/altinn_sim_control.py")


def _module_file(package_dir, dotted):
    """The file of ``dotted`` below ``package_dir``: a module or a package's __init__."""
    path = package_dir.joinpath(*dotted.split(".")) if dotted else package_dir
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return None


def _import_time_imports(path):
    """The relative imports that run when ``path`` is imported: everywhere but inside a
    function (a class body runs at import)."""
    found = []

    def visit(node):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return
        if isinstance(node, ast.ImportFrom) and node.level:
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(), str(path)))
    return found


def production_files():
    """Every file of the module that ``import odoo.addons.<module>`` loads."""
    seen, todo = set(), [MODULE_ROOT / "__init__.py"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for node in _import_time_imports(path):
            base = path.parent
            for _level in range(node.level - 1):
                base = base.parent
            targets = [node.module] if node.module else []
            targets += [f"{node.module}.{a.name}" if node.module else a.name for a in node.names]
            for dotted in targets:
                parts = dotted.split(".")
                # importing a.b.c loads a/__init__, a/b/__init__ and a/b/c
                for depth in range(1, len(parts) + 1):
                    target = _module_file(base, ".".join(parts[:depth]))
                    if target:
                        todo.append(target)
    return {str(path.relative_to(MODULE_ROOT)) for path in seen}


def test_the_module_loads_no_simulator_code():
    files = production_files()
    assert "models/res_company.py" in files and "controllers/__init__.py" in files
    assert "tools/altinn_client.py" in files, "the graph follows imports into tools/"
    loaded = sorted(f for f in files if f.startswith(DEVELOPMENT_ONLY))
    assert not loaded, f"production code imports the simulator: {loaded}"
