"""`python -m sync [--config PATH] [--db URL] [--debug] [--dry-run] [--push-only|--pull-only] [--json]`."""

from __future__ import annotations

import sys
from collections.abc import Sequence

GLOBAL_WITH_VALUE = ("--config", "--db")
GLOBAL_FLAGS = ("--debug",)


def main(argv: Sequence[str] | None = None) -> int:
    from tracker.cli import main as cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    global_args: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        name = arg.split("=", 1)[0]
        if name in GLOBAL_WITH_VALUE:
            if "=" in arg:
                global_args.append(arg)
            else:
                global_args += args[i : i + 2]
                i += 1
        elif arg in GLOBAL_FLAGS:
            global_args.append(arg)
        else:
            rest.append(arg)
        i += 1
    return cli_main([*global_args, "sync", *rest])


if __name__ == "__main__":
    sys.exit(main())
