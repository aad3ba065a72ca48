"""The ICD-10-CM code set that ships with the program (see README.md here for source and release)."""
