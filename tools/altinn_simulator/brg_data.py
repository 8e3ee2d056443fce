"""The BRG app's data elements, validation and file scan (Altinn/app-lib-dotnet
``DataController``, ``DataRestrictionValidation``, ``DataElementAccessChecker``,
``ModelSerializationService``, ``ValidateController``)."""

import time

from lxml import etree
from werkzeug.http import parse_options_header
from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from . import brg_checks
from .brg_app import INSTANCE, READ, WRITE, allowed, load_instance, new_element, who
from .brg_metadata import NAMESPACES, PDF_TYPE, mime_matches, mime_type
from .http import json_response, problem, text_response
from .state import iso_now

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
INVALID = "Invalid data provided. Error:"


def validation_issues(sim, inst):
    """Everything the app checks before leaving the data task (state lock held)."""
    return brg_checks.instance_issues(inst, sim.state.config["data_types"])[0]


def _spec(sim, data_type):
    return sim.state.config["data_types"].get(data_type)


def _mutation_problem(sim, inst, data_type):
    """``DataElementAccessChecker.GetMutationProblem`` (EnforceDataTypeTaskId off: the
    app-lib default) after the endpoint's ``write`` policy."""
    if not allowed(sim, inst, "write"):
        return text_response("", 403)
    if data_type == PDF_TYPE:
        detail = f"Data element of type {data_type} cannot be modified"
        return problem(403, "Forbidden", detail)
    if not inst.active:
        detail = f"Cannot update data element of archived or deleted instance {inst.doc['id']}"
        return problem(409, "Instance Not Active", detail)
    return None


def _form_problem(request, data_type):
    """``ModelSerializationService.DeserializeSingleFromStream`` into the app's model: XML
    (the default without a Content-Type) whose root is ``melding`` in the form's namespace.
    JSON is not played: the product sends XML."""
    content_type = request.headers.get("Content-Type")
    if content_type is not None and "application/xml" not in content_type:
        detail = f"Content type {content_type} is not supported for deserialization"
        return problem(415, "Unsupported content type", detail)
    try:
        root = etree.fromstring(request.get_data(), _PARSER)
    except etree.XMLSyntaxError as exc:
        return problem(400, "Failed to deserialize XML", str(exc))
    expected = f"{{{NAMESPACES[data_type]}}}melding"
    if root.tag != expected:
        detail = f"There is an error in XML document (1, 1). <{etree.QName(root).localname} "
        detail += f"xmlns='{etree.QName(root).namespace or ''}'> was not expected."
        return problem(400, "Failed to deserialize XML", detail)
    return None


def _store(inst, element, content, claims):
    inst.contents[element["id"]] = content
    now = iso_now()
    element.update(size=len(content), lastChanged=now, lastChangedBy=who(claims))
    inst.doc.update(lastChanged=now, lastChangedBy=who(claims))


def data(sim, request, org, app, party, guid, element_id):
    scope = READ if request.method == "GET" else WRITE
    inst, claims = load_instance(sim, request, org, app, party, guid, scope)
    with sim.state.lock:
        element = inst.element(element_id)
        if element is None:
            detail = f"Did not find data element {element_id} on instance {party}/{guid}"
            return problem(404, "Data Element Not Found", detail)
        if request.method == "GET":
            return Response(inst.contents.get(element_id, b""), content_type=element["contentType"])
        if request.method == "DELETE":
            return _delete(sim, inst, element)
        spec = _spec(sim, element["dataType"])
        refused = _mutation_problem(sim, inst, element["dataType"])
        if refused is None and spec["form"]:
            refused = _form_problem(request, element["dataType"])
        elif refused is None:
            refused = _binary_problem(sim, request, spec, element["dataType"], legacy=True)
        if refused is None and element["locked"]:  # Storage DataController
            refused = text_response(
                f"Data element {element_id} is locked and cannot be updated", 409
            )
        if refused is not None:
            return refused
        _store(inst, element, request.get_data(), claims)
        changed = sim.state.config["changed_fields_on_put"]
        if changed:  # CalculationResult: the element plus what the processors changed
            return json_response({**element, "changedFields": changed})
        return json_response(element, 201)


