# Request-Embeddings (issue 20, part): the direct call as PSOpenAI 4.49 returns it ([float[]] vectors, each
# result's Text), piped texts one request each, and -AsBatch items through a whole embeddings batch.

Describe 'Request-Embeddings' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
    }
    AfterAll { Exit-TestEnvironment }
    BeforeEach { Reset-TestEmulator }

    It 'returns the API''s list: vectors as [float[]] of the asked dimensions, each with its Text' {
        $r = Request-Embeddings -Text 'Banana', 'Apple' -Model 'text-embedding-3-small' -Dimensions 256
        $r | Should -BeOfType [pscustomobject]
        $r.data | Should -HaveCount 2
        , $r.data[0].embedding | Should -BeOfType [float[]]
        $r.data[0].embedding | Should -HaveCount 256
        $r.data.Text | Should -Be @('Banana', 'Apple')
        @($r.data[0].PSObject.Properties.Name)[-1] | Should -Be 'Text'
    }

    It '-Format base64 (PSOpenAI''s old name) gives the vector as base64 text of float32 values' {
        $r = Request-Embeddings -Text 'Banana' -Format base64
        $r.data[0].embedding | Should -BeOfType [string]
        [Convert]::FromBase64String($r.data[0].embedding) | Should -HaveCount (1536 * 4)
    }

    It 'piped texts are one request each' {
        $results = 'a', 'b', 'c' | Request-Embeddings -Dimensions 4
        $results | Should -HaveCount 3
        @(Get-ApiRequests | Where-Object path -eq '/v1/embeddings') | Should -HaveCount 3
    }

    It 'an empty -Model is an ArgumentException before anything is sent, as PSOpenAI refuses it (not the API''s 400)' {
        { Request-Embeddings -Text 'a' -Model '' -ErrorAction Stop } | Should -Throw -ExceptionType ([ArgumentException]) -ExpectedMessage 'Model is empty*'
        { Request-ChatCompletion -Message 'a' -Model ' ' -AsBatch -ErrorAction Stop } | Should -Throw -ExceptionType ([ArgumentException])
        Get-ApiRequests | Should -BeNullOrEmpty
    }

    It 'more texts than one request takes (2,048) is PowerShell''s own ValidateCount error, before anything is sent' {
        $texts = 1..2049 | ForEach-Object { "t$_" }
        $err = { Request-Embeddings -Text $texts -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError,Request-Embeddings'
        $err.Exception.Message | Should -BeLike '*2048*2049*'
        { Request-ChatCompletion -Message 'a' -StopSequence 'a', 'b', 'c', 'd', 'e' -AsBatch -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,Request-ChatCompletion'
        Get-ApiRequests | Should -BeNullOrEmpty
        (Request-Embeddings -Text $texts[0..2047] -AsBatch).body.input | Should -HaveCount 2048
    }

    It '-AsBatch items make an embeddings batch whose outputs are the vectors the direct call gives' {
        $i = 0
        $items = 'Banana', 'Apple' | ForEach-Object { Request-Embeddings -Text $_ -Model 'text-embedding-3-small' -Dimensions 8 -AsBatch -CustomBatchId "doc-$((++$i))" }
        $items[0].url | Should -Be '/v1/embeddings'
        $items[0].body.dimensions | Should -BeOfType [int]
        Set-EmulatorStepSeconds 0.05
        try { $batch = $items | Start-Batch -Endpoint '/v1/embeddings' | Wait-Batch -PollIntervalSec 0.05 } finally { Set-EmulatorStepSeconds $null }
        $outputs = @($batch | Get-BatchOutput)
        $outputs | Should -HaveCount 2
        $apple = ($outputs | Where-Object custom_id -eq 'doc-2').response.body.data[0].embedding
        $direct = (Request-Embeddings -Text 'Apple' -Model 'text-embedding-3-small' -Dimensions 8).data[0].embedding
        , $apple | Should -BeOfType [float[]]     # typed as the direct call's (PSOpenAI leaves batch bodies as [double])
        $apple | Should -Be $direct
    }

    It 'piped texts without -CustomBatchId get custom_ids no two of which are the same, so Start-Batch takes every item' {
        # (PSOpenAI draws each request-xxxx at random among 65535: of 1,000 texts a few shared one, and were refused)
        $batch = 1..1500 | ForEach-Object { "doc $_" } | Request-Embeddings -Model 'text-embedding-3-small' -AsBatch |
            Start-Batch -ErrorAction Stop
        @([Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n" | Where-Object { $_ }) | Should -HaveCount 1500
    }

    It 'Start-Batch takes its endpoint from the items, and an item for another endpoint is refused before the upload' {
        $items = @(
            Request-Embeddings -Text 'a' -AsBatch -CustomBatchId 'e-1'
            Request-ChatCompletion -Message 'b' -Model 'gpt-4o-mini' -AsBatch -CustomBatchId 'c-1'
            Request-Embeddings -Text 'c' -AsBatch -CustomBatchId 'e-2'
        )
        $ev = $null
        $batch = $items | Start-Batch -ErrorVariable ev -ErrorAction Continue 2>$null
        @($ev).Count | Should -Be 1
        "$($ev[0])" | Should -Match 'item 2 is for /v1/chat/completions, but the items before it are for /v1/embeddings'
        $batch.endpoint | Should -Be '/v1/embeddings'
        [Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n" | Where-Object { $_ } | Should -HaveCount 2
    }
}
