"""The payments tests' fixtures (officers, awaiting) come from the root conftest; the bank's
side of the files is built in factories.py."""
