# Azure OpenAI (-ApiType Azure) and the -Additional* escape hatches through the bridge: PSOpenAI's Batch
# workflow against the emulator's Azure routes ({ApiBase}/openai/...?api-version=...), the api-key header,
# and how -AdditionalQuery / -AdditionalHeaders / -AdditionalBody are merged, all read from the request log.
# Run: pwsh tests/pester/run.ps1 -Path tests/pester/Azure.Tests.ps1

Describe 'Azure OpenAI and Additional*' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $script:AzureBase = $script:Emu.Base -replace '/v1$', ''
        $script:Version = '2025-04-01-preview'
        $script:Key = Get-TestApiKey
        function Get-Header($Entry, [string]$Name) {
            foreach ($p in $Entry.headers.PSObject.Properties) { if ($p.Name -eq $Name) { return $p.Value } }
        }
        function Get-Lines([byte[]]$Bytes) { [Text.Encoding]::UTF8.GetString($Bytes) -split "`n" | Where-Object { $_ } }
    }

    AfterAll { Exit-TestEnvironment }

    BeforeEach {
        Reset-TestEmulator
        $env:OPENAI_API_BASE = $script:Emu.Base
    }

    Context '-ApiType Azure' {
        It 'a chat completion carries Azure''s content filter results (PSOpenAI''s Azure test reads them)' {
            $r = Request-ChatCompletion -Message 'Hello.' -Model 'my-deployment' -ApiType Azure -ApiBase $script:AzureBase
            $r.choices[0].content_filter_results | Should -Not -BeNullOrEmpty
            $r.choices[0].content_filter_results.hate.severity | Should -Be 'safe'
        }

        It 'runs the Batch workflow: -AsBatch items | Start-Batch | Wait-Batch | Get-BatchOutput, Stop-Batch, Remove-OpenAIFile' {
            Set-EmulatorStepSeconds 0.1
            $env:OPENAI_API_BASE = $script:AzureBase       # the resource's endpoint, as PSOpenAI users set it
            $az = @{ ApiType = 'Azure' }
            $items = @()
            $items += Request-ChatCompletion -Message 'Hello.' -Model 'gpt-4o-mini' -AsBatch -CustomBatchId 'item-1' @az
            $items += Request-ChatCompletion -Message 'Bye.' -Model 'gpt-4o-mini' -AsBatch -CustomBatchId 'item-2' @az
            $items.url | Should -Be @('/chat/completions', '/chat/completions')
            $items[0].body.model | Should -Be 'gpt-4o-mini'
            Get-ApiRequests | Should -BeNullOrEmpty
            $batch = $items | Start-Batch @az
            $batch.endpoint | Should -Be '/chat/completions'
            # its upload was polled until processed, then the batch created
            @(Get-ApiRequests | ForEach-Object { "$($_.method) $(($_.path -split '\?')[0])" } | Select-Object -Unique) |
                Should -Be @('POST /openai/files', "GET /openai/files/$($batch.input_file_id)", 'POST /openai/batches')
            $batch = $batch | Wait-Batch -PollIntervalSec 0.1 @az
            $batch.status | Should -Be 'completed'
            $lines = @(Get-Lines (Get-OpenAIFileContent -FileId $batch.input_file_id @az))
            $lines[0] | Should -Be '{"custom_id":"item-1","method":"POST","url":"/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello."}]}}'
            $output = $batch | Get-BatchOutput @az
            ($output | Where-Object custom_id -eq 'item-1').response.body.Answer | Should -Be 'Emulated response for Hello.'
            # Azure's content filter results, in batch outputs as in direct answers (PSOpenAI's Azure test reads them)
            ($output | Where-Object custom_id -eq 'item-1').response.body.choices[0].content_filter_results.violence.severity | Should -Be 'safe'
            Set-EmulatorStepSeconds $null
            # Azure keeps an upload 'pending' for a while (and refuses a batch of it): Start-Batch waits for it, from
            # items and with -FileId alike (which reads the file before the create)
            $file = Add-OpenAIFile -Content ([Text.Encoding]::UTF8.GetBytes($lines[0])) -Name 'in.jsonl' -Purpose batch @az
            $file.status | Should -Be 'pending'
            $before = @(Get-ApiRequests).Count
            $second = $file | Start-Batch @az
            $calls = @(Get-ApiRequests | Select-Object -Skip $before | ForEach-Object { "$($_.method) $(($_.path -split '\?')[0])" })
            $calls[0] | Should -Be "GET /openai/files/$($file.id)"
            $calls[-2..-1] | Should -Be @("GET /openai/files/$($file.id)/content", 'POST /openai/batches')
            @($calls[0..($calls.Count - 3)] | Select-Object -Unique) | Should -Be @("GET /openai/files/$($file.id)")
            $second.endpoint | Should -Be '/chat/completions'     # -FileId on Azure: Azure's form too
            $cancelled = $second | Stop-Batch -Force -PassThru @az
            $cancelled.status | Should -BeIn @('cancelling', 'cancelled')
            Remove-OpenAIFile -FileId $batch.input_file_id @az
            @(Get-OpenAIFile -Purpose batch @az).Count | Should -BeGreaterThan 0

            $log = @(Get-ApiRequests)
            foreach ($entry in $log) {
                $entry.path | Should -Match "^/openai/(batches|files)[/?].*api-version=$([regex]::Escape($script:Version))"
                $entry.path | Should -Match '\?api-version='    # first in the query
                Get-Header $entry 'api-key' | Should -Be $script:Key
                Get-Header $entry 'Authorization' | Should -BeNullOrEmpty
                Get-Header $entry 'OpenAI-Organization' | Should -BeNullOrEmpty
            }
            @($log | Where-Object { $_.method -eq 'POST' -and $_.path -match '/cancel\?' }).Count | Should -Be 1
            @($log | Where-Object { $_.method -eq 'DELETE' }).path | Should -Be "/openai/files/$($batch.input_file_id)?api-version=$($script:Version)"
        }

        It 'sends -ApiVersion, takes -AuthType azure_ad as Bearer, and -ApiType is case-insensitive' {
            $null = Get-Batch -ApiType azure -ApiBase $script:AzureBase -ApiVersion '2024-10-21'
            $null = Get-Batch -ApiType AZURE -ApiBase $script:AzureBase -AuthType azure_ad
            $a, $b = @(Get-ApiRequests)
            $a.path | Should -Be '/openai/batches?api-version=2024-10-21&limit=20'
            Get-Header $a 'api-key' | Should -Be $script:Key
            Get-Header $b 'Authorization' | Should -Be "Bearer $($script:Key)"
            Get-Header $b 'api-key' | Should -BeNullOrEmpty
        }

        It 'ApiVersion is DontShow (not in the help''s syntax), ApiType and AuthType are validated sets' {
            $cmd = Get-Command Stop-Batch
            ($cmd.Parameters['ApiVersion'].Attributes | Where-Object { $_ -is [Parameter] }).DontShow | Should -BeTrue
            (Get-Help Get-Batch -Full | Out-String) | Should -Not -Match 'ApiVersion'
            (Get-Help Get-Batch -Full | Out-String) | Should -Match 'AdditionalHeaders'
            $cmd.Parameters['ApiType'].Attributes.ValidValues | Should -Be @('OpenAI', 'Azure')
            $cmd.Parameters['AuthType'].Attributes.ValidValues | Should -Be @('openai', 'azure', 'azure_ad')
            { Get-Batch -ApiType Aws } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Get-Batch'
            foreach ($name in 'Stop-Batch', 'Start-Batch', 'Get-Batch', 'Wait-Batch', 'Get-BatchOutput', 'Add-OpenAIFile',
                              'Get-OpenAIFile', 'Get-OpenAIFileContent', 'Remove-OpenAIFile') {
                (Get-Command $name).Parameters.Keys | Should -Contain 'AdditionalBody'
                (Get-Command $name).Parameters.Keys | Should -Contain 'ApiVersion'
            }
        }

        It 'without an ApiBase is an ArgumentException before any request' {
            $env:OPENAI_API_BASE = $null
            { Get-Batch -ApiType Azure } | Should -Throw -ExceptionType ([ArgumentException]) `
                -ExpectedMessage 'Please specify your Azure OpenAI Endpoint to "ApiBase" parameter.'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'errors name Azure OpenAI' {
            $err = $null
            Get-Batch -BatchId batch_none -ApiType Azure -ApiBase $script:AzureBase -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception.Message | Should -BeLike 'Azure OpenAI API returned an 404 (Not Found) Error: *'
        }

        It 'a later plain call carries nothing of an earlier Azure call' {
            $null = Get-Batch -ApiType Azure -ApiBase $script:AzureBase -AdditionalHeaders @{ 'X-Extra' = '1' }
            $null = Get-Batch
            $later = @(Get-ApiRequests)[1]
            $later.path | Should -Be '/v1/batches?limit=20'
            Get-Header $later 'api-key' | Should -BeNullOrEmpty
            Get-Header $later 'X-Extra' | Should -BeNullOrEmpty
            Get-Header $later 'Authorization' | Should -Be "Bearer $($script:Key)"
        }
    }

    Context 'Additional*' {
        It '-AdditionalQuery is added after the cmdlet''s own query' {
            $null = Get-Batch -Limit 3 -AdditionalQuery ([ordered]@{ limit = 7; preview = 'on' })
            (Get-ApiRequests).path | Should -Be '/v1/batches?limit=3&limit=7&preview=on'
        }

        It '-AdditionalHeaders win over the internal headers but not over the credentials' {
            $null = Get-Batch -AdditionalHeaders @{ 'User-Agent' = 'my-agent/1'; 'X-Preview' = 'on'; 'Authorization' = 'Bearer other-token-000000' }
            $entry = Get-ApiRequests
            Get-Header $entry 'User-Agent' | Should -Be 'my-agent/1'
            Get-Header $entry 'X-Preview' | Should -Be 'on'
            Get-Header $entry 'Authorization' | Should -Be "Bearer $($script:Key)"
        }

        It '-AdditionalBody (hashtable, PSCustomObject or JSON) is merged into the JSON body and wins' {
            $file = New-TestFile
            $null = Start-Batch -FileId $file.id -Metadata @{ a = '1' } -AdditionalBody @{ metadata = @{ b = '2' } }
            $null = Start-Batch -FileId $file.id -AdditionalBody ([pscustomobject]@{ metadata = @{ c = '3' } })
            $null = Start-Batch -FileId $file.id -AdditionalBody '{"metadata":{"d":"4"}}'
            $bodies = @(Get-ApiRequests | Where-Object method -eq 'POST' | ForEach-Object { $_.body | ConvertFrom-Json })
            $bodies[0].metadata | ConvertTo-Json -Compress | Should -Be '{"b":"2"}'
            $bodies[0].input_file_id | Should -Be $file.id
            $bodies[1].metadata.c | Should -Be '3'
            $bodies[2].metadata.d | Should -Be '4'
        }

        It 'Stop-Batch sends -AdditionalBody as the cancel''s body; GET and DELETE send none' {
            $batch = New-TestBatch
            $file = New-TestFile
            Stop-Batch -BatchId $batch.id -AdditionalBody @{ reason = 'test' }
            Remove-OpenAIFile -FileId $file.id -AdditionalBody @{ x = 1 }
            $get, $cancel, $delete = @(Get-ApiRequests)
            $get.method | Should -Be 'GET'
            $get.body | Should -BeNullOrEmpty
            $cancel.body | Should -Be '{"reason": "test"}'
            $delete.body | Should -BeNullOrEmpty
        }

        It 'Add-OpenAIFile takes -AdditionalBody as form fields (a clash replaces the cmdlet''s); Start-Batch keeps it out of its upload' {
            $null = Add-OpenAIFile -Content ([byte[]](1, 2)) -Name 'a.bin' -Purpose user_data -AdditionalBody @{ purpose = 'batch'; extra = 'x' }
            $upload = Get-ApiRequests
            $upload.body | Should -Match 'name="purpose"\r\n\r\nbatch\r\n'
            $upload.body | Should -Match 'name="extra"\r\n\r\nx\r\n'
            $upload.body | Should -Not -Match 'user_data'
            Clear-ApiRequests
            $null = New-TestBatchInput -Count 1 | Start-Batch -AdditionalBody @{ metadata = @{ k = 'v' } }
            $up, $create = @(Get-ApiRequests)
            $up.body | Should -Not -Match 'name="metadata"'
            ($create.body | ConvertFrom-Json).metadata.k | Should -Be 'v'
        }

        It 'secrets in -AdditionalHeaders are masked in messages like the key' {
            $secret = 'hdr-secret-9f8e7d6c5b4a39281706'
            Add-EmulatorFault @{ path_prefix = '/v1/'; status = 404; body = @{ error = @{ message = "bad $secret"; type = 'x' } } }
            $err = $null
            $verbose = Get-Batch -BatchId batch_x -AdditionalHeaders @{ 'api-key' = $secret } -AdditionalQuery @{ echo = $secret } `
                -Verbose -ErrorVariable err -ErrorAction SilentlyContinue 4>&1 | Out-String
            $text = "$verbose $($err[0].Exception.Message) $($err[0].ErrorDetails) $($err[0] | Out-String)"
            $text | Should -Not -Match ([regex]::Escape($secret))
            $err[0].Exception.Message | Should -Match 'hdr\*{8}06'
            (Get-Header (Get-ApiRequests) 'api-key') | Should -Be $secret
        }
    }
}
