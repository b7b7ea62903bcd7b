"""Files cmdlets: one module per cmdlet."""
