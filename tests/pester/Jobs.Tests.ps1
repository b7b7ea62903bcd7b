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

        It 'a chat result with a `parsed` of its own gives it as JSON; a `created` no [datetime] holds stays a number; the lines after both come' {
            $chat = '{"id":"batch_req_#N#","custom_id":"req-#N#","response":{"status_code":200,"request_id":"r","body":{"id":"chatcmpl-#N#","object":"chat.completion","created":#STAMP#,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"{\"a\":1}"#MORE#}}]}},"error":null}'
            $lines = @(($chat -creplace '#N#', '1' -creplace '#STAMP#', '1700000000' -creplace '#MORE#', ',"parsed":{"a":1}'),
                       ($chat -creplace '#N#', '2' -creplace '#STAMP#', '99999999999999' -creplace '#MORE#', ''),
                       ($chat -creplace '#N#', '3' -creplace '#STAMP#', '1700000000' -creplace '#MORE#', ''))
            $errs = $null
            $out = @(New-FinishedBatch $lines | Get-BatchOutput -ErrorVariable errs -ErrorAction SilentlyContinue)
            $errs.Count | Should -Be 0
            @($out.custom_id) | Should -Be @('req-1', 'req-2', 'req-3')
            $parsed = $out[0].response.body.choices[0].message.parsed
            $parsed | Should -BeOfType [System.Management.Automation.PSCustomObject]
            $parsed.a | Should -Be 1
            $out[0].response.body.Answer[0].a | Should -Be 1
            $out[1].response.body.created | Should -Be 99999999999999
            $out[1].response.body.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Chat.Completion'
            $out[2].response.body.created | Should -BeOfType [datetime]
        }

        It 'a big file of chat results is typed as a small one (compiled per chunk), read ahead with its warnings and errors in place' {
            $lines = 1..300 | ForEach-Object {
                $reason = if ($_ -eq 100) { 'length' } else { 'stop' }
                '{"id":"batch_req_' + $_ + '","custom_id":"req-' + $_ + '","response":{"status_code":200,"request_id":"r","body":{"id":"chatcmpl-' + $_ +
                    '","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"finish_reason":"' + $reason +
                    '","message":{"role":"assistant","content":"answer ' + $_ + '"}}]}},"error":null}'
            }
            $lines[199] = '{"id": "batch_req_200", "cust'
            $batch = New-FinishedBatch $lines
            $errs = $warns = $null
            $seen = [Collections.Generic.List[string]]::new()
            $batch | Get-BatchOutput -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable warns -WarningAction SilentlyContinue |
                ForEach-Object { $seen.Add("$($_.custom_id) $(@($errs).Count) $(@($warns).Count)") }
            $seen.Count | Should -Be 299
            # (counts as each output arrives: a line's warning and a bad line's error come no later than the chunk
            # that holds the line, before the outputs after it)
            $seen[99] | Should -Match '^req-100 [01] 1$'
            $seen[199] | Should -Be 'req-201 1 1'
            $seen[-1] | Should -Be 'req-300 1 1'
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -Match '^Line 200 of output file file-\w+ is not a JSON object'
            $warns[0].Message | Should -Be 'The model seems to have terminated response. Reason: "length"'
            $out = @($batch | Get-BatchOutput -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
            $out.Count | Should -Be 299
            foreach ($o in $out[0], $out[150], $out[-1]) {
                $o.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Output'
                $body = $o.response.body
                $body.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Chat.Completion'
                "$body" | Should -Be $body.id
                $body.Answer.GetType() | Should -Be ([string[]])
                $body.Answer | Should -Be ($body.choices[0].message.content)
                $body.created | Should -BeOfType [datetime]
                @($body.PSObject.Properties.Name)[-4..-1] | Should -Be @('created', 'Message', 'Answer', 'History')
            }
        }

        It 'a chat result line passed on as the file has it is typed as one written again (script and compiled typing)' {
            function New-ChatLine([int]$I, [string]$Body) {
                '{"id":"batch_req_' + $I + '","custom_id":"req-' + $I + '","response":{"status_code":200,"request_id":"r","body":{"id":"chatcmpl-' + $I +
                    '","object":"chat.completion",' + $Body + '}},"error":null}'
            }
            $kinds = @(
                '"created":1700000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"2023-11-14T22:13:20Z"}},{"index":1,"message":{"role":"assistant","content":"\u00fc \ud800"}}]'
                '"created":0,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"a"}}]'
                '"created":1700000000,"model":"m","model":"n","choices":[{"index":0,"message":{"role":"assistant","content":"b"}}]'
                '"created":1700000000,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null}}]'
            )
            foreach ($count in 4, 100) {
                $out = @(New-FinishedBatch @(0..($count - 1) | ForEach-Object { New-ChatLine $_ $kinds[$_ % 4] }) | Get-BatchOutput -WarningAction SilentlyContinue)
                $out.Count | Should -Be $count
                $fast, $zero, $twice, $null_ = $out[0..3].response.body
                foreach ($body in $fast, $zero, $twice, $null_) { $body.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Chat.Completion'; "$body" | Should -Be $body.id }
                @($fast.PSObject.Properties.Name) | Should -Be @('id', 'object', 'model', 'choices', 'created', 'Message', 'Answer', 'History')
                $fast.created | Should -Be ([DateTimeOffset]::FromUnixTimeSeconds(1700000000).LocalDateTime)
                $fast.created.Kind | Should -Be 'Local'
                $fast.Answer.GetType() | Should -Be ([string[]])
                $fast.Answer | Should -Be @([string]$fast.choices[0].message.content, "$([char]0xFC) $([char]0xFFFD)")
                $fast.Message | Should -BeNullOrEmpty
                $fast.History.GetType() | Should -Be ([object[]])
                $fast.History.Count | Should -Be 0
                @($zero.PSObject.Properties.Name) | Should -Be @('id', 'object', 'created', 'model', 'choices', 'Message', 'Answer', 'History')
                $zero.created | Should -Be 0
                # a key twice in one object: as json.loads reads it (the last value, at its first place)
                @($twice.PSObject.Properties.Name)[0..3] | Should -Be @('id', 'object', 'model', 'choices')
                $twice.model | Should -Be 'n'
                $null_.Answer | Should -BeNullOrEmpty
            }
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

    Context 'Streamed outputs of many chunks (read and typed on another core)' {
        BeforeAll {
            function New-ChatResultLine([int]$I) {
                # ~700 characters: a chunk of the stream holds about 50 of them. Every 500 lines: an answer the JSON
                # reader makes a [datetime], one not in ASCII, one cut off by length (a warning), one with `created` 0
                # (another slot: typed by this thread, the next reader knowing its typer).
                $content = switch ($I % 500) { 7 { '2023-11-14T22:13:20Z' } 8 { "caf$([char]0xE9) \u00fc" } default { "answer $I " + ('x' * 600) } }
                $reason = if ($I % 500 -eq 9) { 'length' } else { 'stop' }
                $created = if ($I % 500 -eq 10) { 0 } else { 1700000000 + $I }
                '{"id":"batch_req_' + $I + '","custom_id":"req-' + $I + '","response":{"status_code":200,"request_id":"r","body":{"id":"chatcmpl-' + $I +
                    '","object":"chat.completion","created":' + $created + ',"model":"m","choices":[{"index":0,"finish_reason":"' + $reason +
                    '","message":{"role":"assistant","content":"' + $content + '"}}]}},"error":null}'
            }
            function Get-OutputShape($Output) {
                # What a script can see of an output: type names, members, ToString, the chat notes and their types.
                $body = $Output.response.body
                $created = if ($body.created -is [datetime]) { "$($body.created.ToString('o')) $($body.created.Kind)" } else { "$($body.created) $($body.created.GetType().Name)" }
                @(($Output.PSObject.TypeNames -join ','), "$Output", (($Output.PSObject.Members | ForEach-Object { "$($_.Name):$($_.MemberType)" }) -join ','),
                  ($body.PSObject.TypeNames -join ','), "$body", (($body.PSObject.Members | ForEach-Object { "$($_.Name):$($_.MemberType)" }) -join ','),
                  $created, $body.Answer.GetType().Name, ($body.Answer -join '|'), ($null -eq $body.Message), $body.History.GetType().Name,
                  $body.History.Count, (@($body.choices.message.content) -join '|')) -join "`n"
            }
            function Watch-ReadAhead {
                # Keeps each chunk the read-ahead thread hands over, to count those that came as a reader's task.
                Invoke-PythonCode @'
import psbridge.host as h
h._saved_take = getattr(h, "_saved_take", h._ReadAhead.take)
h.taken = []
def take(self):
    result = h._saved_take(self)
    h.taken.append(result[0])
    return result
h._ReadAhead.take = take
'@
            }
            function Get-TaskChunks {
                # (chunks that came as tasks, of them those typed on the task's thread)
                $counts = Get-PythonValue '(lambda t: [len(t), sum(1 for c in t if bool(c.Result[1]))])([c for c in __import__("psbridge.host").host.taken if hasattr(c, "AsyncState")])'
                @($counts.Trim('[]').Split(',') | ForEach-Object { [int]$_ })
            }
            function Wait-ReadAheadEnded {
                # The read-ahead thread ends once its chunk is read; it must not outlive a stopped pipeline.
                $deadline = [DateTime]::UtcNow.AddSeconds(10)
                do {
                    $alive = Get-PythonValue 'sum(1 for t in __import__("threading").enumerate() if t.name == "psbridge-read-ahead")'
                    if ($alive -eq '0') { break }
                    Start-Sleep -Milliseconds 50
                } while ([DateTime]::UtcNow -lt $deadline)
                $alive | Should -Be '0'
            }
            $script:Lines = @(1..2000 | ForEach-Object { New-ChatResultLine $_ })
        }

        AfterEach {
            Invoke-PythonCode 'import psbridge.host as h; h._ReadAhead.take = getattr(h, "_saved_take", h._ReadAhead.take); h.taken = []'
        }

        It 'gives the objects, in order, that a read of a few of its lines gives' {
            $batch = New-FinishedBatch $script:Lines
            Watch-ReadAhead
            $out = @($batch | Get-BatchOutput -WarningVariable warns -WarningAction SilentlyContinue)
            $tasks, $typed = Get-TaskChunks
            $tasks | Should -BeGreaterThan 20       # ~40 chunks; from the third on, each a task
            $typed | Should -BeGreaterThan ($tasks - 6)     # (a chunk with a new slot is typed here)
            $out.Count | Should -Be 2000
            @($out.custom_id) | Should -Be @(1..2000 | ForEach-Object { "req-$_" })
            @($warns).Count | Should -Be 4
            # the same lines read in a file of their own: one small chunk, typed by script code
            $picked = 1, 2, 60, 507, 508, 509, 510, 999, 1507, 1510, 1999, 2000
            $small = @(New-FinishedBatch @($picked | ForEach-Object { $script:Lines[$_ - 1] }) | Get-BatchOutput -WarningAction SilentlyContinue)
            for ($k = 0; $k -lt $picked.Count; $k++) { Get-OutputShape $out[$picked[$k] - 1] | Should -Be (Get-OutputShape $small[$k]) }
            $wrong = @(foreach ($o in $out) {
                $body = $o.response.body
                $n = [int]$o.custom_id.Substring(4)
                $created = [DateTimeOffset]::FromUnixTimeSeconds(1700000000 + $n).LocalDateTime
                if ($o.PSObject.TypeNames[0] -cne 'PSOpenAI.Batch.Output' -or $body.PSObject.TypeNames[0] -cne 'PSOpenAI.Chat.Completion' -or
                    "$body" -cne "chatcmpl-$n" -or $body.Answer -isnot [string[]] -or $body.Answer[0] -cne [string]$body.choices[0].message.content -or
                    ($n % 500 -ne 10 -and ($body.created -isnot [datetime] -or $body.created -ne $created -or $body.created.Kind -ne 'Local'))) { $n }
            })
            $wrong | Should -BeNullOrEmpty
            $out[506].response.body.Answer[0] | Should -Be '11/14/2023 22:13:20'     # (the JSON reader's [datetime], as [string])
        }

        It 'a malformed line in the middle is one error naming it, in its place; every other line comes out typed' {
            $lines = $script:Lines.Clone()
            $lines[999] = '{"id": "batch_req_1000", "cust'
            $batch = New-FinishedBatch $lines
            Watch-ReadAhead
            $errs = $null
            $seen = [Collections.Generic.List[string]]::new()
            $out = [Collections.Generic.List[object]]::new()
            $batch | Get-BatchOutput -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
                ForEach-Object { $seen.Add("$($_.custom_id) $(@($errs).Count)"); $out.Add($_) }
            (Get-TaskChunks)[0] | Should -BeGreaterThan 20
            $out.Count | Should -Be 1999
            @($out.custom_id) | Should -Be @(1..2000 | Where-Object { $_ -ne 1000 } | ForEach-Object { "req-$_" })
            $seen[0] | Should -Be 'req-1 0'
            $seen[998] | Should -Match '^req-999 [01]$'
            $seen[999] | Should -Be 'req-1001 1'
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -Match '^Line 1000 of output file file-\w+ is not a JSON object'
            foreach ($o in $out[998], $out[999], $out[-1]) {
                $o.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Output'
                "$($o.response.body)" | Should -Be $o.response.body.id
                $o.response.body.Answer.GetType() | Should -Be ([string[]])
            }
        }

        It 'a line with keys that differ only in case (PowerShell cannot read it) is one error naming it; the others come (a big file and a small one)' {
            $lines = $script:Lines.Clone()
            $lines[999] = $lines[999] -replace '"model":"m"', '"model":"m","Model":"n"'
            $lines[1499] = $lines[1499] -replace '"request_id":"r"', '"request_id":"r","REQUEST_ID":"q"'
            $ids = @(1..2000 | Where-Object { $_ -notin 1000, 1500 } | ForEach-Object { "req-$_" })
            foreach ($case in @{ Lines = $lines; Bad = 1000, 1500; Ids = $ids }, @{ Lines = @($lines[999], $script:Lines[1]); Bad = @(1); Ids = @('req-2') }) {
                $errs = $null
                $out = @(New-FinishedBatch $case.Lines | Get-BatchOutput -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
                @($out.custom_id) | Should -Be $case.Ids
                $out[-1].response.body.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Chat.Completion'
                $errs.Count | Should -Be $case.Bad.Count
                for ($k = 0; $k -lt $case.Bad.Count; $k++) {
                    $errs[$k].Exception.Message | Should -Match "^Line $($case.Bad[$k]) of output file file-\w+ is not a JSON object PowerShell can read \(it has keys that differ only in case\)"
                }
            }
        }

        It 'a body with a key of a note''s name in another case (answer, history) keeps its own, and every line comes (it ended the output)' {
            $chat = '{"id":"batch_req_#N#","custom_id":"req-#N#","response":{"status_code":200,"request_id":"r","body":{"id":"chatcmpl-#N#","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"answer #N#"}}]#MORE#}},"error":null}'
            $lines = @(($chat -creplace '#N#', '1' -creplace '#MORE#', ''), ($chat -creplace '#N#', '2' -creplace '#MORE#', ',"answer":"its own","history":[1]'),
                       ($chat -creplace '#N#', '3' -creplace '#MORE#', ''))
            $errs = $null
            $out = @(New-FinishedBatch $lines | Get-BatchOutput -ErrorVariable errs)
            $errs.Count | Should -Be 0
            @($out.custom_id) | Should -Be @('req-1', 'req-2', 'req-3')
            $out[1].response.body.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Chat.Completion'
            $out[1].response.body.Answer | Should -Be 'its own'         # (the body's answer, as PSOpenAI's Add-Member leaves it)
            @($out[1].response.body.PSObject.Properties.Name) | Should -Be @('id', 'object', 'model', 'choices', 'answer', 'history', 'created', 'Message')
            $out[2].response.body.Answer.GetType() | Should -Be ([string[]])
            $out[2].response.body.Answer | Should -Be 'answer 3'
        }

        It 'a chat body''s Answer is PSOpenAI 4.49''s: a refusal''s message, an audio reply''s transcript, an empty string for no content' {
            $chat = '{"id":"batch_req_#N#","custom_id":"req-#N#","response":{"status_code":200,"request_id":"r","body":{"id":"chatcmpl-#N#","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",#MESSAGE#}}]}},"error":null}'
            $lines = @(($chat -creplace '#N#', '1' -creplace '#MESSAGE#', '"content":null,"refusal":"I cannot help."'),
                       ($chat -creplace '#N#', '2' -creplace '#MESSAGE#', '"content":null,"audio":{"id":"a","data":"","transcript":"Spoken."}'),
                       ($chat -creplace '#N#', '3' -creplace '#MESSAGE#', '"content":null'),
                       ($chat -creplace '#N#', '4' -creplace '#MESSAGE#', '"content":"text","refusal":"No."'))
            $warnings = $null
            $out = @(New-FinishedBatch $lines | Get-BatchOutput -WarningVariable warnings -WarningAction SilentlyContinue)
            foreach ($body in $out.response.body) { $body.Answer.GetType() | Should -Be ([string[]]) }
            $out[0].response.body.Answer | Should -Be 'I cannot help.'
            $out[1].response.body.Answer | Should -Be 'Spoken.'
            $out[2].response.body.Answer.Count | Should -Be 1
            $out[2].response.body.Answer[0] | Should -BeExactly ''
            $out[3].response.body.Answer | Should -Be 'No.'
            $warnings.Count | Should -Be 2
        }

        It '-ErrorAction Stop on a malformed line stops there: every line before it is out, none after (a big file and a small one)' {
            $lines = $script:Lines.Clone()
            $lines[999] = '{"id": "batch_req_1000", "cust'
            foreach ($case in @{ Lines = $lines; Before = 999 }, @{ Lines = @($script:Lines[0], $lines[999], $script:Lines[2]); Before = 1 }) {
                $batch = New-FinishedBatch $case.Lines
                $out = [Collections.Generic.List[object]]::new()
                $caught = $null
                try { $batch | Get-BatchOutput -ErrorAction Stop -WarningAction SilentlyContinue | ForEach-Object { $out.Add($_) } }
                catch { $caught = $_ }
                # (the chunk that held the line ended before it: its earlier lines were written, then the error)
                @($out.custom_id) | Should -Be @(1..$case.Before | ForEach-Object { "req-$_" })
                $caught.Exception.Message | Should -Match "^Line $($case.Before + 1) of output file file-\w+ is not a JSON object"
            }
            Wait-ReadAheadEnded
        }

        It '-WarningAction Stop on a line cut off by length stops there: every line before it is out, none after (a big file and a small one)' {
            # ($script:Lines[8] is req-9, cut off by length: its warning is the file's first)
            foreach ($case in @{ Lines = $script:Lines; Before = 8 }, @{ Lines = @($script:Lines[0], $script:Lines[8], $script:Lines[2]); Before = 1 }) {
                $batch = New-FinishedBatch $case.Lines
                $out = [Collections.Generic.List[object]]::new()
                $caught = $null
                try { $batch | Get-BatchOutput -WarningAction Stop | ForEach-Object { $out.Add($_) } }
                catch { $caught = $_ }
                @($out.custom_id) | Should -Be @(1..$case.Before | ForEach-Object { "req-$_" })
                $caught.FullyQualifiedErrorId | Should -Match 'ActionPreferenceStop'
                $caught.Exception.Message | Should -Match 'length'
            }
            Wait-ReadAheadEnded
            # and each warning comes just before its own line, in a stream read ahead
            $seen = [Collections.Generic.List[string]]::new()
            New-FinishedBatch $script:Lines[0..1199] | Get-BatchOutput -WarningVariable +warned 3>&1 | ForEach-Object {
                $seen.Add($(if ($_ -is [System.Management.Automation.WarningRecord]) { 'warning' } else { $_.custom_id })) }
            $at = @(for ($k = 0; $k -lt $seen.Count; $k++) { if ($seen[$k] -eq 'warning') { $seen[$k + 1] } })
            $at | Should -Be @('req-9', 'req-509', 'req-1009')
            Wait-ReadAheadEnded
        }

        It 'Select-Object -First stops it while chunks are read on another core: the rest is not read, and it reads again whole' {
            $batch = New-FinishedBatch $script:Lines
            Add-EmulatorFault @{ method = 'GET'; path = '/v1/files/{id}/content'; stall_after = 1000000; stall = 30 }
            Watch-ReadAhead
            $first = @($batch | Get-BatchOutput -WarningAction SilentlyContinue | Select-Object -First 600)
            (Invoke-Emulator Get faults/stalled).stalled | Should -Be 1      # returned while the server still waits
            $null = Invoke-Emulator Post faults/release
            (Get-TaskChunks)[0] | Should -BeGreaterThan 3
            $first.Count | Should -Be 600
            $first[-1].custom_id | Should -Be 'req-600'
            "$($first[-1].response.body)" | Should -Be 'chatcmpl-600'
            Wait-ReadAheadEnded
            $again = @($batch | Get-BatchOutput -WarningAction SilentlyContinue)
            $again.Count | Should -Be 2000
            $again[-1].response.body.Answer | Should -Be $again[-1].response.body.choices[0].message.content
        }

        It 'Stop() (Ctrl+C) while chunks are read on another core returns within 1.5 s; the runspace reads it again' {
            $batch = New-FinishedBatch $script:Lines
            # (the server holds the second half back: the stopped download ends in the middle of the body)
            Add-EmulatorFault @{ method = 'GET'; path = '/v1/files/{id}/content'; stall_after = 1000000; stall = 30 }
            Watch-ReadAhead
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("param(`$Batch) Import-Module '$(Get-TestModulePath)' -ErrorAction Stop; `$Batch | Get-BatchOutput -WarningAction SilentlyContinue | ForEach-Object { Start-Sleep -Milliseconds 2 }").AddArgument($batch)
                $async = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)      # until its chunks come as tasks (~2 ms an output)
                while ((Get-TaskChunks)[0] -lt 5 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                (Get-TaskChunks)[0] | Should -BeGreaterOrEqual 5
                Assert-StopsPromptly $ps
                $null = $async
            } finally { $ps.Dispose() }
            $null = Invoke-Emulator Post faults/release
            Wait-ReadAheadEnded
            @($batch | Get-BatchOutput -WarningAction SilentlyContinue).Count | Should -Be 2000
        }
    }

    Context 'Checked before upload' {
        It 'a duplicate custom_id, a GET and another model are each one error naming the item; the others are uploaded' {
            $items = @(New-TestBatchInput 5)
            $items[2].custom_id = 'req-1'
            $items[3].method = 'GET'
            $items[4].body = @{ model = 'gpt-4o'; messages = @(@{ role = 'user'; content = 'x' }) }
            $errs = $null
            $batch = $items | Start-Batch -ErrorVariable errs -ErrorAction SilentlyContinue
            @($errs.Exception.Message) | Should -Be @(
                "Batch input item 3 has custom_id 'req-1', as item 1 does: each request of a batch needs its own.",
                "Batch input item 4 has method 'GET': a batch sends POST requests only.",
                "Batch input item 5 is for model 'gpt-4o', but the items before it are for 'gpt-4o-mini': a batch has one model. Start one batch per model.")
            $errs[0].Exception | Should -BeOfType [System.ArgumentException]
            $lines = @([Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n")
            @($lines | ForEach-Object { ($_ | ConvertFrom-Json).custom_id }) | Should -Be @('req-1', 'req-2')
        }

        It 'with -ErrorAction Stop a bad item ends the pipeline before any request' {
            $items = @(New-TestBatchInput 3)
            $items[1].method = 'GET'
            { $items | Start-Batch -ErrorAction Stop } | Should -Throw '*item 2 has method*'
            @(Get-ApiRequests).Count | Should -Be 0
        }

        It 'an item whose url is not in lower case is refused, naming it, before any request (the endpoint is sent in lower case)' {
            $errs = $null
            $out = New-TestBatchInput 2 -Url '/V1/Chat/Completions' | Start-Batch -ErrorVariable errs -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            @($errs.Exception.Message) | Should -BeLike "Batch input item ? is for /V1/Chat/Completions: a batch's endpoint is in lower case (/v1/chat/completions)*"
            $errs.Count | Should -Be 2
            @(Get-ApiRequests).Count | Should -Be 0
        }

        It 'an item whose url is not an endpoint''s path (a trailing slash, a host) is refused, naming it, before any request' {
            $errs = $null
            $out = @(New-TestBatchInput 1 -Url '/v1/chat/completions/'; New-TestBatchInput 1 -From 2 -Url 'https://api.openai.com/v1/chat/completions') |
                Start-Batch -ErrorVariable errs -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $errs.Count | Should -Be 2
            $errs[0].Exception.Message | Should -BeLike "Batch input item 1 is for '/v1/chat/completions/', which is not an endpoint's path: *(no host, query or trailing slash)."
            $errs[1].Exception.Message | Should -BeLike "Batch input item 2 is for 'https://api.openai.com/v1/chat/completions', which*"
            @(Get-ApiRequests).Count | Should -Be 0
        }

        It 'hashtables and untyped objects piped in (bound to -FileId as their text) are one error each, before any request' {
            $items = @(New-TestBatchInput 2 | ForEach-Object { @{ custom_id = $_.custom_id; method = 'POST'; url = $_.url; body = $_.body } })
            $items += [pscustomobject]@{ custom_id = 'req-3'; method = 'POST'; url = '/v1/chat/completions' }
            $errs = $null
            $items | Start-Batch -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs.Count | Should -Be 3
            $errs[0].Exception.Message | Should -BeLike "-FileId (file_id=) is 'System.Collections.Hashtable', the text of an object rather than a file id, so nothing was sent:*PSOpenAI.Batch.Input*"
            $errs[2].Exception.Message | Should -BeLike "-FileId (file_id=) is '@{custom_id=req-3; *"
            @(Get-ApiRequests).Count | Should -Be 0
        }

        It 'items whose keys are written in another case are uploaded under the names the API reads' {
            $items = 1..2 | ForEach-Object {
                [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch.Input'; Custom_Id = "r$_"; Method = 'POST'; URL = '/v1/chat/completions'
                                   Body = [ordered]@{ Model = 'gpt-4o-mini'; messages = @([ordered]@{ role = 'user'; content = "Say $_" }) } }
            }
            $batch = $items | Start-Batch
            $sent = @([Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n")
            $sent[0] | Should -Be '{"custom_id":"r1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say 1"}]}}'
            $sent.Count | Should -Be 2
        }

        It 'an item whose body is JSON text (ConvertTo-Json''d) is refused, naming it; the others go on' {
            $items = @(New-TestBatchInput 3)
            $items[1].body = $items[1].body | ConvertTo-Json -Depth 5
            $errs = $null
            $batch = $items | Start-Batch -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -BeLike 'Batch input item 2 has a body that is JSON text, not an object*'
            $sent = @([Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n")
            $sent.Count | Should -Be 2
        }

        It 'items that do not fit in one batch are refused before any request, naming them' {
            Invoke-PythonCode 'from cmdlets.batch import limits; limits.MAX_REQUESTS = 2'
            try {
                $errs = $null
                $out = New-TestBatchInput 5 | Start-Batch -ErrorVariable errs -ErrorAction SilentlyContinue
                $out | Should -BeNullOrEmpty
                $errs.Count | Should -Be 1
                $errs[0].Exception.Message | Should -BeLike 'The items do not fit in one batch (2 requests at most): items 1 to 2 fill one, and items 3 to 5 would need 2 more. Nothing was uploaded. Use -Split*'
                @(Get-ApiRequests).Count | Should -Be 0
            } finally { Invoke-PythonCode 'from cmdlets.batch import limits; limits.MAX_REQUESTS = 50_000' }
        }

        It '-Path reads a local JSONL file (relative to the current location), naming bad lines' {
            $folder = Join-Path ([IO.Path]::GetTempPath()) "psbridge-jobs-$PID"
            $null = New-Item -ItemType Directory -Force -Path $folder
            Push-Location $folder
            try {
                $good = @(New-TestBatchInput 2 | ForEach-Object { $_ | Select-Object custom_id, method, url, body | ConvertTo-Json -Compress -Depth 5 })
                Set-Content -LiteralPath requests.jsonl -Value ($good + 'not json') -Encoding utf8NoBOM
                $errs = $null
                $batch = Start-Batch -Path requests.jsonl -ErrorVariable errs -ErrorAction SilentlyContinue
                $errs[0].Exception.Message | Should -Be 'Line 3 of requests.jsonl is not a JSON object.'
                $batch.endpoint | Should -Be '/v1/chat/completions'
                ([Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n").Count | Should -Be 2
                # UTF-16, as Windows PowerShell's `>` writes it: one error saying so, nothing sent
                Clear-ApiRequests
                $good | Out-File -LiteralPath requests.jsonl -Encoding unicode
                { Start-Batch -Path requests.jsonl -ErrorAction Stop } | Should -Throw -ExpectedMessage 'The lines of requests.jsonl are UTF-16 text, and a batch*s JSONL must be UTF-8*'
                @(Get-ApiRequests).Count | Should -Be 0
            } finally {
                Pop-Location
                Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction Ignore
            }
        }
    }

    Context 'Bigger than one batch' {
        It 'Start-Batch -Split returns every batch; Wait-Batch and Get-BatchOutput take them all from the pipeline' {
            Invoke-PythonCode 'from cmdlets.batch import limits; limits.MAX_REQUESTS = 2'
            try {
                Set-EmulatorStepSeconds 0.05
                $batches = @(New-TestBatchInput 5 | Start-Batch -Split)
                $batches.Count | Should -Be 3
                $batches | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch' }
                $outputs = @($batches | Wait-Batch -PollIntervalSec 0.1 | Get-BatchOutput)
                @($outputs.custom_id | Sort-Object) | Should -Be @('req-1', 'req-2', 'req-3', 'req-4', 'req-5')
            } finally { Invoke-PythonCode 'from cmdlets.batch import limits; limits.MAX_REQUESTS = 50_000' }
        }

        It 'a part whose create was carried out but its answer lost is one error saying it may have started; the next part still starts' {
            Invoke-PythonCode 'from cmdlets.batch import limits; limits.MAX_REQUESTS = 2'
            try {
                # (lost twice: a kept-alive connection closed without an answer has the create sent once more, on a new one)
                Add-EmulatorFault @{ method = 'POST'; path = '/v1/batches'; skip = 1; drop = 'after'; count = 2 }
                $errs = $null
                $batches = @(New-TestBatchInput 5 | Start-Batch -Split -ErrorVariable errs -ErrorAction SilentlyContinue)
                $batches.Count | Should -Be 2
                $errs.Count | Should -Be 1
                $errs[0].Exception.Message | Should -BeLike "Batch 2 of 3 (items 3 to 4) may have been started, from file file-* (Get-Batch lists the batches): *. Started already: $($batches[0].id)."
                @(Get-ApiRequests | Where-Object path -eq '/v1/batches').Count | Should -Be 4
            } finally { Invoke-PythonCode 'from cmdlets.batch import limits; limits.MAX_REQUESTS = 50_000' }
        }
    }

    Context 'Failed requests again' {
        It 'Get-BatchRequest -Failed | Start-Batch starts the requests that failed or never ran, custom_ids kept' {
            $done = New-TestBatch 'cancelled' @{ n_requests = 5 }      # cancelled half way: 3 to 5 never ran
            $again = @(Get-BatchRequest -BatchId $done.id -Failed)
            @($again.custom_id) | Should -Be @('request-3', 'request-4', 'request-5')
            $again[0].PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Input'
            Clear-ApiRequests
            $batch = $again | Start-Batch
            $sent = @([Text.Encoding]::UTF8.GetString((Get-TestFileContent $batch.input_file_id)) -split "`n" | ConvertFrom-Json)
            @($sent.custom_id) | Should -Be @('request-3', 'request-4', 'request-5')
            $sent[0].body.messages[0].content | Should -Be 'request-3'
        }

        It 'Get-BatchRequest -IncludeOutput shows each output beside its request, in the input order' {
            $done = New-TestBatch 'completed' @{ n_requests = 3; n_failing = 1 }
            $rows = @($done | Get-BatchRequest -IncludeOutput)
            @($rows.custom_id) | Should -Be @('request-1', 'request-2', 'request-3')
            $rows[0].output.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Output'
            $rows[0].output.response.body.Answer | Should -Be 'Emulated response for request-1.'
            $rows[2].output.response.status_code | Should -Be 400         # the failed one, from the error file
        }

        It '-IncludeOutput: an output PowerShell cannot read (keys that differ only in case) is one error, its request still comes (it ended the output)' {
            $done = New-TestBatch 'completed' @{ n_requests = 3 }
            $line = '{"id":"batch_req_#N#","custom_id":"request-#N#","response":{"status_code":200,"request_id":"r","body":{"id":"chatcmpl-#N#","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"answer #N#"}}]#MORE#}},"error":null}'
            $content = (($line -creplace '#N#', '1' -creplace '#MORE#', ''), ($line -creplace '#N#', '2' -creplace '#MORE#', ',"a":1,"A":2'),
                        ($line -creplace '#N#', '3' -creplace '#MORE#', ',"answer":"its own"')) -join "`n"
            Add-EmulatorFault @{ method = 'GET'; path = "/v1/files/$($done.output_file_id)/content"; status = 200; body_text = "$content`n"; content_type = 'application/octet-stream'; count = $null }
            $errs = $null
            $rows = @($done | Get-BatchRequest -IncludeOutput -ErrorVariable errs -ErrorAction SilentlyContinue)
            @($rows.custom_id) | Should -Be @('request-1', 'request-2', 'request-3')
            $rows[0].output.response.body.Answer | Should -Be 'answer 1'
            $rows[1].output | Should -BeNullOrEmpty
            $rows[2].output.response.body.Answer | Should -Be 'its own'
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -BeLike "The result of request request-2 in file $($done.output_file_id) is not a JSON object PowerShell can read (it has keys that differ only in case)*"
        }

        It 'a batch that has not finished is an error naming its status' {
            $running = New-TestBatch 'in_progress'
            $errs = $null
            Get-BatchRequest -BatchId $running.id -Failed -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs[0].Exception.Message | Should -BeLike '*has not finished (status "in_progress")*-Wait*'
        }
    }
}
