# Stop-Batch through the bridge, against the emulator over loopback; assertions read its request log.
# Run: pwsh tests/pester/run.ps1   (or Invoke-Pester -Path tests/pester/StopBatch.Tests.ps1)

Describe 'Stop-Batch through the bridge' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $script:Key = Get-TestApiKey
    }

    AfterAll {
        Exit-TestEnvironment
    }

    BeforeEach { Reset-TestEmulator }

    Context 'Binding forms: each cancels the right batch once per input item' {
        It 'Stop-Batch -BatchId <id> (reads the status first, then cancels)' {
            $b = New-TestBatch
            Stop-Batch -BatchId $b.id
            $log = Get-ApiRequests
            $log.method | Should -Be @('GET', 'POST')
            $log[0].path | Should -Be "/v1/batches/$($b.id)"
            $log[1].path | Should -Be "/v1/batches/$($b.id)/cancel"
        }

        It 'Stop-Batch <id> (position 0)' {
            $b = New-TestBatch
            Stop-Batch $b.id
            (Get-CancelRequests).path | Should -Be "/v1/batches/$($b.id)/cancel"
        }

        It 'Stop-Batch -Id <id> (alias)' {
            $b = New-TestBatch
            Stop-Batch -Id $b.id
            (Get-CancelRequests).path | Should -Be "/v1/batches/$($b.id)/cancel"
        }

        It "'<id>' | Stop-Batch (by value)" {
            $b = New-TestBatch
            $b.id | Stop-Batch
            (Get-CancelRequests).path | Should -Be "/v1/batches/$($b.id)/cancel"
        }

        It '$batchObject | Stop-Batch binds -InputObject: its status is used, no GET' {
            # PowerShell tries the default set first; InputObject is the default so that a piped batch
            # is not bound to -BatchId by its id property.
            $o = New-TestBatchObject
            $o | Stop-Batch
            (Get-ApiRequests).path | Should -Be @("/v1/batches/$($o.id)/cancel")
        }

        It 'Stop-Batch -InputObject $o uses the object''s status: no GET' {
            $o = New-TestBatchObject
            Stop-Batch -InputObject $o
            (Get-ApiRequests).path | Should -Be @("/v1/batches/$($o.id)/cancel")
        }

        It 'Stop-Batch -Batch $o (alias)' {
            $o = New-TestBatchObject
            Stop-Batch -Batch $o
            (Get-ApiRequests).path | Should -Be @("/v1/batches/$($o.id)/cancel")
        }

        It "[pscustomobject]@{batch_id='b'} | Stop-Batch (by property name, via the alias)" {
            $b = New-TestBatch
            [pscustomobject]@{ batch_id = $b.id } | Stop-Batch
            (Get-CancelRequests).path | Should -Be "/v1/batches/$($b.id)/cancel"
        }

        It "'a','b','c' | Stop-Batch -Force cancels three batches, in order, without GETs" {
            $ids = 1..3 | ForEach-Object { (New-TestBatch).id }
            $ids | Stop-Batch -Force
            $log = Get-ApiRequests
            $log.method | Should -Be @('POST', 'POST', 'POST')
            $log.path | Should -Be ($ids | ForEach-Object { "/v1/batches/$_/cancel" })
        }

        It 'an id needing escaping stays one path segment' {
            try { Stop-Batch -BatchId 'a/../b c' -Force } catch { }     # a 404 (terminating, as in PSOpenAI)
            (Get-ApiRequests).path | Should -Be @('/v1/batches/a%2F..%2Fb%20c/cancel')
        }
    }

    Context 'Parameter validation happens in PowerShell, before any request' {
        It 'rejects -MaxRetryCount 101' {
            { Stop-Batch -BatchId b -MaxRetryCount 101 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Stop-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'rejects an empty id' {
            { Stop-Batch -BatchId '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Stop-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'reports a missing id (no prompt without a host)' {
            $r = Invoke-InRunspace { Stop-Batch -Force }
            @($r.Errors) + @($r.Failure.ErrorRecord) | Where-Object { $_ } | Select-Object -First 1 -ExpandProperty FullyQualifiedErrorId |
                Should -Be 'MissingMandatoryParameter,Stop-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'rejects both parameter sets at once' {
            $o = New-TestBatchObject
            { Stop-Batch -BatchId $o.id -InputObject $o } | Should -Throw -ErrorId 'AmbiguousParameterSet,Stop-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'rejects an -InputObject that is not a PSOpenAI.Batch' {
            { Stop-Batch -InputObject ([pscustomobject]@{ id = 'x' }) } | Should -Throw -ErrorId 'MismatchedPSTypeName,Stop-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'Get-Command -Syntax shows the Id and InputObject sets' {
            $syntax = (Get-Command Stop-Batch -Syntax) -split "`r?`n" | Where-Object { $_ -match '\S' }
            $syntax.Count | Should -Be 2
            $byId = $syntax | Where-Object { $_ -match '^Stop-Batch \[-BatchId\]' }
            $byId | Should -Match '^Stop-Batch \[-BatchId\] <string> \[-Wait\] \[-Force\] \[-PassThru\] \[-TimeoutSec <int>\] \[-MaxRetryCount <int>\] \[-ApiBase <uri>\] \[-ApiKey <securestring>\] \[-Organization <string>\] \[-ApiType <string>\] \[-AuthType <string>\] \[-ApiVersion <string>\] \[-AdditionalQuery <IDictionary>\] \[-AdditionalHeaders <IDictionary>\] \[-AdditionalBody <Object>\] \[-WhatIf\] \[-Confirm\]'
            $syntax | Where-Object { $_ -match '^Stop-Batch \[-InputObject\] <\S+> \[-Wait\]' } | Should -HaveCount 1
            (Get-Command Stop-Batch).DefaultParameterSet | Should -Be 'InputObject'
        }
    }

    Context '-Force, -Wait, -PassThru and -WhatIf' {
        It 'returns nothing without -PassThru' {
            $b = New-TestBatch
            Stop-Batch $b.id | Should -BeNullOrEmpty
            (Get-CancelRequests).Count | Should -Be 1
        }

        It '-PassThru returns the batch, now cancelling' {
            $b = New-TestBatch
            $r = Stop-Batch $b.id -PassThru
            $r.id | Should -Be $b.id
            $r.status | Should -Be 'cancelling'
        }

        It '-Force -Wait -PassThru returns the cancelled batch, with progress showing the status' {
            Set-EmulatorStepSeconds 0.2
            $r = Invoke-InRunspace { $b | Stop-Batch -Force -Wait -PassThru } @{ b = (New-TestBatchObject) }
            $r.Errors | Should -BeNullOrEmpty
            $r.Output.Count | Should -Be 1
            $r.Output[0].status | Should -Be 'cancelled'
            $r.Progress.Count | Should -BeGreaterThan 0
            $r.Progress[0].StatusDescription | Should -Match 'cancelling'
            $r.Progress[-1].RecordType | Should -Be 'Completed'
        }

        It '-Wait without -PassThru waits but returns nothing' {
            Set-EmulatorStepSeconds 0.2
            $b = New-TestBatch
            Stop-Batch $b.id -Wait | Should -BeNullOrEmpty
            (Get-ApiRequests | Where-Object method -eq 'GET').Count | Should -BeGreaterThan 1    # status, then polls
        }

        It 'without -Force refuses a completed batch: a non-terminating error and no cancel' {
            $b = New-TestBatch completed
            Stop-Batch $b.id -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'System.InvalidOperationException,Stop-Batch'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            Get-CancelRequests | Should -BeNullOrEmpty
        }

        It '-Force sends the cancel whatever the status (the API refuses it here)' {
            $b = New-TestBatch completed
            $err = @(); try { Stop-Batch $b.id -Force } catch { $err = @($_) }     # terminating, as in PSOpenAI
            (Get-ApiRequests).method | Should -Be @('POST')
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.ConflictException,Stop-Batch'
        }

        It '-WhatIf sends no request and returns nothing' {
            # In a runspace without a host, so the "What if:" lines stay out of the test output.
            $r = Invoke-InRunspace { Stop-Batch $id -WhatIf -PassThru; $o | Stop-Batch -Force -Wait -WhatIf } @{
                id = (New-TestBatch).id; o = (New-TestBatchObject) }
            $r.Errors | Should -BeNullOrEmpty
            $r.Output | Should -BeNullOrEmpty
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'ShouldProcess names the action and the batch (shown by -Verbose)' {
            $b = New-TestBatch
            $text = (Stop-Batch $b.id -Verbose 4>&1 | ForEach-Object { "$_" }) -join "`n"
            $text | Should -Match ([regex]::Escape("Performing the operation `"Cancel batch`" on target `"$($b.id)`""))
        }

        It '-Confirm:$false goes ahead' {
            $b = New-TestBatch
            Stop-Batch $b.id -Confirm:$false
            (Get-CancelRequests).Count | Should -Be 1
        }

        It '$global:WhatIfPreference = $true (no -WhatIf given) still sends nothing' {
            # The bridge skips ShouldProcess when it could only say yes; a preference must still count.
            # (Global: a script module's functions see global preferences, not the caller's locals.)
            $b = New-TestBatch
            $global:WhatIfPreference = $true
            try { Stop-Batch $b.id -Force } finally { $global:WhatIfPreference = $false }
            Get-CancelRequests | Should -BeNullOrEmpty
        }

        It '$ConfirmPreference = ''Medium'' asks (and a host that cannot ask fails), not cancels silently' {
            $b = New-TestBatch
            $r = Invoke-InRunspace { $ConfirmPreference = 'Medium'; Stop-Batch $id -Force } @{ id = $b.id }
            Get-CancelRequests | Should -BeNullOrEmpty
            ($r.HadErrors -or $r.Failure) | Should -BeTrue
        }
    }

    Context 'Errors' {
        It 'a 404 for one of three piped ids ends the pipeline there, as PSOpenAI does: one error, one cancel sent' {
            $a = New-TestBatch; $c = New-TestBatch
            $err = @(); try { $a.id, 'batch_missing', $c.id | Stop-Batch -Force } catch { $err = @($_) }
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Stop-Batch'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].TargetObject | Should -Be 'batch_missing'
            $err[0].Exception.Message | Should -Match '404'
            (Get-CancelRequests).path | Should -Be @("/v1/batches/$($a.id)/cancel", '/v1/batches/batch_missing/cancel')
        }

        It 'the target of an error from an -InputObject is that object' {
            $o = New-TestBatchObject completed
            Stop-Batch -InputObject $o -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].TargetObject.id | Should -Be $o.id
            $err[0].TargetObject.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch'
        }

        It '-ErrorAction Stop makes the error terminating; later items do not run' {
            $b = New-TestBatch
            { 'batch_missing', $b.id | Stop-Batch -Force -ErrorAction Stop } | Should -Throw -ErrorId 'PSOpenAI.APIRequest.NotFoundException,Stop-Batch'
            (Get-CancelRequests).path | Should -Be @('/v1/batches/batch_missing/cancel')
        }

        It 'try/catch sees the ErrorRecord with -ErrorAction Stop' {
            $caught = $null
            try { Stop-Batch -BatchId 'batch_missing' -Force -ErrorAction Stop } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Stop-Batch'
            $caught.Exception.GetType().Name | Should -Be 'NotFoundException'
            $caught.Exception | Should -BeOfType [System.Net.Http.HttpRequestException]
        }

        It 'a wrong key is an authentication error, and the message never shows the key' {
            $err = @(); try { Stop-Batch -BatchId b -Force -ApiKey 'sk-wrong-key-0123456789abcdef' } catch { $err = @($_) }     # terminating, as in PSOpenAI
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.UnauthorizedException,Stop-Batch'
            $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            ($err[0] | Out-String) | Should -Not -Match 'sk-wrong-key-0123456789abcdef'
        }

        It 'a server message echoing the key is masked' {
            Add-EmulatorFault @{ path_prefix = '/v1/batches'; status = 400; body = @{ error = @{ message = "bad request for $script:Key"; type = 'invalid_request_error' } } }
            $err = @(); try { Stop-Batch -BatchId b -Force } catch { $err = @($_) }     # terminating, as in PSOpenAI
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.BadRequestException,Stop-Batch'
            $err[0].Exception.Message | Should -Not -Match ([regex]::Escape($script:Key))
            $err[0].Exception.Message | Should -Match ([regex]::Escape('sk-********MN'))
        }

        It 'no API key at all is a configuration error, before any request' {
            $r = Invoke-InRunspace { $env:OPENAI_API_KEY = $null; Stop-Batch -BatchId b -Force; $env:OPENAI_API_KEY = $key } @{ key = $script:Key }
            $r.Errors[0].FullyQualifiedErrorId | Should -Be 'System.ArgumentException,Stop-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'a key removed with Remove-Item env: is gone for the cmdlet too (Python never reads its stale copy)' {
            # .NET on Unix keeps $env: changes to itself: Python still sees the environment the process
            # started with, so the bridge must not let Python fall back to it.
            $command = "Import-Module '$(Get-TestModulePath)'; Remove-Item env:OPENAI_API_KEY; " +
                "try { Stop-Batch -BatchId b -Force -ApiBase '$($script:Emu.Base)' } catch { `$_.FullyQualifiedErrorId }"
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $command -Environment @{ OPENAI_API_KEY = $script:Key }
            $r.Lines | Should -Be 'System.ArgumentException,Stop-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }
    }

    Context 'Streams' {
        It 'verbose messages reach Write-Verbose, with the key masked' {
            $b = New-TestBatch
            $verbose = Stop-Batch $b.id -Verbose 4>&1
            $text = ($verbose | ForEach-Object { "$_" }) -join "`n"
            $text | Should -Match ([regex]::Escape("POST $($script:Emu.Base)/batches/$($b.id)/cancel"))
            $text | Should -Match 'HTTP 200'
            $text | Should -Not -Match ([regex]::Escape($script:Key))
        }

        It 'debug messages reach Write-Debug' {
            $b = New-TestBatch
            Add-EmulatorFault @{ path_prefix = '/v1/batches'; method = 'POST'; status = 500; headers = @{ 'retry-after-ms' = '10' } }
            # -WarningAction too: alone, -Debug makes any cmdlet's WriteWarning inquire, which a
            # non-interactive run cannot answer. Verbose output, not asked for, must not prompt either.
            $out = Stop-Batch $b.id -Force -MaxRetryCount 1 -Debug -WarningAction Continue 5>&1 3>&1 4>&1
            $out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Should -BeNullOrEmpty
            ($out | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Message | Should -Match 'retry after'
            ($out | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Message | Should -Match 'Retrying'
            (Get-CancelRequests).status | Should -Be @(500, 200)
        }

        It 'progress during -Wait carries the current status and no key' {
            Set-EmulatorStepSeconds 0.3
            $r = Invoke-InRunspace { $o | Stop-Batch -Force -Wait } @{ o = (New-TestBatchObject) }
            $r.Progress.Count | Should -BeGreaterThan 0
            $r.Progress.StatusDescription -join "`n" | Should -Match 'cancelling'
            $r.Progress.Activity -join "`n" | Should -Not -Match ([regex]::Escape($script:Key))
            $r.Verbose.Message -join "`n" | Should -Not -Match ([regex]::Escape($script:Key))
        }
    }

    Context 'Output objects' {
        BeforeAll {
            Reset-TestEmulator
            $script:Seeded = New-TestBatch in_progress @{ metadata = @{ project = 'alpha' } }
            $script:Out = Stop-Batch $script:Seeded.id -PassThru
        }

        It 'is a PSCustomObject whose first PSTypeName is PSOpenAI.Batch' {
            $script:Out | Should -BeOfType [System.Management.Automation.PSCustomObject]
            $script:Out.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch'
        }

        It 'has timestamps as local [datetime] for the same instants' {
            $script:Out.created_at | Should -BeOfType [datetime]
            $script:Out.created_at.Kind | Should -Be 'Local'
            $script:Out.created_at.ToUniversalTime() | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds($script:Seeded.created_at).UtcDateTime)
            $script:Out.cancelling_at | Should -BeOfType [datetime]
        }

        It 'keeps $null as $null' {
            $script:Out.completed_at | Should -BeNullOrEmpty
            $null -eq $script:Out.errors | Should -BeTrue
            $script:Out.PSObject.Properties.Name | Should -Contain 'errors'
        }

        It 'has nested objects as PSCustomObjects' {
            $script:Out.request_counts | Should -BeOfType [System.Management.Automation.PSCustomObject]
            $script:Out.request_counts.total | Should -Be 3
            $script:Out.metadata.project | Should -Be 'alpha'
        }

        It 'contains no pythonnet object anywhere' {
            Find-PythonNetObject $script:Out | Should -BeNullOrEmpty
        }

        It 'can be piped back in (the round trip keeps the id and status)' {
            $b = New-TestBatchObject
            $out = $b | Stop-Batch -PassThru
            $again = $out | Stop-Batch -Force -PassThru -ErrorAction SilentlyContinue -ErrorVariable err
            (Get-CancelRequests).path | Should -Be @("/v1/batches/$($b.id)/cancel", "/v1/batches/$($b.id)/cancel")
            $again.status | Should -Be 'cancelling'
        }
    }

    Context 'Configuration fallbacks, as PSOpenAI' {
        AfterEach {
            Remove-Variable -Name OPENAI_API_KEY, OPENAI_API_BASE, OPENAI_ORGANIZATION -Scope Global -ErrorAction Ignore
            $env:OPENAI_API_BASE = $script:Emu.Base
            $env:OPENAI_API_KEY = $script:Key
            $env:OPENAI_ORGANIZATION = $null
        }

        It '$global:OPENAI_API_KEY wins over $env:OPENAI_API_KEY' {
            $env:OPENAI_API_KEY = 'sk-env-is-not-the-one-0000'
            $global:OPENAI_API_KEY = $script:Key
            $b = New-TestBatch
            Stop-Batch $b.id -Force
            (Get-CancelRequests)[0].headers.Authorization | Should -Be "Bearer $script:Key"
        }

        It '$env:OPENAI_API_KEY is used when no global is set' {
            $b = New-TestBatch
            Stop-Batch $b.id -Force
            (Get-CancelRequests)[0].headers.Authorization | Should -Be "Bearer $script:Key"
        }

        It '$global:OPENAI_API_BASE wins over $env:OPENAI_API_BASE' {
            $env:OPENAI_API_BASE = 'http://127.0.0.1:9/v1'
            $global:OPENAI_API_BASE = $script:Emu.Base
            $b = New-TestBatch
            Stop-Batch $b.id -Force
            (Get-CancelRequests).Count | Should -Be 1
        }

        It 'OPENAI_ORGANIZATION becomes the OpenAI-Organization header' {
            $env:OPENAI_ORGANIZATION = 'org-from-env'
            $b = New-TestBatch
            Stop-Batch $b.id -Force
            (Get-CancelRequests)[0].headers.'OpenAI-Organization' | Should -Be 'org-from-env'
            $global:OPENAI_ORGANIZATION = 'org-from-global'
            Stop-Batch $b.id -Force -ErrorAction SilentlyContinue
            (Get-CancelRequests)[1].headers.'OpenAI-Organization' | Should -Be 'org-from-global'
        }

        It 'explicit parameters win over both' {
            $global:OPENAI_API_KEY = 'sk-global-is-not-the-one-00'
            $b = New-TestBatch
            Stop-Batch $b.id -Force -ApiKey $script:Key -ApiBase $script:Emu.Base -Organization 'org-param'
            $h = (Get-CancelRequests)[0].headers
            $h.Authorization | Should -Be "Bearer $script:Key"
            $h.'OpenAI-Organization' | Should -Be 'org-param'
        }

        It '-ApiKey takes a SecureString' {
            $env:OPENAI_API_KEY = $null
            $b = New-TestBatch
            Stop-Batch $b.id -Force -ApiKey (ConvertTo-SecureString $script:Key -AsPlainText -Force)
            (Get-CancelRequests)[0].headers.Authorization | Should -Be "Bearer $script:Key"
        }

        It '$global:OPENAI_API_KEY may be a SecureString' {
            $env:OPENAI_API_KEY = $null
            $global:OPENAI_API_KEY = ConvertTo-SecureString $script:Key -AsPlainText -Force
            $b = New-TestBatch
            Stop-Batch $b.id -Force
            (Get-CancelRequests)[0].headers.Authorization | Should -Be "Bearer $script:Key"
        }
    }
}
