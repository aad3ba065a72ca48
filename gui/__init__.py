"""The PySide6 front-desk window. Widgets and models here call ``core``; no rule lives here."""
