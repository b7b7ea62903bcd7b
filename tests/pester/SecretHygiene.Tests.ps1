# Every cmdlet, with -Verbose -Debug, through successes and failures: neither the API key nor the
# organization id may appear in any stream, ErrorRecord, exception message or output object.

BeforeDiscovery {
    $script:Faults = @(
        @{ Name = 'success'; Rule = $null }
        @{ Name = '401'; Rule = @{ status = 401 } }
        @{ Name = '404'; Rule = @{ status = 404 } }
        @{ Name = '500 retried'; Rule = @{ status = 500; count = 2; headers = @{ 'retry-after-ms' = '1' } } }
        @{ Name = 'timeout'; Rule = @{ delay = 2 } }
    )
    $script:Cmdlets = @(
        'Stop-Batch -BatchId $batch.id -PassThru'
        'Start-Batch -FileId $done.input_file_id'
        'Get-Batch'
        'Wait-Batch -BatchId $done.id'
        'Get-BatchOutput -BatchId $done.id'
        'Get-BatchRequest -BatchId $done.id -IncludeOutput'
        'Add-OpenAIFile -Content ([byte[]](1, 2, 3)) -Name a.bin -Purpose user_data'
        'Get-OpenAIFile -FileId $file.id'
        'Get-OpenAIFileContent -FileId $file.id'
        'Remove-OpenAIFile -FileId $file.id -Confirm:$false'
        'Request-ChatCompletion -Message Hi -Model gpt-4o-mini'
        'Request-Embeddings -Text Hi -Dimensions 4'
        'Request-TextCompletion -Prompt Hi -MaxTokens 8'
        'Request-Response -Message Hi -Model gpt-4o-mini'
    )
}

