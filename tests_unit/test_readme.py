import ast

from conftest import MODULE_ROOT


def test_the_readme_holds_every_fragment_as_it_is():
    readme = (MODULE_ROOT / "README.md").read_text()
    manifest = ast.literal_eval((MODULE_ROOT / "__manifest__.py").read_text())
    assert readme.startswith(f"# {manifest['name']}\n"), "the title is the manifest's name"
    assert readme.index("scripts/run") < readme.index("scripts/test") < 400, "then the commands"
    for fragment in sorted((MODULE_ROOT / "readme").glob("*.md")):
        assert fragment.read_text().strip() in readme, f"run scripts/readme ({fragment.name})"
    for maintainer in manifest["maintainers"]:
        assert f"https://github.com/{maintainer}" in readme, "run scripts/readme (maintainers)"
