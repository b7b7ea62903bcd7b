"""Text completions cmdlets (the legacy /completions endpoint): one module per cmdlet."""
