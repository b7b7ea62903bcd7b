# The README's PowerShell Batch guide block, run as written against the emulator: the environment points at
# it (as a user's would at the API), and Read-Host answers as the user would type a key.
# Run: pwsh tests/pester/run.ps1 -Path tests/pester/Readme.Tests.ps1

Describe 'The README' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $guide = $readme.Substring($readme.IndexOf('## The Batch guide'))
        $script:Block = [regex]::Match($guide, '(?s)```powershell\n(.*?)```').Groups[1].Value
    }

    AfterAll {
        Set-EmulatorStepSeconds $null
        Exit-TestEnvironment
    }

    It 'the Batch guide''s PowerShell block runs as written, each step with its result' {
        Set-EmulatorStepSeconds 0.05
        $script:Block | Should -Match 'Read-Host -AsSecureString'
        # (a function named Read-Host comes before the cmdlet: the key the user would type)
        $typed = $env:OPENAI_API_KEY
        function Read-Host { param([switch]$AsSecureString) ConvertTo-SecureString $typed -AsPlainText -Force }
        $output = @(. ([scriptblock]::Create($script:Block)))
        $global:OPENAI_API_KEY = $null
        $answers = @($output | Where-Object { $_.PSObject.Properties.Name -contains 'answer' })
        @($answers.custom_id) | Should -Be @('req-1', 'req-2', 'req-3', 'req-4', 'q-1', 'q-2')
        $answers[1].answer | Should -Be 'Emulated response for Say 2.'
        $answers[4].answer | Should -BeLike 'Emulated response*'
        @($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'PSOpenAI.Batch' -and $_.status -eq 'completed' }).Count | Should -BeGreaterThan 0
        ($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'PSOpenAI.Batch' })[-1].status | Should -Be 'cancelled'
        $vectors.Count | Should -Be 2
        , $vectors[0] | Should -BeOfType [float[]]
        (Get-ApiRequests | Where-Object { $_.method -eq 'DELETE' }).Count | Should -Be 2
    }
}
