"""Reports: printable documents (PDF) built from the domains' services."""
