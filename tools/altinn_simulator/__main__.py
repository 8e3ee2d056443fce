"""``python -m tools.altinn_simulator --port 8090 [--host 127.0.0.1]`` from the module root."""

import argparse
import logging

from werkzeug.serving import run_simple

from .app import SimulatorApp


def main():
    parser = argparse.ArgumentParser(description="Local Altinn 3 / Maskinporten simulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    run_simple(args.host, args.port, SimulatorApp(), threaded=True)


if __name__ == "__main__":
    main()
