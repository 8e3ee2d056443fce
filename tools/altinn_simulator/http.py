"""Response helpers shared by the simulator's handlers."""

import json
from http import HTTPStatus

from werkzeug.exceptions import abort
from werkzeug.wrappers import Response


def json_response(body, status=200, **headers):
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
        headers=headers,
    )


def text_response(text, status):
    """What ASP.NET answers for ``BadRequest("...")`` and ``StatusCode(403, "...")``."""
    return Response(text, status=status, content_type="text/plain; charset=utf-8")


def problem(status, title, detail=None, **extensions):
    """ASP.NET ``ProblemDetails``: members left null are not written."""
    body = {"type": None, "title": title, "status": status, "detail": detail, **extensions}
    body = {key: value for key, value in body.items() if value is not None}
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json"
    )


def altinn_problem(descriptor, detail=None, **extensions):
    """``AltinnProblemDetails`` of Altinn.Authorization.ProblemDetails: type
    ``urn:altinn:error:<code>``, the descriptor's text as title, and the ``code``."""
    code, status, title = descriptor
    return problem(
        status,
        title,
        detail,
        code=code,
        statusDescription=HTTPStatus(status).phrase,
        **{"type": f"urn:altinn:error:{code}", **extensions},
    )


def fail(status, title, detail=None, **extensions):
    abort(problem(status, title, detail, **extensions))


def fail_with(response):
    abort(response)


def html_response(body, status=200):
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def bearer(request):
    auth = request.headers.get("Authorization", "")
    return auth[7:].strip() if auth.startswith("Bearer ") else None


def read_json(request):
    try:
        return json.loads(request.get_data() or b"null")
    except ValueError:
        fail(400, "Invalid JSON body")
