@{
    RootModule        = 'PSOpenAIBridge.psm1'
    # Loaded before the psm1 is parsed, in this order: the assembly, whose OnImport starts Python at once
    # (boot/Boot.cs), then the views (PSOpenAIBridge.Formats.psd1), read while Python starts.
    NestedModules     = @('PSOpenAIBridge.Boot.dll', 'PSOpenAIBridge.Formats.psd1')
    ModuleVersion     = '0.1.0'
    GUID              = '5d0f4f0e-3f5e-4b8e-9a4c-2c1f0b7d6a51'
    Author            = 'PSOpenAI Batch port'
    Description       = 'PSOpenAI Batch cmdlets whose behaviour lives in Python (cmdlets/), hosted in-process through pythonnet.'
    PowerShellVersion = '7.4'
    CompatiblePSEditions = @('Core')
    # One entry per manifests/*.yaml; `python -m psbridge.generator --write-psd1` keeps it in step.
    FunctionsToExport = @('Add-OpenAIFile', 'Clear-OpenAIContext', 'Get-Batch', 'Get-BatchOutput', 'Get-BatchRequest', 'Get-OpenAIContext', 'Get-OpenAIFile', 'Get-OpenAIFileContent', 'Remove-OpenAIFile', 'Request-ChatCompletion', 'Request-Embeddings', 'Request-Response', 'Request-TextCompletion', 'Set-OpenAIContext', 'Start-Batch', 'Stop-Batch', 'Wait-Batch')
    # How the objects look, as PSOpenAI's do. (No TypesToProcess: type data of the same members from a
    # second copy's file would fail its import before the module could say why; see ConvertFrom-PSOpenAIBridgeOutput.)
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @('Register-OpenAIFile', 'Request-ChatGPT')
    CompanyName       = 'PSOpenAI Batch port'
    Copyright         = '(c) PSOpenAI Batch port authors. MIT License. Cmdlet names, parameters and help follow PSOpenAI by mkht (MIT).'
    # No HelpInfoURI: the help ships in en-US/ (generated from the manifests); there is no Update-Help server.
    PrivateData       = @{
        PSData = @{
            Tags         = @('PSOpenAI', 'OpenAI', 'Batch', 'Files', 'API', 'Python', 'pythonnet', 'PSEdition_Core', 'Linux', 'MacOS', 'Windows')
            ProjectUri   = 'https://github.com/mkht/PSOpenAI'
            LicenseUri   = 'https://opensource.org/license/mit'
            ReleaseNotes = @'
0.1.0: PSOpenAI's Batch and Files cmdlets (Start-Batch, Stop-Batch, Get-Batch, Wait-Batch, Get-BatchOutput,
Add-OpenAIFile, Get-OpenAIFile, Get-OpenAIFileContent, Remove-OpenAIFile) with their behaviour in Python.
Needs the Python package psopenai-batch (pip install psopenai-batch); `python -m psbridge install` registers
this module for that Python.
'@
        }
    }
}
