# Request-Response (issue 20, item 2): the direct call as PSOpenAI 4.49 returns it (PSOpenAI.Response, created_at a
# [datetime], LastUserMessage, output_text, History), a conversation and a function call round trip through the
# pipeline, JSON schema answers, the bodies -AsBatch builds, refusals before anything is sent, Azure's route, and a
# Responses batch end to end.

Describe 'Request-Response' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
        $script:Emu = Enter-TestEnvironment
        $script:AzureBase = $script:Emu.Base -replace '/v1$', ''
        function Get-ResponseBodies { @(Get-ApiRequests | Where-Object path -like '*/responses*' | ForEach-Object { $_.body | ConvertFrom-Json }) }
    }
    AfterAll { Exit-TestEnvironment }
    BeforeEach { Reset-TestEmulator }

    Context 'Direct call' {
        It 'returns a PSOpenAI.Response with output_text, LastUserMessage and History' {
            $r = Request-Response -Message 'What can you do?' -SystemMessage 'You are terse.' -Model 'gpt-4o-mini'
            $r.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Response'
            $r.object | Should -Be 'response'
            $r.created_at | Should -BeOfType [datetime]
            $r.output_text | Should -BeOfType [string]
            $r.output_text | Should -BeExactly 'Emulated response for What can you do?'
            $r.LastUserMessage | Should -BeExactly 'What can you do?'
            $r.History | Should -HaveCount 3
            $r.History[0].role | Should -Be 'system'
            $r.History[0].content[0].text | Should -BeExactly 'You are terse.'
            $r.History[1].role | Should -Be 'user'
            $r.History[2].role | Should -Be 'assistant'
            "$r" | Should -Be $r.id          # converts to its id, as PSOpenAI's type data makes it
            (Get-ResponseBodies)[0].input[1].content[0].text | Should -BeExactly 'What can you do?'
        }

        It 'shows as PSOpenAI shows it: its list view, and History as messages typed PSOpenAI.Response.Message' {
            $r = Request-Response -Message 'Hi' -Model 'gpt-4o-mini' -MetaData @{ k = 'v' }
            $r.History | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Response.Message' }
            $shown = ($r | Out-String -Width 200) -split '\r?\n' | Where-Object { $_ -match '^\S' } | ForEach-Object { ($_ -split '\s*:')[0] }
            $shown | Should -Be @('id', 'object', 'created_at', 'status', 'usage', 'metadata', 'model', 'instructions', 'output',
                'LastUserMessage', 'output_text', 'History', 'previous_response_id')
            $table = $r.History | Out-String -Width 200
            $table | Should -Match '(?m)^\s*Type\s+Role\s+Id\s+Content\s*$' -Because 'a History is a table of its messages'
            ($r | Format-List * | Out-String) | Should -Match 'tools'
        }

        It 'piping a response goes on with the conversation (History and Model bind by property name)' {
            $first = Request-Response -Message 'What' -Model 'gpt-4o-mini' -Store $false
            $second = $first | Request-Response -Message 'When' -Store $false
            $second.LastUserMessage | Should -Be 'When'
            $second.History | Should -HaveCount 4
            $second.History[0].content[0].text | Should -Be 'What'
            $second.History[2].content[0].text | Should -Be 'When'
            $bodies = Get-ResponseBodies
            $bodies[1].model | Should -Be 'gpt-4o-mini'
            $bodies[1].store | Should -BeFalse
            $bodies[1].input | Should -HaveCount 3
            $bodies[1].input[1].role | Should -Be 'assistant'
        }

        It 'a function call round trip: the call, then the result given back in History, then the answer' {
            $fn = @{ type = 'function'; name = 'Test-Connection'; description = 'Pings a host.'
                     parameters = @{ type = 'object'; properties = @{ ComputerName = @{ type = 'string' } }; required = @('ComputerName') } }
            $r1 = Request-Response -Message 'Ping 8.8.8.8' -Functions $fn -ToolChoice auto -Store $false
            $r1.output[0].type | Should -Be 'function_call'
            $r1.output[0].name | Should -Be 'Test-Connection'
            $r1.History[1].type | Should -Be 'function_call'
            $r1.History += [pscustomobject]@{ type = 'function_call_output'; call_id = $r1.output[0].call_id; output = 'Success' }
            $r2 = $r1 | Request-Response -Functions $fn -ToolChoice auto -Store $false
            $r2.output_text | Should -BeExactly 'Emulated response for Ping 8.8.8.8.'
            $r2.LastUserMessage | Should -BeExactly 'Ping 8.8.8.8'
            @($r2.History.type) | Should -Be @('message', 'function_call', 'function_call_output', 'message')
            (Get-ResponseBodies)[1].tools[0].name | Should -Be 'Test-Connection'
        }

        It '-OutputType with a class: a strict schema of it is sent, and StructuredOutputs / parsed are instances' {
            class ResponsePerson { [string]$Name; [int]$Age; [string[]]$Hobbies }
            $r = Request-Response 'Invent a person' -OutputType ([ResponsePerson]) -ErrorAction Stop
            $r.StructuredOutputs | Should -HaveCount 1
            $r.StructuredOutputs[0].GetType().Name | Should -Be 'ResponsePerson'
            $r.StructuredOutputs[0].Age | Should -Be 1
            ($r.output | Where-Object type -eq 'message').content[0].parsed.GetType().Name | Should -Be 'ResponsePerson'
            $format = (Get-ResponseBodies)[0].text.format
            $format.name | Should -Be 'ResponsePerson'
            $format.strict | Should -BeTrue
            $format.schema.required | Should -Be @('Name', 'Age', 'Hobbies')
            # piped on: the conversation goes on, the answer resent as the API sent it (no parsed object)
            $r2 = $r | Request-Response 'Another one' -OutputType ([ResponsePerson]) -ErrorAction Stop
            $r2.StructuredOutputs[0].GetType().Name | Should -Be 'ResponsePerson'
            $resent = (Get-ResponseBodies)[1].input | Where-Object role -eq 'assistant'
            $resent.content[0].PSObject.Properties.Name | Should -Not -Contain 'parsed'
        }

        It '-OutputType json_schema answers with JSON valid for the schema' {
            $schema = '{"type":"object","additionalProperties":false,"required":["name","age"],"properties":{"name":{"type":"string"},"age":{"type":"integer"}}}'
            $r = Request-Response 'Invent a person' -OutputType json_schema -JsonSchema $schema -JsonSchemaName 'user-info' -JsonSchemaStrict $true
            $answer = $r.output_text | ConvertFrom-Json
            $answer.name | Should -BeOfType [string]
            $answer.age | Should -BeOfType [long]
            $format = (Get-ResponseBodies)[0].text.format
            $format.type | Should -Be 'json_schema'
            $format.name | Should -Be 'user-info'
            $format.strict | Should -BeTrue
            $format.schema.required | Should -Be @('name', 'age')
        }

        It '-MaxOutputTokens cuts the answer: status incomplete, with PSOpenAI''s warning' {
            $r = Request-Response -Message 'Please write a long poem about the sea.' -MaxOutputTokens 2 -WarningVariable warnings -WarningAction SilentlyContinue
            $r.status | Should -Be 'incomplete'
            $r.output_text.Length | Should -Be 8
            "$warnings" | Should -Match 'The status of response is "incomplete"'
        }

        It 'local files and images go as data URLs, relative to the current location' {
            $folder = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid())
            $null = New-Item -ItemType Directory $folder
            try {
                Set-Content -LiteralPath (Join-Path $folder 'notes.txt') -Value 'hello' -NoNewline
                [IO.File]::WriteAllBytes((Join-Path $folder 'dot.png'), [byte[]](137, 80, 78, 71))
                Push-Location $folder
                try { $r = Request-Response -Message 'Look' -Files 'notes.txt', 'file-abc' -Images 'dot.png' -ImageDetail High } finally { Pop-Location }
                $content = (Get-ResponseBodies)[0].input[0].content
                $content[1].filename | Should -Be 'notes.txt'
                $content[1].file_data | Should -Be ('data:text/plain;base64,' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('hello')))
                $content[2].file_id | Should -Be 'file-abc'
                $content[3].image_url | Should -Match '^data:image/png;base64,'
                $content[3].detail | Should -Be 'high'
                $r.History[0].content[3].image_url | Should -Match '^data:image/png;base64,'
            } finally { Remove-Item -LiteralPath $folder -Recurse -Force }
        }

        It '-PreviousResponseId goes on from a stored response' {
            $first = Request-Response -Message 'Hello' -Store $true
            $r = Request-Response -Message 'Again' -PreviousResponseId $first.id -Store $false
            $r.previous_response_id | Should -Be $first.id
            (Get-ResponseBodies)[1].previous_response_id | Should -Be $first.id
        }

        It 'Azure: POST {ApiBase}/openai/responses?api-version=... with the model in the body' {
            $r = Request-Response -Message 'Hello' -Model 'my-deployment' -ApiType Azure -ApiBase $script:AzureBase
            $r.output_text | Should -Be 'Emulated response for Hello.'
            $request = @(Get-ApiRequests)[-1]
            $request.path | Should -BeLike '/openai/responses?api-version=*'
            ($request.body | ConvertFrom-Json).model | Should -Be 'my-deployment'
            (Request-Response -Message 'x' -AsBatch -ApiType Azure).url | Should -Be '/responses'
        }
    }

    Context '-AsBatch' {
        It 'builds PSOpenAI''s item: url /v1/responses, the default model, the message as input_text' {
            $item = Request-Response -Message 'Hello!' -AsBatch
            $item.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Batch.Input'
            $item.method | Should -Be 'POST'
            $item.url | Should -Be '/v1/responses'
            $item.custom_id | Should -Match '^request-[0-9a-f]{4,}$'
            $item.body.model | Should -Be 'gpt-5.4-mini'
            $item.body.input[0].content[0].text | Should -Be 'Hello!'
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'sends each option only when given: <Arguments>' -ForEach @(
            @{ Arguments = '-Store $false'; Splat = @{ Store = $false }; Key = 'store'; Expected = $false }
            @{ Arguments = '-ParallelToolCalls $true'; Splat = @{ ParallelToolCalls = $true }; Key = 'parallel_tool_calls'; Expected = $true }
            @{ Arguments = '-Instructions'; Splat = @{ Instructions = 'Be brief.' }; Key = 'instructions'; Expected = 'Be brief.' }
            @{ Arguments = '-MaxOutputTokens'; Splat = @{ MaxOutputTokens = 64 }; Key = 'max_output_tokens'; Expected = 64 }
            @{ Arguments = '-Temperature'; Splat = @{ Temperature = 0.5 }; Key = 'temperature'; Expected = 0.5 }
            @{ Arguments = '-TopP'; Splat = @{ TopP = 1 }; Key = 'top_p'; Expected = 1.0 }
            @{ Arguments = '-ToolChoice name'; Splat = @{ ToolChoice = 'get_weather' }; Key = 'tool_choice'; Expected = $null }
            @{ Arguments = '-ReasoningEffort'; Splat = @{ ReasoningEffort = 'low'; ReasoningSummary = 'auto' }; Key = 'reasoning'; Expected = $null }
            @{ Arguments = '-MetaData'; Splat = @{ MetaData = @{ k = 'v' } }; Key = 'metadata'; Expected = $null }
        ) {
            $item = Request-Response -Message 'Hi' -AsBatch @Splat
            $bare = Request-Response -Message 'Hi' -AsBatch
            $bare.body.PSObject.Properties.Name | Should -Not -Contain $Key
            $item.body.PSObject.Properties.Name | Should -Contain $Key
            if ($null -ne $Expected) { $item.body.$Key | Should -Be $Expected }
            switch ($Key) {
                'tool_choice' { $item.body.tool_choice.type | Should -Be 'function'; $item.body.tool_choice.name | Should -Be 'get_weather' }
                'reasoning' { $item.body.reasoning.effort | Should -Be 'low'; $item.body.reasoning.summary | Should -Be 'auto' }
                'metadata' { $item.body.metadata.k | Should -Be 'v' }
                'max_output_tokens' { $item.body.max_output_tokens | Should -BeOfType [int] }
            }
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'a Responses batch runs end to end: items, Start-Batch, Wait-Batch, Get-BatchOutput, .output_text' {
            $i = 0
            $items = 'Hello.', 'What is a hot dog?' | ForEach-Object { Request-Response -Message $_ -Model 'gpt-4o-mini' -AsBatch -CustomBatchId "q-$((++$i))" }
            Set-EmulatorStepSeconds 0.05
            try { $batch = $items | Start-Batch | Wait-Batch -PollIntervalSec 0.05 } finally { Set-EmulatorStepSeconds $null }
            $batch.endpoint | Should -Be '/v1/responses'
            $outputs = @($batch | Get-BatchOutput)
            $outputs | Should -HaveCount 2
            $body = ($outputs | Where-Object custom_id -eq 'q-2').response.body
            $body.PSObject.TypeNames[0] | Should -Be 'PSOpenAI.Response'
            $body.created_at | Should -BeOfType [datetime]
            $body.output_text | Should -BeExactly 'Emulated response for What is a hot dog?'
            $body.LastUserMessage | Should -BeNullOrEmpty
            ($outputs | Where-Object custom_id -eq 'q-1').response.body.output_text | Should -BeExactly 'Emulated response for Hello.'
        }
    }

    Context '-Stream' {
        It 'PSOpenAI''s own test: the first 10 text pieces; they join to the answer' {
            $result = Request-Response -Message 'Please describe about ChatGPT' -Model gpt-4o-mini -MaxOutputTokens 32 `
                -Store $false -Stream -ErrorAction Stop | Select-Object -First 10
            $result | Should -HaveCount 10
            $result | ForEach-Object { $_ | Should -BeOfType [string] }
            (Request-Response -Message 'Hello there' -Stream -ErrorAction Stop) -join '' | Should -BeExactly 'Emulated response for Hello there.'
        }

        It '-StreamOutputType object writes every event as an object' {
            $events = @(Request-Response -Message 'Hi' -Stream -StreamOutputType object -ErrorAction Stop)
            $events[0].type | Should -Be 'response.created'
            $events[-1].type | Should -Be 'response.completed'
            $events[-1].response.output[0].content[0].text | Should -Be 'Emulated response for Hi.'
        }

        It '-Stream -AsBatch is refused before anything is sent' {
            { Request-Response -Message 'Hi' -Stream -AsBatch -ErrorAction Stop } | Should -Throw -ExpectedMessage '*-Stream (stream=True) cannot be used with -AsBatch (as_batch=True)*'
            Get-ApiRequests | Should -BeNullOrEmpty
        }
    }

    Context 'Refused before anything is sent' {
        It '<Arguments>: not supported by this port yet' -ForEach @(
            @{ Arguments = '-Background'; Splat = @{ Background = $true } }
            @{ Arguments = '-UseWebSearchTool'; Splat = @{ UseWebSearchTool = $true; WebSearchContextSize = 'low' } }
            @{ Arguments = '-UseFileSearchTool'; Splat = @{ UseFileSearchTool = $true; FileSearchVectorStoreIds = 'vs_1' } }
            @{ Arguments = '-UseComputerUseTool'; Splat = @{ UseComputerUseTool = $true } }
            @{ Arguments = '-UseRemoteMCPTool'; Splat = @{ UseRemoteMCPTool = $true; RemoteMCPServerLabel = 'x'; RemoteMCPServerUrl = 'https://mcp.test/'; RemoteMCPAuthorization = 'tok-SECRET' } }
            @{ Arguments = '-UseCodeInterpreterTool'; Splat = @{ UseCodeInterpreterTool = $true } }
            @{ Arguments = '-UseImageGenerationTool'; Splat = @{ UseImageGenerationTool = $true } }
            @{ Arguments = '-UseLocalShellTool'; Splat = @{ UseLocalShellTool = $true } }
        ) {
            foreach ($asBatch in $false, $true) {
                $err = $null
                try { Request-Response -Message 'Hi' @Splat -AsBatch:$asBatch } catch { $err = $_ }
                $err | Should -Not -BeNullOrEmpty
                $err.Exception | Should -Not -BeOfType [System.Management.Automation.ParameterBindingException]
                $err.Exception.Message | Should -Match 'not supported by this port yet'
                $err.Exception.Message | Should -Not -Match 'tok-SECRET'
                $err.CategoryInfo.Category | Should -Be 'NotImplemented'
            }
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It '<Arguments>: <Message>' -ForEach @(
            @{ Arguments = 'no message'; Splat = @{}; Message = 'No message is specified' }
            @{ Arguments = '-OutputType json_schema alone'; Splat = @{ Message = 'x'; OutputType = 'json_schema'; JsonSchemaName = 'n' }; Message = 'JsonSchema must be specified' }
            @{ Arguments = 'no -JsonSchemaName'; Splat = @{ Message = 'x'; OutputType = 'json_schema'; JsonSchema = '{}' }; Message = 'JsonSchemaName must be specified' }
            @{ Arguments = 'a path that names no file'; Splat = @{ Message = 'x'; Files = 'no/such/file.txt' }; Message = 'neither a file' }
        ) {
            Request-Response @Splat -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            "$($err[0])" | Should -Match $Message
            Get-ApiRequests | Should -BeNullOrEmpty
        }

        It 'a bad -Temperature is PowerShell''s own binding error' {
            { Request-Response -Message 'x' -Temperature 3 } | Should -Throw -ExceptionType ([System.Management.Automation.ParameterBindingException])
            Get-ApiRequests | Should -BeNullOrEmpty
        }
    }
}
