"""BRG's two XSDs as a tree of element declarations, and XML rendering in schema order.

The builders never hand-order elements: they collect ``{orid: text}`` and :func:`render` walks
the XSD's sequences, emitting every element whose subtree holds a value. Element names, their
order, the ``orid`` attributes and the root's fixed attributes all come from the shipped XSDs
(``data/brreg/``), so a new BRG edition only needs new XSD files.

Both schemas use one named complex type per element and unique ``orid`` values (checked by the
tests), so an orid identifies exactly one element path.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "brreg"
XSD_FILES = {
    "hovedskjema": "RR-0002_1266-51820.xsd",
    "underskjema": "RR-0002-U_758-51980.xsd",
}


@dataclass
class Node:
    """One element declaration; ``orid`` is set on leaves that carry a field code."""

    name: str
    orid: str | None = None
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = field(default=None, repr=False)


@dataclass
class Schema:
    namespace: str
    root: Node
    root_attributes: dict[str, str]
    by_orid: dict[str, Node]


def xsd_path(kind):
    return DATA_DIR / XSD_FILES[kind]


@cache
def load(kind) -> Schema:
    """Parse the XSD of ``kind`` ("hovedskjema" or "underskjema") once."""
    doc = etree.parse(str(xsd_path(kind))).getroot()
    types = {ct.get("name"): ct for ct in doc.iterfind(XS + "complexType")}
    root_decl = doc.find(XS + "element")
    root_type = types[root_decl.get("type")]
    root = _node(root_decl, types)
    fixed = {
        attr.get("name"): attr.get("fixed")
        for attr in root_type.iterfind(XS + "attribute")
        if attr.get("fixed") is not None
    }
    by_orid = {}
    _index(root, by_orid)
    return Schema(doc.get("targetNamespace"), root, fixed, by_orid)


def _node(decl, types, parent=None):
    node = Node(name=decl.get("name"), parent=parent)
    complex_type = types.get(decl.get("type"))
    if complex_type is None:
        return node
    orid_attr = complex_type.find(f"{XS}simpleContent/{XS}extension/{XS}attribute[@name='orid']")
    if orid_attr is not None:
        node.orid = orid_attr.get("fixed")
    for child in complex_type.iterfind(f"{XS}sequence/{XS}element"):
        node.children.append(_node(child, types, node))
    return node


def _index(node, by_orid):
    if node.orid:
        by_orid[node.orid] = node
    for child in node.children:
        _index(child, by_orid)


def element_path(kind, orid):
    """Names from the root's child down to the element carrying ``orid``."""
    node = load(kind).by_orid[orid]
    names = []
    while node.parent is not None:
        names.append(node.name)
        node = node.parent
    return tuple(reversed(names))


def sibling_orid(kind, orid, name):
    """The orid of the sibling element ``name`` (e.g. the ``note`` next to an ``aarets``)."""
    parent = load(kind).by_orid[orid].parent
    for child in parent.children:
        if child.name == name:
            return child.orid
    return None


def render(kind, values):
    """The document of ``kind`` holding ``values`` ({orid: text}) as UTF-8 bytes.

    An element is written when its subtree holds a value; unknown orids raise ``KeyError`` so
    that a typo in a caller cannot silently drop a figure.
    """
    schema = load(kind)
    unknown = set(values) - set(schema.by_orid)
    if unknown:
        raise KeyError(f"orids not in the {kind} schema: {sorted(unknown)}")
    ns = schema.namespace
    root = etree.Element(f"{{{ns}}}{schema.root.name}", nsmap={None: ns})
    for name, value in schema.root_attributes.items():
        root.set(name, value)
    for child in schema.root.children:
        element = _element(child, values, ns)
        if element is not None:
            root.append(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _element(node, values, ns):
    if node.orid is not None:
        if node.orid not in values:
            return None
        element = etree.Element(f"{{{ns}}}{node.name}", orid=node.orid)
        element.text = values[node.orid]
        return element
    children = [e for e in (_element(c, values, ns) for c in node.children) if e is not None]
    if not children:
        return None
    element = etree.Element(f"{{{ns}}}{node.name}")
    element.extend(children)
    return element
