"""Superbill PDFs with ReportLab's canvas: the look (``theme``, ``looks``), text wrapping (``text``), a small
table (``grid``), what a superbill says (``sections``), pages (``pages``, ``pen``) and output (``render``).
The review sheet (``review``) still uses platypus with the paragraph styles in ``styles``.

Nothing here imports Qt; the window previews the bytes ``render`` writes.
"""
