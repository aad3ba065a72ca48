"""Command-line verbs. Each module has ``run(args) -> int`` and is imported by ``main.py`` only when used;
``arguments`` describes the command line itself.

Exit status everywhere: 0 done, 2 the input or request was rejected with a message, 1 an internal bug.
"""
