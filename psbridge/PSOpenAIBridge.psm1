# PSOpenAIBridge: ordinary PowerShell cmdlets whose parameters come from manifests/*.yaml and whose
# behaviour lives in Python (cmdlets/), run by CPython hosted in this pwsh process through pythonnet.
# Nothing here is specific to a cmdlet: the functions are generated from the manifests at import.
# Python is started by boot/Boot.cs (the nested module the manifest loads first): see Start-PSOpenAIBridgeImport.
#
# Nothing needs setting: `python -m psbridge install` records the interpreter and Python.Runtime.dll in
# PSOpenAIBridge.install.json beside this file, and without that record both are looked for (see
# PythonSearch.ps1: Get-PSOpenAIBridgePython, Find-PSOpenAIBridgeRuntimeDll). Environment variables override:
#   PSOPENAIBRIDGE_PYTHON       the interpreter to host (default: the record's; else the virtual environment
#                               whose site-packages holds this module; else <repo>/.venv; else python3 on PATH)
#   PSOPENAIBRIDGE_RUNTIME_DLL  Python.Runtime.dll (default: the record's; else the interpreter's pythonnet
#                               wheel; else the newest NuGet package pythonnet in <repo>/.tools/nuget (restored
#                               by tools/setup-powershell.sh), then in $NUGET_PACKAGES or ~/.nuget/packages)
#   PYTHONNET_PYDLL             libpython (default: found from the interpreter's sysconfig)
#   PSOPENAIBRIDGE_MANIFESTS    another manifests folder (default: the project's; used by tests)

# The module calls .NET methods (pythonnet, the JSON reader) here and in every generated function, which
# ConstrainedLanguage forbids, so it says so in one sentence rather than failing on its first call. Under
# AppLocker/WDAC a module from a path the policy trusts runs in FullLanguage whatever the session's mode.
if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') {
    throw "PSOpenAIBridge needs FullLanguage mode, because it hosts Python through .NET method calls that $($ExecutionContext.SessionState.LanguageMode) does not allow: import it in a FullLanguage session, or from a folder your AppLocker or WDAC policy trusts."
}

# Import-time cost matters (every new pwsh pays it), so this file calls .NET rather than cmdlets from
# modules that PowerShell would auto-load first: ConvertFrom-Json or Select-Object alone would load
# Microsoft.PowerShell.Utility, about a third of a second on a cold machine.
$script:ModuleRoot = [IO.Path]::GetDirectoryName($PSScriptRoot)    # the folder holding psbridge/ (the repo root)

# PowerShell's JSON reader, the engine behind ConvertFrom-Json, called directly to skip cmdlet overhead.
# Loaded by assembly-qualified name: whether pwsh has loaded Microsoft.PowerShell.Commands.Utility yet
# depends on how it was started and on its startup-profile cache (a fresh machine, an interactive
# console and a job differ), so a lookup by type name alone can find nothing. Loaded once Python has started
# (Import-PSOpenAIBridgeAssemblies), as is every other assembly the generated functions name: pythonnet's
# Initialize scans the types of every assembly loaded by then, on the import's critical path; one loaded
# later is scanned by the thread loading it, here while Python imports on its own.
$script:JsonObject = $null

function Import-PSOpenAIBridgeAssemblies {
    if ($script:JsonObject) { return }
    $script:JsonObject = [type]::GetType('Microsoft.PowerShell.Commands.JsonObject, Microsoft.PowerShell.Commands.Utility', $true)
    $null = [System.Reflection.Assembly]::Load('System.Net.Primitives')    # [System.Net.NetworkCredential]
}

function ConvertFrom-PSOpenAIBridgeJson([string]$Json) {
    # One JSON object (not an array: output from a function would be unrolled).
    Import-PSOpenAIBridgeAssemblies
    $parseError = $null
    $value = $script:JsonObject::ConvertFromJson($Json, [ref]$parseError)
    if ($null -ne $parseError) { throw $parseError }
    $value
}

function Get-PSOpenAIBridgeRest([string[]]$Fields, [int]$First) {
    # The fields from $First on (none past the end: `$a[$i..($a.Length - 1)]` would count down instead).
    , [string[]]$(if ($Fields.Length -gt $First) { $Fields[$First..($Fields.Length - 1)] } else { @() })
}

function Read-PSOpenAIBridgeKeptFunctions {
    # The generated functions' text as an earlier import kept it, parsed (~0.09 s of a cold import) while
    # Python starts on the thread boot/Boot.cs's OnImport began for this import, if it did; else $null. Only parsed:
    # nothing of it runs before Python's startup.begin, which checks the kept file (its key, its hash, who can
    # write it) and gives the same text back. (Parsing does run `using module` / `using assembly`, so a text naming
    # either is not parsed early; the generator writes neither.)
    if (-not $script:Boot::Starting($PSScriptRoot)) { return }
    try {
        # the key and hash line, the function names, the aliases, then the text (startup.write_cache)
        $kept = [IO.File]::ReadAllText($script:Boot::CachePath($PSScriptRoot, 'functions', 'ps1')).Split([char]10, 4)
        if ($kept.Length -eq 4 -and $kept[3] -notmatch '\busing\s+(module|assembly)\b') {
            @{ Text = $kept[3]; Block = [scriptblock]::Create($kept[3]) }
        }
    } catch { }     # none kept, or unreadable: parsed once Python gives the text
}

