# Request-TextCompletion (issue 20, part): the direct call as PSOpenAI 4.49 returns it, and -AsBatch items.

Describe 'Request-TextCompletion' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
    }
    AfterAll { Exit-TestEnvironment }
    BeforeEach { Reset-TestEmulator }

    It 'is a PSOpenAI.Text.Completion with created a [datetime], Prompt and Answer ([string[]]), one answer per prompt' {
        $r = Request-TextCompletion -Prompt 'Say this is a test', 'And another' -MaxTokens 16
        $r.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Text.Completion'
        $r.created | Should -BeOfType [datetime]
        $r.Prompt | Should -Be @('Say this is a test', 'And another')
        , $r.Answer | Should -BeOfType [string[]]
        $r.Answer | Should -Be @('Emulated completion for Say this is a test.', 'Emulated completion for And another.')
        @($r.PSObject.Properties.Name)[-2..-1] | Should -Be @('Prompt', 'Answer')
    }

    It '-AsBatch builds the item with max_tokens as [int], and -Message is its alias for -Prompt' {
        $item = Request-TextCompletion -Message 'x' -AsBatch -CustomBatchId 't-1'
        $item.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Input'
        $item.url | Should -Be '/v1/completions'
        $item.body.max_tokens | Should -BeOfType [int]
        $item.body.max_tokens | Should -Be 2048
        Get-ApiRequests | Should -BeNullOrEmpty
    }

    It '-Echo is a [bool] as in PSOpenAI: $true / 0 are sent as JSON booleans, a string is refused before anything is sent' {
        (Request-TextCompletion -Prompt 'x' -Echo $true -AsBatch).body.echo | Should -BeExactly $true
        (Request-TextCompletion -Prompt 'x' -Echo 0 -AsBatch).body.echo | Should -BeExactly $false
        { Request-TextCompletion -Prompt 'x' -Echo 'false' -ErrorAction Stop } | Should -Throw '*Echo must be a bool*'
        Get-ApiRequests | Should -BeNullOrEmpty
    }

    It 'a completions batch''s outputs are typed PSOpenAI.Text.Completion, with Answer' {
        Set-EmulatorStepSeconds 0.05
        try { $batch = Request-TextCompletion -Prompt 'x' -MaxTokens 50 -AsBatch | Start-Batch | Wait-Batch -PollIntervalSec 0.05 }
        finally { Set-EmulatorStepSeconds $null }
        $body = @($batch | Get-BatchOutput)[0].response.body
        $body.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Text.Completion'
        $body.created | Should -BeOfType [datetime]
        $body.Answer | Should -Be 'Emulated completion for x.'
    }

    It '-Stream writes the text pieces as they arrive, also to the information stream (PSOpenAI''s own test, in short)' {
        $pieces = @(Request-TextCompletion -Prompt 'Say this is a test' -Stream -InformationVariable info -ErrorAction Stop)
        $pieces.Count | Should -BeGreaterThan 5
        $pieces -join '' | Should -BeExactly 'Emulated completion for Say this is a test.'
        ([string[]]$info) | Should -Be ([string[]]$pieces)
        ((Get-ApiRequests)[0].body | ConvertFrom-Json).stream | Should -BeTrue
    }
}
