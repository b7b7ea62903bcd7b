"""The PowerShell bridge: PSOpenAIBridge.psm1 hosts CPython in pwsh and calls into host.py; generator.py
turns the cmdlet manifests into PowerShell advanced functions."""