def _delete(sim, inst, element):
    """app-lib ``DataController.Delete`` with ``DataElementAccessChecker.GetDeleteProblem``:
    the mutation checks, then the one form of a data type with app logic (minCount = maxCount
    = 1) cannot be deleted; the answer is a ``DataDeleteResponse``."""
    spec = _spec(sim, element["dataType"])
    refused = _mutation_problem(sim, inst, element["dataType"])
    if refused is None and spec["form"] and spec.get("minCount") == spec.get("maxCount") == 1:
        detail = "Cannot delete the only data element of a class with app logic"
        refused = problem(400, "Cannot Delete main data element", detail)
    if refused is not None:
        return refused
    inst.doc["data"].remove(element)
    inst.contents.pop(element["id"], None)
    inst.scans.pop(element["id"], None)
    inst.doc.update(lastChanged=iso_now())
    return json_response({"instance": inst.doc, "validationIssues": [], "newDataModels": []})


def data_post(sim, request, org, app, party, guid, data_type=None):
    """``POST data/{dataType}`` answers 200 ``DataPostResponse``; the older
    ``POST data?dataType=`` answers 201 with the element, and its 400s as text."""
    legacy = data_type is None
    data_type = request.args.get("dataType") if legacy else data_type
    inst, claims = load_instance(sim, request, org, app, party, guid, WRITE)
    with sim.state.lock:
        spec = _spec(sim, data_type)
        if spec is None:
            detail = (
                f'Could not find the specified data type: "{data_type}" in applicationmetadata.json'
            )
            return _post_error(problem(400, "Data Type Not Found", detail), legacy, detail)
        refused = _mutation_problem(sim, inst, data_type) or _count_problem(inst, data_type, spec)
        if refused is None and not inst.current_task:
            detail = "Cannot create data element without a current task"
            refused = problem(409, "No current task", detail)
        if refused is None:
            if spec["form"]:
                refused = _form_problem(request, data_type)
            else:
                refused = _binary_problem(sim, request, spec, data_type, legacy)
        if refused is not None:
            return refused
        filename = None if spec["form"] else _filename(request)
        content_type = request.headers.get("Content-Type") or "application/xml"
        element = new_element(request, inst.doc, data_type, content_type, who(claims), filename)
        content = request.get_data()
        _store(inst, element, content, claims)
        if spec.get("enableFileScan"):
            infected = sim.state.config["infected_marker"].encode() in content
            element["fileScanResult"] = "Pending"
            ready = time.monotonic() + float(sim.state.config["scan_seconds"])
            inst.scans[element["id"]] = (ready, "Infected" if infected else "Clean")
        if legacy:
            return json_response(element, 201)
        return json_response(
            {
                "newDataElementId": element["id"],
                "instance": inst.doc,
                "validationIssues": [],
                "newDataModels": [],
            }
        )


def _count_problem(inst, data_type, spec):
    if spec.get("maxCount") and len(inst.elements(data_type)) >= spec["maxCount"]:
        detail = f"Cannot create more than {spec['maxCount']} data elements of type {data_type}"
        return problem(409, "Max Count Exceeded", detail)
    return None


def _filename(request):
    """``GetFileNameFromHeader``: ``filename*`` before ``filename``, quotes trimmed."""
    _kind, options = parse_options_header(request.headers.get("Content-Disposition", ""))
    return (options.get("filename") or "").strip('"') or None


