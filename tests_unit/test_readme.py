from conftest import MODULE_ROOT


def test_the_readme_holds_every_fragment_as_it_is():
    readme = (MODULE_ROOT / "README.md").read_text()
    assert readme.startswith("# Norway"), "the README opens with the title and the two commands"
    assert readme.index("scripts/run") < readme.index("scripts/test") < 400
    for fragment in sorted((MODULE_ROOT / "readme").glob("*.md")):
        assert fragment.read_text().strip() in readme, f"run scripts/readme ({fragment.name})"
