# A flaky server, through the bridge: retries by the rules, clear errors, nothing lost or repeated.

Describe 'Fault matrix through Stop-Batch' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $script:CancelPath = '/v1/batches/{id}/cancel'
        function Get-Cancels { @(Get-ApiRequests | Where-Object { $_.method -eq 'POST' }) }
    }

    AfterAll {
        Exit-TestEnvironment
    }

    BeforeEach { Reset-TestEmulator }

    It '429 with Retry-After: 1 is retried after about a second, with a warning' {
        $b = New-TestBatch
        Add-EmulatorFault @{ method = 'POST'; path = $script:CancelPath; status = 429; headers = @{ 'retry-after' = '1' } }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $result = Stop-Batch $b.id -Force -MaxRetryCount 2 -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.95
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 2.5
        $result.status | Should -Be 'cancelling'
        (Get-Cancels).Count | Should -Be 2
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match 'Retrying in 1\.0 s \(attempt 1 of 2\)'
    }

    It 'retry-after-ms is honoured' {
        $b = New-TestBatch
        Add-EmulatorFault @{ method = 'POST'; path = $script:CancelPath; status = 503; headers = @{ 'retry-after-ms' = '150' } }
        Stop-Batch $b.id -Force -MaxRetryCount 1 -WarningAction SilentlyContinue
        (Get-Cancels).status | Should -Be @(503, 200)
    }

    It 'a 429 about quota is not retried: QuotaLimitExceededError' {
        $b = New-TestBatch
        Add-EmulatorFault @{ method = 'POST'; path = $script:CancelPath; status = 429; headers = @{ 'retry-after-ms' = '10' }
                             body = @{ error = @{ message = 'You exceeded your current quota.'; type = 'insufficient_quota'; param = $null; code = 'insufficient_quota' } } }
        $err = @(); try { Stop-Batch $b.id -Force -MaxRetryCount 3 } catch { $err = @($_) }     # terminating, as in PSOpenAI
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PSOpenAI.APIRequest.QuotaLimitExceededException*'
        $err[0].CategoryInfo.Category | Should -Be 'QuotaExceeded'
        (Get-Cancels).Count | Should -Be 1
    }

    It '<status> is retried up to -MaxRetryCount, then a clear error naming the status' -ForEach @(
        @{ status = 500; reason = 'Internal Server Error' }, @{ status = 502; reason = 'Bad Gateway' }, @{ status = 503; reason = 'Service Unavailable' }
    ) {
        $b = New-TestBatch
        Add-EmulatorFault @{ method = 'POST'; path = $script:CancelPath; status = $status; count = 3; headers = @{ 'retry-after-ms' = '10' } }
        $err = @(); try { Stop-Batch $b.id -Force -MaxRetryCount 2 -WarningAction SilentlyContinue } catch { $err = @($_) }     # terminating, as in PSOpenAI
        (Get-Cancels).Count | Should -Be 3
        $err[0].Exception.Message | Should -BeLike "OpenAI API returned an $status ($reason) Error: *"
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PSOpenAI.APIRequest.APIRequestException*'
    }

    It 'x-should-retry: false on a 503 is not retried; true on a 400 is' {
        $b = New-TestBatch
        Add-EmulatorFault @{ method = 'POST'; path = $script:CancelPath; status = 503; headers = @{ 'x-should-retry' = 'false' } }
        try { Stop-Batch $b.id -Force -MaxRetryCount 3 } catch { }     # the 503: terminating, as in PSOpenAI
        (Get-Cancels).Count | Should -Be 1
        Reset-TestEmulator
        $b = New-TestBatch
        Add-EmulatorFault @{ method = 'POST'; path = $script:CancelPath; status = 400; headers = @{ 'x-should-retry' = 'true'; 'retry-after-ms' = '10' } }
        Stop-Batch $b.id -Force -MaxRetryCount 1 -WarningAction SilentlyContinue
        (Get-Cancels).status | Should -Be @(400, 200)
    }

    It 'a connection dropped mid-response is a connection error, not retried' {
        $b = New-TestBatch
        Add-EmulatorFault @{ method = 'POST'; path = $script:CancelPath; drop = 'mid' }
        $err = @(); try { Stop-Batch $b.id -Force -MaxRetryCount 3 } catch { $err = @($_) }     # terminating, as in PSOpenAI
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PSOpenAI.APIRequest.APIRequestException*'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        (Get-Cancels).Count | Should -Be 1
    }

    It 'a server slower than -TimeoutSec times out within TimeoutSec + 1 s, -Wait included' {
        $b = New-TestBatch
        Add-EmulatorFault @{ method = 'POST'; path = $script:CancelPath; delay = 5 }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $err = @(); try { Stop-Batch $b.id -Force -TimeoutSec 1 } catch { $err = @($_) }     # terminating, as in PSOpenAI
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 2
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'

        Reset-TestEmulator
        $b = New-TestBatch
        Add-EmulatorFault @{ method = 'GET'; path = '/v1/batches/{id}'; delay = 5; count = $null }
        $watch.Restart()
        Stop-Batch $b.id -Force -Wait -TimeoutSec 1 -ErrorVariable err -ErrorAction SilentlyContinue     # a wait's end: per item
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 2
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.TimeoutException,Stop-Batch'
    }

    It '<name> is a clear error, never a crash or a wrong object' -ForEach @(
        @{ name = 'malformed JSON'; fault = @{ malformed = $true }; match = 'not a JSON object' }
        @{ name = 'an HTML page'; fault = @{ status = 200; body_text = '<html>oops</html>' }; match = 'not a JSON object \(text/html' }
        @{ name = 'an empty 200'; fault = @{ status = 200; body_text = '' }; match = 'an empty body' }
    ) {
        $b = New-TestBatch
        $rule = @{ method = 'POST'; path = $script:CancelPath } + $fault
        Add-EmulatorFault $rule
        $out = Stop-Batch $b.id -Force -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PSOpenAI.APIRequest.APIRequestException*'
        $err[0].Exception.Message | Should -Match $match
    }

    It '500 batches piped with -MaxRetryCount 3 and 10 % of cancels failing once: each cancelled once, in order, no errors' {
        $ids = @((Invoke-Emulator Post seed @{ status = 'in_progress'; count = 500; n_requests = 1 }).data.id)
        Add-EmulatorFault @{ method = 'POST'; path = $script:CancelPath; status = 503; every = 10; once_per_path = $true
                             count = $null; headers = @{ 'retry-after-ms' = '5' } }
        $out = $ids | Stop-Batch -Force -MaxRetryCount 3 -PassThru -ErrorVariable err -WarningAction SilentlyContinue
        $err | Should -BeNullOrEmpty
        $out.id | Should -Be $ids
        $log = Get-Cancels
        @($log | Where-Object status -EQ 503).Count | Should -Be 50
        $ok = @($log | Where-Object status -EQ 200)
        $ok.Count | Should -Be 500
        @($ok.path | Sort-Object -Unique).Count | Should -Be 500
    }

    It 'hostile id <id> is URL-encoded: only the cancel path of that literal id is requested' -ForEach @(
        @{ id = 'a/b' }, @{ id = '../files/x' }, @{ id = 'x?y=1' }, @{ id = 'x#y' }, @{ id = 'with space' }, @{ id = 'bätch-ü' }
    ) {
        $err = @(); try { Stop-Batch -BatchId $id -Force } catch { $err = @($_) }     # terminating, as in PSOpenAI
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PSOpenAI.APIRequest.NotFoundException*'
        (Get-ApiRequests).path | Should -Be @("/v1/batches/$([uri]::EscapeDataString($id))/cancel")
    }

    It 'an empty id is refused by PowerShell before any request' {
        { Stop-Batch -BatchId '' -Force } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Stop-Batch'
        Get-ApiRequests | Should -BeNullOrEmpty
    }
}
