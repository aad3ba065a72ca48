"""Fonts embedded in every superbill PDF so it prints the same on every computer (see LICENSE.txt)."""
