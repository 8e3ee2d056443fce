"""BRG's two XSDs as a tree of element declarations, and XML rendering in schema order.

The builders never hand-order elements: they collect ``{orid: text}`` and :func:`render` walks
the XSD's sequences, emitting every element whose subtree holds a value. Element names, their
order, the ``orid`` attributes and the root's fixed attributes all come from the shipped XSDs
(``data/brreg/``), so a new BRG edition only needs new XSD files.

Both schemas use one named complex type per element and unique ``orid`` values (checked by the
tests), so an orid identifies exactly one element path. A few note groups repeat (``maxOccurs``
above 1, e.g. the extraordinary items of RR-0002-U): the values of their leaves are lists, one
item per repetition.
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
    repeats: bool = False  # maxOccurs above 1
    max_length: int | None = None  # of a text leaf's simple type


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
    lengths = {
        st.get("name"): int(length.get("value"))
        for st in doc.iterfind(XS + "simpleType")
        for length in st.iterfind(f"{XS}restriction/{XS}maxLength")
    }
    root_decl = doc.find(XS + "element")
    root_type = types[root_decl.get("type")]
    root = _node(root_decl, types, lengths)
    fixed = {
        attr.get("name"): attr.get("fixed")
        for attr in root_type.iterfind(XS + "attribute")
        if attr.get("fixed") is not None
    }
    by_orid = {}
    _index(root, by_orid)
    return Schema(doc.get("targetNamespace"), root, fixed, by_orid)


def _node(decl, types, lengths, parent=None):
    node = Node(name=decl.get("name"), parent=parent)
    node.repeats = decl.get("maxOccurs", "1") != "1"
    complex_type = types.get(decl.get("type"))
    if complex_type is None:
        return node
    extension = complex_type.find(f"{XS}simpleContent/{XS}extension")
    if extension is not None:
        orid_attr = extension.find(f"{XS}attribute[@name='orid']")
        node.orid = orid_attr.get("fixed") if orid_attr is not None else None
        node.max_length = lengths.get(extension.get("base"))
    for child in complex_type.iterfind(f"{XS}sequence/{XS}element"):
        node.children.append(_node(child, types, lengths, node))
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


def max_length(kind, orid):
    """The most characters the element carrying ``orid`` takes (None: no limit or a number)."""
    return load(kind).by_orid[orid].max_length


def repeating_group(kind, orid):
    """The repeating element above ``orid``, or None when it occurs once."""
    node = load(kind).by_orid[orid]
    while node is not None and not node.repeats:
        node = node.parent
    return node


def render(kind, values):
    """The document of ``kind`` holding ``values`` ({orid: text}) as UTF-8 bytes.

    An element is written when its subtree holds a value; unknown orids raise ``KeyError`` so
    that a typo in a caller cannot silently drop a figure. The leaves of a repeating group take
    a list of texts (``None`` where one repetition has no value): repetition ``i`` holds item
    ``i`` of each list.
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
        root.extend(_elements(child, values, ns))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _leaf_orids(node):
    if node.orid is not None:
        return [node.orid]
    return [orid for child in node.children for orid in _leaf_orids(child)]


def _elements(node, values, ns):
    """The elements of ``node``: one per item of a repeating group given lists (the statement's
    repeatable lines take plain texts: one element), else at most one."""
    lists = {orid: values[orid] for orid in _leaf_orids(node) if orid in values}
    if not node.repeats or not any(isinstance(items, list) for items in lists.values()):
        element = _element(node, values, ns)
        return [] if element is None else [element]
    lists = {orid: items if isinstance(items, list) else [items] for orid, items in lists.items()}
    count = max((len(items) for items in lists.values()), default=0)
    found = []
    for index in range(count):
        item = {
            orid: items[index]
            for orid, items in lists.items()
            if index < len(items) and items[index] is not None
        }
        element = _element(node, item, ns)
        if element is not None:
            found.append(element)
    return found


def _element(node, values, ns):
    if node.orid is not None:
        if node.orid not in values:
            return None
        element = etree.Element(f"{{{ns}}}{node.name}", orid=node.orid)
        element.text = values[node.orid]
        return element
    children = [e for c in node.children for e in _elements(c, values, ns)]
    if not children:
        return None
    element = etree.Element(f"{{{ns}}}{node.name}")
    element.extend(children)
    return element
