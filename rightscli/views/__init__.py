"""Presentations of an assessment or the catalog. Views only present; they decide nothing."""
