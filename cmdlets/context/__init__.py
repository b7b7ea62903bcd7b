"""Session context cmdlets (Set-, Get-, Clear-OpenAIContext): one module per cmdlet."""
