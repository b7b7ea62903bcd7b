# The session's network settings (issue 23, item 2): a request goes where Invoke-RestMethod's would in the same
# session — $env:HTTP_PROXY / NO_PROXY set inside it, or [System.Net.Http.HttpClient]::DefaultProxy assigned —
# although the hosted Python's environment is the one pwsh started with. Each case runs in a new pwsh (.NET
# reads the proxy variables once per process), against a loopback proxy that answers requests itself.

Describe 'The session''s proxy' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Start-TestEmulator
        $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-TestPython))
        $psi.ArgumentList.Add((Join-Path $PSScriptRoot 'fixtures/answering_proxy.py'))
        $psi.RedirectStandardOutput = $true
        $psi.UseShellExecute = $false
        $script:Proxy = [System.Diagnostics.Process]::Start($psi)
        $line = $script:Proxy.StandardOutput.ReadLine()
        $script:ProxyPort = ($line -replace '^PORT=', '')
        $script:Batch = (New-TestBatch 'in_progress').id

        function Invoke-Session([string]$Setup) {
            # Sets the session up as a user would, then asks our Get-Batch and Invoke-RestMethod for the batch.
            $script = @"
$Setup
Import-Module '$((Get-TestModulePath) -replace "'", "''")'
`$ours = Get-Batch -BatchId '$script:Batch' -ApiKey '$(Get-TestApiKey)' -ApiBase '$($script:Emu.Base)'
`$theirs = Invoke-RestMethod '$($script:Emu.Base)/batches/$script:Batch' -Headers @{ Authorization = 'Bearer $(Get-TestApiKey)' }
"`$(`$ours.status)|`$(`$theirs.status)|`$(`$ours.metadata.proxy_user)"
"@
            $run = Invoke-TestPwsh @('-NonInteractive', '-Command', $script) @{ HTTP_PROXY = $null; HTTPS_PROXY = $null; NO_PROXY = $null; ALL_PROXY = $null }
            $run.Error | Should -BeNullOrEmpty
            $run.Lines[-1]
        }
    }
    AfterAll {
        if ($script:Proxy -and -not $script:Proxy.HasExited) { $script:Proxy.Kill() }
        Stop-TestEmulator
    }

    It '$env:HTTP_PROXY set in the session: through the proxy, with its credentials, as Invoke-RestMethod' {
        Invoke-Session "`$env:HTTP_PROXY = 'http://alice:s3cret@127.0.0.1:$script:ProxyPort'" | Should -Be 'proxied|proxied|alice:s3cret'
    }

    It 'NO_PROXY set in the session: straight to the server, as Invoke-RestMethod' {
        Invoke-Session "`$env:HTTP_PROXY = 'http://127.0.0.1:$script:ProxyPort'; `$env:NO_PROXY = '127.0.0.1'" | Should -Be 'in_progress|in_progress|'
    }

    It '[HttpClient]::DefaultProxy assigned in the session: through that proxy' {
        Invoke-Session "[System.Net.Http.HttpClient]::DefaultProxy = [System.Net.WebProxy]::new('http://127.0.0.1:$script:ProxyPort')" | Should -Be 'proxied|proxied|'
    }

    It 'no proxy anywhere: straight to the server' {
        Invoke-Session '' | Should -Be 'in_progress|in_progress|'
    }
}