def _binary_problem(sim, request, spec, data_type, legacy):
    """``DataRestrictionValidation.CompliesWithDataRestrictions``, then the empty-body
    check of ``PostImpl``."""
    issues = []
    if "Content-Disposition" not in request.headers:
        issues.append(
            ("ContentTypeNotAllowed", "The request must include a Content-Disposition header")
        )
    elif spec.get("maxSize") and (request.content_length or 0) > spec["maxSize"] * 1024 * 1024:
        limit = spec["maxSize"] * 1024 * 1024
        issues.append(("DataElementTooLarge", f"Binary attachment exceeds limit of {limit}"))
    else:
        issues += _name_and_type_issues(request, spec)
    if issues:
        found = [
            {**brg_checks.issue(code, f"{INVALID} {text}"), "source": "DataRestrictionValidation"}
            for code, text in issues
        ]
        error = problem(
            400, "File validation failed", "Common checks failed", uploadValidationIssues=found
        )
        flag = sim.state.config["json_object_in_data_response"]
        return _post_error(
            error, legacy, found if flag else ";".join(i["description"] for i in found)
        )
    if not request.get_data():
        detail = f"{INVALID} The file is zero bytes."
        return _post_error(problem(400, "Invalid data", detail), legacy, detail)
    return None


def _name_and_type_issues(request, spec):
    filename = _filename(request)
    if not filename:
        return [("MissingFileName", "The Content-Disposition header must contain a valid filename")]
    if len(filename.split(".")) < 2:
        text = f"Invalid format for filename: {filename}. "
        text += "Filename is expected to end with '.{filetype}'."
        return [("InvalidFileNameFormat", text)]
    allowed = spec.get("allowedContentTypes") or []
    if not allowed:
        return []
    content_type = request.headers.get("Content-Type")
    if not content_type:
        return [("InvalidFileNameFormat", "Content-Type header must be included in request.")]
    mime = mime_type(filename)
    if content_type != "application/octet-stream" and not mime_matches(mime, content_type):
        text = (
            f"Content type header {content_type} does not match mime type {mime} for uploaded "
            "file. Please fix header or upload another file."
        )
        return [("InvalidFileNameFormat", text)]
    if (
        content_type.lower() not in [a.lower() for a in allowed]
        and "application/octet-stream" not in allowed
    ):
        text = (
            f"Invalid content type: {mime}. Please try another file. Permitted content types "
            f"include: {', '.join(allowed)}"
        )
        return [("ContentTypeNotAllowed", text)]
    return []


def _post_error(error, legacy, text):
    """The old ``POST data?dataType=`` turns its 400s into ``BadRequest(...)`` of the issues'
    descriptions (a string unless the JsonObjectInDataResponse flag is on)."""
    if not legacy or error.status_code != 400:
        return error
    if isinstance(text, list):
        return json_response(text, 400)
    return text_response(text, 400)


def filescan(sim, request, org, app, party, guid):
    inst, _claims = load_instance(sim, request, org, app, party, guid, READ)
    with sim.state.lock:
        inst.refresh_scans()
        results = [
            {"id": d["id"], "fileScanResult": d["fileScanResult"]}
            for d in inst.doc["data"]
            if d["fileScanResult"] != "NotApplicable"
        ]
    overall = "NotApplicable"
    for state in ("Clean", "Pending", "Infected"):
        if any(r["fileScanResult"] == state for r in results):
            overall = state
    return json_response({"id": inst.doc["id"], "fileScanResult": overall, "data": results})


def validate(sim, request, org, app, party, guid):
    inst, _claims = load_instance(sim, request, org, app, party, guid, READ)
    with sim.state.lock:
        return json_response(validation_issues(sim, inst))


RULES = [
    Rule(f"{INSTANCE}/data", endpoint=data_post, methods=["POST"]),
    Rule(f"{INSTANCE}/data/", endpoint=data_post, methods=["POST"]),
    Rule(f"{INSTANCE}/data/<data_type>", endpoint=data_post, methods=["POST"]),
    Rule(f"{INSTANCE}/data/type/<data_type>", endpoint=data_post, methods=["POST"]),
    Rule(f"{INSTANCE}/data/<element_id>", endpoint=data, methods=["GET", "PUT", "DELETE"]),
    Rule(f"{INSTANCE}/filescanresult", endpoint=filescan, methods=["GET"]),
    Rule(f"{INSTANCE}/validate", endpoint=validate, methods=["GET"]),
]
