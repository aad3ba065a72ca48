"""Superbill Desk entry point: parse the command line, then start the window or run one command.

This module stays a thin dispatcher (the command line is described in ``core.commands.arguments``).
Commands are imported late, and none of the headless commands imports Qt, so `superbill code` answers
quickly and works on a machine without a display.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from core.commands.arguments import COMMANDS, build_parser, named_command, plain_code_call

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time (issue 14)
if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace

#: what tests and scripts use of this module (the parser lives in core.commands.arguments)
__all__ = ["COMMANDS", "build_parser", "main", "named_command", "plain_code_call"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program; returns the process exit status."""
    words = sys.argv[1:] if argv is None else argv
    args: argparse.Namespace | SimpleNamespace | None = plain_code_call(words)
    if args is None:
        args = build_parser(named_command(words)).parse_args(words)
    if args.command is None:
        from gui.app import run  # late import: only the window needs Qt

        return run(args.db)
    module = importlib.import_module(COMMANDS[args.command])
    return int(module.run(args))


if __name__ == "__main__":
    status = main()
    if plain_code_call(sys.argv[1:]) is not None:  # a finished `superbill code`: no teardown needed
        from core.commands.common import exit_without_teardown

        exit_without_teardown(status)
    sys.exit(status)
