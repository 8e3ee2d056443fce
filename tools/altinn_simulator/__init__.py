"""A local Altinn 3 simulator: Maskinporten, the Altinn platform, the BRG app, the inbox
signing step and data.brreg.no on one port. See docs/altinn-simulator.md."""

from .app import RunningSimulator, SimulatorApp, running_simulator
