# A PSOpenAI user's session (issue 18): the context cmdlets, another module registering PSOpenAI's type data
# and context beside us (fixtures/RivalModule stands in for PSOpenAI, which CI cannot download; with
# $env:PSOPENAI_CHECKOUT set to a PSOpenAI checkout the same checks also run against the real module), and
# typed objects made anywhere.

Describe 'A PSOpenAI session' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $script:Rival = Join-Path $PSScriptRoot 'fixtures/RivalModule/RivalModule.psd1'
        function Get-Calls { @(Get-ApiRequests | ForEach-Object { "$($_.method) $($_.path)" }) }
        function Invoke-Fresh([string]$Script, [hashtable]$Variables = @{}) {
            # A new runspace (its own type table and globals) in this process; nothing imported yet.
            $ps = [powershell]::Create()
            try {
                foreach ($name in $Variables.Keys) {
                    $null = $ps.AddCommand('Set-Variable').AddParameter('Name', $name).AddParameter('Value', $Variables[$name]).AddStatement()
                }
                $failure = $null
                try { $output = $ps.AddScript($Script).Invoke() } catch { $failure = $_.Exception.GetBaseException() }
                [pscustomobject]@{ Output = @($output); Errors = @($ps.Streams.Error); Failure = $failure }
            } finally { $ps.Dispose() }
        }
    }
    AfterAll {
        Clear-OpenAIContext
        Exit-TestEnvironment
    }
    BeforeEach {
        Reset-TestEmulator
        Clear-OpenAIContext
    }

    Context '1. Set-OpenAIContext, Get-OpenAIContext, Clear-OpenAIContext' {
        BeforeEach {
            $script:SavedBase, $script:SavedKey = $env:OPENAI_API_BASE, $env:OPENAI_API_KEY
            $env:OPENAI_API_BASE = $env:OPENAI_API_KEY = $null
        }
        AfterEach {
            $env:OPENAI_API_BASE, $env:OPENAI_API_KEY = $script:SavedBase, $script:SavedKey
            Remove-Variable -Name OPENAI_API_KEY -Scope Global -ErrorAction Ignore
        }

        It 'every cmdlet uses the context when no variable or parameter is set' {
            Set-OpenAIContext -ApiBase $script:Emu.Base -ApiKey (Get-TestApiKey)
            $id = (New-TestBatch).id
            (Get-Batch -BatchId $id).id | Should -Be $id
            (Stop-Batch -BatchId $id -PassThru).status | Should -Be 'cancelling'
        }

        It 'Get-OpenAIContext shows the settings as PSOpenAI keeps them' {
            Set-OpenAIContext -ApiKey 'sk-abc' -ApiType Azure -ApiBase 'http://127.0.0.1:1/' -TimeoutSec 7
            $c = Get-OpenAIContext
            $c.PSObject.Properties.Name | Should -Be @('ApiKey', 'ApiType', 'ApiBase', 'ApiVersion', 'AuthType', 'Organization', 'TimeoutSec', 'MaxRetryCount')
            $c.ApiKey | Should -BeOfType [securestring]
            [System.Net.NetworkCredential]::new('', $c.ApiKey).Password | Should -Be 'sk-abc'
            $c.ApiBase | Should -BeOfType [uri]
            "$($c.ApiType)/$($c.AuthType)/$($c.TimeoutSec)" | Should -Be 'Azure/azure/7'
            $global:PSOpenAIContextDictionary | Should -BeOfType 'System.Collections.Concurrent.ConcurrentDictionary[string,object]'
        }

        It 'a parameter beats the context; the context beats $global:OPENAI_API_KEY' {
            $global:OPENAI_API_KEY = 'sk-wrong-global-key-0123456789'
            Set-OpenAIContext -ApiBase $script:Emu.Base -ApiKey (Get-TestApiKey)
            (Get-Batch -BatchId (New-TestBatch).id).status | Should -Be 'in_progress'
            { Get-Batch -ApiKey 'sk-wrong-parameter-key-012345' -ErrorAction Stop } | Should -Throw -ErrorId 'PSOpenAI.APIRequest.UnauthorizedException*'
        }

        It 'Clear-OpenAIContext gives the fallbacks back' {
            Set-OpenAIContext -ApiBase 'http://127.0.0.1:1/v1' -ApiKey 'sk-unused'
            Clear-OpenAIContext
            $env:OPENAI_API_BASE, $env:OPENAI_API_KEY = $script:Emu.Base, (Get-TestApiKey)
            (Get-Batch -BatchId (New-TestBatch).id).status | Should -Be 'in_progress'
            (Get-OpenAIContext).ApiBase | Should -BeNullOrEmpty
        }

        It 'Set-OpenAIContext changes only what it is given; -ApiType Azure makes the auth type azure' {
            Set-OpenAIContext -ApiBase $script:Emu.Base -TimeoutSec 5
            Set-OpenAIContext -MaxRetryCount 2
            $c = Get-OpenAIContext
            "$($c.ApiBase)|$($c.TimeoutSec)|$($c.MaxRetryCount)|$($c.AuthType)" | Should -Be "$($script:Emu.Base)|5|2|openai"
            Set-OpenAIContext -ApiType Azure
            (Get-OpenAIContext).AuthType | Should -Be 'azure'
            Set-OpenAIContext -AuthType azure_ad
            Set-OpenAIContext -TimeoutSec 1
            (Get-OpenAIContext).AuthType | Should -Be 'azure_ad'
        }

        It 'an Azure context makes -AsBatch items for Azure, as PSOpenAI does' {
            Set-OpenAIContext -ApiType Azure -ApiBase 'https://example.openai.azure.com/' -ApiKey 'k'
            (Request-ChatCompletion -Message 'Hi' -Model 'my-deployment' -AsBatch).url | Should -Be '/chat/completions'
        }

        It 'the context and its parameters bind by property name' {
            [pscustomobject]@{ ApiBase = $script:Emu.Base; ApiKey = (Get-TestApiKey); TimeoutSec = 9 } | Set-OpenAIContext
            (Get-OpenAIContext).TimeoutSec | Should -Be 9
            (Get-Batch -BatchId (New-TestBatch).id).status | Should -Be 'in_progress'
        }

        It 'bad values are refused before they are stored' {
            { Set-OpenAIContext -ApiType Elsewhere } | Should -Throw '*ApiType*'
            { Set-OpenAIContext -MaxRetryCount 101 } | Should -Throw '*MaxRetryCount*'
            # (stored, a negative timeout made every later call fail with a ValidationMetadataException)
            { Set-OpenAIContext -TimeoutSec -5 } | Should -Throw '*TimeoutSec*'
            (Get-OpenAIContext).ApiType | Should -Be 'OpenAI'
            (Get-OpenAIContext).TimeoutSec | Should -Be 0
        }
    }

    Context '2. beside a module with PSOpenAI''s type data and context' {
        # (The runspaces share this process's environment variables.)
        AfterEach { $env:OPENAI_API_BASE, $env:OPENAI_API_KEY = $script:Emu.Base, (Get-TestApiKey) }

        It 'imported <Order>: both load, our cmdlets work by module-qualified name, a batch still shows its id' -ForEach @(
            @{ Order = 'after us'; Script = 'Import-Module $ours; Import-Module $rival' }
            @{ Order = 'before us'; Script = 'Import-Module $rival; Import-Module $ours' }
        ) {
            $r = Invoke-Fresh ($Script + @'

$env:OPENAI_API_BASE = $base
$b = PSOpenAIBridge\Get-Batch -BatchId $id -ApiKey $key
"$b"
(Get-Command Get-Batch).Source
$f = PSOpenAIBridge\Get-OpenAIFile -ApiKey $key
@($f).Count -ge 0
'@) @{ ours = (Get-TestModulePath); rival = $script:Rival; base = $script:Emu.Base; key = (Get-TestApiKey); id = (New-TestBatch).id }
            $r.Errors | Should -BeNullOrEmpty
            $r.Output[0] | Should -BeLike 'batch_*'
            $r.Output[1] | Should -Be $(if ($Order -eq 'after us') { 'RivalModule' } else { 'PSOpenAIBridge' }) -Because 'the module imported last answers to the bare name'
        }

        It 'a context the other module set (enum ApiType, SecureString key, [uri] base) serves our cmdlets' {
            $r = Invoke-Fresh @'
Import-Module $rival; Import-Module $ours
$env:OPENAI_API_KEY = $env:OPENAI_API_BASE = $null
Set-RivalContext -ApiKey $key -ApiBase $base
(PSOpenAIBridge\Get-Batch -BatchId $id).id
'@ @{ ours = (Get-TestModulePath); rival = $script:Rival; base = $script:Emu.Base; key = (Get-TestApiKey); id = (New-TestBatch).id }
            $r.Errors | Should -BeNullOrEmpty
            $r.Output | Should -BeLike 'batch_*'
        }

        It 'a context we set serves the other module with the types it expects' {
            $r = Invoke-Fresh @'
Import-Module $ours; Import-Module $rival
Set-OpenAIContext -ApiKey 'sk-shared' -ApiType Azure -ApiBase 'https://example.openai.azure.com/' -TimeoutSec 3
Get-RivalSettings
'@ @{ ours = (Get-TestModulePath); rival = $script:Rival }
            $r.Errors | Should -BeNullOrEmpty
            $s = $r.Output[0]
            "$($s.ApiKey)|$($s.ApiType)|$($s.ApiBase)|$($s.AuthType)|$($s.TimeoutSec)" | Should -Be 'sk-shared|Azure|https://example.openai.azure.com/|azure|3'
        }

        It 'real PSOpenAI beside us, either order (needs $env:PSOPENAI_CHECKOUT)' -Skip:(-not $env:PSOPENAI_CHECKOUT) -ForEach @(
            @{ First = 'ours' }, @{ First = 'theirs' }
        ) {
            $r = Invoke-Fresh @'
$modules = @($ours, (Join-Path $checkout 'PSOpenAI.psd1'))
if ($first -eq 'theirs') { [array]::Reverse($modules) }
$modules | ForEach-Object { Import-Module $_ }
$env:OPENAI_API_KEY = $env:OPENAI_API_BASE = $null
PSOpenAI\Set-OpenAIContext -ApiKey $key -ApiBase $base
"$(PSOpenAIBridge\Get-Batch -BatchId $id)"
"$(PSOpenAI\Get-Batch -BatchId $id)"
'@ @{ ours = (Get-TestModulePath); checkout = $env:PSOPENAI_CHECKOUT; first = $First; base = $script:Emu.Base; key = (Get-TestApiKey); id = (New-TestBatch).id }
            $r.Errors | Should -BeNullOrEmpty
            $r.Output[0] | Should -BeLike 'batch_*'
            $r.Output[1] | Should -Be $r.Output[0]
        }
    }

    Context '3. typed objects made anywhere stand for their id' {
        BeforeAll {
            function New-Typed([string]$TypeName, [string]$Id) { [pscustomobject]@{ PSTypeName = $TypeName; id = $Id; status = 'in_progress' } }
            function Copy-Deserialized($Object) {
                [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Object))
            }
        }

        It '<Kind> batch: Get-Batch -Batch, Wait-Batch -InputObject, Stop-Batch, Get-BatchOutput send its id' -ForEach @(
            @{ Kind = 'user-built' }, @{ Kind = 'deserialized' }
        ) {
            $id = (New-TestBatch 'completed').id
            $batch = New-Typed 'PSOpenAI.Batch' $id
            if ($Kind -eq 'deserialized') { $batch = Copy-Deserialized $batch; $batch.PSObject.TypeNames[0] | Should -Be 'Deserialized.PSOpenAI.Batch' }
            Clear-ApiRequests
            (Get-Batch -Batch $batch).id | Should -Be $id
            (Get-Batch $batch).id | Should -Be $id
            (Wait-Batch -InputObject $batch).id | Should -Be $id
            try { Stop-Batch $batch -Force } catch { $_.FullyQualifiedErrorId | Should -BeLike *ConflictException* }
            Get-Calls | Should -Be @("GET /v1/batches/$id", "GET /v1/batches/$id", "GET /v1/batches/$id", "POST /v1/batches/$id/cancel")
        }

        It '<Kind> file: Get-OpenAIFile -File, Get-OpenAIFileContent -File, Start-Batch -File, Remove-OpenAIFile -File send its id' -ForEach @(
            @{ Kind = 'user-built' }, @{ Kind = 'deserialized' }
        ) {
            $file = New-TestFile
            $typed = New-Typed 'PSOpenAI.File' $file.id
            if ($Kind -eq 'deserialized') { $typed = Copy-Deserialized $typed }
            Clear-ApiRequests
            (Get-OpenAIFile -File $typed).id | Should -Be $file.id
            Get-OpenAIFileContent -File $typed | Should -Not -BeNullOrEmpty
            (Start-Batch -File $typed).input_file_id | Should -Be $file.id
            Remove-OpenAIFile -File $typed
            (Get-Calls)[0, 1, -1] | Should -Be @("GET /v1/files/$($file.id)", "GET /v1/files/$($file.id)/content", "DELETE /v1/files/$($file.id)")
        }

        It 'a deserialized batch binds to the object parameters: Stop-Batch -InputObject, Get-BatchOutput -Batch' {
            $done = New-TestBatch 'completed'
            $running = New-TestBatch 'in_progress'
            Clear-ApiRequests
            $batch = Copy-Deserialized (Get-Batch -BatchId $running.id)
            Clear-ApiRequests
            (Stop-Batch -InputObject $batch -PassThru).status | Should -Be 'cancelling'
            Get-Calls | Should -Be @("POST /v1/batches/$($running.id)/cancel")      # its status was used: no GET first
            $finished = Copy-Deserialized (Get-Batch -BatchId $done.id)
            @(Get-BatchOutput -Batch $finished).Count | Should -Be 3
            $finished.PSObject.TypeNames[0] | Should -Be 'Deserialized.PSOpenAI.Batch' -Because 'the caller''s object is left as it is'
        }

        It 'request items deserialized from a job go into Start-Batch' {
            $items = @(New-TestBatchInput 2 | ForEach-Object { Copy-Deserialized $_ })
            $items[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.PSOpenAI.Batch.Input'
            $batch = $items | Start-Batch
            $lines = [Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n" | Where-Object { $_ }
            $lines | Should -HaveCount 2
            ($lines[0] | ConvertFrom-Json).body.messages[0].content | Should -Be 'Say 1'
        }

        It 'request items from a job (Receive-Job adds RunspaceId, PSComputerName...) go into Start-Batch without those' {
            $job = Start-Job { 1..2 | ForEach-Object { [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; custom_id = "req-$_"; method = 'POST'
                url = '/v1/chat/completions'; body = @{ model = 'gpt-4o-mini'; messages = @(@{ role = 'user'; content = "Say $_" }) } } } }
            $items = @($job | Receive-Job -Wait -AutoRemoveJob)
            $items[0].PSObject.Properties.Name | Should -Contain 'RunspaceId'
            $batch = $items | Start-Batch
            $lines = [Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n" | Where-Object { $_ }
            $lines | Should -HaveCount 2
            ($lines[0] | ConvertFrom-Json).PSObject.Properties.Name | Should -Be @('custom_id', 'method', 'url', 'body')
        }

        It 'deserialized request items given at once (-BatchInput $items, from Import-Clixml) go into Start-Batch, as live ones do' {
            $items = @(New-TestBatchInput 2 | ForEach-Object { Copy-Deserialized $_ })
            $batch = Start-Batch -BatchInput $items
            $lines = [Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n" | Where-Object { $_ }
            $lines | Should -HaveCount 2
            ($lines[1] | ConvertFrom-Json).body.messages[0].content | Should -Be 'Say 2'
            $items[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.PSOpenAI.Batch.Input' -Because 'the caller''s objects are left as they are'
        }

        It 'a batch from a job (Receive-Job) goes to Get-Batch by position' {
            $id = (New-TestBatch).id
            $job = Start-Job { [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch'; id = $using:id; status = 'in_progress' } }
            $fromJob = $job | Receive-Job -Wait -AutoRemoveJob
            $fromJob.PSObject.TypeNames[0] | Should -Be 'Deserialized.PSOpenAI.Batch'
            (Get-Batch $fromJob).id | Should -Be $id
        }
    }

    Context '4. one error per failure, at the user''s command' {
        # (Pester runs every test inside a try: what a script without one sees is run in a fresh runspace.)
        BeforeAll {
            $script:Failing = [ordered]@{
                'Get-Batch'             = 'Get-Batch -BatchId batch_missing -ErrorVariable ev'
                'Stop-Batch'            = 'Stop-Batch -BatchId batch_missing -Force -ErrorVariable ev'
                'Wait-Batch'            = 'Wait-Batch -BatchId batch_missing -ErrorVariable ev'
                'Get-OpenAIFile'        = 'Get-OpenAIFile -FileId file-missing -ErrorVariable ev'
                'Get-OpenAIFileContent' = 'Get-OpenAIFileContent -FileId file-missing -ErrorVariable ev'
                'Remove-OpenAIFile'     = 'Remove-OpenAIFile -FileId file-missing -ErrorVariable ev'
                'Start-Batch'           = 'Start-Batch -FileId file-missing -ErrorVariable ev'
            }
        }

        It '<Name>, no try: one record in -ErrorVariable and $Error, at the user''s command' -ForEach @(
            @{ Name = 'Get-Batch' }, @{ Name = 'Stop-Batch' }, @{ Name = 'Wait-Batch' }, @{ Name = 'Get-OpenAIFile' }
            @{ Name = 'Get-OpenAIFileContent' }, @{ Name = 'Remove-OpenAIFile' }, @{ Name = 'Start-Batch' }
        ) {
            $r = Invoke-Fresh (@'
Import-Module $ours
$env:OPENAI_API_BASE = $base; $env:OPENAI_API_KEY = $key
$Error.Clear()
'@ + "`n" + $script:Failing[$Name] + @'

'next statement ran'
[pscustomobject]@{ Count = @($ev).Count; Errors = $Error.Count; Line = $ev[0].InvocationInfo.Line; Command = $ev[0].InvocationInfo.MyCommand.Name; Id = $ev[0].FullyQualifiedErrorId }
'@) @{ ours = (Get-TestModulePath); base = $script:Emu.Base; key = (Get-TestApiKey) }
            $r.Failure | Should -BeNullOrEmpty
            $r.Output[0] | Should -Be 'next statement ran'
            $seen = $r.Output[1]
            "$($seen.Count)/$($seen.Errors)" | Should -Be '1/1'
            $seen.Line.Trim() | Should -Be $script:Failing[$Name]
            $seen.Command | Should -Be $Name
            $seen.Id | Should -BeLike "PSOpenAI.APIRequest.NotFoundException,$Name"
        }

        It '<Name>, inside a try: one record, and the catch sees the user''s line' -ForEach @(
            @{ Name = 'Get-OpenAIFile' }, @{ Name = 'Remove-OpenAIFile' }, @{ Name = 'Start-Batch' }, @{ Name = 'Stop-Batch' }
        ) {
            $ev = $null; $Error.Clear(); $caught = $null
            try { . ([scriptblock]::Create($script:Failing[$Name])) } catch { $caught = $_ }
            @($ev).Count | Should -Be 1
            $Error.Count | Should -Be 1
            $caught | Should -Not -BeNullOrEmpty
            $caught.InvocationInfo.MyCommand.Name | Should -Be $Name
            $caught.InvocationInfo.Line.Trim() | Should -Be $script:Failing[$Name]
        }

        It 'a failed API call on one piped item, no try: written once, and the next item still runs' {
            $file = New-TestFile
            $r = Invoke-Fresh @'
Import-Module $ours
$env:OPENAI_API_BASE = $base; $env:OPENAI_API_KEY = $key
'file-missing', $id | Remove-OpenAIFile -ErrorVariable ev
@($ev).Count
'@ @{ ours = (Get-TestModulePath); base = $script:Emu.Base; key = (Get-TestApiKey); id = $file.id }
            $r.Output | Should -Be 1
            (Get-Calls)[-1] | Should -Be "DELETE /v1/files/$($file.id)"
        }

        It 'inside a try, the first failed API call goes to the catch with PSOpenAI''s exception, as PSOpenAI''s does' {
            $file = New-TestFile
            $caught = $null
            try { 'file-missing', $file.id | Remove-OpenAIFile } catch { $caught = $_ }
            $caught.Exception.GetType().Name | Should -Be 'NotFoundException'
            $caught.InvocationInfo.ScriptName | Should -Be $PSCommandPath
            Get-Calls | Should -Not -Contain "DELETE /v1/files/$($file.id)"
        }

        It '-ErrorAction Stop ends the script there, as PSOpenAI''s does' {
            $r = Invoke-Fresh @'
Import-Module $ours
Remove-OpenAIFile -FileId file-missing -ApiKey $key -ApiBase $base -ErrorAction Stop
'after'
'@ @{ ours = (Get-TestModulePath); base = $script:Emu.Base; key = (Get-TestApiKey) }
            $r.Output | Should -Not -Contain 'after'
            $r.Failure.Message | Should -Match 'file-missing'
        }
    }

    Context '5. display as PSOpenAI 4.49' {
        It 'a chat completion converts to its id, directly and inside a batch output' {
            $c = Request-ChatCompletion -Message 'Hi' -Model 'gpt-4o-mini'
            "$c" | Should -Be $c.id
            $c.id | Should -BeLike 'chatcmpl-*'
            $b = Get-Batch -BatchId (New-TestBatch 'completed').id
            $out = @($b | Get-BatchOutput)[0]
            "$($out.response.body)" | Should -Be $out.response.body.id
        }

        It '-AsBatch items hold their messages as [ordered] dictionaries and counts as [int], as PSOpenAI builds them' {
            $item = Request-ChatCompletion -Message 'Hi' -SystemMessage 'Be brief.' -Model 'gpt-4o-mini' -AsBatch -MaxCompletionTokens 15 -Seed 7 -NumberOfAnswers 2 -Temperature 0.5
            $item.body.messages | Should -HaveCount 2
            $item.body.messages | ForEach-Object { $_ | Should -BeOfType [System.Collections.Specialized.OrderedDictionary] }
            @($item.body.messages[1].Keys) | Should -Be @('role', 'content')
            $item.body.messages[1]['content'] | Should -Be 'Hi'
            foreach ($name in 'max_completion_tokens', 'seed', 'n') { $item.body.$name | Should -BeOfType [int] }
            $item.body.temperature | Should -BeOfType [double]
            $batch = $item | Start-Batch
            $line = [Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) | ConvertFrom-Json
            $line.body.messages[1].content | Should -Be 'Hi'
            $line.body.max_completion_tokens | Should -Be 15
        }

        It 'a batch''s chat results carry Message, Answer and History as PSOpenAI 4.49 adds them, and its warnings' {
            $items = @(
                Request-ChatCompletion -Message 'Hello.' -Model 'gpt-4o-mini' -AsBatch -CustomBatchId 'cut' -MaxCompletionTokens 1
                Request-ChatCompletion -Message 'Hello.' -Model 'gpt-4o-mini' -AsBatch -CustomBatchId 'whole'
            )
            Set-EmulatorStepSeconds 0.05
            try { $batch = $items | Start-Batch | Wait-Batch -PollIntervalSec 0.05 } finally { Set-EmulatorStepSeconds $null }
            $outputs = @($batch | Get-BatchOutput -WarningVariable warned 3>$null)
            $body = ($outputs | Where-Object custom_id -eq 'whole').response.body
            @($body.PSObject.Properties.Name)[-3..-1] | Should -Be @('Message', 'Answer', 'History')
            $body.Message | Should -BeNullOrEmpty
            @($body.History).Count | Should -Be 0
            $body.Answer | Should -Be 'Emulated response for Hello.'
            @($warned).Count | Should -Be 1
            "$($warned[0])" | Should -Be 'The model seems to have terminated response. Reason: "length"'
        }
    }
}
