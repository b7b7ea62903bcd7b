# What an interactive user sees: the batch and file tables at 80 and 120 columns (Out-String and a real
# console in tmux), and tab completion of values. Against the emulator over loopback.
# Run: pwsh tests/pester/run.ps1 -Path tests/pester/Console.Tests.ps1

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emu = Enter-TestEnvironment

    function Get-TableLines([object[]]$Objects, [int]$Width) {
        @($Objects | Out-String -Width $Width -Stream | Where-Object { $_.Trim() })
    }
}

AfterAll { Exit-TestEnvironment }

Describe 'The batch table' {
    BeforeAll {
        Reset-TestEmulator
        $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 2 }
        $script:Batches = @(Get-Batch -All)
    }

    It 'at 80 columns shows whole columns, one line per batch: no wrapped header, no shredded dates' {
        $lines = Get-TableLines $script:Batches 80
        $lines[0] | Should -Match '^Id\s+endpoint\s+Count\s+Status\s*$'
        $lines.Count | Should -Be (2 + $script:Batches.Count) -Because ($lines -join "`n")
        $lines[2] | Should -Match '^batch_\w+\s+/v1/chat/completions\s+\d+\s+completed\s*$'
    }

    It 'at 120 columns shows every column, one line per batch, the dates whole (short date and time)' {
        $lines = Get-TableLines $script:Batches 120
        $lines[0] | Should -Match '^Id\s+endpoint\s+Count\s+Status\s+created_at\s+completed_at\s*$'
        $lines.Count | Should -Be (2 + $script:Batches.Count) -Because ($lines -join "`n")
        $b = $script:Batches[0]
        $lines[2] | Should -BeLike "$($b.id) *$($b.status) *$($b.created_at.ToString('g')) *$($b.completed_at.ToString('g'))"
    }

    It 'Format-List * still shows every property, the dates in full' {
        $b = $script:Batches[0]
        $text = $b | Format-List * | Out-String -Width 120
        $text | Should -Match 'input_file_id\s*:'
        $text | Should -Match ('created_at\s*: ' + [regex]::Escape("$($b.created_at)"))
    }
}

Describe 'The file table' {
    BeforeAll {
        Reset-TestEmulator
        $null = Invoke-Emulator Post files @{ content = '{}'; filename = 'batch_0123456789abcdef01234567_output.jsonl'; purpose = 'batch_output' }
        $null = New-TestFile -Name 'small.jsonl'
        $script:Files = @(Get-OpenAIFile)
    }

    It 'at 80 columns shows Id, purpose, bytes and the filename (wrapped), no header cut in pieces' {
        $lines = Get-TableLines $script:Files 80
        $lines[0] | Should -Match '^Id\s+purpose\s+bytes\s+filename\s*$'
        $lines[1] | Should -Match '^--\s+-------\s+-----\s+--------\s*$'
        $lines -join "`n" | Should -Not -Match 'created|ed_at'
        $long = $script:Files | Where-Object filename -like 'batch_*'
        ($lines -join '' -replace '\s') | Should -BeLike "*$($long.filename)*" -Because 'the wrapped filename reads whole, line after line'
    }

    It 'at 120 columns shows every column, one line per file' {
        $lines = Get-TableLines $script:Files 120
        $lines[0] | Should -Match '^Id\s+purpose\s+bytes\s+filename\s+created_at\s*$'
        $lines.Count | Should -Be (2 + $script:Files.Count) -Because ($lines -join "`n")
        foreach ($f in $script:Files) {
            $lines | Where-Object { $_ -like "$($f.id) *" } |
                Should -BeLike "$($f.id) *$($f.purpose) *$($f.bytes) $($f.filename) *$($f.created_at.ToString('g'))"
        }
    }
}

Describe 'The tables in a real console (tmux)' -Skip:(-not (Get-Command tmux -CommandType Application -ErrorAction Ignore)) {
    BeforeAll {
        Reset-TestEmulator
        $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 2 }
        $null = Invoke-Emulator Post files @{ content = '{}'; filename = 'batch_0123456789abcdef01234567_output.jsonl'; purpose = 'batch_output' }
        $script:Cache = New-ColdCacheDirectory
    }
    AfterAll { Remove-Item -LiteralPath $script:Cache -Recurse -Force -ErrorAction Ignore }

    It 'at <Columns> columns: Get-Batch and Get-OpenAIFile headers are whole, and no date is cut in pieces' -ForEach @(
        @{ Columns = 80; BatchHeader = '(?m)^Id\s+endpoint\s+Count\s+Status\s*$'; FileHeader = '(?m)^Id\s+purpose\s+bytes\s+filename\s*$' }
        @{ Columns = 120; BatchHeader = '(?m)^Id\s+endpoint\s+Count\s+Status\s+created_at\s+completed_at\s*$'
           FileHeader = '(?m)^Id\s+purpose\s+bytes\s+filename\s+created_at\s*$' }
    ) {
        $socket = "psbridge-console-$PID-$Columns"
        $envArgs = '-e', "OPENAI_API_BASE=$($script:Emu.Base)", '-e', "OPENAI_API_KEY=$(Get-TestApiKey)", '-e', "XDG_CACHE_HOME=$script:Cache"
        & tmux -L $socket new-session -d -s console -x $Columns -y 60 @envArgs "$(Get-TestPwshPath) -NoProfile"
        try {
            $null = Wait-TmuxScreen $socket console -Until { param($s) $s -match 'PS .*> ?$' }
            & tmux -L $socket send-keys -t console "Import-Module '$(Get-TestModulePath)'; Clear-Host; Get-Batch; Get-OpenAIFile | Format-Table; 'shown'" Enter
            $screen = Wait-TmuxScreen $socket console -Until { param($s) $s -match '(?m)^shown\s*$' }
            $screen | Should -Match '(?m)^shown\s*$'
            $screen | Should -Match $BatchHeader
            $screen | Should -Match $FileHeader
            $screen | Should -Not -Match '(?m)^\s+(ea|ed_at|te|at)\s*$' -Because 'no header is wrapped into a column of pieces'
            $screen | Should -Not -Match '(?m)^\s+\S{1,4}\s*$' -Because 'no date is shredded into a few characters a line'
        } finally {
            & tmux -L $socket kill-server 2>$null
        }
    }
}

Describe 'Tab completion of values' {
    It '<Line> offers <Expected>' -ForEach @(
        @{ Line = 'Request-ChatCompletion -ToolChoice '; Expected = @('none', 'auto', 'required') }
        @{ Line = 'Request-ChatCompletion -ServiceTier pr'; Expected = @('priority') }
        @{ Line = 'Request-Response -ServiceTier pr'; Expected = @('priority') }
    ) {
        $r = TabExpansion2 -inputScript $Line -cursorColumn $Line.Length
        @($r.CompletionMatches.CompletionText) | Should -Be $Expected
    }
}
