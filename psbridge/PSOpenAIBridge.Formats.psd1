# The module's views (PSOpenAI.Format.ps1xml), loaded as PSOpenAIBridge.psd1's second nested module rather than
# through its own FormatsToProcess: PowerShell loads a manifest's format files before its nested modules, so the
# views would be read before PSOpenAIBridge.Boot.dll's OnImport starts Python; listed after it, they are read while
# Python starts (~0.02-0.03 s off a cold Import-Module + first call, measured).
@{
    ModuleVersion     = '0.1.0'
    GUID              = '7b1c9a52-6f0e-4d3a-9c1e-2f4b8d0a6e13'
    Description       = 'The views of PSOpenAIBridge (a nested module of it).'
    FormatsToProcess  = @('PSOpenAI.Format.ps1xml')
    FunctionsToExport = @()
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
