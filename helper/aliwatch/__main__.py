"""`python -m aliwatch` is the same as the `aliwatch` console script (the host launcher uses it).

Fast path: the browser starts the host as `python -m aliwatch host [origin…] [--parent-window=N]`; that goes
straight to the host without building the whole command line (argparse and every subcommand's options).
Anything else, including a host start with other options, goes through cli.main as before."""
import sys

_args = sys.argv[1:]
if _args[:1] == ["host"] and all(not a.startswith("-") or a.startswith("--parent-window=") for a in _args[1:]):
    from aliwatch.host.main import run

    sys.exit(run())

from aliwatch.cli import main  # noqa: E402

sys.exit(main())