function Start-PSOpenAIBridgeImport {
    $ErrorActionPreference = 'Stop'     # here only: the generated functions must not inherit it
    # Starts Python (once per process) and the import of the Python half on a Python thread (psbridge/startup.py),
    # through boot/Boot.cs: taken from the nested module's OnImport when it started them before this file was even
    # parsed (an earlier import kept the probe's answer), else started here, after probing the interpreter when
    # nothing is kept. Returns the generated functions' text as an earlier import kept it ('' if none, or out of
    # date), for this module to compile meanwhile, their names and aliases, and the scope holding the token
    # Complete-PSOpenAIBridgeImport takes.
    try {
        $started = $script:Boot::Take($PSScriptRoot)
        if (-not $started) {
            $info = @{}
            if (-not $script:Boot::PythonStarted) {
                $kept = $script:Boot::ReadKept($PSScriptRoot)
                $info = if ($kept) { @{ executable = $kept[0]; libpython = $kept[1]; dll = $kept[2]; path = Get-PSOpenAIBridgeRest $kept 3 } } else {
                    . ([IO.Path]::Combine($PSScriptRoot, 'PythonSearch.ps1'))
                    Get-PSOpenAIBridgePython
                }
            }
            $started = $script:Boot::Start($PSScriptRoot, [string]$env:PSOPENAIBRIDGE_MANIFESTS, $info.executable, $info.libpython, $info.dll, [string[]]@($info.path))
        }
    } catch [System.Management.Automation.MethodInvocationException] {
        throw $_.Exception.InnerException       # (its own message, not "Exception calling "Start" with ...")
    }
    $conflict, $names, $aliases, $text = $started[0].Split([char]0, 4)
    if ($conflict) { throw "PSOpenAIBridge: $conflict" }
    @{
        Scope = $started[1]; Text = $text
        Names = $names.Split([char]10, [StringSplitOptions]::RemoveEmptyEntries)
        Aliases = $aliases.Split([char]10, [StringSplitOptions]::RemoveEmptyEntries)
    }
}

function Complete-PSOpenAIBridgeImport {
    $ErrorActionPreference = 'Stop'
    # Waits for the import thread and fetches the invoke delegates (and the functions' text, when the
    # cache had none): boot/Boot.cs's Finish. Called by the import itself without a kept text, else by the first
    # command run (last in the generated begin blocks' shared part), so that PowerShell's own work until then (the
    # rest of the import, finding and binding the command, its begin block) overlaps Python's. A failure there is
    # that command's error, each time.
    $begun = $script:PSOpenAIBridgeBegun
    try {
        # Cmdlet name -> the delegate its process block calls; 'Cmdlet/Parameter' -> a collecting parameter's.
        $text, $script:PSOpenAIBridgeInvoke, $aliases = $script:Boot::Finish($begun.Scope)
    } catch [System.Management.Automation.MethodInvocationException] {
        throw $_.Exception.InnerException       # (Python's error, not "Exception calling "Finish" with ...")
    }
    $script:PSOpenAIBridgeBegun = $null
    if (-not $begun.Text) {
        $begun.Text = $text
        $begun.Names = @($script:PSOpenAIBridgeInvoke.Keys).Where({ -not $_.Contains('/') })
        $begun.Aliases = $aliases.Split([char]10, [StringSplitOptions]::RemoveEmptyEntries)
    }
}

# A batch or a file converts to its id, so an object goes wherever an id is expected: Get-Batch -BatchId
# $batch, Wait-Batch $batch, Remove-OpenAIFile $file, Add-OpenAIFile ... | Start-Batch. An instance member,
# not type data: PSOpenAI registers the same member as type data, and its import would fail on ours. Where
# its type data is loaded (PSOpenAI imported first) it gives the same id, and the instance member is not
# added (adding it would throw).
$script:IdToString = [System.Management.Automation.PSScriptMethod]::new('ToString', { [string]$this.id })
# PSOpenAI 4.49's type data gives a chat completion and a response the same ToString (so a batch output's
# response shows `body=chatcmpl-…`).
$script:ConvertsToId = [System.Collections.Generic.HashSet[string]]::new([string[]]@('PSOpenAI.Batch', 'PSOpenAI.File', 'PSOpenAI.Chat.Completion', 'PSOpenAI.Response'))

$script:SlotMarks = [char[]]';|!'

function Add-PSOpenAIBridgeChatNotes($Node) {
    # A slot's '!chat' mark (output._line_slot: a batch output line sent as the file has it): what output._typed
    # writes into a chat completion's JSON otherwise, from the JSON read: `created` (a number of seconds) as a
    # local [datetime], moved last, then the notes Message (null), Answer (each choice's message.content, as
    # [string[]]) and History (empty). Get-PSOpenAIBridgeTyper compiles the same steps.
    $properties = $Node.PSObject.Properties
    $created = [DateTimeOffset]::FromUnixTimeSeconds($properties['created'].Value).LocalDateTime
    $properties.Remove('created')
    $properties.Add([psnoteproperty]::new('created', $created))
    $properties.Add([psnoteproperty]::new('Message', $null))
    $contents = [object[]]@(foreach ($choice in $properties['choices'].Value) { $choice.PSObject.Properties['message'].Value.PSObject.Properties['content'].Value })
    $properties.Add([psnoteproperty]::new('Answer', [System.Management.Automation.LanguagePrimitives]::ConvertTo($contents, [string[]])))
    $properties.Add([psnoteproperty]::new('History', [object[]]::new(0)))
}

