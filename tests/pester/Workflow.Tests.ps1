# The whole Batch workflow through the bridge (the acceptance scenario of tests/python/test_workflow.py,
# in pwsh), then every parameter set and pipeline form of the Batch and Files cmdlets, and the streaming
# of list output. Against the emulator over loopback; assertions read its request log.
# Run: pwsh tests/pester/run.ps1   (or Invoke-Pester -Path tests/pester/Workflow.Tests.ps1)

Describe 'The Batch workflow through the bridge' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $script:Key = Get-TestApiKey
        $script:Temp = Join-Path ([IO.Path]::GetTempPath()) "psbridge-workflow-$PID"
        $null = New-Item -ItemType Directory -Force -Path $script:Temp

        function Get-Lines([byte[]]$Bytes) { [Text.Encoding]::UTF8.GetString($Bytes) -split "`n" | Where-Object { $_ } }
        function Get-BatchCreates { @(Get-ApiRequests | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/v1/batches' }) }
    }

    AfterAll {
        Remove-Item -LiteralPath $script:Temp -Recurse -Force -ErrorAction Ignore
        Exit-TestEnvironment
    }

    BeforeEach { Reset-TestEmulator }

    Context 'The acceptance scenario' {
        It 'start from items, wait, read the outputs, list, start again and cancel, remove the files' {
            Set-EmulatorStepSeconds 0.1

            $batch = New-TestBatchInput 4 | Start-Batch
            $batch.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch'
            $batch.status | Should -Be 'validating'
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @('POST /v1/files', 'POST /v1/batches')

            $done = $batch | Wait-Batch -PollIntervalSec 0.1
            $done.id | Should -Be $batch.id
            $done.status | Should -Be 'completed'
            $done.output_file_id | Should -Not -BeNullOrEmpty

            $outputs = @(Get-BatchOutput -Batch $done)
            $outputs.Count | Should -Be 4
            $outputs | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Output' }
            @($outputs.custom_id | Sort-Object) | Should -Be @('req-1', 'req-2', 'req-3', 'req-4')
            $outputs | ForEach-Object { $_.response.status_code | Should -Be 200 }
            (Get-ApiRequests)[-1].path | Should -Be "/v1/files/$($done.output_file_id)/content"     # no GET of the batch

            (Get-Batch).id | Should -Contain $batch.id

            $second = Start-Batch -FileId $batch.input_file_id | Stop-Batch -Force -PassThru
            $second.id | Should -Not -Be $batch.id
            $second.input_file_id | Should -Be $batch.input_file_id
            $second.status | Should -BeIn @('cancelling', 'cancelled')

            Clear-ApiRequests
            $done.input_file_id, $done.output_file_id | Remove-OpenAIFile
            foreach ($fileId in $done.input_file_id, $done.output_file_id) {
                $err = $null
                $err = @(); try { Get-OpenAIFile -FileId $fileId | Should -BeNullOrEmpty } catch { $err = @($_) }
                $err.Count | Should -Be 1
                $err[0] | Should -BeOfType [System.Management.Automation.ErrorRecord]
                $err[0].FullyQualifiedErrorId | Should -BeLike 'PSOpenAI.APIRequest.NotFoundException*'
                $err[0].TargetObject | Should -Be $fileId
            }
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path) $($_.status)" }) | Should -Be @(
                "DELETE /v1/files/$($done.input_file_id) 200", "DELETE /v1/files/$($done.output_file_id) 200"
                "GET /v1/files/$($done.input_file_id) 404", "GET /v1/files/$($done.output_file_id) 404")
            { Get-OpenAIFile $done.input_file_id -ErrorAction Stop } | Should -Throw -ErrorId 'PSOpenAI.APIRequest.NotFoundException,Get-OpenAIFile'
        }
    }

    Context 'Start-Batch' {
        BeforeEach {
            $jsonl = (New-TestBatchInput 2 | ForEach-Object { ConvertTo-Json $_ -Compress -Depth 5 }) -join "`n"
            $script:File = New-TestFile ([Text.Encoding]::UTF8.GetBytes($jsonl))
        }

        It 'Start-Batch -FileId id sends exactly the default body' {
            $b = Start-Batch -FileId $script:File.id
            $b.input_file_id | Should -Be $script:File.id
            $creates = Get-BatchCreates
            $creates.Count | Should -Be 1
            ($creates[0].body | ConvertFrom-Json -AsHashtable) | Should -BeOfType [hashtable]
            $body = $creates[0].body | ConvertFrom-Json -AsHashtable
            @($body.Keys | Sort-Object) | Should -Be @('completion_window', 'endpoint', 'input_file_id')
            $body.input_file_id | Should -Be $script:File.id
            $body.endpoint | Should -Be '/v1/chat/completions'
            $body.completion_window | Should -Be '24h'
            # the file is read and checked first (its metadata, then its lines); the create is PSOpenAI's own
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @(
                "GET /v1/files/$($script:File.id)", "GET /v1/files/$($script:File.id)/content", 'POST /v1/batches')
        }

        It 'a batch''s timestamps are [datetime]s listed after its other properties, as PSOpenAI''s Add-Member leaves them' {
            $b = Start-Batch -FileId $script:File.id
            $names = @($b.PSObject.Properties.Name)
            $names[-2..-1] | Should -Be @('created_at', 'expires_at')
            $b.created_at | Should -BeOfType [datetime]
            $names.IndexOf('in_progress_at') | Should -BeLessThan $names.IndexOf('metadata')   # null: not moved, not converted
            $null -eq $b.in_progress_at | Should -BeTrue
            $c = Stop-Batch $b -Force -PassThru
            @($c.PSObject.Properties.Name)[-3..-1] | Should -Be @('created_at', 'expires_at', 'cancelling_at')
        }

        It 'Start-Batch id (position 0)' {
            Start-Batch $script:File.id | ForEach-Object input_file_id | Should -Be $script:File.id
            ((Get-BatchCreates)[0].body | ConvertFrom-Json).input_file_id | Should -Be $script:File.id
        }

        It 'Start-Batch -input_file_id id and -File id (aliases)' {
            Start-Batch -input_file_id $script:File.id | Out-Null
            Start-Batch -File $script:File.id | Out-Null
            @((Get-BatchCreates).body | ConvertFrom-Json | ForEach-Object input_file_id) | Should -Be @($script:File.id, $script:File.id)
        }

        It "'id' | Start-Batch (by value)" {
            $script:File.id | Start-Batch | ForEach-Object input_file_id | Should -Be $script:File.id
        }

        It "[pscustomobject]@{input_file_id=..} | Start-Batch (by property name)" {
            [pscustomobject]@{ input_file_id = $script:File.id } | Start-Batch | ForEach-Object input_file_id | Should -Be $script:File.id
            ((Get-BatchCreates)[0].body | ConvertFrom-Json).input_file_id | Should -Be $script:File.id
        }

        It 'a previous batch piped in starts a batch of the same input file (input_file_id by property name)' {
            $first = Start-Batch $script:File.id
            $again = $first | Start-Batch
            $again.id | Should -Not -Be $first.id
            $again.input_file_id | Should -Be $script:File.id
        }

        It 'piped items: one upload and one create, in the end block; endpoint from the first item' {
            $countsWhileItemsFlow = [System.Collections.Generic.List[int]]::new()
            $b = New-TestBatchInput 4 -Url '/v1/embeddings' | ForEach-Object { $countsWhileItemsFlow.Add(@(Get-ApiRequests).Count); $_ } | Start-Batch
            $countsWhileItemsFlow | Should -Be @(0, 0, 0, 0)
            $log = Get-ApiRequests
            ($log | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @('POST /v1/files', 'POST /v1/batches')
            $log[0].body | Should -Match 'name="purpose"\s+batch'
            $log[0].body | Should -Match 'filename="batch-psopenai_\d+_[0-9a-f]{4}\.jsonl"'
            $body = $log[1].body | ConvertFrom-Json
            $body.endpoint | Should -Be '/v1/embeddings'
            $body.input_file_id | Should -Be $b.input_file_id
            $b.endpoint | Should -Be '/v1/embeddings'
            $lines = Get-Lines (Get-TestFileContent $b.input_file_id)
            @($lines | ConvertFrom-Json | ForEach-Object custom_id) | Should -Be @('req-1', 'req-2', 'req-3', 'req-4')
            ($lines[0] | ConvertFrom-Json).body.messages[0].content | Should -Be 'Say 1'
        }

        It 'Start-Batch -BatchInput @(items) (from the command line) and the -InputObject alias' {
            $b = Start-Batch -BatchInput @(New-TestBatchInput 3)
            $c = Start-Batch -InputObject @(New-TestBatchInput 2)
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @('POST /v1/files', 'POST /v1/batches', 'POST /v1/files', 'POST /v1/batches')
            @(Get-Lines (Get-TestFileContent $b.input_file_id)).Count | Should -Be 3
            @(Get-Lines (Get-TestFileContent $c.input_file_id)).Count | Should -Be 2
        }

        It 'an explicit -Endpoint that agrees with the items'' url is lower-cased; one that does not is refused before the upload' {
            $b = New-TestBatchInput 2 -Url '/v1/embeddings' | Start-Batch -Endpoint '/V1/Embeddings'
            ((Get-BatchCreates)[0].body | ConvertFrom-Json).endpoint | Should -Be '/v1/embeddings'
            $b.endpoint | Should -Be '/v1/embeddings'
            $before = @(Get-ApiRequests).Count
            { New-TestBatchInput 2 -Url '/v1/embeddings' | Start-Batch -Endpoint '/v1/chat/completions' -ErrorAction Stop } |
                Should -Throw '*items are for /v1/embeddings, but -Endpoint*'
            @(Get-ApiRequests).Count | Should -Be $before
        }

        It '-Endpoint is lower-cased with -FileId too' {
            $jsonl = (New-TestBatchInput 2 -Url '/v1/embeddings' | ForEach-Object { ConvertTo-Json $_ -Compress -Depth 5 }) -join "`n"
            $embeddings = New-TestFile ([Text.Encoding]::UTF8.GetBytes($jsonl))
            Start-Batch $embeddings.id -Endpoint '/V1/EMBEDDINGS' | Out-Null
            ((Get-BatchCreates)[0].body | ConvertFrom-Json).endpoint | Should -Be '/v1/embeddings'
        }

        It 'a bad item among good ones: one error for it, the batch is created with the rest' {
            $items = @(New-TestBatchInput 4)
            $items[1] = [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = 'no-url'; method = 'POST' }
            $b = $items | Start-Batch -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'System.ArgumentException,Start-Batch'
            $err[0].Exception.Message | Should -Match 'item 2 has no url'
            $err[0].TargetObject | Should -Be $items[1]       # the object PowerShell passed, not a copy
            $b.id | Should -Not -BeNullOrEmpty
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @('POST /v1/files', 'POST /v1/batches')
            @(Get-Lines (Get-TestFileContent $b.input_file_id) | ConvertFrom-Json | ForEach-Object custom_id) | Should -Be @('req-1', 'req-3', 'req-4')
        }

        It 'only bad items: an error each, and no request' {
            $bad = 1..2 | ForEach-Object { [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = "c$_" } }
            $bad | Start-Batch -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err.Count | Should -Be 2
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'a plain object piped among request items is an error, not silently dropped' {
            # PowerShell binds it to -FileId (as its text) and leaves -BatchInput bound but empty.
            $items = @(New-TestBatchInput 2) + @([pscustomobject]@{ custom_id = 'untyped' }) + @(New-TestBatchInput 1 -From 3)
            $b = $items | Start-Batch -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'System.ArgumentException,Start-Batch'
            $err[0].Exception.Message | Should -BeLike '*bound to the FileId parameter set, not to -BatchInput*PSOpenAI.Batch.Input*'
            @(Get-Lines (Get-TestFileContent $b.input_file_id)).Count | Should -Be 3
        }

        It 'a bad item is reported as it arrives: -ErrorAction Stop ends a long pipeline there, before any request' {
            $script:made = 0
            $produce = {
                foreach ($i in 1..100000) {
                    $script:made++
                    if ($i -eq 3) { [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = 'no-url'; method = 'POST' } }
                    else { [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = "r$i"; method = 'POST'; url = '/v1/embeddings'; body = @{ input = 'x' } } }
                }
            }
            { & $produce | Start-Batch -ErrorAction Stop } | Should -Throw '*item 3 has no url*'
            $script:made | Should -BeLessThan 10
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'piped objects are let go as they are taken (their JSON text is what is kept until the end block)' {
            $first = [WeakReference]::new($null)
            $state = @{ AliveAtTheLast = $null }
            $b = 1..300 | ForEach-Object {
                $item = [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = "r$_"; method = 'POST'; url = '/v1/embeddings'; body = @{ input = "x$_" } }
                if ($_ -eq 1) { $first.Target = $item }
                if ($_ -eq 300) { [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect(); $state.AliveAtTheLast = $first.IsAlive }
                $item
            } | Start-Batch
            $state.AliveAtTheLast | Should -BeFalse
            @(Get-Lines (Get-TestFileContent $b.input_file_id)).Count | Should -Be 300
        }

        It '-MetaData takes a hashtable' {
            $b = Start-Batch $script:File.id -MetaData @{ project = 'alpha'; owner = 'qa' }
            $body = (Get-BatchCreates)[0].body | ConvertFrom-Json -AsHashtable
            $body.metadata.project | Should -Be 'alpha'
            $body.metadata.owner | Should -Be 'qa'
            $b.metadata.project | Should -Be 'alpha'
        }

        It '-MetaData takes an ordered dictionary' {
            Start-Batch $script:File.id -MetaData ([ordered]@{ a = '1'; b = '2' }) | Out-Null
            ((Get-BatchCreates)[0].body | ConvertFrom-Json).metadata.b | Should -Be '2'
        }

        It '-OutputExpiresAfterSeconds sends output_expires_after with the created_at anchor' {
            Start-Batch $script:File.id -OutputExpiresAfterSeconds 7200 | Out-Null
            $body = (Get-BatchCreates)[0].body | ConvertFrom-Json
            $body.output_expires_after.anchor | Should -Be 'created_at'
            $body.output_expires_after.seconds | Should -Be 7200
        }

        It '-OutputExpiresAfterSeconds 60 is rejected by PowerShell, before any request' {
            { Start-Batch $script:File.id -OutputExpiresAfterSeconds 60 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Start-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It '-FileId and -BatchInput together are refused' {
            { Start-Batch -FileId $script:File.id -BatchInput @(New-TestBatchInput 1) } | Should -Throw -ErrorId 'AmbiguousParameterSet,Start-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'an unknown file id is a NotFoundError that says no batch was created' {
            $err = @(); try { Start-Batch 'file-missing' } catch { $err = @($_) }     # terminating, as in PSOpenAI
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Start-Batch'
            $err[0].Exception.Message | Should -Be ('Input file "file-missing" was not found, so no batch was created. ' +
                'Check the id (Get-OpenAIFile lists the uploaded files), or upload the requests first (Add-OpenAIFile ' +
                '-Purpose batch), or start the batch from them with -Path or -BatchInput. (OpenAI API returned an 404 ' +
                '(Not Found) Error: No such File object: file-missing)')
            [int]$err[0].Exception.StatusCode | Should -Be 404
            $err[0].TargetObject | Should -Be 'file-missing'
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @('GET /v1/files/file-missing')
        }

        It 'a file of another purpose (<Purpose>) is refused before the create, naming it' -ForEach @(
            @{ Purpose = 'assistants' }, @{ Purpose = 'fine-tune' }) {
            $other = Add-OpenAIFile -Content ([Text.Encoding]::UTF8.GetBytes('{"custom_id":"a","method":"POST","url":"/v1/chat/completions"}')) -Name 'in.jsonl' -Purpose $Purpose
            Clear-ApiRequests
            $b = Start-Batch $other.id -ErrorVariable err -ErrorAction SilentlyContinue
            $b | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'System.ArgumentException,Start-Batch'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].TargetObject | Should -Be $other.id
            $err[0].Exception.Message | Should -Be ("File ""$($other.id)"" has purpose ""$Purpose"", not ""batch"", so no batch was created: " +
                'a batch reads only files uploaded with purpose "batch". Upload the requests with that purpose ' +
                '(Add-OpenAIFile -Purpose batch) and start the batch from the new file.')
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @("GET /v1/files/$($other.id)")
        }

        It 'a file over 200 MB is refused without reading it; one that failed is an InvalidOperationException' {
            $big = Invoke-Emulator Post files @{ content = '{"custom_id":"a","method":"POST","url":"/v1/chat/completions"}'; bytes = 200000001 }
            $failed = Invoke-Emulator Post files @{ content = 'x'; status = 'error'; status_details = 'Invalid file format' }
            $big.id, $failed.id | Start-Batch -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err.Count | Should -Be 2
            $err[0].FullyQualifiedErrorId | Should -Be 'System.ArgumentException,Start-Batch'
            $err[0].Exception.Message | Should -Be ("File ""$($big.id)"" holds 200,000,001 bytes, more than the 200 MB a batch's input " +
                'file may hold, so no batch was created. Split its requests into files of at most 200 MB, or start the batches ' +
                'from the requests with Start-Batch -Path -Split (split=True).')
            $err[1].FullyQualifiedErrorId | Should -Be 'System.InvalidOperationException,Start-Batch'
            $err[1].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $err[1].Exception.Message | Should -Be ("File ""$($failed.id)"" has status ""error"" (Invalid file format), so no batch was " +
                "created: only a processed file can be a batch's input. Upload the requests again (Add-OpenAIFile -Purpose batch).")
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @("GET /v1/files/$($big.id)", "GET /v1/files/$($failed.id)")
        }

        It 'a small file''s lines are checked as -Path''s are; the errors name the lines' {
            $items = @(New-TestBatchInput 3)
            $items[1].method = 'GET'
            $jsonl = (@($items | ForEach-Object { ConvertTo-Json $_ -Compress -Depth 5 }) + 'not json') -join "`n"
            $bad = New-TestFile ([Text.Encoding]::UTF8.GetBytes($jsonl))
            Start-Batch $bad.id -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'System.ArgumentException,Start-Batch'
            $err[0].Exception.Message | Should -Be ("File ""$($bad.id)"" has lines a batch would refuse, so no batch was created: " +
                "Line 2 has method 'GET': a batch sends POST requests only. Line 4 of the file is not a JSON object. " +
                'Fix them and upload the file again.')
            Get-BatchCreates | Should -BeNullOrEmpty
        }

        It 'a bad file id among good ones: one error for it, the others'' batches are started' {
            $other = New-TestFile -Purpose 'assistants'
            $batches = @($script:File.id, $other.id, $script:File.id | Start-Batch -ErrorVariable err -ErrorAction SilentlyContinue)
            $batches.Count | Should -Be 2
            $batches.input_file_id | Should -Be @($script:File.id, $script:File.id)
            $err.Count | Should -Be 1
            $err[0].Exception.Message | Should -BeLike "File ""$($other.id)"" has purpose ""assistants""*"
            @(Get-BatchCreates).Count | Should -Be 2
            @(Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" } | Where-Object { $_ -like "* /v1/files/$($other.id)*" }) |
                Should -Be @("GET /v1/files/$($other.id)")
        }
    }

    Context 'Get-Batch' {
        It 'Get-Batch -BatchId id gets one batch' {
            $b = New-TestBatch
            $r = Get-Batch -BatchId $b.id
            $r.id | Should -Be $b.id
            $r.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch'
            (Get-ApiRequests).path | Should -Be @("/v1/batches/$($b.id)")
        }

        It 'Get-Batch id (position 0) and the aliases -Id, -batch_id, -Batch' {
            $b = New-TestBatch
            Get-Batch $b.id | Out-Null
            Get-Batch -Id $b.id | Out-Null
            Get-Batch -batch_id $b.id | Out-Null
            Get-Batch -Batch $b.id | Out-Null
            (Get-ApiRequests).path | Should -Be (@("/v1/batches/$($b.id)") * 4)
        }

        It "'id' | Get-Batch (by value), several ids in order" {
            $ids = 1..3 | ForEach-Object { (New-TestBatch).id }
            @($ids | Get-Batch | ForEach-Object id) | Should -Be $ids
            (Get-ApiRequests).path | Should -Be ($ids | ForEach-Object { "/v1/batches/$_" })
        }

        It '$batchObject | Get-Batch (by its id property)' {
            $o = New-TestBatchObject
            ($o | Get-Batch).id | Should -Be $o.id
            (Get-ApiRequests).path | Should -Be @("/v1/batches/$($o.id)")
        }

        It 'lists with -Limit: one request, newest first' {
            $seeded = @((Invoke-Emulator Post seed @{ status = 'completed'; count = 5 }).data.id)
            $r = Get-Batch -Limit 3 -WarningVariable warn
            @($r.id) | Should -Be @($seeded[4], $seeded[3], $seeded[2])
            Get-ListRequests | Should -Be @('/v1/batches?limit=3')
            $warn | Should -BeNullOrEmpty        # -Limit was given: no warning
        }

        It 'lists with -All: page after page of 100 (as PSOpenAI), each after= the last id of the previous page' {
            $seeded = @((Invoke-Emulator Post seed @{ status = 'completed'; count = 205 }).data.id)
            $r = Get-Batch -All -Limit 2
            @($r.id) | Should -Be $seeded[204..0]
            Get-ListRequests | Should -Be @('/v1/batches?limit=100', "/v1/batches?limit=100&after=$($seeded[105])", "/v1/batches?limit=100&after=$($seeded[5])")
        }

        It 'the default list is 20, with a warning when there are more and no -Limit' {
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 22 }
            $r = Get-Batch -WarningVariable warn -WarningAction SilentlyContinue
            @($r).Count | Should -Be 20
            Get-ListRequests | Should -Be @('/v1/batches?limit=20')
            $warn.Count | Should -Be 1
            $warn[0].Message | Should -Match 'There are more batches than the 20 listed'
        }

        It 'no warning when everything was listed' {
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 3 }
            @(Get-Batch -WarningVariable warn).Count | Should -Be 3
            $warn | Should -BeNullOrEmpty
        }

        It '-After starts after the given batch' {
            $seeded = @((Invoke-Emulator Post seed @{ status = 'completed'; count = 3 }).data.id)
            @((Get-Batch -After $seeded[2]).id) | Should -Be @($seeded[1], $seeded[0])
            Get-ListRequests | Should -Be @("/v1/batches?limit=20&after=$($seeded[2])")
        }

        It '-Limit <n> is rejected by PowerShell before any request' -TestCases @(@{ n = 0 }, @{ n = 101 }) {
            { Get-Batch -Limit $n } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Get-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It '-BatchId with -Limit is refused (they are different sets)' {
            { Get-Batch -BatchId b -Limit 5 } | Should -Throw -ErrorId 'AmbiguousParameterSet,Get-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'a missing batch is a NotFoundError for that id' {
            Get-Batch 'batch_missing' -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Get-Batch'
            $err[0].TargetObject | Should -Be 'batch_missing'
        }
    }

    Context 'Wait-Batch' {
        It '$batchObject | Wait-Batch waits until it is completed' {
            Set-EmulatorStepSeconds 0.1
            $o = New-TestBatchObject
            $r = $o | Wait-Batch -PollIntervalSec 0.1
            $r.status | Should -Be 'completed'
            $r.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch'
            $log = Get-ApiRequests
            $log.path | Sort-Object -Unique | Should -Be "/v1/batches/$($o.id)"
            $log.Count | Should -BeGreaterThan 1
        }

        It "'id' | Wait-Batch and Wait-Batch -BatchId, -Id" {
            $b = New-TestBatch completed
            ($b.id | Wait-Batch).status | Should -Be 'completed'
            (Wait-Batch -BatchId $b.id).status | Should -Be 'completed'
            (Wait-Batch -Id $b.id).status | Should -Be 'completed'
            (Get-ApiRequests).path | Should -Be (@("/v1/batches/$($b.id)") * 3)
        }

        It '-StatusForExit ends the wait at once on that status' {
            $b = New-TestBatch in_progress
            (Wait-Batch $b.id -StatusForExit in_progress).status | Should -Be 'in_progress'
            (Get-ApiRequests).Count | Should -Be 1
        }

        It '-StatusForWait replaces the statuses waited on' {
            $b = New-TestBatch in_progress
            (Wait-Batch $b.id -StatusForWait validating, finalizing).status | Should -Be 'in_progress'
            (Get-ApiRequests).Count | Should -Be 1
        }

        It '-StatusForWait <status> is rejected by PowerShell before any request' -TestCases @(@{ status = 'running' }, @{ status = 'Done' }) {
            { Wait-Batch b -StatusForWait $status } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Wait-Batch'
            { Wait-Batch b -StatusForExit $status } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Wait-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'an empty -StatusForWait or -StatusForExit is rejected, as PSOpenAI''s ValidateNotNullOrEmpty does' {
            { Wait-Batch b -StatusForWait @() } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Wait-Batch'
            { Wait-Batch b -StatusForExit @() } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Wait-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It '-PollIntervalSec 1001 is rejected' {
            { Wait-Batch b -PollIntervalSec 1001 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Wait-Batch'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It '-TimeoutSec bounds the wait: a timeout error, not a hang' {
            $b = New-TestBatch in_progress     # manual emulator: it never finishes
            $watch = [Diagnostics.Stopwatch]::StartNew()
            Wait-Batch $b.id -TimeoutSec 1 -PollIntervalSec 0.3 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.TimeoutException,Wait-Batch'     # PSOpenAI's id
            $err[0].Exception | Should -BeOfType [System.TimeoutException]
            $err[0].Exception.Message | Should -Match "last status 'in_progress'"
            (Get-ApiRequests).Count | Should -BeGreaterThan 1
        }

        It 'Write-Progress shows the status while waiting, then completes' {
            Set-EmulatorStepSeconds 0.2
            $r = Invoke-InRunspace { $o | Wait-Batch -PollIntervalSec 0.1 } @{ o = (New-TestBatchObject validating) }
            $r.Errors | Should -BeNullOrEmpty
            $r.Output[0].status | Should -Be 'completed'
            $r.Progress.Count | Should -BeGreaterThan 1
            ($r.Progress.StatusDescription -join "`n") | Should -Match 'Status: (validating|in_progress|finalizing)'
            $r.Progress[0].Activity | Should -Match 'Waiting for batch batch_'
            $r.Progress[-1].RecordType | Should -Be 'Completed'
            $r.Progress[-1].StatusDescription | Should -Match 'completed'
        }

        It 'a missing batch is a NotFoundError' {
            Wait-Batch 'batch_missing' -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Wait-Batch'
        }
    }

    Context 'Get-BatchOutput' {
        It '$batchObject | Get-BatchOutput reads the output file only (no GET of the batch)' {
            $o = New-TestBatchObject completed
            $out = @($o | Get-BatchOutput)
            $out.Count | Should -Be 3
            $out | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Output' }
            $out[0].response.status_code | Should -Be 200
            (Get-ApiRequests).path | Should -Be @("/v1/files/$($o.output_file_id)/content")
        }

        It 'Get-BatchOutput -Batch $o and -InputObject $o (alias)' {
            $o = New-TestBatchObject completed
            @(Get-BatchOutput -Batch $o).Count | Should -Be 3
            @(Get-BatchOutput -InputObject $o).Count | Should -Be 3
            (Get-ApiRequests).Count | Should -Be 2
        }

        It 'Get-BatchOutput -BatchId id reads the batch, then its output file' {
            $b = New-TestBatch completed
            $out = @(Get-BatchOutput -BatchId $b.id)
            $out.Count | Should -Be 3
            (Get-ApiRequests).path | Should -Be @("/v1/batches/$($b.id)", "/v1/files/$($b.output_file_id)/content")
        }

        It "[pscustomobject]@{batch_id=..} | Get-BatchOutput (by property name)" {
            $b = New-TestBatch completed
            @([pscustomobject]@{ batch_id = $b.id } | Get-BatchOutput).Count | Should -Be 3
            (Get-ApiRequests).path | Should -Be @("/v1/batches/$($b.id)", "/v1/files/$($b.output_file_id)/content")
        }

        It '-Wait waits for the batch to finish first' {
            Set-EmulatorStepSeconds 0.1
            $b = New-TestBatch in_progress
            $out = @(Get-BatchOutput -BatchId $b.id -Wait)
            $out.Count | Should -Be 3
            $log = Get-ApiRequests
            $log[-1].path | Should -Match '^/v1/files/.+/content$'
            @($log | Where-Object path -eq "/v1/batches/$($b.id)").Count | Should -BeGreaterThan 1
        }

        It '-Wait with a running batch object polls it' {
            Set-EmulatorStepSeconds 0.1
            $o = New-TestBatchObject in_progress
            @($o | Get-BatchOutput -Wait).Count | Should -Be 3
        }

        It 'no output file yet: a clear error, no content request' {
            $b = New-TestBatch in_progress
            Get-BatchOutput -BatchId $b.id -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'System.InvalidOperationException,Get-BatchOutput'
            $err[0].Exception.Message | Should -Match "Batch $($b.id) has no output file \(status `"in_progress`"\)"
            $err[0].Exception.Message | Should -Match '-Wait'
            (Get-ApiRequests).path | Should -Be @("/v1/batches/$($b.id)")
        }

        It 'a finished batch whose every request failed: an error naming the error file, no -Wait hint' {
            $b = New-TestBatch completed @{ n_requests = 2; n_failing = 2 }
            Get-BatchOutput -BatchId $b.id -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'System.InvalidOperationException,Get-BatchOutput'
            $err[0].Exception.Message | Should -Match '\(status "completed"\)'
            $err[0].Exception.Message | Should -Match ([regex]::Escape($b.error_file_id))
            $err[0].Exception.Message | Should -Not -Match '-Wait'
        }

        It 'a batch object without an output file: the error targets that object' {
            $o = New-TestBatchObject in_progress
            $o | Get-BatchOutput -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'System.InvalidOperationException,Get-BatchOutput'
            $err[0].TargetObject.id | Should -Be $o.id
        }

        It 'an object that is not a PSOpenAI.Batch is refused for -Batch' {
            { Get-BatchOutput -Batch ([pscustomobject]@{ id = 'x' }) } | Should -Throw -ErrorId 'MismatchedPSTypeName,Get-BatchOutput'
            Get-ApiRequests | Should -BeNullOrEmpty
        }
    }

    Context 'Add-OpenAIFile' {
        BeforeAll {
            $script:Bytes = [byte[]](0x7B, 0x22, 0x61, 0x22, 0x3A, 0x31, 0x7D, 0x0A, 0x00, 0xFF)
            $script:Dir = Join-Path $script:Temp 'add'
            $null = New-Item -ItemType Directory -Force -Path $script:Dir
            [IO.File]::WriteAllBytes((Join-Path $script:Dir 'requests.jsonl'), $script:Bytes)
        }

        It '-File with a relative path is resolved against the current location, not the process directory' {
            [Environment]::CurrentDirectory | Should -Not -Be $script:Dir
            Push-Location $script:Dir
            try { $f = Add-OpenAIFile -File ./requests.jsonl -Purpose batch } finally { Pop-Location }
            $f.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.File'
            $f.filename | Should -Be 'requests.jsonl'
            $f.purpose | Should -Be 'batch'
            $f.bytes | Should -Be $script:Bytes.Length
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @('POST /v1/files')
            [Convert]::ToHexString((Get-TestFileContent $f.id)) | Should -Be ([Convert]::ToHexString($script:Bytes))
        }

        It 'a big upload or -OutFile download shows its progress, then completes it' {
            $big = Join-Path $script:Dir 'big.bin'
            [IO.File]::WriteAllBytes($big, [byte[]]::new(9MB))
            $r = Invoke-InRunspace { Add-OpenAIFile -File $big -Purpose user_data } @{ big = $big }
            $r.Errors | Should -BeNullOrEmpty
            $r.Output[0].bytes | Should -Be 9MB
            $r.Progress.Count | Should -BeGreaterThan 1
            $r.Progress[0].Activity | Should -Be 'Uploading "big.bin"'
            $r.Progress[-1].RecordType | Should -Be 'Completed'
            $r.Progress[-1].StatusDescription | Should -Be '9.4 MB of 9.4 MB'
            $small = Invoke-InRunspace { Add-OpenAIFile -File $f -Purpose batch } @{ f = (Join-Path $script:Dir 'requests.jsonl') }
            $small.Progress | Should -BeNullOrEmpty -Because 'a small upload takes no time worth a progress bar'
            $down = Invoke-InRunspace { Get-OpenAIFileContent -FileId $id -OutFile $to } @{ id = $r.Output[0].id; to = (Join-Path $script:Dir 'down.bin') }
            $down.Errors | Should -BeNullOrEmpty
            (Get-Item (Join-Path $script:Dir 'down.bin')).Length | Should -Be 9MB
            $down.Progress[0].Activity | Should -Be "Downloading file ""$($r.Output[0].id)"""
            $down.Progress[-1].RecordType | Should -Be 'Completed'
            $down.Progress[-1].StatusDescription | Should -Be '9.4 MB of 9.4 MB'
        }

        It 'Add-OpenAIFile relative-path (position 0)' {
            Push-Location $script:Dir
            try { $f = Add-OpenAIFile requests.jsonl -Purpose user_data } finally { Pop-Location }
            $f.filename | Should -Be 'requests.jsonl'
            $f.purpose | Should -Be 'user_data'
        }

        It "'path' | Add-OpenAIFile and Get-Item | Add-OpenAIFile (piped paths)" {
            Push-Location $script:Dir
            try {
                $a = 'requests.jsonl' | Add-OpenAIFile -Purpose batch
                $b = Get-Item requests.jsonl | Add-OpenAIFile -Purpose batch
            } finally { Pop-Location }
            $a.filename, $b.filename | Should -Be @('requests.jsonl', 'requests.jsonl')
            (Get-ApiRequests).Count | Should -Be 2
        }

        It 'a file that does not exist: an error, no request' {
            Push-Location $script:Dir
            try { Add-OpenAIFile -File nope.jsonl -Purpose batch -ErrorVariable err -ErrorAction SilentlyContinue } finally { Pop-Location }
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'System.ArgumentException,Add-OpenAIFile'
            $err[0].Exception.Message | Should -Match ([regex]::Escape((Join-Path $script:Dir 'nope.jsonl')))
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It '-Content with -Name uploads the exact bytes under that name' {
            $f = Add-OpenAIFile -Content $script:Bytes -Name 'inline.bin' -Purpose user_data
            $f.filename | Should -Be 'inline.bin'
            $f.bytes | Should -Be $script:Bytes.Length
            (Get-ApiRequests)[0].body | Should -Match 'filename="inline.bin"'
            [Convert]::ToHexString((Get-TestFileContent $f.id)) | Should -Be ([Convert]::ToHexString($script:Bytes))
        }

        It '-ExpiresAfterSeconds sends expires_after' {
            $f = Add-OpenAIFile -Content $script:Bytes -Name 'x.bin' -Purpose batch -ExpiresAfterSeconds 3600
            $body = (Get-ApiRequests)[0].body
            $body | Should -Match 'name="expires_after\[anchor\]"\s+created_at'
            $body | Should -Match 'name="expires_after\[seconds\]"\s+3600'
            $f.expires_at | Should -BeOfType [long]        # PSOpenAI makes only created_at a [datetime]
            $f.created_at | Should -BeOfType [datetime]
        }

        It '-Content without -Name is refused (no prompt without a host)' {
            $r = Invoke-InRunspace { Add-OpenAIFile -Content ([byte[]](1, 2)) -Purpose batch }
            @($r.Errors) + @($r.Failure.ErrorRecord) | Where-Object { $_ } | Select-Object -First 1 -ExpandProperty FullyQualifiedErrorId |
                Should -Be 'MissingMandatoryParameter,Add-OpenAIFile'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It '-Purpose missing is an error (no prompt without a host), before any request' {
            $r = Invoke-InRunspace { Add-OpenAIFile -Content ([byte[]](1, 2)) -Name a.bin }
            @($r.Errors) + @($r.Failure.ErrorRecord) | Where-Object { $_ } | Select-Object -First 1 -ExpandProperty FullyQualifiedErrorId |
                Should -Be 'MissingMandatoryParameter,Add-OpenAIFile'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It '-ExpiresAfterSeconds 10 is rejected by PowerShell before any request' {
            { Add-OpenAIFile -Content ([byte[]](1)) -Name a -Purpose batch -ExpiresAfterSeconds 10 } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,Add-OpenAIFile'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It '-File and -Content together are refused' {
            { Add-OpenAIFile -File x -Content ([byte[]](1)) -Purpose batch } | Should -Throw -ErrorId 'AmbiguousParameterSet,Add-OpenAIFile'
        }

        It 'tab completion offers the purposes for -Purpose, batch among them' {
            $line = 'Add-OpenAIFile -File x.jsonl -Purpose '
            $all = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $all | Should -Contain 'batch'
            $all | Should -Contain 'user_data'
            $line = 'Add-OpenAIFile -Purpose ba'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('batch')
        }

        It 'a purpose outside the completions is still sent (suggestions, not validation)' {
            $f = Add-OpenAIFile -Content ([byte[]](1)) -Name a -Purpose 'fine-tune'
            $f.purpose | Should -Be 'fine-tune'
        }
    }

    Context 'Get-OpenAIFile' {
        BeforeEach {
            $script:A = New-TestFile -Name 'a.jsonl' -Purpose batch
            $script:B = New-TestFile -Name 'b.txt' -Purpose user_data
            $script:C = New-TestFile -Name 'c.jsonl' -Purpose batch
        }

        It 'Get-OpenAIFile -FileId id, id (position 0) and the aliases' {
            (Get-OpenAIFile -FileId $script:B.id).filename | Should -Be 'b.txt'
            (Get-OpenAIFile $script:B.id).PSObject.TypeNames[0] | Should -Be 'PSOpenAI.File'
            (Get-OpenAIFile -Id $script:B.id).purpose | Should -Be 'user_data'
            (Get-OpenAIFile -file_id $script:B.id).id | Should -Be $script:B.id
            (Get-ApiRequests).path | Should -Be (@("/v1/files/$($script:B.id)") * 4)
        }

        It '$fileObject | Get-OpenAIFile and ''id'' | Get-OpenAIFile' {
            $f = Get-OpenAIFile $script:A.id
            Clear-ApiRequests
            ($f | Get-OpenAIFile).filename | Should -Be 'a.jsonl'
            ($script:C.id | Get-OpenAIFile).filename | Should -Be 'c.jsonl'
            (Get-ApiRequests).path | Should -Be @("/v1/files/$($script:A.id)", "/v1/files/$($script:C.id)")
        }

        It 'lists newest first by default (the API''s default: no limit or order is sent)' {
            @((Get-OpenAIFile).id) | Should -Be @($script:C.id, $script:B.id, $script:A.id)
            Get-ListRequests files | Should -Be @('/v1/files')
        }

        It '-Purpose filters' {
            @((Get-OpenAIFile -Purpose batch).id) | Should -Be @($script:C.id, $script:A.id)
            Get-ListRequests files | Should -Be @('/v1/files?purpose=batch')
        }

        It '-Order asc' {
            @((Get-OpenAIFile -Order asc).id) | Should -Be @($script:A.id, $script:B.id, $script:C.id)
            Get-ListRequests files | Should -Be @('/v1/files?order=asc')
        }

        It '-Order up is rejected by PowerShell' {
            { Get-OpenAIFile -Order up } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Get-OpenAIFile'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It '-Limit 1: one page, no warning (a limit was given)' {
            @((Get-OpenAIFile -Limit 1 -WarningVariable warn).id) | Should -Be @($script:C.id)
            Get-ListRequests files | Should -Be @('/v1/files?limit=1')
            $warn | Should -BeNullOrEmpty
        }

        It '-Limit 1 -All -Order asc -Purpose batch: pages of 10000 (as PSOpenAI) with after=' {
            # The first page says more follow A (10000 files are too many to make); the next starts after it.
            Add-EmulatorFault @{ method = 'GET'; path = '/v1/files'; status = 200
                                 body = @{ object = 'list'; data = @($script:A); first_id = $script:A.id; last_id = $script:A.id; has_more = $true } }
            @((Get-OpenAIFile -Limit 1 -All -Order asc -Purpose batch).id) | Should -Be @($script:A.id, $script:C.id)
            Get-ListRequests files | Should -Be @('/v1/files?limit=10000&order=asc&purpose=batch',
                "/v1/files?limit=10000&order=asc&after=$($script:A.id)&purpose=batch")
        }

        It 'a missing file is a NotFoundError' {
            $err = @(); try { Get-OpenAIFile 'file-missing' } catch { $err = @($_) }     # terminating, as in PSOpenAI
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Get-OpenAIFile'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'Get-OpenAIFileContent' {
        BeforeAll {
            $script:Binary = [byte[]](0, 1, 2, 0x0D, 0x0A, 0x80, 0xFE, 0xFF) + [Text.Encoding]::UTF8.GetBytes('text é')
        }
        BeforeEach { $script:F = New-TestFile $script:Binary -Name 'bin.dat' -Purpose user_data }

        It 'returns one [byte[]] object with the exact bytes' {
            $out = @(Get-OpenAIFileContent -FileId $script:F.id)
            $out.Count | Should -Be 1
            , $out[0] | Should -BeOfType [byte[]]
            [Convert]::ToHexString($out[0]) | Should -Be ([Convert]::ToHexString($script:Binary))
            (Get-ApiRequests).path | Should -Be @("/v1/files/$($script:F.id)/content")
        }

        It 'id (position 0), ''id'' | and a piped file object' {
            $f = Get-OpenAIFile $script:F.id
            $hex = [Convert]::ToHexString($script:Binary)
            Clear-ApiRequests
            [Convert]::ToHexString((Get-OpenAIFileContent $script:F.id)) | Should -Be $hex
            [Convert]::ToHexString(($script:F.id | Get-OpenAIFileContent)) | Should -Be $hex
            [Convert]::ToHexString(($f | Get-OpenAIFileContent)) | Should -Be $hex
            (Get-ApiRequests).path | Should -Be (@("/v1/files/$($script:F.id)/content") * 3)
        }

        It '-OutFile into a folder that does not exist yet: created, the bytes written, nothing returned' {
            $target = Join-Path $script:Temp "new-$([guid]::NewGuid().ToString('N'))/deeper/out.bin"
            Get-OpenAIFileContent $script:F.id -OutFile $target | Should -BeNullOrEmpty
            [Convert]::ToHexString([IO.File]::ReadAllBytes($target)) | Should -Be ([Convert]::ToHexString($script:Binary))
        }

        It 'a relative -OutFile is resolved against the current location' {
            $dir = Join-Path $script:Temp "rel-$([guid]::NewGuid().ToString('N'))"
            $null = New-Item -ItemType Directory -Path $dir
            Push-Location $dir
            try { Get-OpenAIFileContent $script:F.id -OutFile 'sub/out.bin' } finally { Pop-Location }
            [Convert]::ToHexString([IO.File]::ReadAllBytes((Join-Path $dir 'sub/out.bin'))) | Should -Be ([Convert]::ToHexString($script:Binary))
            Test-Path (Join-Path ([Environment]::CurrentDirectory) 'sub/out.bin') | Should -BeFalse
        }

        It 'a missing file is a NotFoundError' {
            $err = @(); try { Get-OpenAIFileContent 'file-missing' | Should -BeNullOrEmpty } catch { $err = @($_) }
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Get-OpenAIFileContent'
        }
    }

    Context 'Remove-OpenAIFile' {
        It 'Remove-OpenAIFile -FileId id, id and -Id id' {
            $ids = 1..3 | ForEach-Object { (New-TestFile -Name "f$_.jsonl").id }
            Remove-OpenAIFile -FileId $ids[0] | Should -BeNullOrEmpty
            Remove-OpenAIFile $ids[1]
            Remove-OpenAIFile -Id $ids[2]
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path) $($_.status)" }) | Should -Be ($ids | ForEach-Object { "DELETE /v1/files/$_ 200" })
        }

        It 'piped file objects: a failure ends the pipeline there, as PSOpenAI does (list first to go on)' {
            $files = 1..2 | ForEach-Object { Get-OpenAIFile (New-TestFile -Name "f$_.jsonl").id }
            $missing = [pscustomobject]@{ id = 'file-missing'; object = 'file' }
            Clear-ApiRequests
            $err = @(); try { $files[0], $missing, $files[1] | Remove-OpenAIFile } catch { $err = @($_) }
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Remove-OpenAIFile'
            $err[0].TargetObject | Should -Be 'file-missing'
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path) $($_.status)" }) | Should -Be @(
                "DELETE /v1/files/$($files[0].id) 200", 'DELETE /v1/files/file-missing 404')
        }

        It 'Get-OpenAIFile -Purpose batch | Remove-OpenAIFile deletes those files only' {
            $batchFiles = 1..2 | ForEach-Object { (New-TestFile -Name "f$_.jsonl" -Purpose batch).id }
            $other = New-TestFile -Name 'keep.txt' -Purpose user_data
            Get-OpenAIFile -Purpose batch | Remove-OpenAIFile
            @(Get-ApiRequests | Where-Object method -eq 'DELETE' | ForEach-Object path | Sort-Object) |
                Should -Be @($batchFiles | ForEach-Object { "/v1/files/$_" } | Sort-Object)
            @((Get-OpenAIFile).id) | Should -Be @($other.id)
        }

        It '-WhatIf sends no request' {
            $id = (New-TestFile).id
            $r = Invoke-InRunspace { Remove-OpenAIFile $id -WhatIf; [pscustomobject]@{ id = $id } | Remove-OpenAIFile -WhatIf } @{ id = $id }
            $r.Errors | Should -BeNullOrEmpty
            $r.Output | Should -BeNullOrEmpty
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'ShouldProcess names the action and the file (shown by -Verbose)' {
            $id = (New-TestFile).id
            $text = (Remove-OpenAIFile $id -Verbose 4>&1 | ForEach-Object { "$_" }) -join "`n"
            $text | Should -Match ([regex]::Escape("Performing the operation `"Remove file`" on target `"$id`""))
        }
    }

    Context 'List output is streamed as Python yields it' {
        AfterEach {
            Invoke-PythonCode 'import psbridge.host as h; h.run = getattr(h, "_saved_run", h.run)'
        }

        It 'Get-Batch -All | Select-Object -First 1 sends only one list request' {
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 101 }     # two pages of 100
            $first = Get-Batch -All | Select-Object -First 1
            @($first).Count | Should -Be 1
            $first.PSObject.TypeNames | Should -Contain 'PSOpenAI.Batch'     # (Select-Object adds Selected.*)
            Get-ListRequests | Should -Be @('/v1/batches?limit=100')
            (Get-ApiRequests).Count | Should -Be 1
        }

        It 'Select-Object -First 102 stops after the second page' {
            $seeded = @((Invoke-Emulator Post seed @{ status = 'completed'; count = 205 }).data.id)     # three pages of 100
            @((Get-Batch -All | Select-Object -First 102).id) | Should -Be $seeded[204..103]
            Get-ListRequests | Should -Be @('/v1/batches?limit=100', "/v1/batches?limit=100&after=$($seeded[105])")
        }

        It 'the Python listing (its page generator) is closed when the pipeline stops early' {
            Invoke-PythonCode @'
import psbridge.host as h
h._saved_run = h.run
h.results = []
def recording(*args, **kwargs):
    result = h._saved_run(*args, **kwargs)
    h.results.append(result)
    return result
h.run = recording
'@
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 101 }
            $null = Get-Batch -All | Select-Object -First 1
            Get-PythonValue '[__import__("inspect").getgeneratorstate(g._pages) for g in __import__("psbridge.host").host.results]' |
                Should -Be "['GEN_CLOSED']"
            Get-ListRequests | Should -Be @('/v1/batches?limit=100')
        }

        It 'items reach the next command as they are read: downstream runs between the pages' {
            $seeded = @((Invoke-Emulator Post seed @{ status = 'in_progress'; count = 101 }).data.id)     # two pages of 100
            $out = Get-Batch -All | Stop-Batch -Force -PassThru      # Python again, on this thread
            @($out.status | Sort-Object -Unique) | Should -Be @('cancelling')
            @($out).Count | Should -Be 101
            (Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) | Should -Be @(
                'GET /v1/batches?limit=100'; $seeded[100..1] | ForEach-Object { "POST /v1/batches/$_/cancel" }
                "GET /v1/batches?limit=100&after=$($seeded[1])"; "POST /v1/batches/$($seeded[0])/cancel")
        }

        It 'downstream commands run without the GIL: another thread can call Python meanwhile' {
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 2 }
            $psd1 = Get-TestModulePath
            $results = Get-Batch -All -Limit 1 | ForEach-Object {
                # Another runspace, on its own thread, calls Python while this item is being written;
                # it would wait forever if this thread still held the GIL.
                $ps = [powershell]::Create()
                try {
                    $null = $ps.AddScript("Import-Module '$psd1' -ErrorAction Stop; (Get-Batch -BatchId '$($_.id)').id")
                    $async = $ps.BeginInvoke()
                    $finished = $async.AsyncWaitHandle.WaitOne(60000)
                    [pscustomobject]@{ Finished = $finished; Output = if ($finished) { @($ps.EndInvoke($async)) } else { @() } }
                } finally { if ($finished) { $ps.Dispose() } }
            }
            @($results).Count | Should -Be 2
            $results.Finished | Should -Be @($true, $true)
            @($results.Output | Where-Object { $_ -like 'batch_*' }).Count | Should -Be 2
        }

        It 'an error on a later page: the items read so far, then one error' {
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 101 }     # two pages of 100
            Add-EmulatorFault @{ method = 'GET'; path_prefix = '/v1/batches'; skip = 1; status = 500 }
            $out = Get-Batch -All -ErrorVariable err -ErrorAction SilentlyContinue
            @($out).Count | Should -Be 100
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.APIRequestException,Get-Batch'
            @(Get-ListRequests).Count | Should -Be 2
        }

        It 'with -ErrorAction Stop an error on a later page stops the command' {
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 101 }     # two pages of 100 (-All ignores -Limit)
            Add-EmulatorFault @{ method = 'GET'; path_prefix = '/v1/batches'; skip = 1; status = 500 }
            $seen = [System.Collections.Generic.List[object]]::new()
            { Get-Batch -All -Limit 2 -ErrorAction Stop | ForEach-Object { $seen.Add($_) } } | Should -Throw -ErrorId 'PSOpenAI.APIRequest.APIRequestException,Get-Batch'
            $seen.Count | Should -Be 100
            @(Get-ListRequests).Count | Should -Be 2
        }

        It 'stopping the pipeline (Ctrl+C) while a downstream command runs ends the listing' {
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 101 }     # two pages of 100
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$(Get-TestModulePath)' -ErrorAction Stop; Get-Batch -All | ForEach-Object { Start-Sleep -Seconds 30 }")
                $async = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (-not (Get-ListRequests) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                Start-Sleep -Milliseconds 300
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $null = $async
            } finally { $ps.Dispose() }
            Get-ListRequests | Should -Be @('/v1/batches?limit=100')
            # The bridge is still usable on this thread.
            @(Get-Batch -Limit 1).Count | Should -Be 1
        }

        It 'a record written from Python (merged into the output) that satisfies Select-Object -First stops the rest' {
            # StopUpstreamCommandsException is thrown inside the WriteError Python calls; Python must let it through.
            $a = New-TestBatch
            $r = 'batch_missing', $a.id | Get-Batch -ErrorAction Continue 2>&1 | Select-Object -First 1
            $r.FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Get-Batch'
            (Get-ApiRequests).path | Should -Be @('/v1/batches/batch_missing')
            (Get-Batch $a.id).id | Should -Be $a.id      # and the bridge is still usable
        }

        It 'a warning from inside the generator, merged into the output, may run Python downstream (same thread)' {
            $a = New-TestBatch
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 21 }
            $out = Get-Batch 3>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.WarningRecord]) { 'warning, then ' + (Get-Batch $a.id).id }
            }
            $out | Should -Be @("warning, then $($a.id)")
            Get-ListRequests | Should -Be @('/v1/batches?limit=20')
        }

        It 'the stream writer stays private to the module' {
            Get-Command Write-PSOpenAIBridgeStream -ErrorAction Ignore | Should -BeNullOrEmpty
        }

        It 'a single object and a whole list (Get-BatchOutput) still come back at once' {
            $o = New-TestBatchObject completed
            @($o | Get-BatchOutput).Count | Should -Be 3
            (Get-Batch $o.id).id | Should -Be $o.id
        }

        It 'streamed objects carry no pythonnet object and keep their types' {
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 2; metadata = @{ k = 'v' } }
            $out = @(Get-Batch -All -Limit 1)
            $out.Count | Should -Be 2
            foreach ($b in $out) {
                $b.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch'
                $b.created_at | Should -BeOfType [datetime]
                $b.metadata.k | Should -Be 'v'
                Find-PythonNetObject $b | Should -BeNullOrEmpty
            }
        }
    }
}
