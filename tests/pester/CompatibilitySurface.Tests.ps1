# Issue 10, items 4-7: what a PSOpenAI script sees and sends through the generated cmdlets - list
# requests, lower-cased values, pipeline binding, the Register-OpenAIFile alias, the uploaded JSONL's
# bytes and typed batch outputs. Against the emulator over loopback; assertions read its request log.
# Run: pwsh tests/pester/run.ps1 -Path tests/pester/CompatibilitySurface.Tests.ps1

Describe 'Compatibility: lists, binding, bytes, typed outputs' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment

        function Get-Lines([byte[]]$Bytes) { [Text.Encoding]::UTF8.GetString($Bytes) -split "`n" | Where-Object { $_ } }
        function Get-Uploads { @(Get-ApiRequests | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/v1/files' }) }
        function Get-Seeded([int]$Count) { @((Invoke-Emulator Post seed @{ status = 'completed'; count = $Count }).data.id) }
    }

    AfterAll {
        Exit-TestEnvironment
    }

    BeforeEach { Reset-TestEmulator }

    Context '4. Lists' {
        It 'Get-Batch -All pages with limit=100, and past the first page' {
            $seeded = Get-Seeded 101
            $r = @(Get-Batch -All)
            $r.Count | Should -Be 101
            $r[0].id | Should -Be $seeded[100]
            Get-ListRequests | Should -Be @('/v1/batches?limit=100', "/v1/batches?limit=100&after=$($seeded[1])")
        }

        It 'Get-Batch -All -Limit 5 still pages with limit=100 (-All wins, as in PSOpenAI)' {
            $null = Get-Seeded 3
            @(Get-Batch -All -Limit 5).Count | Should -Be 3
            Get-ListRequests | Should -Be @('/v1/batches?limit=100')
        }

        It 'Get-Batch without -All keeps limit=20' {
            $null = Get-Seeded 2
            $null = Get-Batch
            Get-ListRequests | Should -Be @('/v1/batches?limit=20')
        }

        It 'Get-OpenAIFile sends neither limit nor order unless asked' {
            $a = New-TestFile -Name 'a.jsonl'
            $b = New-TestFile -Name 'b.jsonl'
            @((Get-OpenAIFile).id) | Should -Be @($b.id, $a.id)        # the API's own default order
            Get-ListRequests files | Should -Be @('/v1/files')
        }

        It 'Get-OpenAIFile <arguments> sends ?<query>' -TestCases @(
            @{ arguments = '-Limit 5'; splat = @{ Limit = 5 }; query = 'limit=5' }
            @{ arguments = '-Order desc'; splat = @{ Order = 'desc' }; query = 'order=desc' }
            @{ arguments = '-Order ASC'; splat = @{ Order = 'ASC' }; query = 'order=asc' }
            @{ arguments = '-Purpose batch'; splat = @{ Purpose = 'batch' }; query = 'purpose=batch' }
            @{ arguments = '-After <id>'; splat = @{ After = '<id>' }; query = 'after=<id>' }
            @{ arguments = '-All'; splat = @{ All = $true }; query = 'limit=10000' }
            @{ arguments = '-All -Limit 3'; splat = @{ All = $true; Limit = 3 }; query = 'limit=10000' }
            @{ arguments = '-Purpose batch -After <id> -Order Asc -Limit 7'; splat = @{ Purpose = 'batch'; After = '<id>'; Order = 'Asc'; Limit = 7 }
               query = 'limit=7&order=asc&after=<id>&purpose=batch' }
        ) {
            $id = (New-TestFile).id         # a cursor the API knows
            foreach ($key in @($splat.Keys)) { if ($splat[$key] -is [string] -and $splat[$key] -eq '<id>') { $splat[$key] = $id } }
            $null = Get-OpenAIFile @splat
            Get-ListRequests files | Should -Be @("/v1/files?$($query -replace '<id>', $id)")
        }

        It 'Get-OpenAIFile -All pages past the first page, with the same options and after=' {
            $first = New-TestFile -Name 'first.jsonl'
            $later = New-TestFile -Name 'later.jsonl'
            # The API says more files follow `later` (10000 files are too many to make): the next page must be read.
            Add-EmulatorFault @{ method = 'GET'; path = '/v1/files'; status = 200
                                 body = @{ object = 'list'; data = @($later); first_id = $later.id; last_id = $later.id; has_more = $true } }
            @((Get-OpenAIFile -All -Purpose batch).id) | Should -Be @($later.id, $first.id)
            Get-ListRequests files | Should -Be @('/v1/files?limit=10000&purpose=batch', "/v1/files?limit=10000&after=$($later.id)&purpose=batch")
        }

        It 'Get-OpenAIFile -After is a hidden (DontShow) parameter of the List set' {
            $after = (Get-Command Get-OpenAIFile).Parameters['After']
            $after.ParameterType | Should -Be ([string])
            $after.ParameterSets.Keys | Should -Be @('List')
            $after.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).DontShow | Should -Be $true
        }

        It 'Add-OpenAIFile -Purpose BATCH sends batch' {
            $f = Add-OpenAIFile -Content ([byte[]](1, 2)) -Name 'a.bin' -Purpose BATCH
            $f.purpose | Should -Be 'batch'
            (Get-Uploads)[0].body | Should -Match 'name="purpose"\r\n\r\nbatch\r\n'
        }
    }

    Context '5. Typed outputs' {
        It 'a chat completion body is a PSOpenAI.Chat.Completion: created a local [datetime], Answer a [string[]]' {
            $done = New-TestBatch completed @{ n_requests = 2 }
            $raw = @(Get-Lines (Get-TestFileContent $done.output_file_id) | ConvertFrom-Json)
            $out = @(Get-BatchOutput -BatchId $done.id)
            $out.Count | Should -Be 2
            $body = $out[0].response.body
            for ($i = 0; $i -lt 2; $i++) {
                $body = $out[$i].response.body
                $body.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Chat.Completion'
                $body.created | Should -BeOfType [datetime]
                $body.created.Kind | Should -Be 'Local'
                $body.created | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds($raw[$i].response.body.created).LocalDateTime)
                , $body.Answer | Should -BeOfType [string[]]
                $body.Answer | Should -Be @("Emulated response for $($out[$i].custom_id).")
                # PSOpenAI 4.49 adds Message (null here: no request beside the output) and History (empty) too.
                @($body.PSObject.Properties.Name)[-3..-1] | Should -Be @('Message', 'Answer', 'History')
                $body.Message | Should -BeNullOrEmpty
                @($body.History).Count | Should -Be 0
                $body.model | Should -Be $raw[$i].response.body.model
                $out[$i].PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Output'
            }
        }

        It 'other bodies stay as they are (an embedding keeps its fields and no type name)' {
            $done = New-TestBatch completed @{ endpoint = '/v1/embeddings'; n_requests = 1 }
            $body = @(Get-BatchOutput -BatchId $done.id)[0].response.body
            $body.PSObject.TypeNames[0] | Should -Not -Be 'PSOpenAI.Chat.Completion'
            $body.PSObject.Properties.Name | Should -Not -Contain 'Answer'
        }
    }

    Context '6. Binding' {
        It "'batch_…' | Get-BatchOutput binds -BatchId by value: the batch, then its output file" {
            $done = New-TestBatch completed @{ n_requests = 2 }
            $out = @($done.id | Get-BatchOutput)
            $out.Count | Should -Be 2
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @(
                "GET /v1/batches/$($done.id)", "GET /v1/files/$($done.output_file_id)/content")
        }

        It 'several ids piped into Get-BatchOutput: each batch in order' {
            $one = New-TestBatch completed @{ n_requests = 1 }
            $two = New-TestBatch completed @{ n_requests = 2 }
            @($one.id, $two.id | Get-BatchOutput).Count | Should -Be 3
            (Get-ApiRequests).path | Should -Be @("/v1/batches/$($one.id)", "/v1/files/$($one.output_file_id)/content",
                                                  "/v1/batches/$($two.id)", "/v1/files/$($two.output_file_id)/content")
        }

        It 'a batch object piped in still binds -Batch (no GET of the batch)' {
            $o = New-TestBatchObject completed
            @($o | Get-BatchOutput).Count | Should -Be 3
            (Get-ApiRequests).path | Should -Be @("/v1/files/$($o.output_file_id)/content")
        }

        It 'Register-OpenAIFile is an alias of Add-OpenAIFile, exported by the module' {
            $alias = Get-Command Register-OpenAIFile -ErrorAction Ignore
            $alias.CommandType | Should -Be 'Alias'
            $alias.ResolvedCommand.Name | Should -Be 'Add-OpenAIFile'
            $alias.Source | Should -Be 'PSOpenAIBridge'
            $f = Register-OpenAIFile -Content ([byte[]](1, 2, 3)) -Name 'r.bin' -Purpose Batch
            $f.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.File'
            $f.filename | Should -Be 'r.bin'
            (Get-Uploads).Count | Should -Be 1
            (Get-Uploads)[0].body | Should -Match 'name="purpose"\r\n\r\nbatch\r\n'
        }

        It 'Wait-Batch -PollIntervalSec takes what PSOpenAI''s [single] takes: fractions, a [single], 0 to 1000' {
            Set-EmulatorStepSeconds 0.1
            $b = New-TestBatch in_progress
            (Wait-Batch $b.id -PollIntervalSec ([single]0.1)).status | Should -Be 'completed'
            { Wait-Batch b -PollIntervalSec ([single]1000.5) } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Wait-Batch'
            { Wait-Batch b -PollIntervalSec -0.5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Wait-Batch'
        }
    }

    Context '7. Bytes' {
        It 'Start-Batch uploads compact JSONL, byte for byte what ConvertTo-Json -Compress writes' {
            $items = @(New-TestBatchInput 3)
            $items[1].body.messages[0].content = 'a, b: "c" é'      # separators and escapes inside values
            $expected = ($items | ForEach-Object { ConvertTo-Json $_ -Compress -Depth 100 }) -join "`n"
            $b = $items | Start-Batch
            [Text.Encoding]::UTF8.GetString((Get-TestFileContent $b.input_file_id)) | Should -BeExactly $expected
            (Get-Lines (Get-TestFileContent $b.input_file_id))[0] | Should -Not -Match '", "|": '
        }

        It 'Get-OpenAIFileContent returns one [byte[]] (PSOpenAI writes the bytes one by one; see the README)' {
            $content = [byte[]](0, 1, 0xFF) + [Text.Encoding]::UTF8.GetBytes('{"a":1}')
            $f = New-TestFile $content -Name 'bin.dat' -Purpose user_data
            $b = Get-OpenAIFileContent $f.id
            , $b | Should -BeOfType [byte[]]
            [Convert]::ToHexString($b) | Should -Be ([Convert]::ToHexString($content))
            $objects = 0
            Get-OpenAIFileContent $f.id | ForEach-Object { $objects++ }
            $objects | Should -Be 1         # one pipeline object, not one per byte
            (Get-ApiRequests).path | Should -Be (@("/v1/files/$($f.id)/content") * 2)
        }
    }
}