function Set-PSOpenAIBridgeShape($Node, [string]$Shape) {
    # A part held as PSOpenAI builds it (objects.ApiObject.ps_shapes): 'ordered', the objects of a list as
    # [ordered] dictionaries; 'single[]:name', a property of each object in a list as [float[]] (embeddings);
    # 'int32', an object's whole-number properties as [int]; 'type:Name', each object of a list typed Name
    # (PSOpenAI's type for the messages of a History).
    if ($Shape.StartsWith('type:')) {
        $name = $Shape.Substring(5)
        foreach ($object in $Node) { if ($null -ne $object) { $object.PSObject.TypeNames.Insert(0, $name) } }
    } elseif ($Shape -eq 'ordered') {
        for ($i = 0; $i -lt $Node.Count; $i++) {
            if ($Node[$i] -isnot [System.Management.Automation.PSCustomObject]) { continue }
            $ordered = [System.Collections.Specialized.OrderedDictionary]::new([StringComparer]::OrdinalIgnoreCase)   # as [ordered]@{}: keys in any case
            foreach ($property in $Node[$i].PSObject.Properties) { $ordered[$property.Name] = $property.Value }
            $Node[$i] = $ordered
        }
    } elseif ($Shape.StartsWith('single[]:')) {
        # 'single[]:name': that property of each object in the list, when a list of numbers, as [float[]]
        $name = $Shape.Substring(9)
        foreach ($object in $Node) {
            $value = $object.$name
            if ($value -is [object[]]) { $object.$name = [float[]]$value }
        }
    } elseif ($Shape -eq 'int32') {
        foreach ($property in $Node.PSObject.Properties) {
            if ($property.Value -is [long] -and $property.Value -ge [int]::MinValue -and $property.Value -le [int]::MaxValue) {
                $property.Value = [int]$property.Value
            }
        }
    }
}

function Test-PSOpenAIBridgeOwnToString($Object, [string]$TypeName, [hashtable]$Seen) {
    # Whether the object, of a type that converts to its id, needs our ToString: not where type data already
    # gives one (PSOpenAI's, when it is loaded; adding ours would then throw). Looked up once per type per
    # output chunk ($Seen), not per object: the type table does not change within one.
    $own = $Seen[$TypeName]
    if ($null -eq $own) { $own = $Seen[$TypeName] = $Object.PSObject.Methods['ToString'] -isnot [System.Management.Automation.PSScriptMethod] }
    $own
}

function Set-PSOpenAIBridgeTypes($Item, [string]$Slot, [hashtable]$Seen, $Natives) {
    # A slot with more than a type name (output._item): 'Type;A,B|key/key=Type;C|...|key/key=@shape': the
    # item's type, the note properties to read as [string[]] (PSOpenAI's Answer), each typed object inside
    # the item, then each part held in another shape (Set-PSOpenAIBridgeShape), then each .NET object it
    # holds ('key/0/key=@native:N': $Natives[N], where the JSON has null; a number is a list's index).
    foreach ($entry in $Slot.Split([char]'|')) {
        $node = $Item
        $typed = $entry
        $equals = $entry.IndexOf([char]'=')
        if ($equals -ge 0) {
            $keys = $entry.Substring(0, $equals).Split([char]'/')
            $typed = $entry.Substring($equals + 1)
            $last = if ($typed.StartsWith('@native:')) { $keys.Length - 1 } else { $keys.Length }
            for ($k = 0; $k -lt $last -and $null -ne $node; $k++) {
                # (assigned in each branch: `$node = if ...` would unroll a list into a copy)
                if ($node -is [array]) { $node = $node[[int]$keys[$k]] } else { $node = $node.($keys[$k]) }
            }
        }
        if ($null -eq $node) { continue }
        if ($typed.StartsWith('@native:')) {
            $value = $Natives[1 + [int]$typed.Substring(8)]     # (after the text)
            if ($node -is [array]) { $node[[int]$keys[-1]] = $value } else { $node.($keys[-1]) = $value }
            continue
        }
        if ($typed[0] -eq [char]'@') { Set-PSOpenAIBridgeShape $node $typed.Substring(1); continue }
        $name, $lists = $typed.Split([char]';', 2)
        if (-not $name) { continue }        # an object PSOpenAI gives no type name (its shapes follow)
        $name, $notes = $name.Split([char]'!', 2)
        if ($notes -ceq 'chat') { Add-PSOpenAIBridgeChatNotes $node }
        $node.PSObject.TypeNames.Insert(0, $name)
        if ($script:ConvertsToId.Contains($name) -and (Test-PSOpenAIBridgeOwnToString $node $name $Seen)) {
            $node.PSObject.Methods.Add($script:IdToString)
        }
        if ($lists) { foreach ($property in $lists.Split([char]',')) { $node.$property = [string[]]$node.$property } }
    }
}

# Typers for big chunks (a streamed output file, a long list): the typing of Set-PSOpenAIBridgeTypes for one slot
# text, compiled once into a delegate that types every item of a chunk with that slot. Script code pays
# PowerShell's dynamic member lookup on each object (tens of microseconds for `$o.PSObject.TypeNames.Insert`);
# compiled calls cost a fraction of that. Compiling costs a few tens of milliseconds, so small chunks (a single
# object, a page of a short list) are typed by script code. Only slots of type entries with names for keys
# (no '@' shape or .NET object entries) are compiled; Get-PSOpenAIBridgeTyper returns $null for the others.
$script:Typers = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::Ordinal)
$script:CompileTypersFrom = 64     # items in one chunk (or any chunk after the first of a stream read ahead)

