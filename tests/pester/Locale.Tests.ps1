# Non-ASCII paths whatever the locale (issue 23, item 5). Under LANG=C, or with no LANG at all, the embedded
# Python's file-system encoding would be ASCII; .NET always names files in UTF-8. Each case runs a child pwsh
# on a cold cache in that locale, against the emulator over loopback: Add-OpenAIFile of résumé-日本.jsonl and
# Get-OpenAIFileContent -OutFile ausgabe-ü/out.jsonl, as PSOpenAI does both.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Emu = Start-TestEmulator
    # The child's script is ASCII (the names are built from escapes in it), so nothing depends on how the
    # child decodes its script or its arguments in that locale.
    $script:Child = @'
param($psd1, $folder, $download)
$ErrorActionPreference = 'Continue'     # each step reports its own failure (on stderr)
Import-Module $psd1 -ErrorAction Stop
Set-Location -LiteralPath $folder
$name = "r`u{e9}sum`u{e9}-`u{65e5}`u{672c}.jsonl"
$file = Add-OpenAIFile -File $name -Purpose batch
"id=$($file.id)"
"filename=$($file.filename -ceq $name)"
Get-OpenAIFileContent -FileId $download -OutFile "ausgabe-`u{fc}/out.jsonl"
"locale=[$env:LANG][$env:LC_ALL][$env:LC_CTYPE]"
"PYTHONUTF8=[$env:PYTHONUTF8]"
'@
}

AfterAll { Stop-TestEmulator }

Describe 'Non-ASCII paths in a non-UTF-8 locale' {
    It 'Add-OpenAIFile and Get-OpenAIFileContent -OutFile work with <Case>' -ForEach @(
        @{ Case = 'LANG=C, LC_ALL unset'; Locale = @{ LANG = 'C' } }
        @{ Case = 'LANG and LC_ALL unset'; Locale = @{} }
        @{ Case = 'LC_ALL=C'; Locale = @{ LANG = 'C.UTF-8'; LC_ALL = 'C' } }
    ) {
        $folder = Join-Path ([IO.Path]::GetTempPath()) "psbridge-locale-$PID-$([guid]::NewGuid().ToString('N'))"
        $null = New-Item -ItemType Directory -Path $folder
        $childFile = Join-Path $folder 'child.ps1'
        [IO.File]::WriteAllText($childFile, $script:Child)
        $content = [Text.Encoding]::UTF8.GetBytes(
            '{"custom_id":"req-ü","method":"POST","url":"/v1/chat/completions","body":{"messages":[{"role":"user","content":"日本語"}]}}' + "`n")
        [IO.File]::WriteAllBytes((Join-Path $folder 'résumé-日本.jsonl'), $content)
        $download = (New-TestFile -Content $content).id      # uploaded without the bridge
        # The locale variables the case does not set are removed from the environment the child inherits
        # (Invoke-TestPwsh's -Environment can set a variable, not remove it).
        $saved = @{}
        foreach ($name in 'LANG', 'LC_ALL', 'LC_CTYPE') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        try {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $null) }
            $r = Invoke-TestPwsh '-NonInteractive', '-File', $childFile, (Get-TestModulePath), $folder, $download -Environment ($Locale + @{
                OPENAI_API_BASE = $script:Emu.Base; OPENAI_API_KEY = Get-TestApiKey })
            $written = Join-Path $folder 'ausgabe-ü/out.jsonl'
            $out = if ([IO.File]::Exists($written)) { , [IO.File]::ReadAllBytes($written) }
        } finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
        }
        $r.Error | Should -BeNullOrEmpty
        $r.ExitCode | Should -Be 0
        $r.Lines[0] | Should -Match '^id=file-.'
        # The child ran in the locale of the case, and importing the module left no PYTHONUTF8 in the
        # environment its own child processes inherit.
        $r.Lines[1..3] | Should -Be @('filename=True', "locale=[$($Locale.LANG)][$($Locale.LC_ALL)][]", 'PYTHONUTF8=[]')
        # What was uploaded is the file's bytes, and what was written is what the API holds.
        $id = $r.Lines[0].Substring(3)
        $stored = Get-TestFileContent $id
        [Convert]::ToHexString($stored) | Should -Be ([Convert]::ToHexString($content))
        $out | Should -Not -BeNullOrEmpty -Because 'ausgabe-ü/out.jsonl was written'
        [Convert]::ToHexString($out) | Should -Be ([Convert]::ToHexString($content))
    }
}
