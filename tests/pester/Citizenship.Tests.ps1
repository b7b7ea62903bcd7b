# The generated cmdlets as PowerShell citizens: what a compiled cmdlet (and PSOpenAI) does with preference
# variables, error types and records, against the emulator over loopback.
# Run: pwsh tests/pester/run.ps1 -Path tests/pester/Citizenship.Tests.ps1

Describe 'Generated cmdlets behave as PowerShell cmdlets' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
    }

    AfterAll {
        Exit-TestEnvironment
    }

    BeforeEach { Reset-TestEmulator }

    Context "The caller's preference variables count, as for a compiled cmdlet (not only the global ones)" {
        # Each block below sets its preference in a scope of its own (a script block or a function), never the
        # global scope: a script module's function saw only the global ones.
        It '$ErrorActionPreference = ''Stop'' in the caller stops at the error' {
            $after = $false
            { $ErrorActionPreference = 'Stop'; Get-Batch -BatchId batch_missing; $after = $true } |
                Should -Throw -ErrorId 'PSOpenAI.APIRequest.NotFoundException,Get-Batch'
            $after | Should -BeFalse
            Get-Item /nonexistent-psoa -ErrorAction Ignore     # (a compiled cmdlet, for comparison: the same outcome)
            { $ErrorActionPreference = 'Stop'; Get-Item /nonexistent-psoa } | Should -Throw -ErrorId 'PathNotFound,*'
        }

        It 'and in a function that calls the cmdlet' {
            function Read-Missing { $ErrorActionPreference = 'Stop'; Get-Batch -BatchId batch_a -ErrorAction Continue 2>$null; Get-Batch -BatchId batch_b; 'after' }
            $out = $null
            $caught = $null
            try { $out = Read-Missing } catch { $caught = $_ }
            $out | Should -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Get-Batch'
            $caught.TargetObject | Should -Be 'batch_b'
        }

        It '-ErrorAction given wins over the caller''s preference' {
            $out = & { $ErrorActionPreference = 'Stop'; Get-Batch -BatchId batch_missing -ErrorAction SilentlyContinue -ErrorVariable ev; 'after'; $ev.Count }
            $out | Should -Be @('after', 1)
        }

        It '$WhatIfPreference = $true in the caller: Stop-Batch and Remove-OpenAIFile send nothing' {
            $b = New-TestBatch
            Clear-ApiRequests
            & {
                $WhatIfPreference = $true
                Stop-Batch -BatchId $b.id -Force
                Stop-Batch -BatchId $b.id
                Remove-OpenAIFile -FileId $b.input_file_id
            } 6>$null
            @(Get-ApiRequests) | Should -HaveCount 0
            & { $WhatIfPreference = $true; Stop-Batch -BatchId $b.id -Force -WhatIf:$false }
            (Get-CancelRequests).path | Should -Be "/v1/batches/$($b.id)/cancel"
        }

        It '$VerbosePreference = ''Continue'' in the caller shows the request lines' {
            $b = New-TestBatch
            $verbose = & { $VerbosePreference = 'Continue'; $null = Get-Batch -BatchId $b.id } 4>&1
            @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
            "$($verbose[0])" | Should -BeLike "GET *$($b.id)"
            $none = & { $null = Get-Batch -BatchId $b.id } 4>&1
            $none | Should -BeNullOrEmpty
        }

        It '$WarningPreference = ''SilentlyContinue'' in the caller hides a warning (-WarningVariable still has it)' {
            $shown = & { $WarningPreference = 'SilentlyContinue'; $null = Request-TextCompletion -Prompt hi -WarningVariable wv; "kept: $($wv.Count)" } 3>&1
            $shown | Should -Be 'kept: 1'
            $shown = & { $null = Request-TextCompletion -Prompt hi } 3>&1
            @($shown | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 1
        }

        It '-Debug keeps warnings in -WarningVariable (they go through Write-Warning then), once each' {
            $shown = & { $null = Request-TextCompletion -Prompt hi -Debug -WarningVariable wv 5>$null; "kept: $($wv.Count) $($wv[0])" } 3>&1
            @($shown | Where-Object { $_ -is [string] }) | Should -BeLike 'kept: 1 *gpt-3.5-turbo-instruct*'
            @($shown | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 1 -Because 'shown once'
            & { $null = Request-TextCompletion -Prompt hi -Debug -WarningVariable wv 5>$null 3>$null
                $null = Request-TextCompletion -Prompt hi -Debug -WarningVariable +wv 5>$null 3>$null; $wv.Count } | Should -Be 2
        }

        It '$DebugPreference = ''Continue'' in the caller shows the request body' {
            $debug = & { $DebugPreference = 'Continue'; $null = Request-ChatCompletion -Message hi -Model gpt-4o-mini } 5>&1
            @($debug | Where-Object { "$_" -like 'Request body: {*' }).Count | Should -Be 1
        }
    }

    Context 'PSOpenAI''s exception classes can be named, as PSOpenAI''s type accelerators let them be' {
        It 'catch [NotFoundException] catches a missing file' {
            $caught = 'nothing'
            try { Get-OpenAIFile -FileId file-missing } catch [NotFoundException] { $caught = 'typed' } catch { $caught = "other: $($_.Exception.GetType())" }
            $caught | Should -Be 'typed'
        }

        It 'every class resolves by its name, and the subclasses derive from APIRequestException' {
            foreach ($name in 'BadRequestException', 'ContentFilteredException', 'UnauthorizedException', 'PermissionDeniedException',
                              'NotFoundException', 'ConflictException', 'UnprocessableEntityException',
                              'RateLimitExceededException', 'QuotaLimitExceededException') {
                $type = $name -as [type]
                $type | Should -Not -BeNullOrEmpty -Because $name
                $type.IsSubclassOf([APIRequestException]) | Should -BeTrue -Because $name
            }
            [APIRequestException].BaseType | Should -Be ([System.Net.Http.HttpRequestException])
        }

        It '$_.Exception -is [APIRequestException] for an error written to -ErrorVariable' {
            Get-Batch -BatchId batch_missing -ErrorAction SilentlyContinue -ErrorVariable ev
            $ev[0].Exception -is [APIRequestException] | Should -BeTrue
            $ev[0].Exception -is [NotFoundException] | Should -BeTrue
        }
    }

    Context 'A failure while a lazy result is written ends that item only (unless a try encloses the command)' {
        It "`$a, `$b | Get-BatchOutput: `$a's output download fails, `$b's outputs still come" {
            $a = New-TestBatch 'completed' @{ n_requests = 3 }
            $b = New-TestBatch 'completed' @{ n_requests = 3 }
            Add-EmulatorFault @{ method = 'GET'; path = "/v1/files/$($a.output_file_id)/content"; status = 500 }
            # (In a runspace of its own: Pester runs each test inside a try, which this case must not have.)
            $r = Invoke-InRunspace { $outputs = @($a, $b | Get-BatchOutput -ErrorVariable ev 2>$null); $outputs.Count; $ev } @{ a = $a.id; b = $b.id }
            $r.Failure | Should -BeNullOrEmpty
            $r.Output[0] | Should -Be 3
            @($r.Output | Select-Object -Skip 1) | Should -HaveCount 1
            $record = $r.Output[1]
            $record | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $record.FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.APIRequestException,Get-BatchOutput'
            $record.InvocationInfo.MyCommand.Name | Should -Be 'Get-BatchOutput'
        }

        It 'inside a try, the same failure goes to the catch, as PSOpenAI''s thrown API errors do' {
            $a = New-TestBatch 'completed' @{ n_requests = 3 }
            $b = New-TestBatch 'completed' @{ n_requests = 3 }
            Add-EmulatorFault @{ method = 'GET'; path = "/v1/files/$($a.output_file_id)/content"; status = 500 }
            $outputs = [System.Collections.Generic.List[object]]::new()
            $caught = $null
            try { $a.id, $b.id | Get-BatchOutput | ForEach-Object { $outputs.Add($_) } } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.APIRequestException,Get-BatchOutput'
            $outputs | Should -HaveCount 0
        }
    }
}
