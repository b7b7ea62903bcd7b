# Hostile input and interruption through the bridge (issue 13's PowerShell cases): what PowerShell hands
# over arrives unchanged, one bad character loses nothing, messages never prompt, a request in flight stops.

Describe 'Hardening through the bridge' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        function Get-BatchCreateBody {
            $create = @(Get-ApiRequests | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/v1/batches' })[-1]
            $create.body | ConvertFrom-Json -AsHashtable
        }
    }
    AfterAll { Exit-TestEnvironment }
    BeforeEach { Reset-TestEmulator }

    Context 'case 1: dictionaries with keys that are not strings' {
        BeforeEach { $script:File = New-TestFile }

        It 'an ordered dictionary with int keys keeps each key with its own value, in order' {
            $null = Start-Batch -FileId $script:File.id -MetaData ([ordered]@{ 1 = 'one'; 0 = 'zero' })
            $create = @(Get-ApiRequests | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/v1/batches' })[-1]
            $create.body | Should -Match '"metadata":\s*\{"1":\s*"one",\s*"0":\s*"zero"\}'
        }

        It 'a hashtable with an int key sends its value' {
            $null = Start-Batch -FileId $script:File.id -MetaData @{ 7 = 'x' }
            (Get-BatchCreateBody).metadata['7'] | Should -Be 'x'
        }

        It '[ordered]@{3 = ''x''} (a key beyond the positional range) is sent, not an index error' {
            $null = Start-Batch -FileId $script:File.id -MetaData ([ordered]@{ 3 = 'x' }) -ErrorVariable err
            $err | Should -BeNullOrEmpty
            (Get-BatchCreateBody).metadata['3'] | Should -Be 'x'
        }

        It 'logit_bias = @{50256 = -100} inside a batch body reaches the uploaded JSONL' {
            $item = [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = 'bias'; method = 'POST'; url = '/v1/chat/completions'
                                       body = @{ model = 'gpt-4o-mini'; logit_bias = @{ 50256 = -100 }; messages = @(@{ role = 'user'; content = 'x' }) } }
            $batch = $item | Start-Batch
            $line = [Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) | ConvertFrom-Json -AsHashtable
            $line.body.logit_bias['50256'] | Should -Be -100
        }
    }

    Context 'case 2: a lone surrogate in an output line' {
        It 'Get-BatchOutput returns every line, the bad character as U+FFFD (as ConvertFrom-Json reads it)' {
            $lines = @(
                '{"id":"r1","custom_id":"good-1","response":{"status_code":200,"body":{"text":"fine"}},"error":null}'
                '{"id":"r2","custom_id":"bad","response":{"status_code":200,"body":{"text":"half \ud83d emoji"}},"error":null}'
                '{"id":"r3","custom_id":"good-2","response":{"status_code":200,"body":{"text":"\ud83d\ude00"}},"error":null}'
            ) -join "`n"
            $file = New-TestFile -Content ([Text.Encoding]::UTF8.GetBytes($lines)) -Name 'output.jsonl'
            $batch = New-TestBatchObject 'completed'
            $batch.output_file_id = $file.id
            $out = @(Get-BatchOutput -Batch $batch -ErrorVariable err)
            $err | Should -BeNullOrEmpty
            $out.custom_id | Should -Be @('good-1', 'bad', 'good-2')
            $out[1].response.body.text | Should -Be "half $([char]0xFFFD) emoji"
            $out[2].response.body.text | Should -Be ([char]::ConvertFromUtf32(0x1F600))
        }
    }

    Context 'case 12: retry messages never prompt' {
        It 'Stop-Batch -MaxRetryCount 1 -Debug under -NonInteractive retries a 503 with a warning, no prompt' {
            # Pester runs -NonInteractive: a prompt would fail with "NonInteractive mode".
            $b = New-TestBatch
            Add-EmulatorFault @{ method = 'POST'; path = '/v1/batches/{id}/cancel'; status = 503; headers = @{ 'retry-after-ms' = '10' } }
            $records = Stop-Batch -BatchId $b.id -Force -MaxRetryCount 1 -PassThru -Debug -ErrorVariable err 3>&1 5>$null
            $err | Should -BeNullOrEmpty
            $warnings = @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -Match 'Retrying in'
            @($records | Where-Object { $_.PSObject.TypeNames[0] -eq 'PSOpenAI.Batch' }).status | Should -Be 'cancelling'
            @(Get-ApiRequests | Where-Object { $_.method -eq 'POST' }).status | Should -Be @(503, 200)
        }

        It '-Debug -WarningAction SilentlyContinue still silences the warning' {
            $b = New-TestBatch
            Add-EmulatorFault @{ method = 'POST'; path = '/v1/batches/{id}/cancel'; status = 503; headers = @{ 'retry-after-ms' = '10' } }
            $records = Stop-Batch -BatchId $b.id -Force -MaxRetryCount 1 -Debug -WarningAction SilentlyContinue 3>&1 5>$null
            @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0
        }
    }

    Context 'case 13: JSON nested 100,000 deep' {
        It 'is an invalid-response error for that item; the next piped items still run' {
            $a = New-TestBatch; $b = New-TestBatch; $c = New-TestBatch
            Add-EmulatorFault @{ method = 'GET'; path = "/v1/batches/$($b.id)"; status = 200
                                 body_text = ('[' * 100000) + (']' * 100000); content_type = 'application/json' }
            $out = @($a.id, $b.id, $c.id | Get-Batch -ErrorVariable err -ErrorAction SilentlyContinue)
            $out.id | Should -Be @($a.id, $c.id)
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PSOpenAI.APIRequest.*'
            $err[0].Exception.Message | Should -Match 'nested too deeply'
            "$($err[0].Exception.Message)" | Should -Not -Match 'RecursionError|PythonException'
        }
    }

    Context 'case 17: values that have no JSON form, and keys that cannot be sent' {
        It 'a DirectoryInfo in -MetaData is a clear error before any request' {
            $file = New-TestFile
            Clear-ApiRequests
            $err = @(& { Start-Batch -FileId $file.id -MetaData @{ folder = (Get-Item -LiteralPath $PSScriptRoot) } -ErrorAction Continue } 2>&1 |
                Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $err.Count | Should -Be 1
            "$($err[0])" | Should -Match 'metadata'
            "$($err[0])" | Should -Not -Match 'TypeError'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'a key with a non-ASCII character is refused without showing it, before any request' {
            $caught = $null
            try { Stop-Batch -BatchId b -Force -ApiKey 'sk-café-0123456789abcdef'.Replace('\u00e9', [string][char]0xE9) } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            "$caught" | Should -Not -Match 'caf'
            "$caught" | Should -Not -Match 'UnicodeEncodeError'
            $caught.Exception | Should -BeOfType [System.ArgumentException]
            Get-ApiRequests | Should -BeNullOrEmpty
        }
    }

    Context 'round 2 (issue 23), item 6: answers of the wrong shape' {
        It 'a batch without a status is an invalid-response error naming the field, not a Python error; the next piped id still runs' {
            $good = New-TestBatch 'in_progress'
            Add-EmulatorFault @{ method = 'GET'; path = '/v1/batches/batch_broken'; status = 200; body = @{ id = 'batch_broken'; object = 'batch' } }
            $ev = $null
            $out = 'batch_broken', $good.id | Wait-Batch -StatusForExit in_progress -ErrorVariable ev -ErrorAction Continue 2>$null
            @($ev).Count | Should -Be 1
            "$($ev[0])" | Should -Match "batch without 'status'"
            "$($ev[0])" | Should -Not -Match 'Python error|AttributeError'
            $ev[0].FullyQualifiedErrorId | Should -BeLike '*Wait-Batch'
            $out.id | Should -Be $good.id
        }

        It 'a list whose data is a string makes up no batch' {
            Add-EmulatorFault @{ method = 'GET'; path = '/v1/batches'; status = 200; body = @{ object = 'list'; data = 'abc'; has_more = $false } }
            $ev = $null
            $listed = @(Get-Batch -ErrorVariable ev -ErrorAction Continue 2>$null)
            $listed | Should -BeNullOrEmpty
            "$($ev[0])" | Should -Match "'data' that is not a list"
        }
    }

    Context 'round 2 (issue 23), item 7: statuses in any case' {
        It 'Wait-Batch -StatusForWait IN_PROGRESS keeps waiting while the batch is in_progress' {
            $b = New-TestBatch 'in_progress'
            Add-EmulatorFault @{ method = 'GET'; path = "/v1/batches/$($b.id)"; skip = 2; status = 200; body = @{ id = $b.id; object = 'batch'; status = 'completed' } }
            (Wait-Batch -BatchId $b.id -StatusForWait IN_PROGRESS -PollIntervalSec 0.05).status | Should -Be 'completed'
            @(Get-ApiRequests | Where-Object method -eq 'GET').Count | Should -Be 3
        }
    }
}
