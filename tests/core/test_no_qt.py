"""core/ must stay a library that could ship without Qt: importing any of it loads no PySide6."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import core

ROOT = Path(__file__).resolve().parents[2]


def _core_modules() -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(core.__path__, prefix="core."))


def test_core_has_modules() -> None:
    assert "core.coding.model" in _core_modules()


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = _core_modules()
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_no_headless_command_imports_qt() -> None:
    """main.py's commands must not drag Qt in (the GUI is imported only when it is started)."""
    script = (
        "import json, sys, main\n"
        "for mod in main.COMMANDS.values():\n"
        "    try:\n"
        "        __import__(mod)\n"
        "    except ModuleNotFoundError as e:\n"
        "        if e.name != mod: raise\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('PySide6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
