"""The PySide6 front-desk window. Widgets and models here call ``core``; no rule lives here."""

from gui.immortal import keep_alive

keep_alive()  # before any Qt call: PySide6 6.12 drops references to None/True/False (gui.immortal)