function Get-PSOpenAIBridgeTyper([string]$Slot) {
    # (items, slots, slot, own ToString per converting type in the slot's order) -> typed in place
    $typer = $null
    if ($script:Typers.TryGetValue($Slot, [ref]$typer)) { return $typer }
    if ($Slot.Contains('=@') -or $script:Typers.Count -ge 256) { return $null }
    $E = [System.Linq.Expressions.Expression]
    $psobject = [System.Management.Automation.PSObject]
    $items = $E::Parameter([object[]], 'items')
    $names = $E::Parameter([string[]], 'names')
    $slotParameter = $E::Parameter([string], 'slot')
    $own = $E::Parameter([bool[]], 'own')
    $index = $E::Variable([int], 'i')
    $root = $E::Variable($psobject, 'root')
    $variables = [System.Collections.Generic.List[System.Linq.Expressions.ParameterExpression]]::new()
    $variables.Add($root)
    $steps = [System.Collections.Generic.List[System.Linq.Expressions.Expression]]::new()
    $steps.Add($E::Assign($root, $E::TypeAs($E::ArrayIndex($items, $index), $psobject)))
    $properties = $psobject.GetProperty('Properties')
    $item = $properties.PropertyType.GetProperty('Item', [type[]]@([string]))
    $value = [System.Management.Automation.PSPropertyInfo].GetProperty('Value')
    $null_ = $E::Constant($null, $psobject)
    $converting = 0
    foreach ($entry in $Slot.Split([char]'|')) {
        $node = $root
        $typed = $entry
        $equals = $entry.IndexOf([char]'=')
        if ($equals -ge 0) {
            foreach ($key in $entry.Substring(0, $equals).Split([char]'/')) {
                if ($key -match '^\d+$') { return $null }      # a list's index: left to script code
                # next = node?.Properties[key]?.Value as PSObject
                $next = $E::Variable($psobject)
                $property = $E::Variable([System.Management.Automation.PSPropertyInfo])
                $variables.Add($next); $variables.Add($property)
                $steps.Add($E::Assign($next, $null_))
                $steps.Add($E::IfThen($E::NotEqual($node, $null_), $E::Block(
                    $E::Assign($property, $E::Property($E::Property($node, $properties), $item, [System.Linq.Expressions.Expression[]]@($E::Constant($key)))),
                    $E::IfThen($E::NotEqual($property, $E::Constant($null, [System.Management.Automation.PSPropertyInfo])),
                        $E::Assign($next, $E::TypeAs($E::Property($property, $value), $psobject))))))
                $node = $next
            }
            $typed = $entry.Substring($equals + 1)
        }
        $name, $lists = $typed.Split([char]';', 2)
        if (-not $name) { continue }
        $name, $notes = $name.Split([char]'!', 2)
        $typing = [System.Collections.Generic.List[System.Linq.Expressions.Expression]]::new()
        if ($notes -ceq 'chat') { Add-PSOpenAIBridgeChatSteps $E $node $typing $variables }
        elseif ($notes) { return $null }
        $typeNames = $E::Property($node, 'TypeNames')
        $typing.Add($E::Call($typeNames, $typeNames.Type.GetMethod('Insert'), [System.Linq.Expressions.Expression[]]@($E::Constant(0), $E::Constant($name))))
        if ($script:ConvertsToId.Contains($name)) {
            $methods = $E::Property($node, 'Methods')
            $typing.Add($E::IfThen($E::ArrayIndex($own, $E::Constant($converting)),
                $E::Call($methods, $methods.Type.GetMethod('Add', [type[]]@([System.Management.Automation.PSMethodInfo])),
                         [System.Linq.Expressions.Expression[]]@($E::Constant($script:IdToString, [System.Management.Automation.PSMethodInfo])))))
            $converting++
        }
        if ($lists) {
            foreach ($listed in $lists.Split([char]',')) {
                # node.Properties[listed].Value = [string[]] that value (as `$node.$listed = [string[]]$node.$listed`)
                $property = $E::Variable([System.Management.Automation.PSPropertyInfo])
                $variables.Add($property)
                $typing.Add($E::Assign($property, $E::Property($E::Property($node, $properties), $item, [System.Linq.Expressions.Expression[]]@($E::Constant($listed)))))
                $convert = [System.Management.Automation.LanguagePrimitives].GetMethod('ConvertTo', [type[]]@([object], [type]))
                $typing.Add($E::IfThen($E::NotEqual($property, $E::Constant($null, [System.Management.Automation.PSPropertyInfo])),
                    $E::Assign($E::Property($property, $value), $E::Call($convert, [System.Linq.Expressions.Expression[]]@($E::Property($property, $value), $E::Constant([string[]], [type]))))))
            }
        }
        $steps.Add($E::IfThen($E::NotEqual($node, $null_), $E::Block($typing)))
    }
    # for (i = 0; i < items.Length; i++) if (names[i] == slot) { steps }
    $break = $E::Label('break')
    $loop = $E::Block([System.Linq.Expressions.ParameterExpression[]]@($index), [System.Linq.Expressions.Expression[]]@(
        $E::Assign($index, $E::Constant(0)),
        $E::Loop($E::IfThenElse($E::LessThan($index, $E::ArrayLength($items)),
            $E::Block(
                $E::IfThen($E::Call([string].GetMethod('Equals', [type[]]@([string], [string])), $E::ArrayIndex($names, $index), $slotParameter),
                    $E::Block($variables, $steps)),
                $E::PostIncrementAssign($index)),
            $E::Break($break)), $break)))
    $typer = $E::Lambda([Action[object[], string[], string, bool[]]], $loop,
        [System.Linq.Expressions.ParameterExpression[]]@($items, $names, $slotParameter, $own)).Compile()
    $script:Typers[$Slot] = $typer
    $typer
}

