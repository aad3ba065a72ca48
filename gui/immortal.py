"""Keep ``None``, ``True`` and ``False`` alive under PySide6 6.12 on Python 3.11.

PySide6 6.12 hands some results back without taking a reference to them: ``None`` from every C++
``void`` method (``setText``, ``setEnabled``…) and from a null pointer (``parent()`` of a top-level
widget), ``True`` from a signal's ``disconnect()``. Each such call takes one reference away from
that object. From Python 3.12 on these objects are immortal (PEP 683) and nothing happens; on Python
3.11 the count of ``None`` (about 5,000 at start) reaches zero after a few thousand calls and the
interpreter aborts ("Fatal Python error: none_dealloc" or "bool_dealloc", exit status 134), at exit
or in the middle of a day's work.

``keep_alive()`` does on 3.11 what 3.12 does for these objects: it gives each a count no run of the
program can use up (2**40 references; a call takes one). It runs when ``gui`` is first imported,
before any Qt call of the program. These objects are never freed in any Python version, so the
extra count changes nothing else.
"""

from __future__ import annotations

import sys

#: references added to each object: more than any run of the program can take away (one per Qt call)
EXTRA_REFERENCES = 1 << 40
#: the objects PySide6 6.12 was seen to give back without a reference
SINGLETONS: tuple[object, ...] = (None, True, False)


def keep_alive() -> bool:
    """Make the reference counts of ``None``, ``True`` and ``False`` unreachable by PySide6's missing
    references (CPython < 3.12). Returns True when they are raised (now or by an earlier call), False
    where it is not needed (or the interpreter is not laid out as expected: nothing is changed)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    for singleton in SINGLETONS:
        if sys.getrefcount(singleton) >= EXTRA_REFERENCES:
            continue
        # ob_refcnt is the first field of every object in a release build of CPython 3.11
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value != sys.getrefcount(singleton) - 1:  # getrefcount counts its argument
            return False
        count.value += EXTRA_REFERENCES
    return True
