# Issue 22, item 2, as PowerShell sees it: OPENAI_BASE_URL is read after OPENAI_API_BASE ($global: then $env:,
# as PSOpenAI reads its variables), and the Python face's defaults (600 s, 2 retries) do not reach PowerShell,
# which keeps PSOpenAI's 0 and 0.
# Run: pwsh tests/pester/run.ps1 -Path tests/pester/PythonFace.Tests.ps1

Describe 'OPENAI_BASE_URL and the defaults in PowerShell' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $script:SavedBaseUrl = $env:OPENAI_BASE_URL
    }

    AfterAll {
        $env:OPENAI_BASE_URL = $script:SavedBaseUrl
        Remove-Variable -Name OPENAI_BASE_URL -Scope Global -ErrorAction Ignore
        Exit-TestEnvironment
    }

    BeforeEach {
        Reset-TestEmulator
        $env:OPENAI_API_BASE = $script:Emu.Base
        $env:OPENAI_BASE_URL = $null
        Remove-Variable -Name OPENAI_BASE_URL -Scope Global -ErrorAction Ignore
    }

    It 'uses $env:OPENAI_BASE_URL when OPENAI_API_BASE is not set' {
        $batch = New-TestBatch
        $env:OPENAI_API_BASE = $null
        $env:OPENAI_BASE_URL = $script:Emu.Base
        (Get-Batch -BatchId $batch.id).id | Should -Be $batch.id
    }

    It 'uses $global:OPENAI_BASE_URL too, and OPENAI_API_BASE comes first' {
        $batch = New-TestBatch
        $env:OPENAI_API_BASE = $null
        $global:OPENAI_BASE_URL = $script:Emu.Base
        (Get-Batch -BatchId $batch.id).id | Should -Be $batch.id
        $env:OPENAI_API_BASE = 'http://127.0.0.1:9/v1'         # nothing listens there
        { Get-Batch -BatchId $batch.id -ErrorAction Stop } | Should -Throw '*127.0.0.1:9*'
    }

    It 'keeps PSOpenAI''s defaults: no retry' {
        $batch = New-TestBatch
        Add-EmulatorFault @{ method = 'POST'; path = '/v1/batches/{id}/cancel'; status = 500; count = 3 }
        { Stop-Batch -BatchId $batch.id -Force -ErrorAction Stop } | Should -Throw '*500*'
        @(Get-CancelRequests).Count | Should -Be 1
    }
}