function Add-PSOpenAIBridgeChatSteps($E, $Node, $Typing, $Variables) {
    # Add-PSOpenAIBridgeChatNotes as expressions (a typer's steps for a '!chat' entry) on $Node, a PSObject:
    #   properties = node.Properties; stamp = (long)properties["created"].Value; properties.Remove("created")
    #   properties.Add(new PSNoteProperty("created", DateTimeOffset.FromUnixTimeSeconds(stamp).LocalDateTime)) ...
    $psobject = [System.Management.Automation.PSObject]
    $note = [System.Management.Automation.PSNoteProperty].GetConstructor([type[]]@([string], [object]))
    $propertiesOf = $psobject.GetProperty('Properties')
    $item = $propertiesOf.PropertyType.GetProperty('Item', [type[]]@([string]))
    $value = [System.Management.Automation.PSPropertyInfo].GetProperty('Value')
    $valueOf = { param($on, [string]$key) $E::Property($E::Property($E::Property($on, $propertiesOf), $item, [System.Linq.Expressions.Expression[]]@($E::Constant($key))), $value) }
    $properties = $E::Variable($propertiesOf.PropertyType)
    $choices = $E::Variable([object[]])
    $contents = $E::Variable([object[]])
    $j = $E::Variable([int])
    foreach ($v in $properties, $choices, $contents, $j) { $Variables.Add($v) }
    # (Expression.New through reflection: `$E::New(...)` is PowerShell's constructor call, not that method)
    $new = $E.GetMethod('New', [type[]]@([System.Reflection.ConstructorInfo], [System.Linq.Expressions.Expression[]]))
    $add = { param([string]$key, $expression) $E::Call($properties, $propertiesOf.PropertyType.GetMethod('Add', [type[]]@([System.Management.Automation.PSPropertyInfo])),
        [System.Linq.Expressions.Expression[]]@($new.Invoke($null, @($note, [System.Linq.Expressions.Expression[]]@($E::Constant($key), $E::Convert($expression, [object])))))) }
    $stamp = $E::Call([DateTimeOffset].GetMethod('FromUnixTimeSeconds'), [System.Linq.Expressions.Expression[]]@($E::Unbox((& $valueOf $Node 'created'), [long])))
    $Typing.Add($E::Assign($properties, $E::Property($Node, $propertiesOf)))
    $local = $E::Variable([datetime])
    $Variables.Add($local)
    $Typing.Add($E::Assign($local, $E::Property($stamp, 'LocalDateTime')))
    $Typing.Add($E::Call($properties, $propertiesOf.PropertyType.GetMethod('Remove', [type[]]@([string])), [System.Linq.Expressions.Expression[]]@($E::Constant('created'))))
    $Typing.Add((& $add 'created' $local))
    $Typing.Add((& $add 'Message' $E::Constant($null)))
    # contents[j] = ((PSObject)((PSObject)choices[j]).Properties["message"].Value).Properties["content"].Value
    $Typing.Add($E::Assign($choices, $E::Convert((& $valueOf $Node 'choices'), [object[]])))
    $Typing.Add($E::Assign($contents, $E::NewArrayBounds([object], [System.Linq.Expressions.Expression[]]@($E::ArrayLength($choices)))))
    $Typing.Add($E::Assign($j, $E::Constant(0)))
    $message = & $valueOf $E::Convert($E::ArrayIndex($choices, $j), $psobject) 'message'
    $done = $E::Label('chat')
    $Typing.Add($E::Loop($E::IfThenElse($E::LessThan($j, $E::ArrayLength($choices)),
        $E::Block(
            $E::Assign($E::ArrayAccess($contents, [System.Linq.Expressions.Expression[]]@($j)), (& $valueOf $E::Convert($message, $psobject) 'content')),
            $E::PostIncrementAssign($j)),
        $E::Break($done)), $done))
    $convert = [System.Management.Automation.LanguagePrimitives].GetMethod('ConvertTo', [type[]]@([object], [type]))
    $Typing.Add((& $add 'Answer' $E::Call($convert, [System.Linq.Expressions.Expression[]]@($contents, $E::Constant([string[]], [type])))))
    $Typing.Add((& $add 'History' $E::NewArrayBounds([object], [System.Linq.Expressions.Expression[]]@($E::Constant(0)))))
}

function Get-PSOpenAIBridgeTyperFlags([string]$Slot, [hashtable]$Seen) {
    # A typer's own-ToString flags: one per type in the slot that converts to its id, as Set-PSOpenAIBridgeTypes
    # decides them (Test-PSOpenAIBridgeOwnToString, once per type per $Seen). Asks the type table: on this thread.
    $flags = [System.Collections.Generic.List[bool]]::new()
    foreach ($entry in $Slot.Split([char]'|')) {
        $name = $entry.Substring($entry.IndexOf([char]'=') + 1).Split([char[]]';!')[0]
        if (-not $script:ConvertsToId.Contains($name)) { continue }
        $own = $Seen[$name]
        if ($null -eq $own) {
            $probe = [psobject]::new()
            $probe.PSObject.TypeNames.Insert(0, $name)
            $own = Test-PSOpenAIBridgeOwnToString $probe $name $Seen
        }
        $flags.Add($own)
    }
    , $flags.ToArray()
}

function Invoke-PSOpenAIBridgeTyper($Typer, $Items, [string[]]$TypeNames, [string]$Slot, [hashtable]$Seen) {
    # The typer, with its own-ToString flags decided once per type per chunk.
    $Typer.Invoke($Items, $TypeNames, $Slot, (Get-PSOpenAIBridgeTyperFlags $Slot $Seen))
}

