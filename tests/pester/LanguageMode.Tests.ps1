# ConstrainedLanguage (issue 23, item 8a). The module hosts Python through .NET method calls, in its .psm1
# and in every generated function, and ConstrainedLanguage allows none of them; so an import in a session
# constrained before it refuses in one sentence that says why, instead of failing on its first call
# ("Cannot invoke method…"). Each case is a child pwsh on a cold cache.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Sentence = 'PSOpenAIBridge needs FullLanguage mode, because it hosts Python through .NET method calls that ' +
        'ConstrainedLanguage does not allow: import it in a FullLanguage session, or from a folder your AppLocker or WDAC policy trusts.'
}

Describe 'Importing under ConstrainedLanguage' {
    It 'refuses in one sentence: <Module>' -ForEach @(
        @{ Module = 'psbridge/PSOpenAIBridge.psd1' }           # from a checkout, or installed by python -m psbridge install
        @{ Module = 'tools/psgallery/PSOpenAIBridge.psm1' }     # the loader Install-PSResource installs
    ) {
        $path = Join-Path (Get-TestRepo) $Module
        # Only what ConstrainedLanguage allows after the import: cmdlets, property reads, strings.
        $script = "`$ExecutionContext.SessionState.LanguageMode = 'ConstrainedLanguage'
try { Import-Module '$path'; 'imported' } catch { 'message=' + `$_ }
'errors=' + `$Error.Count
'Get-Batch=' + [bool](Get-Command Get-Batch -ErrorAction Ignore)"
        $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script
        $r.Error | Should -BeNullOrEmpty
        $r.Lines | Should -Be @("message=$script:Sentence", 'errors=1', 'Get-Batch=False')
    }

    It 'starts no Python, even with the probe''s answer kept by an earlier FullLanguage import' {
        $data = Join-Path ([IO.Path]::GetTempPath()) "psbridge-data-$([guid]::NewGuid().ToString('N'))"
        try {
            $path = Join-Path (Get-TestRepo) 'psbridge/PSOpenAIBridge.psd1'
            $libpython = "[bool]((Get-Process -Id `$PID).Modules | Where-Object ModuleName -like 'libpython*')"
            foreach ($kept in 'making the kept answer', 'with the kept answer') {
                $r = Invoke-TestPwsh '-NonInteractive', '-Command', "Import-Module '$path'; $libpython" -Environment @{ XDG_DATA_HOME = $data }
                $r.Error | Should -BeNullOrEmpty
                $r.Lines | Should -Be @('True') -Because $kept
            }
            $script = "`$ExecutionContext.SessionState.LanguageMode = 'ConstrainedLanguage'
try { Import-Module '$path' } catch { 'refused' }
'libpython=' + $libpython"
            $r = Invoke-TestPwsh '-NonInteractive', '-Command', $script -Environment @{ XDG_DATA_HOME = $data }
            $r.Error | Should -BeNullOrEmpty
            $r.Lines | Should -Be @('refused', 'libpython=False')
        } finally { Remove-Item -LiteralPath $data -Recurse -Force -ErrorAction Ignore }
    }
}
