"""Superbill PDFs with ReportLab: page layout (``styles``), content (``story``), output (``render``).

Nothing here imports Qt; the window previews the bytes ``render`` writes.
"""