Describe 'Secret hygiene' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Start-TestEmulator
        $script:Key = Get-TestApiKey
        $script:Org = 'org-S3cretOrgan1zationId42'
    }

    AfterAll { Stop-TestEmulator }

    BeforeEach { Reset-TestEmulator }

    It 'covers every exported cmdlet that sends requests' -ForEach @(@{ Commands = $script:Cmdlets }) {
        Import-Module (Get-TestModulePath) -Force
        $covered = $Commands | ForEach-Object { ($_ -split ' ')[0] } | Sort-Object
        # (the context cmdlets send nothing: the test below)
        $covered | Should -Be @((Get-Module PSOpenAIBridge).ExportedFunctions.Keys | Where-Object { $_ -notlike '*-OpenAIContext' } | Sort-Object)
    }

    It 'a key in the session context stays a SecureString and out of every stream of the cmdlets that use it' {
        Add-EmulatorFault @{ status = 401; path_prefix = '/v1/'; body = @{ error = @{ message = "bad key $script:Key"; type = 'x'; param = $null; code = $null } } }
        $result = Invoke-InRunspace {
            $DebugPreference = 'Continue'
            Set-OpenAIContext -ApiKey $plainKey -ApiBase $base -Verbose -Debug
            Get-OpenAIContext
            Get-Batch -Verbose -Debug
        } @{ plainKey = $script:Key; base = $script:Emu.Base }
        $result.Output[0].ApiKey | Should -BeOfType [securestring]
        $result.Errors | Should -Not -BeNullOrEmpty
        $text = @(
            $result.Output | ConvertTo-Json -Depth 5 -Compress
            $result.Verbose | ForEach-Object Message
            $result.Debug | ForEach-Object Message
            foreach ($e in $result.Errors) { $e.ToString(); $e.Exception.ToString(); $e.ErrorDetails.Message }
        ) -join "`n"
        $text | Should -Match 'sk-'          # the masked form is there
        $text | Should -Not -Match ([regex]::Escape($script:Key))
    }

    It 'an ApiBase refused as malformed (<given>) is shown without its credentials' -ForEach @(
        @{ Given = 'parameter' }, @{ Given = 'context' }, @{ Given = 'environment' }
    ) {
        $result = Invoke-InRunspace {
            $password = 'GatewayP4ss%2Fword'
            foreach ($base in "https://user:$password@gateway/v1?x=1", "https://gateway/v1?api-key=$password") {
                switch ($given) {
                    'parameter' { Get-OpenAIFile -ApiBase $base -ApiKey sk-x }
                    'context' { Set-OpenAIContext -ApiBase $base; Get-OpenAIFile -ApiKey sk-x; Clear-OpenAIContext }
                    'environment' { $env:OPENAI_API_BASE = $base; Get-OpenAIFile -ApiKey sk-x; $env:OPENAI_API_BASE = $null }
                }
            }
        } @{ given = $Given }
        $result.Errors.Count | Should -Be 2
        $text = foreach ($e in $result.Errors) { $e.ToString(); $e.Exception.ToString(); ($e.TargetObject | Out-String) }
        $text -join "`n" | Should -Not -Match 'GatewayP4ss'
        $result.Errors[0].ToString() | Should -BeLike "*'https://user:****@gateway/v1?x=1'*"
        $result.Errors[1].ToString() | Should -BeLike "*'https://gateway/v1?api-key=****'*"
    }

    It 'what a server echoes in its error''s type, code, param and x-request-id is masked on the exception' {
        Add-EmulatorFault @{ status = 400; path_prefix = '/v1/'; headers = @{ 'x-request-id' = $script:Key }
            body = @{ error = @{ message = 'm'; type = $script:Key; code = $script:Org; param = $script:Key } } }
        $result = Invoke-InRunspace {
            Get-OpenAIFile -FileId file-x -ApiKey $plainKey -Organization $org -ApiBase $base
        } @{ plainKey = $script:Key; org = $script:Org; base = $script:Emu.Base }
        $e = $result.Errors[0].Exception
        $e.Param | Should -Match '^sk-\*{8}\w\w$'
        $text = @(($e | Format-List * -Force | Out-String), ($e.Content | ConvertTo-Json -Depth 5)) -join "`n"
        $text | Should -Not -Match ([regex]::Escape($script:Key))
        $text | Should -Not -Match ([regex]::Escape($script:Org))
    }

    It '<command> (<fault>) leaks nothing' -ForEach @(
        foreach ($c in $script:Cmdlets) { foreach ($f in $script:Faults) { @{ Command = $c; Fault = $f.Name; Rule = $f.Rule } } }
    ) {
        $fixtures = @{
            batch = New-TestBatch 'in_progress'
            done  = New-TestBatch 'completed'
            file  = Invoke-Emulator Post seed @{ status = 'completed' } | ForEach-Object { @{ id = $_.input_file_id } }
        }
        if ($Rule) {
            # The server echoes both secrets back, as a careless proxy might.
            $rule = $Rule.Clone()
            $rule.path_prefix = '/v1/'
            $rule.body = @{ error = @{ message = "bad key $script:Key for $script:Org"; type = 'x'; param = $null; code = $null } }
            if ($rule.ContainsKey('delay')) { $rule.Remove('body') }
            Add-EmulatorFault $rule
        }
        $script = @"
`$DebugPreference = 'Continue'
`$key = ConvertTo-SecureString -String `$plainKey -AsPlainText -Force
$Command -ApiKey `$key -Organization `$org -ApiBase `$base -TimeoutSec 1 -MaxRetryCount 1 -Verbose -Debug -WarningAction Continue
"@
        $result = Invoke-InRunspace ([scriptblock]::Create($script)) @{
            plainKey = $script:Key; org = $script:Org; base = $script:Emu.Base
            batch = $fixtures.batch; done = $fixtures.done; file = $fixtures.file
        }
        $result.Failure | Should -BeNullOrEmpty
        if ($Fault -eq 'success') { $result.Errors | Should -BeNullOrEmpty } else { $result.Errors | Should -Not -BeNullOrEmpty }
        $result.Verbose | Should -Not -BeNullOrEmpty      # the streams did carry messages
        $text = @(
            $result.Output | ForEach-Object { if ($_ -is [byte[]]) { [Text.Encoding]::UTF8.GetString($_) } else { $_ | ConvertTo-Json -Depth 10 -Compress } }
            $result.Verbose | ForEach-Object Message
            $result.Debug | ForEach-Object Message
            $result.Warning | ForEach-Object Message
            $result.Progress | ForEach-Object { "$($_.Activity) $($_.StatusDescription)" }
            foreach ($e in $result.Errors) {
                $e.ToString(); $e.Exception.Message; $e.Exception.ToString(); $e.FullyQualifiedErrorId
                $e.CategoryInfo.ToString(); $e.ErrorDetails.Message; ($e.TargetObject | Out-String)
            }
        ) -join "`n"
        $text | Should -Not -Match ([regex]::Escape($script:Key))
        $text | Should -Not -Match ([regex]::Escape($script:Org))
    }
}
