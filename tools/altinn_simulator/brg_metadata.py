"""What the simulator knows of the BRG app's ``applicationmetadata.json`` and process.

BRG has not published either file. What is known comes from BRG's Postman collections and
TT02 environment (data type ids, content types), its design sheets (the 30 MB zip) and
app-lib's defaults; every other value is marked as an assumption here and in
docs/altinn-simulator.md.
"""

MB = 1024 * 1024

# The two tasks: ids as Altinn Studio names them, task types as app-lib defines them.
# The names are BRG's own and unpublished; the client must not read them.
TASK_NAMES = {"Task_1": "Utfylling", "Task_2": "Signering"}
TASKS = {"Task_1": "data", "Task_2": "signing"}
NEXT_TASK = {"Task_1": "Task_2"}
PDF_TYPE = "ref-data-as-pdf"  # app-lib PdfService.PdfElementType: never written by a user

# XmlRoot of the app's models: <melding> in the XSD's target namespace
NAMESPACES = {
    "Hovedskjema": "http://schema.brreg.no/regnsys/aarsregnskap_vanlig",
    "Underskjema": "http://schema.brreg.no/regnsys/aarsregnskap_vanlig/underskjema",
}

# id -> DataType. Ids and content types: the TT02 environment (hovedskjema_data_type,
# underskjema_data_type, vedlegg_data_type(_baerekraft), *_upload_type). maxCount 2 of
# Underskjema: company and group accounts (Postman "Opprett konsernregnskap"); the other
# counts, the Vedlegg types and sizes and the file-scan switches are assumptions.
DATA_TYPES = {
    "Hovedskjema": {
        "form": True,
        "taskId": "Task_1",
        "allowedContentTypes": ["application/xml"],
        "minCount": 1,
        "maxCount": 1,
    },
    "Underskjema": {
        "form": True,
        "taskId": "Task_1",
        "allowedContentTypes": ["application/xml"],
        "minCount": 1,
        "maxCount": 2,
    },
    "Vedlegg": {
        "form": False,
        "taskId": "Task_1",
        "allowedContentTypes": ["application/pdf"],
        "maxSize": 30,
        "minCount": 0,
        "maxCount": 0,
        "enableFileScan": True,
        "validationErrorOnPendingFileScan": True,
    },
    "VedleggBaerekraft": {
        "form": False,
        "taskId": "Task_1",
        "allowedContentTypes": ["application/zip"],
        "maxSize": 30,  # BRG's design sheet RR-0002 Dynamikk, D_40309_11
        "minCount": 0,
        "maxCount": 0,
        "enableFileScan": True,
        "validationErrorOnPendingFileScan": True,
    },
    PDF_TYPE: {
        "form": False,
        "taskId": None,
        "allowedContentTypes": ["application/pdf"],
        "minCount": 0,
        "maxCount": 0,
    },
}

# app-lib MimeTypeMap for the extensions the data types above use
MIME_TYPES = {".pdf": "application/pdf", ".zip": "application/zip", ".xml": "application/xml"}
MIME_ALIASES = {
    "application/zip": ("application/x-zip-compressed", "application/zip-compressed"),
    "application/xml": ("text/xml",),
}


def mime_type(filename):
    """app-lib ``MimeTypeMap.GetMimeType``: the extension's type, else octet-stream."""
    _stem, dot, extension = filename.rpartition(".")
    return MIME_TYPES.get(f".{extension.lower()}", "application/octet-stream") if dot else None


def mime_matches(mime, content_type):
    """app-lib ``MimeType.IsMatch``: the type or an alias, ignoring case."""
    content_type = (content_type or "").lower()
    return content_type == mime or content_type in MIME_ALIASES.get(mime, ())
