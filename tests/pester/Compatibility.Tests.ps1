# Compatibility with PSOpenAI (issue 10, items 1-3): what a PSOpenAI user's script sees of objects,
# display and errors. Items 4-7 (lists, typed outputs, binding, bytes): CompatibilitySurface.Tests.ps1.

Describe 'Compatibility: objects, display, errors' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        function Get-Calls { @(Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) }
    }
    AfterAll { Exit-TestEnvironment }
    BeforeEach { Reset-TestEmulator }

    Context '1. an object where an id is expected' {
        It 'a batch converts to its id' {
            $b = Get-Batch -BatchId (New-TestBatch).id
            "$b" | Should -Be $b.id
            [string]$b | Should -Be $b.id
        }

        It 'Get-Batch -BatchId $batch reads that batch' {
            $b = Get-Batch -BatchId (New-TestBatch).id
            Clear-ApiRequests
            (Get-Batch -BatchId $b).id | Should -Be $b.id
            Get-Calls | Should -Be @("GET /v1/batches/$($b.id)")
        }

        It 'Wait-Batch $batch waits on that batch' {
            $b = Get-Batch -BatchId (New-TestBatch 'completed').id
            Clear-ApiRequests
            (Wait-Batch $b).status | Should -Be 'completed'
            Get-Calls | Should -Be @("GET /v1/batches/$($b.id)")
        }

        It 'Get-OpenAIFile $file and Remove-OpenAIFile $file use its id' {
            $file = Get-OpenAIFile (New-TestFile).id
            "$file" | Should -Be $file.id
            Clear-ApiRequests
            (Get-OpenAIFile $file).id | Should -Be $file.id
            Remove-OpenAIFile $file
            Get-Calls | Should -Be @("GET /v1/files/$($file.id)", "DELETE /v1/files/$($file.id)")
        }

        It 'Add-OpenAIFile ... | Start-Batch posts the file id as input_file_id' {
            $path = Join-Path ([IO.Path]::GetTempPath()) "compat-$([guid]::NewGuid().ToString('N')).jsonl"
            Set-Content -LiteralPath $path -Value '{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"m","messages":[]}}' -NoNewline
            try {
                $batch = Add-OpenAIFile -File $path -Purpose batch | Start-Batch
            } finally { Remove-Item -LiteralPath $path }
            $create = @(Get-ApiRequests | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/v1/batches' })
            $create.Count | Should -Be 1
            ($create[0].body | ConvertFrom-Json).input_file_id | Should -Be $batch.input_file_id
            $batch.input_file_id | Should -BeLike 'file-*'
        }
    }

    Context '2. display' {
        It 'Get-Batch -All is one row per batch: Id, endpoint, Count, Status, created_at, completed_at' {
            $null = Invoke-Emulator Post seed @{ status = 'completed'; count = 3 }
            $lines = @(Get-Batch -All | Format-Table | Out-String -Width 200 -Stream | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^Id\s+endpoint\s+Count\s+Status\s+created_at\s+completed_at\s*$'
            $lines.Count | Should -Be 5      # header, dashes, one row per batch
            $lines[2] | Should -Match '^batch_\w+\s+/v1/chat/completions\s+3\s+completed\s'
        }

        It 'a batch is shown as that table by default' {
            $b = Get-Batch -BatchId (New-TestBatch).id
            $text = ($b | Out-String -Width 200)
            $text | Should -Match 'Id\s+endpoint\s+Count\s+Status'
            $text | Should -Not -Match 'input_file_id'
        }

        It 'files are one row each' {
            $null = New-TestFile; $null = New-TestFile -Name 'second.jsonl'
            $lines = @(Get-OpenAIFile -All | Format-Table | Out-String -Width 200 -Stream | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^Id\s+purpose\s+bytes\s+filename\s+created_at'
            $lines.Count | Should -Be 4
        }

        It 'batch outputs are one table row each: custom_id, id, response, error (PSOpenAI''s display set)' {
            $b = Get-Batch -BatchId (New-TestBatch 'completed').id
            $lines = @($b | Get-BatchOutput | Out-String -Width 250 -Stream | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^custom_id\s+id\s+response\s+error\s*$'
            $lines.Count | Should -Be (2 + 3)       # header, dashes, one row per output
            $lines[2] | Should -Match '^request-1\s+batch_req_\w+\s+@\{status_code=200; request_id=req_\w+; body=chatcmpl-\w+\}'
        }

        It 'request items are one table row each: custom_id, method, url, body' {
            $lines = @(New-TestBatchInput 2 | Out-String -Width 250 -Stream | Where-Object { $_.Trim() })
            $lines[0] | Should -Match '^custom_id\s+method\s+url\s+body\s*$'
            $lines.Count | Should -Be 4
            $lines[2] | Should -Match '^req-1\s+POST\s+/v1/chat/completions\s+\S'
        }
    }

    Context '3. errors' {
        It 'an API failure is PSOpenAI''s exception: <class> for <status>' -ForEach @(
            @{ status = 400; class = 'BadRequestException'; category = 'InvalidArgument' }
            @{ status = 401; class = 'UnauthorizedException'; category = 'AuthenticationError' }
            @{ status = 403; class = 'PermissionDeniedException'; category = 'PermissionDenied' }
            @{ status = 404; class = 'NotFoundException'; category = 'ObjectNotFound' }
            @{ status = 409; class = 'ConflictException'; category = 'ResourceExists' }
            @{ status = 422; class = 'UnprocessableEntityException'; category = 'InvalidData' }
            @{ status = 429; class = 'RateLimitExceededException'; category = 'LimitsExceeded' }
            @{ status = 500; class = 'APIRequestException'; category = 'ResourceUnavailable' }
            # (statuses System.Net.HttpStatusCode has no name for: a proxy's, a CDN's)
            @{ status = 418; class = 'APIRequestException'; category = 'NotSpecified' }
            @{ status = 520; class = 'APIRequestException'; category = 'ResourceUnavailable' }
        ) {
            $b = New-TestBatch
            Add-EmulatorFault @{ method = 'POST'; path = '/v1/batches/{id}/cancel'; status = $status; headers = @{ 'x-request-id' = 'req_compat' }
                                 body = @{ error = @{ message = 'it failed'; type = 'some_type'; param = 'p'; code = 'some_code' } } }
            $caught = $null
            try { Stop-Batch -BatchId $b.id -Force } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty -Because 'a failing cancel POST is terminating in PSOpenAI'
            $caught.Exception.GetType().Name | Should -Be $class
            $caught.Exception | Should -BeOfType [System.Net.Http.HttpRequestException]
            $caught.Exception.GetType().BaseType.Name | Should -Be $(if ($class -eq 'APIRequestException') { 'HttpRequestException' } else { 'APIRequestException' })
            [int]$caught.Exception.StatusCode | Should -Be $status
            $caught.Exception.Type | Should -Be 'some_type'
            $caught.Exception.Code | Should -Be 'some_code'
            $caught.Exception.Param | Should -Be 'p'
            $caught.Exception.RequestId | Should -Be 'req_compat'
            $caught.FullyQualifiedErrorId | Should -Be "PSOpenAI.APIRequest.$class,Stop-Batch"
            $caught.ErrorDetails.Message | Should -BeLike "OpenAI API returned an $status (*) Error: it failed"
            $caught.Exception.Message | Should -Be $caught.ErrorDetails.Message
            $caught.CategoryInfo.Category | Should -Be $category
        }

        It 'a 429 about quota is QuotaLimitExceededException, a RateLimitExceededException' {
            $b = New-TestBatch
            Add-EmulatorFault @{ method = 'POST'; path = '/v1/batches/{id}/cancel'; status = 429
                                 body = @{ error = @{ message = 'You exceeded your current quota.'; type = 'insufficient_quota'; param = $null; code = 'insufficient_quota' } } }
            $caught = $null
            try { Stop-Batch -BatchId $b.id -Force -MaxRetryCount 2 } catch { $caught = $_ }
            $caught.Exception.GetType().Name | Should -Be 'QuotaLimitExceededException'
            $caught.Exception.GetType().BaseType.Name | Should -Be 'RateLimitExceededException'
            @(Get-CancelRequests).Count | Should -Be 1
        }

        It 'try/catch catches Stop-Batch -BatchId missing -Force' {
            $caught = $null
            try { Stop-Batch -BatchId 'batch_missing' -Force; $after = 'ran on' } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -Be 'PSOpenAI.APIRequest.NotFoundException,Stop-Batch'
            $after | Should -BeNullOrEmpty
        }

        It 'terminating where PSOpenAI is: <name>' -ForEach @(
            @{ name = 'Remove-OpenAIFile, two ids, the first missing: one DELETE'; script = { 'file-missing', 'file-other' | Remove-OpenAIFile }
               calls = @('DELETE /v1/files/file-missing') }
            @{ name = 'Get-OpenAIFile'; script = { 'file-missing', 'file-other' | Get-OpenAIFile }; calls = @('GET /v1/files/file-missing') }
            @{ name = 'Get-OpenAIFileContent'; script = { Get-OpenAIFileContent 'file-missing' }; calls = @('GET /v1/files/file-missing/content') }
            @{ name = 'Start-Batch -FileId'; script = { Start-Batch -FileId 'file-missing' }; calls = @('GET /v1/files/file-missing') }
            @{ name = 'a missing key (before any request)'; script = { Stop-Batch -BatchId b -Force -ApiKey ' ' }; calls = @() }
        ) {
            $caught = $null
            try { & $script; $after = 'ran on' } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $after | Should -BeNullOrEmpty
            Get-Calls | Should -Be $calls
        }

        It 'without a try, an API failure ends only its own item, as PSOpenAI''s do: <name>' -ForEach @(
            @{ name = 'Remove-OpenAIFile'; kind = 'file'; script = { 'file-missing', $id | Remove-OpenAIFile; 'after' }
               calls = @('DELETE /v1/files/file-missing', 'DELETE /v1/files/{id}'); out = 1 }
            @{ name = 'Get-OpenAIFile'; kind = 'file'; script = { 'file-missing', $id | Get-OpenAIFile; 'after' }
               calls = @('GET /v1/files/file-missing', 'GET /v1/files/{id}'); out = 2 }
            @{ name = 'Stop-Batch'; kind = 'batch'; script = { 'batch_missing', $id | Stop-Batch -Force; 'after' }
               calls = @('POST /v1/batches/batch_missing/cancel', 'POST /v1/batches/{id}/cancel'); out = 1 }
            # its input file read first: a missing one is refused before any create, and the next id's batch starts
            @{ name = 'Start-Batch'; kind = 'input'; script = { 'file-missing', $id | Start-Batch; 'after' }
               calls = @('GET /v1/files/file-missing', 'GET /v1/files/{id}', 'GET /v1/files/{id}/content', 'POST /v1/batches'); out = 2 }
        ) {
            # PSOpenAI throws API failures from a command inside the cmdlet (ThrowTerminatingError in
            # Invoke-OpenAIAPIRequest): that ends the statement, not the pipeline. (A runspace of its own: Pester
            # runs each test inside a try, which catches it, as a user's try/catch does - see above.)
            $id = if ($kind -eq 'file') { (New-TestFile ([byte[]](1, 2))).id } elseif ($kind -eq 'input') { (New-TestFile).id } else { (New-TestBatch).id }
            $r = Invoke-InRunspace $script @{ id = $id }
            $r.Failure | Should -BeNullOrEmpty
            @($r.Output)[-1] | Should -Be 'after'
            @($r.Output).Count | Should -Be $out
            $r.Errors.Count | Should -BeGreaterThan 0
            $r.Errors[0].FullyQualifiedErrorId | Should -Be "PSOpenAI.APIRequest.NotFoundException,$name"
            $r.Errors[0].Exception.GetType().Name | Should -Be 'NotFoundException'
            Get-Calls | Should -Be @($calls | ForEach-Object { $_ -replace '\{id\}', $id })
        }

        It 'reported per item (non-terminating) where PSOpenAI is: <name>' -ForEach @(
            @{ name = 'Get-Batch of two missing ids'; script = { 'batch_m1', 'batch_m2' | Get-Batch -ErrorAction Continue }; count = 2
               id = 'PSOpenAI.APIRequest.NotFoundException,Get-Batch' }
            @{ name = 'Wait-Batch of a missing id'; script = { Wait-Batch 'batch_m1' -ErrorAction Continue }; count = 1
               id = 'PSOpenAI.APIRequest.NotFoundException,Wait-Batch' }
            @{ name = 'Stop-Batch of a finished batch (no -Force)'; script = { Stop-Batch -BatchId (New-TestBatch 'completed').id -ErrorAction Continue }; count = 1
               id = 'System.InvalidOperationException,Stop-Batch' }
            @{ name = 'Stop-Batch by id whose status read fails'; script = { Stop-Batch -BatchId 'batch_m1' -ErrorAction Continue }; count = 1
               id = 'PSOpenAI.APIRequest.NotFoundException,Stop-Batch' }
        ) {
            $err = @(& $script 2>&1 | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $err.Count | Should -Be $count
            $err[0] | Should -BeOfType [System.Management.Automation.ErrorRecord]
            $err[0].FullyQualifiedErrorId | Should -Be $id
        }

        It 'the refusal of a finished batch is System.InvalidOperationException' {
            Stop-Batch -BatchId (New-TestBatch 'completed').id -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception | Should -BeOfType [System.InvalidOperationException]
            $err[0].Exception.Message | Should -Be 'Cannot cancel batch with status "completed".'
        }
    }
}
