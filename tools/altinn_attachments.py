"""What the BRG app accepts as a file attachment, checked before anything is sent.

The checks are app-lib's ``DataRestrictionValidation`` (Altinn/app-lib-dotnet,
``src/Altinn.App.Api/Helpers/RequestHandling/DataRestrictionValidation.cs``) and the zero-byte
check of ``DataController.PostImpl``, against the data types as far as BRG has published them
(docs/altinn-simulator.md, "Attachments"). BRG's ``applicationmetadata.json`` is not public:
the allowed types of ``Vedlegg`` are not known, so the product sends only PDF, the type of
BRG's own example (Postman "Last opp vedlegg").
"""

from dataclasses import dataclass

from .altinn_http import AltinnError

MB = 1024 * 1024


@dataclass(frozen=True)
class AttachmentType:
    data_type: str
    content_types: tuple  # what the product sends; the first is the type of the extension
    extensions: tuple
    max_bytes: int


# BRG's design sheet (RR-0002 Dynamikk, D_40309_11) gives 30 MB for the sustainability zip;
# it publishes no figure for Vedlegg, so the product keeps to the same limit.
ATTACHMENT_TYPES = {
    "Vedlegg": AttachmentType("Vedlegg", ("application/pdf",), (".pdf",), 30 * MB),
    "VedleggBaerekraft": AttachmentType(
        "VedleggBaerekraft", ("application/zip",), (".zip",), 30 * MB
    ),
}


def check_attachment(filename, content, content_type, data_type="Vedlegg"):
    """Raise ``AltinnError("attachment_refused", params={"filename", "reason", ...})`` unless
    the BRG app would take this file; ``reason`` is one of ``no_extension``,
    ``type_mismatch``, ``type_not_allowed``, ``empty``, ``too_large``, ``unknown_data_type``."""
    kind = ATTACHMENT_TYPES.get(data_type)
    name = filename or ""
    if kind is None:
        _refuse(name, "unknown_data_type", data_type=data_type)
    # app-lib: the name must split into at least two parts on "."
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem.strip() or not extension:
        _refuse(name, "no_extension")
    extension = f".{extension.lower()}"
    if extension not in kind.extensions:
        _refuse(name, "type_not_allowed", allowed=", ".join(kind.extensions))
    if content_type not in kind.content_types:
        # app-lib compares the Content-Type with the extension's MIME type
        _refuse(name, "type_mismatch", content_type=content_type, expected=kind.content_types[0])
    if not content:
        _refuse(name, "empty")
    if len(content) > kind.max_bytes:
        _refuse(name, "too_large", size=len(content), max_mb=kind.max_bytes // MB)


def _refuse(filename, reason, **params):
    raise AltinnError(
        "attachment_refused",
        f"The attachment {filename!r} cannot go to Altinn ({reason.replace('_', ' ')}).",
        {"reason": reason},
        {"filename": filename, "reason": reason, **params},
    )
