"""HTTP transport of the Altinn client: timeouts, bounded retries, one error type.

Kept apart from ``altinn_client`` so that the protocol reads on its own.
"""

import logging
import time
from urllib.parse import quote

import requests

_logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 30


class AltinnError(Exception):
    """``code``: stable short string; ``params``: the facts a caller words its own message
    from (see docs/altinn-simulator.md, "Errors"); ``message``: an English fallback for the
    end user; ``details``: for the log."""

    def __init__(self, code, message, details=None, params=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        self.params = params or {}

    @property
    def issues(self):
        return self.details.get("validation_issues", [])


def content_disposition(filename):
    """``attachment`` header with an ASCII fallback and the RFC 5987 ``filename*``."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename)
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


class HttpTransport:
    """A ``requests.Session`` with explicit timeouts; ``sleep`` is injectable for tests."""

    def __init__(self, session=None, timeout=(5, 30), max_retries=3, sleep=time.sleep):
        self.session = session or requests.Session()
        self.timeout = timeout
        self.max_retries = max_retries
        self._sleep = sleep
        # the status of the last answer, for the history of calls (models/annual_altinn_call)
        self.last_status = None

    def send(self, method, url, what, retry, token=None, **kwargs):
        """One HTTP call; repeated with back-off on 429/5xx/connection errors when ``retry``.
        ``build``, if given, returns extra request arguments afresh for each attempt."""
        build = kwargs.pop("build", None)
        headers = dict(kwargs.pop("headers", None) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        attempts = self.max_retries + 1 if retry else 1
        for attempt in range(attempts):
            extra = build() if build else {}
            start = time.monotonic()
            try:
                response = self.session.request(
                    method, url, headers=headers, timeout=self.timeout, **kwargs, **extra
                )
            except requests.Timeout as exc:
                raise AltinnError(
                    "timeout",
                    f"{what}: Altinn did not answer in time. Try again later.",
                    {"method": method, "url": url},
                ) from exc
            except requests.ConnectionError as exc:
                _logger.warning("%s %s: connection failed (attempt %s)", method, url, attempt + 1)
                if attempt + 1 < attempts:
                    self._sleep(self.backoff(attempt))
                    continue
                raise AltinnError(
                    "connection",
                    f"{what}: could not reach Altinn. Check the network and try again.",
                    {"method": method, "url": url, "error": type(exc).__name__},
                ) from exc
            self.last_status = response.status_code
            _logger.debug(
                "%s %s -> %s (%.0f ms)",
                method,
                url,
                response.status_code,
                (time.monotonic() - start) * 1000,
            )
            if response.status_code in RETRY_STATUSES and attempt + 1 < attempts:
                self._sleep(self.backoff(attempt, response.headers.get("Retry-After")))
                continue
            return response

    @staticmethod
    def backoff(attempt, retry_after=None):
        if retry_after and retry_after.strip().isdigit():
            return min(int(retry_after), MAX_RETRY_AFTER)
        return min(0.5 * 2**attempt, 8)

    def check(self, response, what, expected=(200,)):
        """``response`` if its status is expected, else the matching ``AltinnError``."""
        if response.status_code in expected:
            return response
        status = response.status_code
        details = {"status": status, "url": response.url, "body": response.text[:500]}
        body = json_or_none(response)
        body = body if isinstance(body, dict) else {}
        # Altinn's ProblemDetails carry a stable "code" (AUTH-00004, STD-00000, ...)
        params = {"status": status, "problem": body.get("code"), "detail": body.get("detail")}
        if status == 409 and body.get("validationIssues"):
            details["validation_issues"] = body["validationIssues"]
            code, hint = "validation_failed", "the filing has errors; correct them and send again"
        elif status >= 500:
            code, hint = "server_error", "Altinn has a problem; try again later"
        else:
            code, hint = _STATUS_CODES.get(status, ("bad_response", "unexpected answer"))
        if body.get("detail") and code in ("bad_request", "conflict"):
            hint += f" ({body['detail']})"
        self.raise_chained(response, AltinnError(code, f"{what}: {hint}.", details, params))

    def json(self, response, what):
        try:
            return response.json()
        except ValueError as exc:
            raise AltinnError(
                "bad_response",
                f"{what}: Altinn sent an answer that could not be read.",
                {"status": response.status_code, "body": response.text[:200]},
            ) from exc

    @staticmethod
    def raise_chained(response, error):
        """Raise ``error`` from the HTTP error of ``response``, so the cause stays visible."""
        try:
            response.raise_for_status()
        except requests.HTTPError as exc:
            raise error from exc
        raise error


_STATUS_CODES = {
    400: ("bad_request", "Altinn refused the request"),
    401: ("forbidden", "Altinn refused the login; check the Altinn set-up of the company"),
    403: (
        "forbidden",
        "access refused; check that the company's system user is approved and has the rights "
        "for the annual accounts",
    ),
    404: ("not_found", "not found in Altinn"),
    409: ("conflict", "Altinn refused it in the filing's current state"),
    410: ("gone", "this Altinn service no longer exists"),
    415: ("bad_request", "Altinn refused the file type"),
    429: ("rate_limited", "Altinn is busy; try again in a few minutes"),
}


def json_or_none(response):
    try:
        return response.json()
    except ValueError:
        return None
