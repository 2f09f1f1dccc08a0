"""Allow ``python -m lcpgraph``."""

from lcpgraph.cli import main

main()