function ConvertFrom-PSOpenAIBridgeOutput($Text, $Parsed, [bool]$Later) {
    # host.output_text: the items' PSTypeNames (tab-separated), a newline, then a JSON array.
    # (command name, error record): an API failure to throw (host.report_error).
    # A delegate is a lazy result (host._Stream), giving such text one chunk at a time.
    # $Parsed: that JSON array as a stream's background task read it (New-PSOpenAIBridgeReader; else read here).
    # $Later: a chunk after the first of a stream read ahead (typed by the compiled typers whatever its size).
    $natives = $null
    if ($Text -is [System.Collections.Generic.List[object]]) { $natives = $Text; $Text = $natives[0] }   # _to_powershell
    if ($Text -isnot [string]) {
        if ($Text -is [object[]]) { Invoke-PSOpenAIBridgeThrow $Text[0] $Text[1]; return }
        if ($Text -is [Delegate]) { Write-PSOpenAIBridgeStream $Text; return }
        $Text       # an object the host made itself (host.Native): Get-OpenAIContext's
        return
    }
    $newline = $Text.IndexOf([char]10)
    $typeNames = $Text.Substring(0, $newline).Split([char]9)
    if ($null -ne $Parsed) { $items = $Parsed }
    else {
        $parseError = $null     # (inline, not ConvertFrom-PSOpenAIBridgeJson: a function would unroll the array)
        $items = $script:JsonObject::ConvertFromJson($Text.Substring($newline + 1), [ref]$parseError)
        if ($null -ne $parseError) { throw $parseError }
    }
    $seen = @{}     # Test-PSOpenAIBridgeOwnToString's answers for this chunk
    if ($Later -or $typeNames.Length -ge $script:CompileTypersFrom) {
        # A big chunk of typed objects: each slot's compiled typer types its items, then all are written at once.
        $typers = [System.Collections.Generic.List[object]]::new()
        foreach ($slot in [System.Collections.Generic.HashSet[string]]::new($typeNames)) {
            $typer = if ($slot -and $slot -cne '[byte[]]') { Get-PSOpenAIBridgeTyper $slot }
            if ($null -eq $typer) { $typers = $null; break }
            $typers.Add($slot); $typers.Add($typer)
        }
        if ($null -ne $typers) {
            for ($k = 0; $k -lt $typers.Count; $k += 2) { Invoke-PSOpenAIBridgeTyper $typers[$k + 1] $items $typeNames $typers[$k] $seen }
            $items
            return
        }
    }
    for ($i = 0; $i -lt $typeNames.Length; $i++) {
        $slot = $typeNames[$i]
        if (-not $slot) { $items[$i]; continue }
        # Binary content: one byte[] object, as PSOpenAI returns it (the unary comma keeps it whole).
        if ($slot -ceq '[byte[]]') { , [Convert]::FromBase64String($items[$i]); continue }
        if ($slot.IndexOfAny($script:SlotMarks) -ge 0) { Set-PSOpenAIBridgeTypes $items[$i] $slot $seen $natives; $items[$i]; continue }
        $items[$i].PSObject.TypeNames.Insert(0, $slot)
        if ($script:ConvertsToId.Contains($slot)) {
            $own = $seen[$slot]
            if ($null -eq $own) { $own = Test-PSOpenAIBridgeOwnToString $items[$i] $slot $seen }
            if ($own) { $items[$i].PSObject.Methods.Add($script:IdToString) }
        }
        $items[$i]
    }
}

$script:Throwers = @{}

function Invoke-PSOpenAIBridgeThrow([string]$Command, $Record) {
    # Used only where the bridge cannot see whether a try encloses the caller (psbridge/errors.py): throws
    # the record as PSOpenAI's API failures are thrown, by ThrowTerminatingError from a command called
    # inside the cmdlet (there Invoke-OpenAIAPIRequest; here a function of the cmdlet's own name, so the
    # error id and the message's prefix name the cmdlet). That ends the calling statement only: a
    # try/catch around the caller catches it, and without one the error is written and the pipeline
    # goes on with its next item (but the record is listed twice in -ErrorVariable and points here).
    $thrower = $script:Throwers[$Command]
    if ($null -eq $thrower) {
        $thrower = [scriptblock]::Create("function $Command { [CmdletBinding()] param(`$Record) `$PSCmdlet.ThrowTerminatingError(`$Record) }`n$Command `$args[0]")
        $script:Throwers[$Command] = $thrower
    }
    & $thrower $Record
}

function Write-PSOpenAIBridgeStream($Next) {
    # Writes a lazy result (a list read page by page) as Python yields it. Each $Next.Invoke($false) takes
    # the GIL, reads the next chunk and releases the GIL before the chunk is written here, so downstream
    # commands run without it. When they stop the pipeline early (Select-Object -First throws
    # StopUpstreamCommandsException through this write; Ctrl+C; an error), the finally block closes the
    # Python iterator, so no further page is requested. $null means the end (Python already let go).
    # A stream read ahead (a downloaded file, its delegate a Converter) is offered, after its second chunk, a
    # reader (New-PSOpenAIBridgeReader) as the argument instead of $false, once: it then gives its next chunks as
    # the reader's tasks, read and typed on another core while this thread writes the chunk before. Not sooner:
    # a stream of one or two chunks neither builds a reader nor starts a thread. A chunk the task could not type
    # (a slot without a compiled typer then) is typed here, and the next call offers a reader that knows its
    # typer. Such a stream's chunks (about 36,000 characters each) are typed by the compiled typers after its
    # first, whatever their size.
    $readsAhead = $Next -is [Converter[object, object]]
    $ended = $false
    $offer = $false
    $chunks = 0
    $known = 0      # typers the offered reader knows
    $tasks = 0
    try {
        while ($null -ne ($chunk = $Next.Invoke($offer))) {
            $offer = $false
            if ($chunk -is [System.Threading.Tasks.Task]) {
                # Every ~14 MB of text a background full collection: a chunk's objects that are still alive when a
                # generation-1 collection comes (the one written, the one read ahead) move to generation 2, and without
                # the full collections that large chunk strings forced, that garbage grew ~12 MiB per 100 MB read.
                if (++$tasks % 400 -eq 0) { [GC]::Collect(2, [GCCollectionMode]::Forced, $false) }
                $read = $chunk.Result
                if ($null -eq $read) { ConvertFrom-PSOpenAIBridgeOutput $chunk.AsyncState[0] $null $true }  # (its error, raised here)
                elseif ($read[1]) { $read[0] }
                else {
                    ConvertFrom-PSOpenAIBridgeOutput $chunk.AsyncState[0] $read[0] $true
                    if ($script:Typers.Count -gt $known) { $known = $script:Typers.Count; $offer = New-PSOpenAIBridgeReader }
                }
            } else {
                ConvertFrom-PSOpenAIBridgeOutput $chunk $null ($readsAhead -and $chunks -gt 0)
                if (++$chunks -eq 2 -and $readsAhead) { $known = $script:Typers.Count; $offer = New-PSOpenAIBridgeReader }
            }
        }
        $ended = $true
    } finally {
        if (-not $ended) { $null = $Next.Invoke($true) }
    }
}

