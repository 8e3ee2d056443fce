"""Response helpers shared by the simulator's handlers."""

import json

from werkzeug.exceptions import abort
from werkzeug.wrappers import Response


def json_response(body, status=200, **headers):
    return Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
        headers=headers,
    )


def problem(status, title, detail=None, **extensions):
    """ASP.NET ProblemDetails, as the Altinn apps answer errors."""
    body = {"type": None, "title": title, "status": status, "detail": detail, **extensions}
    return Response(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/problem+json"
    )


def fail(status, title, detail=None, **extensions):
    abort(problem(status, title, detail, **extensions))


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
