"""Reading the data files that ship inside the program's packages (``resources/...``).

``importlib.resources`` would do, but importing it costs a quick command more than the read itself
(it brings ``zipfile``, ``tempfile`` and their imports), and so does ``pkgutil`` (it brings ``typing``:
a few milliseconds of every ``superbill code`` call; issue 14). The package's own loader is asked, as
``pkgutil.get_data`` does, so the files are read from a folder, a zip or a frozen build alike.
"""

from __future__ import annotations

import importlib
import os


def read_bytes(package: str, name: str) -> bytes:
    """The content of the file ``name`` in ``package`` (e.g. ``"resources.codes"``)."""
    try:
        module = importlib.import_module(package)
    except ModuleNotFoundError as err:
        raise FileNotFoundError(f"{name} cannot be read: there is no package {package}") from err
    loader = getattr(module.__spec__, "loader", None)
    folder = getattr(module, "__file__", None)
    if loader is None or not hasattr(loader, "get_data") or folder is None:
        raise FileNotFoundError(f"{name} cannot be read from the package {package}")
    data: bytes = loader.get_data(os.path.join(os.path.dirname(folder), *name.split("/")))
    return data


def read_text(package: str, name: str) -> str:
    """The UTF-8 text of ``name`` in ``package``, line ends made ``\\n`` as a text-mode read does."""
    text = read_bytes(package, name).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