function New-PSOpenAIBridgeReader {
    # A stream's reader: a delegate (chunk text) -> Task, which reads the chunk's JSON array with PowerShell's
    # JSON reader and types its items with the compiled typers there are now (Get-PSOpenAIBridgeChunkReader).
    # Python's read-ahead thread starts the task as soon as it has read the chunk (psbridge/host.py _ReadAhead),
    # so that memory still holds one chunk ahead of the one written. The typers' own-ToString flags ask the
    # type table, which only this thread has: decided here, once for the stream.
    $slots = [string[]]$script:Typers.Keys
    $typers = [Action[object[], string[], string, bool[]][]]::new($slots.Length)
    $flags = [bool[][]]::new($slots.Length)
    $seen = @{}
    for ($j = 0; $j -lt $slots.Length; $j++) {
        $typers[$j] = $script:Typers[$slots[$j]]
        $flags[$j] = Get-PSOpenAIBridgeTyperFlags $slots[$j] $seen
    }
    $typable = [System.Collections.Generic.HashSet[string]]::new($slots, [StringComparer]::Ordinal)
    $null = $typable.Add('')        # (an untyped item needs no typer)
    # (text) => Task.Factory.StartNew(read, new object[] { text, typable, slots, typers, flags })
    $E = [System.Linq.Expressions.Expression]
    $text = $E::Parameter([object], 'text')
    $state = $E::NewArrayInit([object], [System.Linq.Expressions.Expression[]]@($text, $E::Constant($typable, [object]), $E::Constant($slots, [object]),
        $E::Constant($typers, [object]), $E::Constant($flags, [object])))
    if ($null -eq $script:StartNew) {
        # TaskFactory.StartNew<TResult>(Func<object, TResult>, object state), TResult = object
        foreach ($method in [System.Threading.Tasks.TaskFactory].GetMethods()) {
            if ($method.Name -cne 'StartNew' -or -not $method.IsGenericMethodDefinition) { continue }
            $parameters = $method.GetParameters()
            if ($parameters.Length -eq 2 -and $parameters[1].ParameterType -eq [object]) { $script:StartNew = $method.MakeGenericMethod([object]); break }
        }
    }
    $E::Lambda([Func[object, object]],
        $E::Call($E::Constant([System.Threading.Tasks.Task]::Factory), $script:StartNew, [System.Linq.Expressions.Expression[]]@($E::Constant((Get-PSOpenAIBridgeChunkReader)), $state)),
        [System.Linq.Expressions.ParameterExpression[]]@($text)).Compile()
}
$script:StartNew = $null

