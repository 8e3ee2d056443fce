"""The XSD walk: orid index, element paths and rendering in schema order."""

import re

import pytest
from conftest import SHARED
from lxml import etree

from tools import brg_schema

TREE_FILE = SHARED / "specs" / "brreg" / "RR-0002U_758-51980_tree.txt"
U_NS = "http://schema.brreg.no/regnsys/aarsregnskap_vanlig/underskjema"


def tree_file_paths():
    """{orid: element path} read from BRG's published tree of the Underskjema."""
    paths, stack = {}, []
    for line in TREE_FILE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"( *)(\S+) \[", line)
        if not match:
            continue
        depth = len(match.group(1)) // 2
        stack[depth:] = [match.group(2)]
        orid = re.search(r"orid=(\d+)", line)
        if orid:
            paths[orid.group(1)] = tuple(stack)
    return paths


def test_every_orid_of_the_tree_file_maps_to_the_same_path():
    expected = tree_file_paths()
    assert len(expected) == 554
    actual = {orid: brg_schema.element_path("underskjema", orid) for orid in expected}
    assert actual == expected


def test_hovedskjema_index_and_fixed_root_attributes():
    schema = brg_schema.load("hovedskjema")
    assert len(schema.by_orid) == 30
    assert schema.namespace == "http://schema.brreg.no/regnsys/aarsregnskap_vanlig"
    assert schema.root_attributes == {
        "dataFormatId": "1266",
        "dataFormatVersion": "51820",
        "tjenestehandling": "aarsregnskap_vanlig",
        "tjeneste": "regnskap",
    }
    assert brg_schema.load("underskjema").root_attributes["dataFormatVersion"] == "51980"


def test_schema_spelling_is_kept():
    path = brg_schema.element_path("underskjema", "3274")
    assert path[-3:] == ("opptjentEgenkaiptal", "annenEgenkapital", "aarets")


def test_sibling_note_of_a_line():
    assert brg_schema.sibling_orid("underskjema", "81", "note") == "18239"
    assert brg_schema.sibling_orid("underskjema", "6979", "note") == "18239"
    # any sibling by name, e.g. the free-text description of the same line
    assert brg_schema.sibling_orid("underskjema", "81", "beskrivelse") == "29001"


def test_render_follows_schema_order_not_input_order():
    # Given in reverse order; 7728 (aarets) comes before its note in this odd XSD type.
    xml = brg_schema.render(
        "underskjema", {"8016": "2", "18574": "7", "7728": "1", "28974": "H", "25942": "S"}
    )
    root = etree.fromstring(xml)
    line = root.find(f".//{{{U_NS}}}aksjerAndelerForetakSammeKonsern")
    assert [etree.QName(c).localname for c in line] == ["aarets", "note", "fjoraarets"]
    header = root.find(f"{{{U_NS}}}Rapport-RR0002U/{{{U_NS}}}aarsregnskap")
    assert [etree.QName(c).localname for c in header] == ["regnskapstype", "valoer"]


def test_render_rejects_unknown_orids():
    with pytest.raises(KeyError):
        brg_schema.render("underskjema", {"999999": "1"})
