"""The Norwegian bokmål translation covers every term the module exports.

The terms are read from the installed database the way ``odoo-bin --i18n-export`` reads them
(``TranslationModuleReader``), so a new ``_()`` string, field label, selection value or view text
without a translation in ``i18n/nb.po`` fails here. Refresh with ``scripts/i18n``, then translate
what it reports as missing.
"""

import re

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_path
from odoo.tools.translate import (
    TranslationImporter,
    TranslationModuleReader,
    code_translations,
)

MODULE = "l10n_no_annual_accounts"

# %(name)s, %s, %d, %%, {name}: a translation must keep every one of them.
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdfr]|%[sdfr]|%%|\{[^{}\s]*\}")
# HTML/XML tags of view and report terms.
TAG = re.compile(r"</?[A-Za-z][^<>]*>")

# The API's error texts in the seed (annual-accounts-api.txt) are contract strings: the
# Norwegian "translation" is the same text, so the API answers the same in every language.
CONTRACT_STRINGS = (
    "Only DRAFT annual accounts can be submitted",
    "Notes can only be edited on DRAFT annual accounts",
    "Only DRAFT and SUBMITTED annual accounts can be cancelled",
)


def _markers(pattern, text):
    return sorted(pattern.findall(text))


def _entry_problems(entries):
    """Human-readable problems of a list of polib entries (placeholders, tags, edges)."""
    problems = []
    for entry in entries:
        if not entry.msgstr:
            continue
        for what, pattern in (("placeholders", PLACEHOLDER), ("tags", TAG)):
            if _markers(pattern, entry.msgid) != _markers(pattern, entry.msgstr):
                problems.append(
                    f"{what} differ: {entry.msgid!r} -> {entry.msgstr!r}"
                    f" ({_markers(pattern, entry.msgid)} vs {_markers(pattern, entry.msgstr)})"
                )
        lead = len(entry.msgid) - len(entry.msgid.lstrip())
        trail = len(entry.msgid) - len(entry.msgid.rstrip())
        if (
            entry.msgstr[: len(entry.msgstr) - len(entry.msgstr.lstrip())] != entry.msgid[:lead]
            or entry.msgstr[len(entry.msgstr.rstrip()) :] != entry.msgid[len(entry.msgid) - trail :]
        ):
            problems.append(f"leading/trailing whitespace differs: {entry.msgid!r}")
    return problems


@tagged("post_install", "-at_install")
class TestI18n(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reader = TranslationModuleReader(cls.env.cr, modules=[MODULE])
        cls.exported = {source for module, _t, _n, _r, source, _v, _c in reader if module == MODULE}
        cls.po = polib.pofile(file_path(f"{MODULE}/i18n/nb.po"))
        cls.pot = polib.pofile(file_path(f"{MODULE}/i18n/{MODULE}.pot"))

    def test_terms_exported(self):
        # Guard against a reader that silently finds nothing (the test would pass vacuously).
        self.assertGreater(len(self.exported), 100)
        self.assertIn("Annual accounts", self.exported)

    def test_every_term_translated(self):
        translated = {e.msgid: e.msgstr for e in self.po if not e.obsolete and not e.fuzzy}
        missing = sorted(term for term in self.exported if not translated.get(term, "").strip())
        self.assertFalse(
            missing,
            f"{len(missing)} of {len(self.exported)} terms have no Norwegian translation in "
            "i18n/nb.po (run scripts/i18n, then translate them):\n"
            + "\n".join(repr(term) for term in missing),
        )

    def test_placeholders_and_tags_kept(self):
        problems = _entry_problems([e for e in self.po if not e.obsolete])
        self.assertFalse(problems, "i18n/nb.po:\n" + "\n".join(problems))

    def test_pot_matches_export(self):
        pot_ids = {e.msgid for e in self.pot if not e.obsolete}
        new_terms = sorted(self.exported - pot_ids)
        gone_terms = sorted(pot_ids - self.exported)
        self.assertFalse(
            new_terms or gone_terms,
            f"i18n/{MODULE}.pot is out of date (run scripts/i18n):\n"
            f"exported but not in the .pot: {new_terms}\n"
            f"in the .pot but no longer exported: {gone_terms}",
        )

    def test_contract_strings_unchanged(self):
        translated = {e.msgid: e.msgstr for e in self.po}
        for text in CONTRACT_STRINGS:
            self.assertIn(text, self.exported)
            self.assertEqual(translated.get(text), text, "an API contract string must stay as is")

    def test_odoo_loads_the_translation(self):
        """Odoo finds i18n/nb.po for nb_NO (its base-language fallback) and applies it."""
        python_terms = code_translations.get_python_translations(MODULE, "nb_NO")
        self.assertEqual(
            python_terms.get("Allocation saved as a draft."), "Disponering lagret som utkast."
        )

        self.env["res.lang"]._activate_lang("nb_NO")
        importer = TranslationImporter(self.env.cr, verbose=False)
        importer.load_file(file_path(f"{MODULE}/i18n/nb.po"), "nb_NO")
        importer.save(overwrite=True)
        self.env.invalidate_all()
        field = self.env["ir.model.fields"]._get("annual.account", "snapshot_date")
        self.assertEqual(field.with_context(lang="nb_NO").field_description, "Tall hentet")
        menu = self.env.ref(f"{MODULE}.menu_year_end").with_context(lang="nb_NO")
        self.assertEqual(menu.name, "Årsavslutning")

    def test_checks_can_fail(self):
        """The placeholder check notices a dropped or renamed placeholder."""
        bad = [
            polib.POEntry(msgid="%(name)s has %(count)s errors", msgstr="%(navn)s har feil"),
            polib.POEntry(msgid="<br/>Styret", msgstr="Styret"),
            polib.POEntry(msgid=" per", msgstr="per"),
        ]
        self.assertEqual(len(_entry_problems(bad)), 3)
