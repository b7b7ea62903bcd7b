# Request-ChatCompletion -Stream through the bridge: text pieces written to the pipeline as the emulator
# streams them (and to the information stream, as PSOpenAI does), raw events, Azure, an early end of the
# pipeline, and Ctrl+C while the stream waits for its next piece.
# Run: pwsh tests/pester/run.ps1 -Path tests/pester/ChatStream.Tests.ps1

Describe 'Request-ChatCompletion -Stream' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $script:Psd1 = Get-TestModulePath
    }

    AfterAll { Exit-TestEnvironment }

    BeforeEach { Reset-TestEmulator }

    It 'PSOpenAI''s own test: the first 10 pieces, the same in the output and the information stream' {
        $result = Request-ChatCompletion -Message 'Please describe about ChatGPT' -MaxCompletionTokens 32 -Stream `
            -InformationVariable info -ErrorAction Stop | Select-Object -First 10
        $result | Should -HaveCount 10
        ([string[]]$info) | Should -Be ([string[]]$result)
        $info[1].MessageData | Should -BeOfType ([System.Management.Automation.HostInformationMessage])
        $info[1].MessageData.NoNewLine | Should -BeTrue
    }

    It 'the pieces join to the answer; the body asks for a stream of one answer' {
        $pieces = Request-ChatCompletion -Message 'Hello there' -NumberOfAnswers 2 -Stream -ErrorAction Stop
        $pieces -join '' | Should -BeExactly 'Emulated response for Hello there.'
        $sent = (Get-ApiRequests)[0].body | ConvertFrom-Json
        $sent.stream | Should -BeTrue
        $sent.PSObject.Properties.Name | Should -Not -Contain 'n'
    }

    It '-ResponseFormat raw_response writes each event''s JSON text' {
        $events = @(Request-ChatCompletion -Message 'Hi' -Stream -ResponseFormat raw_response -ErrorAction Stop | ConvertFrom-Json)
        $events[0].object | Should -Be 'chat.completion.chunk'
        $events[-1].choices[0].finish_reason | Should -Be 'stop'
    }

    It 'streams from an Azure deployment (PSOpenAI''s Azure test)' {
        $az = @{ ApiType = 'Azure'; ApiBase = ($script:Emu.Base -replace '/v1$', ''); Model = 'gpt-4o-mini' }
        $result = Request-ChatCompletion @az -Message 'Please describe about Azure' -MaxCompletionTokens 32 -Stream `
            -InformationVariable info -ErrorAction Stop | Select-Object -First 10
        $result | Should -HaveCount 10
        ([string[]]$info) | Should -Be ([string[]]$result)
        (Get-ApiRequests)[0].path | Should -BeLike '/openai/deployments/gpt-4o-mini/chat/completions*'
    }

    It 'a stream whose body ends without [DONE] gives its pieces, then one warning; a whole one none' {
        Add-EmulatorFault @{ method = 'POST'; path = '/v1/chat/completions'; status = 200; content_type = 'text/event-stream'
            body_text = "data: {`"choices`": [{`"delta`": {`"content`": `"Hel`"}}]}`n`n" }
        $pieces = Request-ChatCompletion -Message 'Hi' -Stream -WarningVariable cut -WarningAction SilentlyContinue
        $pieces | Should -Be 'Hel'
        @($cut).Count | Should -Be 1
        "$($cut[0])" | Should -BeLike '*ended before the API marked the answer complete*'
        Reset-TestEmulator
        $null = Request-ChatCompletion -Message 'Hi' -Stream -WarningVariable whole -WarningAction SilentlyContinue
        $whole | Should -BeNullOrEmpty
    }

    It '-Stream with -AsBatch is refused before anything is sent' {
        { Request-ChatCompletion -Message 'Hi' -Stream -AsBatch -ErrorAction Stop } | Should -Throw -ExpectedMessage '*-Stream (stream=True) cannot be used with -AsBatch (as_batch=True)*'
        Get-ApiRequests | Should -BeNullOrEmpty
    }

    It 'the first pieces are written while the rest is still on its way; Ctrl+C then ends it within 1.5 s' {
        Add-EmulatorFault @{ method = 'POST'; path_prefix = '/v1/chat/completions'; stall_after = 700; stall = 30; count = $null }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$($script:Psd1)' -ErrorAction Stop; Request-ChatCompletion -Message 'A long question to answer' -Stream")
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Invoke-Emulator Get faults/stalled).stalled -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Start-Sleep -Milliseconds 300
            $output.Count | Should -BeGreaterThan 1 -Because 'the pieces before the stall were written as they came'
            Assert-StopsPromptly $ps
            @($ps.Streams.Error).Count | Should -Be 0 -Because 'a stop is not an error'
            $null = $async
        } finally {
            $ps.Dispose()
            $null = Invoke-Emulator Post faults/release
        }
    }
}
