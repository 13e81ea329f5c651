"""Printed documents: the application as PDF and Word, rendered from a Printable only."""
