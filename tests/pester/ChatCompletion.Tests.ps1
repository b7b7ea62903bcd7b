# Request-ChatCompletion through the bridge: -AsBatch items (PSOpenAI's body, nothing sent, no key needed),
# PSOpenAI's Batch guide (Guides/How_to_use_Batch.md) step by step against the emulator, a real call,
# and what this port does not carry out (a clear error before anything is sent).
# Run: pwsh tests/pester/run.ps1 -Path tests/pester/ChatCompletion.Tests.ps1

Describe 'Request-ChatCompletion' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        function Get-Lines([byte[]]$Bytes) { [Text.Encoding]::UTF8.GetString($Bytes) -split "`n" | Where-Object { $_ } }
        # Whether the bridge adds an object's note properties (Answer, Message, History) yet.
    }

    AfterAll { Exit-TestEnvironment }

    BeforeEach { Reset-TestEmulator }

    Context '-AsBatch' {
        It 'emits a PSOpenAI.Batch.Input with the request body, sends nothing and needs no API key' {
            $saved = $env:OPENAI_API_KEY
            try {
                $env:OPENAI_API_KEY = $null
                $item = Request-ChatCompletion -Message 'Hello.' -Model 'gpt-4o-mini' -AsBatch -CustomBatchId 'item-1'
            } finally { $env:OPENAI_API_KEY = $saved }
            $item.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Input'
            $item.PSObject.Properties.Name | Should -Be @('custom_id', 'method', 'url', 'body')
            $item.custom_id | Should -Be 'item-1'
            $item.method | Should -Be 'POST'
            $item.url | Should -Be '/v1/chat/completions'
            $item.body | ConvertTo-Json -Compress -Depth 10 |
                Should -Be '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello."}]}'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'without -CustomBatchId the id is request-XXXX (four hex digits, five past ffff)' {
            (Request-ChatCompletion 'Hi' -AsBatch).custom_id | Should -Match '^request-[0-9a-f]{4,}$'
        }

        It 'the body holds the options given, in PSOpenAI''s order' {
            $item = Request-ChatCompletion -Message '  Hi  ' -Name bob -SystemMessage '  Be brief. ', ' ' -DeveloperMessage dev `
                -Temperature 1 -TopP 0.5 -NumberOfAnswers 2 -Store -ReasoningEffort low -MetaData ([ordered]@{ k = 'v' }) `
                -StopSequence END -MaxCompletionTokens 10 -PresencePenalty 0.5 -LogitBias @{ 50256 = -100 } -LogProbs $true `
                -TopLogProbs 3 -ResponseFormat json_object -Seed 42 -User u -WebSearchContextSize LOW -AsBatch
            $item.body | ConvertTo-Json -Compress -Depth 10 | Should -Be ('{"model":"gpt-5.4-mini","temperature":1.0,"top_p":0.5,' +
                '"n":2,"store":true,"reasoning_effort":"low","metadata":{"k":"v"},"stop":["END"],"max_completion_tokens":10,' +
                '"presence_penalty":0.5,"logit_bias":{"50256":-100.0},"logprobs":true,"top_logprobs":3,' +
                '"response_format":{"type":"json_object"},"seed":42,"user":"u","web_search_options":{"search_context_size":"low"},' +
                '"messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":"dev"},' +
                '{"role":"user","content":"Hi","name":"bob"}]}')
        }

        It 'messages bind from the pipeline by value, one item each' {
            $items = @('One', 'Two' | Request-ChatCompletion -Model gpt-4o-mini -AsBatch)
            $items.Count | Should -Be 2
            $items.body.messages.content | Should -Be @('One', 'Two')
        }

        It 'History binds by property name and is sent first' {
            $past = [pscustomobject]@{ History = @(@{ role = 'user'; content = 'Q' }, @{ role = 'assistant'; content = 'A' }) }
            $item = $past | Request-ChatCompletion -Message 'Next' -AsBatch
            $item.body.messages.content | Should -Be @('Q', 'A', 'Next')
            $item.body.messages.role | Should -Be @('user', 'assistant', 'user')
        }

        It '-MaxTokens is obsolete: a warning, and it is sent' {
            $item = Request-ChatCompletion 'Hi' -MaxTokens 5 -AsBatch -WarningVariable warn -WarningAction SilentlyContinue
            $item.body.max_tokens | Should -Be 5
            "$warn" | Should -Match 'obsolete'
        }
    }

    Context 'PSOpenAI''s Batch guide' {
        It 'step 1 to 4: items by -AsBatch, Start-Batch, Get-Batch / Wait-Batch, Get-BatchOutput, Remove-OpenAIFile' {
            Set-EmulatorStepSeconds 0.1
            # Step 1
            $BatchItems = @()
            $BatchItems += Request-ChatCompletion -Message 'Hello.' -Model 'gpt-4o-mini' -AsBatch -CustomBatchId 'item-1'
            $BatchItems += Request-ChatCompletion -Message 'What is a hot dog?' -Model 'gpt-4o-mini' -AsBatch -CustomBatchId 'item-2'
            $BatchItems += Request-ChatCompletion -Message 'How do I say delicious in German?' -Model 'gpt-4o-mini' -AsBatch -CustomBatchId 'item-3'
            Get-ApiRequests | Should -BeNullOrEmpty
            # Step 2
            $Batch = $BatchItems | Start-Batch
            $Batch.status | Should -BeIn @('validating', 'in_progress')
            $Batch = Get-Batch -BatchId $Batch.Id
            $Batch.status | Should -Not -BeNullOrEmpty
            $Batch = $Batch | Wait-Batch -PollIntervalSec 0.1
            $Batch.status | Should -Be 'completed'
            $Batch.endpoint | Should -Be '/v1/chat/completions'
            # The uploaded JSONL: one compact line per item, PSOpenAI's request bodies
            $lines = @(Get-Lines (Get-OpenAIFileContent -FileId $Batch.input_file_id))
            $lines[0] | Should -Be '{"custom_id":"item-1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello."}]}}'
            $lines.Count | Should -Be 3
            # Step 3
            $BatchResult = $Batch | Get-BatchOutput
            @($BatchResult).Count | Should -Be 3
            $expected = @{ 'item-1' = 'Emulated response for Hello.'; 'item-2' = 'Emulated response for What is a hot dog?'
                           'item-3' = 'Emulated response for How do I say delicious in German?' }
            foreach ($r in $BatchResult) { $r.response.body.choices[0].message.content | Should -Be $expected[$r.custom_id] }
            $answers = $BatchResult | Select-Object custom_id, @{Name = 'Answer'; Expression = { $_.response.body.Answer } }
            # Step 4
            Remove-OpenAIFile -FileId $Batch.input_file_id
            Remove-OpenAIFile -FileId $Batch.output_file_id
            @(Get-ApiRequests | Where-Object method -eq 'DELETE').Count | Should -Be 2
            $BatchResult[0].response.body.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Chat.Completion'
            foreach ($a in $answers) { $a.Answer | Should -Be $expected[$a.custom_id] }
            # the same answer a direct call gets
            (Request-ChatCompletion -Message 'Hello.' -Model 'gpt-4o-mini').Answer | Should -Be $expected['item-1']
        }
    }

    Context 'A real call' {
        It 'POSTs /v1/chat/completions and returns a PSOpenAI.Chat.Completion' {
            $result = Request-ChatCompletion -Message 'Hello.' -Model 'gpt-4o-mini' -SystemMessage 'Be brief.' -Temperature 0.5
            $result.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Chat.Completion'
            $result.created | Should -BeOfType [datetime]
            $result.model | Should -Be 'gpt-4o-mini'
            $result.choices[0].message.content | Should -Be 'Emulated response for Hello.'
            $request = @(Get-ApiRequests)
            $request.Count | Should -Be 1
            "$($request[0].method) $($request[0].path)" | Should -Be 'POST /v1/chat/completions'
            $request[0].body | ConvertFrom-Json | ConvertTo-Json -Compress -Depth 10 | Should -Be '{"model":"gpt-4o-mini","temperature":0.5,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello."}]}'
        }

        It 'Answer, Message and History, and the conversation goes on through the pipeline' {
            $first = Request-ChatCompletion -Message 'One.' -Model 'gpt-4o-mini'
            , $first.Answer | Should -BeOfType [string[]]
            $first.Answer | Should -Be @('Emulated response for One.')
            $first.Message | Should -Be 'One.'
            $first.History.content | Should -Be @('One.', 'Emulated response for One.')
            $second = $first | Request-ChatCompletion -Message 'Two.'
            $second.History.content | Should -Be @('One.', 'Emulated response for One.', 'Two.', 'Emulated response for Two.')
            $second.model | Should -Be 'gpt-4o-mini'
            $second.History | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Chat.Completion.Message' }
            # [ordered] dictionaries, as PSOpenAI builds them: indexed by key, with Keys, shown as Name/Value
            $second.History | ForEach-Object { $_ | Should -BeOfType [System.Collections.Specialized.OrderedDictionary] }
            $second.History[3]['role'] | Should -Be 'assistant'
            $second.History[0].Role | Should -Be 'user'     # keys in any case, as [ordered]@{} (PSOpenAI's tests read .Role)
            (Request-ChatCompletion 'Hi' -AsBatch).body.messages[0].ROLE | Should -Be 'user'
            @($second.History[0].Keys) | Should -Be @('role', 'content')
        }

        It 'a retired model is warned about before its request (which is sent), and a batch of its items once' {
            $w = $null
            $r = Request-ChatCompletion 'Hi' -Model 'gpt-4' -WarningVariable w -WarningAction SilentlyContinue
            $r.model | Should -Be 'gpt-4'
            @($w).Count | Should -Be 1
            "$($w[0])" | Should -Be 'The model gpt-4 was shut down on 2026-10-23: its requests fail. Choose another model.'
            $w = $null
            $batch = 1..3 | ForEach-Object { Request-ChatCompletion "Hi $_" -Model 'o1' -AsBatch } | Start-Batch -WarningVariable w -WarningAction SilentlyContinue
            $batch.id | Should -Match '^batch_'
            @($w).Count | Should -Be 1
            "$($w[0])" | Should -BeLike "The batch's requests are for the model o1, which was shut down on 2026-10-23*"
        }

        It '-ResponseFormat raw_response returns the JSON text' {
            $text = Request-ChatCompletion 'Hi' -ResponseFormat raw_response
            $text | Should -BeOfType [string]
            ($text | ConvertFrom-Json).object | Should -Be 'chat.completion'
        }

        It 'an API failure is PSOpenAI''s exception' {
            Add-EmulatorFault @{ path_prefix = '/v1/chat'; status = 400 }
            { Request-ChatCompletion 'Hi' } | Should -Throw -ErrorId 'PSOpenAI.APIRequest.BadRequestException,Request-ChatCompletion'
        }
    }

    Context 'Images (issue 19)' {
        BeforeAll {
            $script:ImageDir = Join-Path ([IO.Path]::GetTempPath()) "psbridge-images-$PID"
            $null = New-Item -ItemType Directory -Force -Path $script:ImageDir
            [IO.File]::WriteAllBytes((Join-Path $script:ImageDir 'donut.png'), [byte[]](0x89, 0x50, 0x4E, 0x47))
        }
        AfterAll { Remove-Item -LiteralPath $script:ImageDir -Recurse -Force -ErrorAction Ignore }

        It 'a relative path is read from pwsh''s current location and sent as a data URL; a URL as given' {
            Push-Location $script:ImageDir
            try { $item = Request-ChatCompletion -Message 'What is this?' -Model 'gpt-4o-mini' -Images 'donut.png', 'https://example.test/a.jpg' -ImageDetail Low -AsBatch }
            finally { Pop-Location }
            $content = $item.body.messages[-1]['content']
            $content[0].type | Should -Be 'text'
            $content[1].image_url.url | Should -Be 'data:image/png;base64,iVBORw=='
            $content[1].image_url.detail | Should -Be 'low'
            $content[2].image_url.url | Should -Be 'https://example.test/a.jpg'
        }

        It 'a path naming no file is an ArgumentException before anything is sent (PSOpenAI sends it as a URL)' {
            Push-Location $script:ImageDir
            try {
                { Request-ChatCompletion -Message 'What is this?' -Model 'gpt-4o-mini' -Images 'donot.png' -ErrorAction Stop } |
                    Should -Throw -ExceptionType ([ArgumentException]) -ExpectedMessage "*'donot.png' is neither a file nor an image URL*"
                { Request-ChatCompletion -Message 'What is this?' -Images 'donot.png' -AsBatch -ErrorAction Stop } |
                    Should -Throw -ExceptionType ([ArgumentException])
            } finally { Pop-Location }
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'a direct call with an image answers, and Message is the text (PSOpenAI''s own test, in short)' {
            $r = Request-ChatCompletion -Model 'gpt-4o-mini' -Message "What's in this image?" -Images (Join-Path $script:ImageDir 'donut.png')
            $r.Message | Should -Be "What's in this image?"
            $r.Answer | Should -HaveCount 1
            $r.History[0].role | Should -Be 'user'
            $sent = (Get-ApiRequests)[-1].body | ConvertFrom-Json
            $sent.messages[-1].content[1].image_url.url | Should -BeLike 'data:image/png;base64,*'
        }
    }

    Context 'Tools (issue 19)' {
        BeforeAll {
            $script:Ping = @(@{ type = 'function'; function = @{ name = 'Test-Connection'; description = 'Sends pings.'
                    parameters = @{ type = 'object'; properties = @{ ComputerName = @{ type = 'string' }; Count = @{ type = 'integer' } }
                                    required = @('ComputerName') } } })
        }

        It 'the model''s tool call is on the result, Answer empty, as PSOpenAI''s own test reads it (-InvokeTools None)' {
            $r = Request-ChatCompletion -Message 'Ping the DNS server.' -Model 'gpt-4o-mini' -Temperature 0.1 -Tools $script:Ping -InvokeTools None -ErrorAction Stop
            $r.Answer | Should -BeNullOrEmpty
            $r.Message | Should -Be 'Ping the DNS server.'
            $r.choices[0].message.tool_calls[0].function.name | Should -BeExactly 'Test-Connection'
            ($r.choices[0].message.tool_calls[0].function.arguments | ConvertFrom-Json).ComputerName | Should -Be 'example'
            $sent = (Get-ApiRequests)[-1].body | ConvertFrom-Json
            $sent.tools[0].function.name | Should -Be 'Test-Connection'
        }

        It '-AsBatch carries tools, tool_choice and parallel_tool_calls; a bare function definition is wrapped' {
            $item = Request-ChatCompletion -Message 'x' -Model 'm' -AsBatch -Tools @{ name = 'Get-Date' } -ToolChoice required -ParallelToolCalls
            $item.body.tools[0].type | Should -Be 'function'
            $item.body.tools[0].function.name | Should -Be 'Get-Date'
            $item.body.tool_choice | Should -Be 'required'
            $item.body.parallel_tool_calls | Should -BeTrue
        }
    }

    Context 'Structured output from the emulator (issue 19)' {
        It '-ResponseFormat json_schema: the answer is JSON of the schema''s shape' {
            $schema = @{ name = 'weather'; strict = $true; schema = @{ type = 'object'; additionalProperties = $false
                    required = @('city', 'days'); properties = @{ city = @{ type = 'string' }; days = @{ type = 'integer' } } } } | ConvertTo-Json -Depth 10
            $r = Request-ChatCompletion -Message 'Weather?' -Model 'gpt-4o-mini' -ResponseFormat json_schema -JsonSchema $schema
            $answer = $r.Answer[0] | ConvertFrom-Json
            $answer.city | Should -Be 'Emulated response for Weather?'
            $answer.days | Should -Be 1
        }
    }

    Context 'Structured Outputs with a class (issue 19)' {
        BeforeAll {
            # PSOpenAI's own test classes
            class Step { [string]$Explanation; [string]$Output }
            class MathReasoning { [Step[]]$Steps; [string]$FinalAnswer; [Nullable[int]]$Tries; [DayOfWeek]$Day; hidden [string]$Secret }
        }

        It 'sends a strict schema of the class''s properties and returns instances of it in Answer and message.parsed' {
            $r = Request-ChatCompletion -Message 'Solve 8x + 7 = -23' -Format ([MathReasoning]) -NumberOfAnswers 2 -ErrorAction Stop
            $r.Answer | Should -HaveCount 2
            $r.Answer[0].GetType().Name | Should -Be 'MathReasoning'
            $r.Answer[0].FinalAnswer | Should -BeExactly 'Emulated response for Solve 8x + 7 = -23.'
            $r.Answer[0].Steps[0].GetType().Name | Should -Be 'Step'
            $r.Answer[1].Day | Should -Be ([DayOfWeek]::Sunday)
            $r.choices[1].message.parsed.GetType().Name | Should -Be 'MathReasoning'
            $r.choices[0].message.content | Should -BeOfType ([string])
            $sent = (Get-ApiRequests)[0].body | ConvertFrom-Json
            $format = $sent.response_format.json_schema
            $format.name | Should -Be 'MathReasoning'
            $format.strict | Should -BeTrue
            $format.schema.required | Should -Be @('Steps', 'FinalAnswer', 'Tries', 'Day')     # hidden: left out
            $format.schema.additionalProperties | Should -BeFalse
            $format.schema.properties.Steps.items.'$ref' | Should -Be '#/$defs/Step'
            $format.schema.properties.Tries.type | Should -Be @('integer', 'null')
            $format.schema.'$defs'.Step.required | Should -Be @('Explanation', 'Output')
        }

        It '-AsBatch carries the same response_format, and Python''s answer is PowerShell''s Answer' {
            $item = Request-ChatCompletion -Message 'x' -ResponseFormat ([MathReasoning]) -AsBatch
            $item.body.response_format.json_schema.name | Should -Be 'MathReasoning'
            $item.body.response_format.json_schema.schema.properties.Day.enum | Should -Contain 'Monday'
        }

        It 'a batch of such items: Get-BatchOutput -OutputType reads each answer as the class, as the direct call does' {
            Set-EmulatorStepSeconds 0.05
            try {
                $batch = 1..2 | ForEach-Object { Request-ChatCompletion -Message "Solve $_" -Format ([MathReasoning]) -AsBatch -CustomBatchId "m-$_" } |
                    Start-Batch | Wait-Batch -PollIntervalSec 0.05
            } finally { Set-EmulatorStepSeconds $null }
            $outputs = @($batch | Get-BatchOutput -OutputType ([MathReasoning]) -ErrorAction Stop)
            $outputs | Should -HaveCount 2
            foreach ($o in $outputs) {
                $o.response.body.Answer[0].GetType().Name | Should -Be 'MathReasoning'
                $o.response.body.choices[0].message.parsed.Steps[0].GetType().Name | Should -Be 'Step'
                $o.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Output'
                $o.response.body.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Chat.Completion'
            }
            # without it: the JSON text, as PSOpenAI gives it
            (@($batch | Get-BatchOutput)[0].response.body.Answer[0]) | Should -BeOfType [string]
        }

        It 'Get-BatchOutput -OutputType: an answer that is not the class is one error, just before its line; the others are read' {
            $good = ConvertTo-Json -Compress '{"Steps":[{"Explanation":"e","Output":"o"}],"FinalAnswer":"a","Tries":1,"Day":"Monday"}'
            $lines = foreach ($i in 1..3) {
                $content = if ($i -eq 2) { '"not the class"' } else { $good }
                '{"id":"batch_req_' + $i + '","custom_id":"m-' + $i + '","response":{"status_code":200,"request_id":"r","body":{"id":"chatcmpl-' + $i +
                    '","object":"chat.completion","created":1700000000,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":' + $content + '}}]}},"error":null}'
            }
            $file = New-TestFile -Content ([Text.Encoding]::UTF8.GetBytes(($lines -join "`n") + "`n")) -Name 'out.jsonl' -Purpose 'user_data'
            $batch = [pscustomobject]@{ PSTypeName = 'PSOpenAI.Batch'; id = 'batch_x'; object = 'batch'; status = 'completed'; output_file_id = $file.id }
            $errs = $null
            $outputs = @($batch | Get-BatchOutput -OutputType ([MathReasoning]) -ErrorVariable errs -ErrorAction SilentlyContinue)
            @($outputs.custom_id) | Should -Be @('m-1', 'm-2', 'm-3')
            $outputs[0].response.body.Answer[0].GetType().Name | Should -Be 'MathReasoning'
            $outputs[2].response.body.Answer[0].GetType().Name | Should -Be 'MathReasoning'
            $errs.Count | Should -Be 1
            $errs[0].Exception.Message | Should -Match '^The answer could not be read as MathReasoning'
            # under -ErrorAction Stop: the line before it is out, then its error
            $out = [Collections.Generic.List[object]]::new()
            $caught = $null
            try { $batch | Get-BatchOutput -OutputType ([MathReasoning]) -ErrorAction Stop | ForEach-Object { $out.Add($_) } } catch { $caught = $_ }
            @($out.custom_id) | Should -Be @('m-1')
            $caught.Exception.Message | Should -Match '^The answer could not be read as MathReasoning'
        }

        It 'a type that is not a class with properties is refused before anything is sent' -ForEach @(
            @{ Type = [string]; Message = 'must be a class' }
            @{ Type = [hashtable]; Message = 'cannot describe the type ?System.Collections.Hashtable? (a dictionary' }
        ) {
            { Request-ChatCompletion -Message 'x' -ResponseFormat $Type -ErrorAction Stop } | Should -Throw -ExpectedMessage "*$Message*"
            Get-ApiRequests | Should -BeNullOrEmpty
        }
    }

    Context 'Audio in and out (issue 19)' {
        It 'sends the audio file and the audio options; saves the spoken answer; Answer is its transcript' {
            Push-Location $TestDrive
            try {
                [IO.File]::WriteAllBytes((Join-Path $TestDrive 'q.mp3'), [byte[]](1, 2, 3))
                $r = Request-ChatCompletion -Message 'Say it.' -Modalities text, audio -Voice shimmer -Model gpt-audio-1.5 `
                    -InputAudio 'q.mp3' -AudioOutFile 'out/reply.mp3' -ErrorAction Stop
            } finally { Pop-Location }
            $sent = (Get-ApiRequests)[0].body | ConvertFrom-Json
            $sent.audio.voice | Should -Be 'shimmer'
            $sent.audio.format | Should -Be 'mp3'
            $sent.messages[0].content[1].input_audio.data | Should -Be ([Convert]::ToBase64String([byte[]](1, 2, 3)))
            $sent.messages[0].content[1].input_audio.format | Should -Be 'mp3'
            $r.Answer | Should -Be @('Emulated response for Say it.')
            $r.History[1].audio.id | Should -BeExactly $r.choices[0].message.audio.id
            [Text.Encoding]::UTF8.GetString([IO.File]::ReadAllBytes((Join-Path $TestDrive 'out/reply.mp3'))) |
                Should -BeExactly "EMULATED AUDIO`nEmulated response for Say it."
        }

        It 'a missing audio file is an error before anything is sent' {
            { Request-ChatCompletion -Message 'x' -InputAudio (Join-Path $TestDrive 'none.wav') -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*Cannot read the audio file*'
            Get-ApiRequests | Should -BeNullOrEmpty
        }
    }

    Context 'Not supported by this port' {
        It '<Arguments>: an error saying so, before anything is sent' -ForEach @(
            @{ Arguments = '-InvokeTools Auto'; Splat = @{ InvokeTools = 'Auto' } }
            @{ Arguments = '-LogitBias word'; Splat = @{ LogitBias = @{ hello = 1 } } }
        ) {
            foreach ($asBatch in $false, $true) {
                $err = $null
                try { Request-ChatCompletion -Message 'Hi' @Splat -AsBatch:$asBatch } catch { $err = $_ }
                $err | Should -Not -BeNullOrEmpty
                $err.Exception | Should -Not -BeOfType [System.Management.Automation.ParameterBindingException]
                $err.Exception.Message | Should -Match 'not supported by this port'
                $err.CategoryInfo.Category | Should -Be 'NotImplemented'
            }
            Get-ApiRequests | Should -BeNullOrEmpty
        }
    }

    Context 'Bad arguments' {
        It 'no message at all is an error for that item' {
            Request-ChatCompletion -AsBatch -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].Exception.Message | Should -Match 'No message is specified'
        }

        It 'PowerShell checks ranges before Python runs' {
            { Request-ChatCompletion 'Hi' -Temperature 3 -AsBatch } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Request-ChatCompletion'
        }

        It 'a -Name that does not fit the pattern is refused' {
            Request-ChatCompletion 'Hi' -Name 'bad name' -AsBatch -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].Exception.Message | Should -Match 'pattern'
        }
    }
}