function Get-PSOpenAIBridgeChunkReader {
    # The work of a reader's task, compiled once: (object[] { text, typable, slots, typers, flags }) -> { items,
    # typed }, or $null when the JSON reader fails (the caller then reads the text again on its thread, to raise
    # the same error as ever) or anything throws. `typed` is false when an item's slot is not `typable` (the
    # caller types them). Compiled, not a script block: a thread-pool thread has no runspace. What differs
    # there: PowerShell's member operations do not see the type table (it is the runspace's), which only checks
    # that a member added to an object clashes with none from type data for its type names: the JSON reader's
    # note properties (as it does for ConvertFrom-Json in a thread job too) and the typer's chat notes; the
    # lookups find the JSON's own properties first either way, and the own-ToString flags come decided.
    #   text = (string)state[0]; nl = text.IndexOf('\n')
    #   items = ConvertFromJson(text.Substring(nl + 1), out error) as object[]; if (error != null || items == null) return null
    #   names = text.Substring(0, nl).Split('\t'); typed = names.Length == items.Length && typable.IsSupersetOf(names)
    #   if (typed) for (j = 0; j < slots.Length; j++) typers[j](items, names, slots[j], flags[j])
    #   return new object[] { items, typed }
    if ($null -ne $script:ChunkReader) { return $script:ChunkReader }
    $E = [System.Linq.Expressions.Expression]
    $typerType = [Action[object[], string[], string, bool[]]]
    $state = $E::Parameter([object], 'state')
    $parts = $E::Variable([object[]], 'parts')
    $text = $E::Variable([string], 'text')
    $newline = $E::Variable([int], 'newline')
    $parseError = $E::Variable([System.Management.Automation.ErrorRecord], 'error')
    $items = $E::Variable([object[]], 'items')
    $names = $E::Variable([string[]], 'names')
    $slots = $E::Variable([string[]], 'slots')
    $typed = $E::Variable([bool], 'typed')
    $j = $E::Variable([int], 'j')
    $part = { param([int]$k, [type]$type) $E::Convert($E::ArrayIndex($parts, $E::Constant($k)), $type) }
    $convert = $script:JsonObject.GetMethod('ConvertFromJson', [type[]]@([string], [System.Management.Automation.ErrorRecord].MakeByRefType()))
    $typable = [System.Collections.Generic.HashSet[string]]
    $done = $E::Label([object], 'done')
    $break = $E::Label('break')
    $work = $E::Block([object], [System.Linq.Expressions.ParameterExpression[]]@($parts, $text, $newline, $parseError, $items, $names, $slots, $typed, $j), [System.Linq.Expressions.Expression[]]@(
        $E::Assign($parts, $E::Convert($state, [object[]])),
        $E::Assign($text, (& $part 0 ([string]))),
        $E::Assign($newline, $E::Call($text, [string].GetMethod('IndexOf', [type[]]@([char])), [System.Linq.Expressions.Expression[]]@($E::Constant([char]10)))),
        $E::Assign($items, $E::TypeAs($E::Call($convert, [System.Linq.Expressions.Expression[]]@(
            $E::Call($text, [string].GetMethod('Substring', [type[]]@([int])), [System.Linq.Expressions.Expression[]]@($E::Increment($newline))), $parseError)), [object[]])),
        $E::IfThen($E::OrElse($E::NotEqual($parseError, $E::Constant($null, [System.Management.Automation.ErrorRecord])), $E::Equal($items, $E::Constant($null, [object[]]))),
            $E::Return($done, $E::Constant($null))),
        $E::Assign($names, $E::Call($E::Call($text, [string].GetMethod('Substring', [type[]]@([int], [int])), [System.Linq.Expressions.Expression[]]@($E::Constant(0), $newline)),
            [string].GetMethod('Split', [type[]]@([char[]])), [System.Linq.Expressions.Expression[]]@($E::Constant([char[]]@([char]9))))),
        $E::Assign($typed, $E::AndAlso($E::Equal($E::ArrayLength($names), $E::ArrayLength($items)),
            $E::Call((& $part 1 $typable), $typable.GetMethod('IsSupersetOf'), [System.Linq.Expressions.Expression[]]@($names)))),
        $E::Assign($slots, (& $part 2 ([string[]]))),
        $E::Assign($j, $E::Constant(0)),
        $E::Loop($E::IfThenElse($E::AndAlso($typed, $E::LessThan($j, $E::ArrayLength($slots))),
            $E::Block(
                $E::Invoke($E::ArrayIndex((& $part 3 $typerType.MakeArrayType()), $j),
                    [System.Linq.Expressions.Expression[]]@($items, $names, $E::ArrayIndex($slots, $j), $E::ArrayIndex((& $part 4 ([bool[][]])), $j))),
                $E::PostIncrementAssign($j)),
            $E::Break($break)), $break),
        $E::Label($done, $E::NewArrayInit([object], [System.Linq.Expressions.Expression[]]@($items, $E::Convert($typed, [object]))))))
    $body = $E::TryCatch($work, [System.Linq.Expressions.CatchBlock[]]@($E::Catch([Exception], $E::Constant($null))))
    $script:ChunkReader = $E::Lambda([Func[object, object]], $body, [System.Linq.Expressions.ParameterExpression[]]@($state)).Compile()
    $script:ChunkReader
}
$script:ChunkReader = $null

$script:PSOpenAIBridgeInvoke = $null
# boot/Boot.cs: loaded by the manifest first (its nested module), or here when the psm1 is imported alone.
$script:Boot = 'PSOpenAIBridge.Boot' -as [type]
if (-not $script:Boot) {
    $dll = [IO.Path]::Combine($PSScriptRoot, 'PSOpenAIBridge.Boot.dll')
    if (-not [IO.File]::Exists($dll)) {
        throw "PSOpenAIBridge: $dll is missing: in a checkout, run 'bash tools/setup.sh' (or 'dotnet build psbridge/boot/PSOpenAIBridge.Boot.csproj -c Release'), which builds it."
    }
    $script:Boot = [Reflection.Assembly]::LoadFrom($dll).GetType('PSOpenAIBridge.Boot', $true)
}
$parsed = Read-PSOpenAIBridgeKeptFunctions
$begun = $script:PSOpenAIBridgeBegun = Start-PSOpenAIBridgeImport
Import-PSOpenAIBridgeAssemblies
# Without a kept text (the first import, or the manifests or the generator changed), Python makes it.
if (-not $begun.Text) { Complete-PSOpenAIBridgeImport }
# The same text in every runspace: PowerShell caches script blocks by their text, so a runspace after
# the first (ForEach-Object -Parallel, Start-ThreadJob) neither parses nor compiles it again. (The types it
# names are compiled: boot/Types.cs.) From the kept text, compiled while Python imports the rest on its thread;
# parsed while Python started, when it is the text Python's startup.begin has just checked and given.
$parsed = if ($parsed -and $parsed.Text -ceq $begun.Text) { $parsed.Block } else { [scriptblock]::Create($begun.Text) }
. $parsed
$parsed = $null
Export-ModuleMember -Function $begun.Names -Alias $begun.Aliases
[PSOpenAIBridge.ApiErrors]::RegisterAccelerators()     # (catch [NotFoundException] { }, as with PSOpenAI)
$begun = $null      # (not Remove-Variable: an auto-load of Microsoft.PowerShell.Utility)
# No OnRemove handler on purpose: the engine stays up for the life of the process (shutting it down
# is unsupported on .NET Core, and re-importing reuses it).
