"""The dispatcher: --help lists the commands, and it never needs Qt to do so."""

from __future__ import annotations

import argparse
import contextlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

import main

ROOT = Path(__file__).resolve().parents[1]


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for verb in main.COMMANDS:
        assert verb in out


def test_help_in_a_subprocess_does_not_load_qt() -> None:
    script = (
        "import sys, main\ntry:\n    main.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('QT' if any(m.startswith('PySide6') for m in sys.modules) else 'NOQT')"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip().endswith("NOQT")


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main.main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[object, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result: object = vars(parser.parse_args(argv))
        except SystemExit as exit_info:
            result = ("exit", exit_info.code)
    return result, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "argv",
    [
        ["code"],
        ["code", "x.json", "--benchmark"],
        ["--db", "f.db", "--user", "ada", "code", "-"],
        ["--db=f.db", "--user=ada", "code"],
        ["--db", "code", "code", "x.json"],
        ["--db", "-h", "code"],
        ["code", "-h"],
        ["code", "--bogus"],
        ["code", "a.json", "b.json"],
        ["code", "--", "-"],
        ["print", "--date", "11/27/2026", "-o", "out.pdf"],
        ["print"],
        ["icd10", "lookup", "L57.0", "C44.311"],
        ["tables"],
        ["demo", "undo"],
        ["--user"],
        ["-h"],
        [],
        ["frobnicate"],
        ["--d", "f.db", "code"],
    ],
)
def test_describing_only_the_named_command_parses_the_same(argv: list[str]) -> None:
    """main() describes only the command a line names (quicker); the answer is the whole parser's."""
    command = main.named_command(argv)
    assert command is None or command == next(w for w in argv if w in main.COMMANDS)
    assert _parse(main.build_parser(command), argv) == _parse(main.build_parser(), argv)


#: a valid command line's arguments after the command, for the commands that need some
_ARGUMENTS = {
    "import": ["day.json"],
    "print": ["SB-000001"],
    "backup": ["copy.db"],
    "restore": ["copy.db"],
    "demo": ["remove"],
    "icd10": ["info"],
    "tables": ["info"],
}


@pytest.mark.parametrize("verb", list(main.COMMANDS))
def test_every_command_is_described_alone(verb: str) -> None:
    argv = [verb, *_ARGUMENTS.get(verb, [])]
    assert main.named_command(argv) == verb
    assert main.build_parser(verb).parse_args(argv).command == verb


@pytest.mark.parametrize(
    "argv",
    [
        ["code"],
        ["code", "visit.json"],
        ["code", "-"],
        ["code", ""],
        ["code", "--benchmark"],
        ["code", "visit.json", "--benchmark"],
        ["code", "--benchmark", "visit.json"],
        ["code", "--benchmark", "-"],
    ],
)
def test_a_plain_code_line_is_read_as_the_parser_reads_it(argv: list[str]) -> None:
    plain = main.plain_code_call(argv)
    assert plain is not None
    assert vars(plain) == vars(main.build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["code", "-h"],
        ["code", "--bench"],
        ["code", "--benchmark", "--benchmark"],
        ["code", "a.json", "b.json"],
        ["code", "-x.json"],
        ["code", "--", "-x.json"],
        ["--db", "f.db", "code"],
        ["import", "day.json"],
        ["code", "a.json", "--benchmark", "b.json"],
    ],
)
def test_any_other_line_goes_to_the_parser(argv: list[str]) -> None:
    assert main.plain_code_call(argv) is None
