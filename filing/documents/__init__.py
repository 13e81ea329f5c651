"""Printed documents: the application as PDF and Word (rendered from a Printable only), and what
an authority sends up: the summary table, the recommendation letter and the package ZIP."""
