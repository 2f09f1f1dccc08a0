"""Allow ``python -m lcpgraph``."""

from lcpgraph.cli import run

run()
