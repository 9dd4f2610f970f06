"""`pulumi up` runs this file from infra/ (Pulumi.yaml's `main`)."""

import sys
from pathlib import Path

# The package imports below need the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from infra.program import program

program()
