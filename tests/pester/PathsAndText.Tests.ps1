# File paths as PowerShell names them (the current location, PSDrives, wildcard characters, other providers'
# drives) and text .NET holds but UTF-8 cannot (a lone surrogate), through the bridge against the emulator.
# Run: pwsh tests/pester/run.ps1 -Path tests/pester/PathsAndText.Tests.ps1

Describe 'Paths and text' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $script:Line = '{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}]}}'
        # The first half of an emoji: what cutting text at a character count leaves ('ab😀'.Substring(0, 3)).
        $script:Lone = 'ab' + [char]0xD83D
        function Get-LastBody { (Get-ApiRequests | Select-Object -Last 1).body }
    }

    AfterAll { Exit-TestEnvironment }

    BeforeEach {
        Reset-TestEmulator
        $script:Folder = Join-Path ([IO.Path]::GetTempPath()) "psbridge-paths-$PID-$([guid]::NewGuid().ToString('N'))"
        $null = [IO.Directory]::CreateDirectory($script:Folder)
        Push-Location -LiteralPath $script:Folder
    }

    AfterEach {
        Pop-Location
        Remove-Item -LiteralPath $script:Folder -Recurse -Force -ErrorAction Ignore
    }

    Context 'Paths' {
        It 'takes names literally and resolves them against the current location, PSDrives included' {
            $bytes = [Text.Encoding]::UTF8.GetBytes($script:Line + "`n")
            foreach ($name in 'a[1].jsonl', '-lead é 日本 😀.jsonl', 'star*.jsonl') { [IO.File]::WriteAllBytes((Join-Path $script:Folder $name), $bytes) }
            (Add-OpenAIFile -File 'a[1].jsonl' -Purpose batch).filename | Should -Be 'a[1].jsonl'
            (Start-Batch -Path '-lead é 日本 😀.jsonl').status | Should -Be 'validating'
            $null = New-PSDrive -Name PSOAITest -PSProvider FileSystem -Root $script:Folder
            try {
                $file = Add-OpenAIFile -File 'PSOAITest:\star*.jsonl' -Purpose batch
                $file.filename | Should -Be 'star*.jsonl'
                Get-OpenAIFileContent $file.id -OutFile 'PSOAITest:\out [1]\é.jsonl'
            } finally { Remove-PSDrive -Name PSOAITest }
            [IO.File]::ReadAllBytes((Join-Path $script:Folder 'out [1]/é.jsonl')) | Should -Be $bytes
        }

        It 'refuses a path on another provider''s drive, where Python would use the process''s folder' {
            $saved = [Environment]::CurrentDirectory
            try {
                # The process's folder (Python's working directory) holds files of these names; PowerShell's
                # location is elsewhere.
                [Environment]::CurrentDirectory = $script:Folder
                [IO.File]::WriteAllText((Join-Path $script:Folder 'PSOAI_PATH_TEST'), $script:Line)
                [IO.File]::WriteAllText((Join-Path $script:Folder 'in.jsonl'), $script:Line)
                $env:PSOAI_PATH_TEST = 'x'
                { Add-OpenAIFile -File Env:\PSOAI_PATH_TEST -Purpose batch -ErrorAction Stop } |
                    Should -Throw "*Cannot use 'Env:\PSOAI_PATH_TEST' as a file: it is on a drive of the Environment provider*"
                Set-Location Env:
                { Start-Batch -Path in.jsonl -ErrorAction Stop } | Should -Throw "*Cannot use 'in.jsonl' as a file*Environment*"
                $id = (New-TestFile).id
                { Get-OpenAIFileContent $id -OutFile 'out.jsonl' -ErrorAction Stop } | Should -Throw "*Cannot use 'out.jsonl'*"
            } finally {
                Set-Location -LiteralPath $script:Folder
                [Environment]::CurrentDirectory = $saved
                $env:PSOAI_PATH_TEST = $null
            }
            [IO.File]::Exists((Join-Path $script:Folder 'out.jsonl')) | Should -BeFalse
            Get-ApiRequests | Where-Object method -EQ POST | Should -BeNullOrEmpty
        }

        It 'does not send an image from the process''s folder that the current location does not hold' {
            $saved = [Environment]::CurrentDirectory
            $elsewhere = Join-Path $script:Folder 'elsewhere'
            $null = [IO.Directory]::CreateDirectory($elsewhere)
            try {
                [Environment]::CurrentDirectory = $script:Folder
                [IO.File]::WriteAllBytes((Join-Path $script:Folder 'pic.png'), [byte[]](0x89, 0x50, 0x4E, 0x47))
                Set-Location -LiteralPath $elsewhere
                { Request-ChatCompletion -Message hi -Model gpt-4o-mini -Images pic.png -ErrorAction Stop } |
                    Should -Throw "*'$(Join-Path $elsewhere 'pic.png')' is neither a file nor an image URL*"
                { Request-Response -Message hi -Model gpt-4o-mini -Files pic.png -ErrorAction Stop } |
                    Should -Throw "*'$(Join-Path $elsewhere 'pic.png')' is neither a file, a URL nor a file id*"
                Get-ApiRequests | Should -BeNullOrEmpty
                # URLs and file ids still go as given.
                $null = Request-Response -Message hi -Model gpt-4o-mini -Files file-abc -Images 'https://example.com/a.png'
                Get-LastBody | Should -BeLike '*"file_id": "file-abc"*"image_url": "https://example.com/a.png"*'
            } finally {
                Set-Location -LiteralPath $script:Folder
                [Environment]::CurrentDirectory = $saved
            }
        }
    }

    Context 'Text' {
        It 'sends a lone surrogate as U+FFFD, as PSOpenAI''s UTF-8 body has it, wherever it is' {
            $null = Request-ChatCompletion -Message "m$script:Lone" -Model gpt-4o-mini -SystemMessage "s$script:Lone" `
                -AdditionalBody @{ metadata = @{ "k$script:Lone" = @(1, "v$script:Lone") } }
            $body = Get-LastBody | ConvertFrom-Json -AsHashtable
            $body.messages.content | Should -Be @("sab`u{FFFD}", "mab`u{FFFD}")
            $body.metadata["kab`u{FFFD}"] | Should -Be @(1, "vab`u{FFFD}")
            $null = Request-Embeddings -Text 'ok', $script:Lone -Model text-embedding-3-small
            (Get-LastBody | ConvertFrom-Json).input | Should -Be @('ok', "ab`u{FFFD}")
        }

        It 'Start-Batch takes piped items with a lone surrogate, and strings' {
            $items = @(
                Request-ChatCompletion -Message $script:Lone -Model gpt-4o-mini -AsBatch -CustomBatchId one
                [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = "two$script:Lone"; method = 'POST'
                    url = '/v1/chat/completions'; body = @{ model = 'gpt-4o-mini'; messages = @(@{ role = 'user'; content = 'y' }) } })
            $batch = $items | Start-Batch
            $lines = [Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n" | Where-Object { $_ } |
                ForEach-Object { $_ | ConvertFrom-Json }
            $lines[0].body.messages[0].content | Should -Be "ab`u{FFFD}"
            $lines[1].custom_id | Should -Be "twoab`u{FFFD}"
            # A piped string (a file id) with one: an API error for that id, not a crash.
            { "file-$script:Lone" | Start-Batch -ErrorAction Stop } | Should -Throw "*file-ab`u{FFFD}*was not found*"
        }

        It 'Start-Batch -Path reads UTF-8 with a BOM, CRLF lines and no final newline' {
            $path = Join-Path $script:Folder 'bom.jsonl'
            [IO.File]::WriteAllBytes($path, [byte[]](0xEF, 0xBB, 0xBF) + [Text.Encoding]::UTF8.GetBytes(
                $script:Line.Replace('"x"', '"é 😀"') + "`r`n" + $script:Line.Replace('"a"', '"b"')))
            $batch = Start-Batch -Path $path
            [Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)).TrimEnd("`n") |
                Should -Be ($script:Line.Replace('"x"', '"é 😀"') + "`n" + $script:Line.Replace('"a"', '"b"'))
        }
    }
}
