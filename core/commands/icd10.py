"""`superbill icd10 lookup|load|info`: check diagnosis codes, load a newer CMS release, show which is used."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.commands.common import EXIT_OK, EXIT_REJECTED, guarded

#: how many billable codes to suggest under a heading
SUGGESTIONS = 5


def run(args: argparse.Namespace) -> int:
    """Dispatch on ``args.icd10_action``."""
    actions = {"lookup": lambda: lookup(args.codes), "load": lambda: load(args.file), "info": info}
    return guarded(actions[args.icd10_action])


def describe(code: str) -> tuple[bool, str]:
    """Whether ``code`` may go on a claim, and one line saying so in plain words."""
    from core import icd10

    written = icd10.normalize(code) or repr(code)
    found = icd10.lookup(code)
    if found is not None and found.billable:
        return True, f"{found.code}: billable - {found.description}"
    below = [
        c.code
        for c in icd10.search(written, limit=SUGGESTIONS + 1)
        if c.billable and c.code.startswith(written)
    ]
    hint = ", ".join(below[:SUGGESTIONS]) + (", ..." if len(below) > SUGGESTIONS else "")
    if found is not None:
        return False, (
            f"{found.code}: a heading, not billable - {found.description}. "
            f"Use a complete code below it ({hint})."
        )
    if below:
        return False, f"{written}: incomplete code, not billable. Complete codes that start with it: {hint}."
    return False, f"{written}: not an ICD-10-CM code ({icd10.release()}). Check the code for typos."


def lookup(codes: list[str]) -> int:
    """Print each code's status; exit 0 only when every code is billable."""
    results = [describe(code) for code in codes]
    for _, line in results:
        print(line)
    return EXIT_OK if all(ok for ok, _ in results) else EXIT_REJECTED


def load(file: Path) -> int:
    """Check a CMS order file and make it the code set in use."""
    from core import icd10
    from core.icd10_order_file import load_order_file

    loaded = load_order_file(Path(file), icd10.user_index_path())
    icd10.forget_loaded_index()
    print(
        f"Loaded {loaded.release}: {loaded.codes:,} codes, {loaded.billable:,} billable. "
        f"It is used from now on (stored in {loaded.path})."
    )
    return EXIT_OK


def info() -> int:
    """Print the release in use, where it comes from and how many codes it holds."""
    from core import icd10

    active = icd10.active_index()
    codes, billable = active.data.counts()
    print(f"Release: {active.data.release}")
    if active.origin == "loaded":
        print(f"From: a loaded file, {active.path} ({active.data.source})")
        print("To go back to the built-in code set, delete that file.")
    else:
        print(f"From: the code set built into the program ({active.data.source})")
    print(f"Codes: {codes:,} ({billable:,} billable)")
    if active.problem:
        print(f"Note: {active.problem}")
    return EXIT_OK
