"""The simulator's WSGI application: routing, fault injection, request log, and a helper
that runs it on a free local port in a thread."""

import contextlib
import json
import socket
import threading
import time

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map
from werkzeug.serving import make_server
from werkzeug.wrappers import Request

from ..altinn_environments import SIM_APPS, SIM_PLATFORM
from . import (
    brg_app,
    brg_data,
    control,
    maskinporten,
    platform,
    register,
    storage,
    system_register,
    system_users,
)
from .http import json_response, problem
from .state import SimState, iso_now

ALTINN2_HEADER = "X-Altinn-EnterpriseUser-Authentication"


class SimulatorApp:
    def __init__(self):
        self.state = SimState()
        self.issuer = maskinporten.TokenIssuer()
        rules = [
            *maskinporten.RULES,
            *platform.RULES,
            *system_register.RULES,
            *system_users.RULES,
            *storage.RULES,
            *brg_app.RULES,
            *brg_data.RULES,
            *register.RULES,
        ]
        # unbound copies: a Rule binds to one Map, and a process may run several simulators
        self.url_map = Map([rule.empty() for rule in rules + control.RULES], strict_slashes=False)

    def __call__(self, environ, start_response):
        request = Request(environ)
        name, response = self._dispatch(request, environ)
        self.state.record(
            {
                "time": iso_now(),
                "method": request.method,
                "path": request.path,
                "query": request.query_string.decode(),
                "endpoint": name,
                "status": response.status_code if response else 0,
                "headers": {
                    k: ("<redacted>" if k.lower() == "authorization" else v)
                    for k, v in request.headers.items()
                },
                "body_size": request.content_length or 0,
                "json": _small_json(request),
            }
        )
        if response is None:  # dropped connection: nothing goes back
            start_response("500 Dropped", [("Content-Length", "0")])
            return []
        return response(environ, start_response)

    def _dispatch(self, request, environ):
        adapter = self.url_map.bind_to_environ(environ)
        try:
            handler, values = adapter.match()
        except HTTPException as exc:
            return None, exc.get_response()
        name = handler.__name__
        if ALTINN2_HEADER in request.headers and request.path.startswith((SIM_PLATFORM, SIM_APPS)):
            return name, problem(410, "Gone", "Altinn 2 enterprise users no longer exist.")
        fault = None if name.startswith("control_") else self.state.take_fault(name)
        if fault:
            response = self._fault(fault, environ)
            if response is not False:
                return name, response
        try:
            return name, handler(self, request, **values)
        except HTTPException as exc:
            return name, exc.get_response()

    @staticmethod
    def _fault(fault, environ):
        """The response a fault forces; None drops the connection; False lets it through."""
        time.sleep(float(fault.get("delay") or 0))
        if fault.get("drop"):
            connection = environ.get("werkzeug.socket")
            if connection is not None:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            return None
        if fault.get("expired_token"):
            header = 'Bearer error="invalid_token", error_description="The token expired"'
            return json_response({"error": "invalid_token"}, 401, **{"WWW-Authenticate": header})
        status = fault.get("status")
        if status:
            headers = {}
            if fault.get("retry_after") is not None:
                headers["Retry-After"] = str(fault["retry_after"])
            return json_response({"title": "Simulated fault", "status": status}, status, **headers)
        return False


def _small_json(request):
    """A small JSON body, for tests to compare with BRG's documented calls. JSON bodies here
    hold no secret: grants go form-encoded to the token endpoint."""
    if request.mimetype != "application/json" or (request.content_length or 0) > 4096:
        return None
    try:
        return json.loads(request.get_data() or b"null")
    except ValueError:
        return None


class RunningSimulator:
    """A simulator served in a background thread; ``url`` is its base URL."""

    def __init__(self, host="127.0.0.1", port=0):
        self.app = SimulatorApp()
        self._server = make_server(host, port, self.app, threaded=True)
        self.url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def state(self):
        return self.app.state

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@contextlib.contextmanager
def running_simulator(host="127.0.0.1", port=0):
    """``with running_simulator() as sim:`` serve on a free port until the block ends."""
    sim = RunningSimulator(host, port).start()
    try:
        yield sim
    finally:
        sim.stop()
