"""The subsidy tests' fixtures come from the root conftest (year, open_window, card, world,
submitted, migrated_rows); what they build with is in factories.py."""
