"""Chat cmdlets: one module per cmdlet."""
