# Issue 13 case 9: stopping ends a request in flight within about a second - a pipeline stop (Ctrl+C,
# PowerShell.Stop()) and pwsh exiting while another runspace waits for an answer.
# Run: pwsh tests/pester/run.ps1 -Path tests/pester/Interruption.Tests.ps1

Describe 'Stopping a request in flight' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $script:Psd1 = Get-TestModulePath

        function Wait-ApiRequest([string]$Method, [string]$Path) {
            # Until the emulator has logged the request (it logs before the fault's delay), at most 30 s.
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ([DateTime]::UtcNow -lt $deadline) {
                if (Get-ApiRequests | Where-Object { $_.method -eq $Method -and $_.path -eq $Path }) { return $true }
                Start-Sleep -Milliseconds 50
            }
            $false
        }
    }

    AfterAll {
        Exit-TestEnvironment
    }

    BeforeEach { Reset-TestEmulator }

    It 'Stop() during <name> against an answer 30 s away returns within 1.5 s; the runspace still works' -ForEach @(
        @{ name = 'Get-Batch'; method = 'GET'; command = "Get-Batch -BatchId '{id}'" }
        @{ name = 'Get-Batch -TimeoutSec 60'; method = 'GET'; command = "Get-Batch -BatchId '{id}' -TimeoutSec 60" }
        @{ name = 'Stop-Batch -Force'; method = 'POST'; command = "Stop-Batch -BatchId '{id}' -Force" }
    ) {
        $b = New-TestBatch
        $path = if ($method -eq 'GET') { "/v1/batches/$($b.id)" } else { "/v1/batches/$($b.id)/cancel" }
        Add-EmulatorFault @{ method = $method; path_prefix = $path; delay = 30; count = $null }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$($script:Psd1)' -ErrorAction Stop; $($command -replace '\{id\}', $b.id)")
            $async = $ps.BeginInvoke()
            Wait-ApiRequest $method $path | Should -BeTrue
            Start-Sleep -Milliseconds 300      # blocked in the read of the answer
            Assert-StopsPromptly $ps
            @($ps.Streams.Error).Count | Should -Be 0 -Because 'a stop is not a connection error'
            $null = $async

            # the same runspace runs cmdlets again, through Python, against a server that answers now
            Reset-TestEmulator
            $c = New-TestBatch
            $ps.Commands.Clear()
            $null = $ps.AddScript("Stop-Batch -BatchId '$($c.id)' -Force -PassThru -TimeoutSec 10")
            $out = $ps.Invoke()
            @($ps.Streams.Error).Count | Should -Be 0
            $out[0].status | Should -Be 'cancelling'
        } finally { $ps.Dispose() }
        # and so does this one
        (Get-Batch -BatchId $c.id).status | Should -Be 'cancelling'
    }

    It 'Stop() while the connection cannot be made (the server never completes the handshake) returns within 1.5 s' {
        # A loopback port whose accept queue is full: Linux drops each new SYN, so connect() hangs.
        $endpoint = [Net.IPEndPoint]::new([Net.IPAddress]::Loopback, 0)
        $server = [Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
        $server.Bind($endpoint)
        $server.Listen(0)
        $port = $server.LocalEndPoint.Port
        $queued = foreach ($i in 1..4) {
            $s = [Net.Sockets.Socket]::new('InterNetwork', 'Stream', 'Tcp')
            $s.Blocking = $false
            try { $s.Connect([Net.IPAddress]::Loopback, $port) } catch { }
            $s
        }
        $ps = [powershell]::Create()
        try {
            Start-Sleep -Milliseconds 100
            $probe = [Net.Sockets.TcpClient]::new()
            $probe.ConnectAsync('127.0.0.1', $port).Wait(300) | Should -BeFalse -Because 'connecting to this port must hang'
            $probe.Dispose()
            $null = $ps.AddScript("Import-Module '$($script:Psd1)' -ErrorAction Stop; Get-Batch -BatchId batch_1 -ApiBase 'http://127.0.0.1:$port/v1'")
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1000     # imported, and waiting for the connection
            Assert-StopsPromptly $ps
            $null = $async
        } finally {
            $ps.Dispose()
            foreach ($s in @($queued) + $server) { $s.Dispose() }
        }
    }

    It 'Stop() while endless items stream into Start-Batch returns within 1.5 s, having sent nothing' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$($script:Psd1)' -ErrorAction Stop
                & { `$n = 0; while (`$true) { [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = ""r`$((`$n++))""; method = 'POST'; url = '/v1/embeddings'; body = @{ input = 'x' } } } } |
                    Start-Batch")
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1500         # thousands of items taken by now
            $ps.Streams.Error.Count | Should -Be 0     # (.Count: enumerating a running pipeline's stream blocks)
            Assert-StopsPromptly $ps
            $null = $async
            Get-ApiRequests | Should -BeNullOrEmpty
            # the same runspace starts a batch from items again
            $ps.Commands.Clear()
            $null = $ps.AddScript("1..2 | ForEach-Object { [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = ""r`$_""; method = 'POST'; url = '/v1/embeddings'; body = @{ input = 'x' } } } | Start-Batch")
            $out = $ps.Invoke()
            @($ps.Streams.Error).Count | Should -Be 0
            $out[0].status | Should -Be 'validating'
        } finally { $ps.Dispose() }
    }

    It 'pwsh exits within a few seconds while another runspace waits for an answer 30 s away' {
        $b = New-TestBatch
        $path = "/v1/batches/$($b.id)"
        Add-EmulatorFault @{ method = 'GET'; path_prefix = $path; delay = 30; count = $null }
        $psd1 = $script:Psd1 -replace "'", "''"
        $script = @"
Import-Module '$psd1' -ErrorAction Stop
`$ps = [powershell]::Create()
`$null = `$ps.AddScript("Import-Module '$psd1'; Get-Batch -BatchId '$($b.id)'")
`$null = `$ps.BeginInvoke()
`$deadline = [DateTime]::UtcNow.AddSeconds(30)
while (`$ps.InvocationStateInfo.State -ne 'Running' -and [DateTime]::UtcNow -lt `$deadline) { [Threading.Thread]::Sleep(50) }
[Threading.Thread]::Sleep(1500)
"state: `$(`$ps.InvocationStateInfo.State)"
"exiting: `$([DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds())"
exit 7
"@
        $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -TimeoutSec 90
        $ended = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds()
        $r.ExitCode | Should -Be 7 -Because $r.Error
        $r.Lines | Should -Contain 'state: Running'
        (Get-ApiRequests | Where-Object { $_.method -eq 'GET' -and $_.path -eq $path }) | Should -Not -BeNullOrEmpty
        $exiting = [long](($r.Lines | Where-Object { $_ -like 'exiting: *' }) -replace '^exiting: ')
        ($ended - $exiting) / 1000 | Should -BeLessThan 5
    }
}
