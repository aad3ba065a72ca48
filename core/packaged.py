"""Reading the data files that ship inside the program's packages (``resources/...``).

``importlib.resources`` would do, but importing it costs a quick command more than the read itself
(it brings ``zipfile``, ``tempfile`` and their imports). ``pkgutil.get_data`` asks the package's own
loader, so it reads from a folder, a zip or a frozen build alike.
"""

from __future__ import annotations

import pkgutil


def read_bytes(package: str, name: str) -> bytes:
    """The content of the file ``name`` in ``package`` (e.g. ``"resources.codes"``)."""
    data = pkgutil.get_data(package, name)
    if data is None:  # a loader that cannot read data files
        raise FileNotFoundError(f"{name} cannot be read from the package {package}")
    return data


def read_text(package: str, name: str) -> str:
    """The UTF-8 text of ``name`` in ``package``, line ends made ``\\n`` as a text-mode read does."""
    text = read_bytes(package, name).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
