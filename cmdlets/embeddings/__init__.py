"""Embeddings cmdlets: one module per cmdlet."""
