# Jobs of any size (issue 21) through the bridge: outputs streamed, inputs checked before upload, work split
# across batches, failed requests sent again. Against the emulator over loopback; assertions read its log.

Describe 'Jobs of any size' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment

        function New-OutputLine([int]$I) {
            '{"id":"batch_req_' + $I + '","custom_id":"req-' + $I + '","response":{"status_code":200,"request_id":"r","body":{"n":' + $I + '}},"error":null}'
        }
        function New-FinishedBatch([string[]]$Lines) {
            # A completed batch, as Get-Batch gives it, whose output file holds the lines.
            $file = New-TestFile -Content ([Text.Encoding]::UTF8.GetBytes(($Lines -join "`n") + "`n")) -Name 'out.jsonl' -Purpose 'user_data'
            [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch'; id = 'batch_x'; object = 'batch'; status = 'completed'; output_file_id = $file.id }
        }
    }

    AfterAll { Exit-TestEnvironment }

    BeforeEach { Reset-TestEmulator }

    Context 'Streamed outputs' {
        It 'a malformed middle line is one non-terminating error naming its line; every other line is output' {
            $batch = New-FinishedBatch @((New-OutputLine 1), (New-OutputLine 2), '{"id": "batch_req_3", "cust', (New-OutputLine 4))
            $errs = $null
            $out = @($batch | Get-BatchOutput -ErrorVariable errs -ErrorAction SilentlyContinue)
            @($out.custom_id) | Should -Be @('req-1', 'req-2', 'req-4')
            $out[0].PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Output'
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -Match '^Line 3 of output file file-\w+ is not a JSON object'
        }

        It 'writes each output as it is read: the first reaches the pipeline while the body is still held back' {
            $batch = New-FinishedBatch @(1..3000 | ForEach-Object { New-OutputLine $_ })
            Add-EmulatorFault @{ method = 'GET'; path = '/v1/files/{id}/content'; stall_after = 200000; stall = 30 }
            $stalledAtFirst = $null
            $count = 0
            $batch | Get-BatchOutput | ForEach-Object {
                if ($count++ -eq 0) {
                    $stalledAtFirst = (Invoke-Emulator Get faults/stalled).stalled
                    $null = Invoke-Emulator Post faults/release
                }
            }
            $stalledAtFirst | Should -Be 1
            $count | Should -Be 3000
        }

        It 'Select-Object -First 1 ends the download: the rest is never read' {
            $batch = New-FinishedBatch @(1..3000 | ForEach-Object { New-OutputLine $_ })
            Add-EmulatorFault @{ method = 'GET'; path = '/v1/files/{id}/content'; stall_after = 200000; stall = 30 }
            $first = $batch | Get-BatchOutput | Select-Object -First 1
            $first.custom_id | Should -Be 'req-1'
            (Invoke-Emulator Get faults/stalled).stalled | Should -Be 1      # returned while the server still waits
            $null = Invoke-Emulator Post faults/release
        }

        It 'Get-OpenAIFileContent -OutFile writes the whole file' {
            $content = [Text.Encoding]::UTF8.GetBytes(('abc' * 100000))
            $file = New-TestFile -Content $content -Name 'big.bin' -Purpose 'user_data'
            $path = Join-Path ([IO.Path]::GetTempPath()) "psbridge-jobs-$PID.bin"
            try {
                Get-OpenAIFileContent -FileId $file.id -OutFile $path | Should -BeNullOrEmpty
                [IO.File]::ReadAllBytes($path).Length | Should -Be 300000
            } finally { Remove-Item -LiteralPath $path -ErrorAction Ignore }
        }
    }
}
