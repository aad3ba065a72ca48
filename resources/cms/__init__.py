"""Official CMS Medicare tables for the codes the program bills (see README.md and PROVENANCE.md here).

``releases.json`` names each file's release and where it was read; ``core.coding.cms`` is the only
reader. A newer official file loaded with ``superbill tables load`` is read in preference to these.
"""
