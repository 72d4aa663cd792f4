"""Monitoring: implementation records of funded proposals, and monitoring groups' reports."""
