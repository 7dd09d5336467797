"""`python -m aliwatch` is the same as the `aliwatch` console script (the host launcher uses it)."""
import sys

from aliwatch.cli import main

sys.exit(main())
