"""Batch cmdlets: one module per cmdlet."""
