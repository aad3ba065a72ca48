"""Superbills: the printed statement of one encounter (``model``) and its assembly from the store (``build``).

Drawing the PDF lives apart, in ``core.pdf``.
"""
