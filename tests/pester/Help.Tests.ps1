# Get-Help reads the generated MAML (psbridge/en-US/PSOpenAI-help.xml) for the bridge's functions.
# Functions compiled from generated text have no file of their own, so PowerShell finds their MAML only
# through a `.ExternalHelp <absolute path>` line at the top of the function body; the first Describe
# proves that mechanism on its own, the second proves the module uses it.
#
# Run: Invoke-Pester -Path tests/pester/Help.Tests.ps1 -Output Detailed

BeforeAll {
    $script:Repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:HelpFile = Join-Path $script:Repo 'psbridge/en-US/PSOpenAI-help.xml'
    # What Get-Help must show for Stop-Batch, from manifests/Stop-Batch.yaml and manifests/_shared.yaml.
    $script:Expected = @(
        @{ Name = 'BatchId'; Type = 'String'; Required = 'true'; Position = '0'; Default = 'None'
           Pipeline = 'True (ByValue, ByPropertyName)'; Aliases = 'Id, batch_id'; Text = 'The batch id to cancel.' }
        @{ Name = 'Wait'; Type = 'SwitchParameter'; Required = 'false'; Position = 'named'; Default = 'False'
           Pipeline = 'False'; Aliases = 'none'; Text = 'By default, This cmdlet does not wait completes cancellation.' }
        @{ Name = 'Force'; Type = 'SwitchParameter'; Required = 'false'; Position = 'named'; Default = 'False'
           Pipeline = 'False'; Aliases = 'none'; Text = 'By default, This cmdlet only requests cancel a batch' }
        @{ Name = 'PassThru'; Type = 'SwitchParameter'; Required = 'false'; Position = 'named'; Default = 'False'
           Pipeline = 'False'; Aliases = 'none'; Text = 'By default, This cmdlet returns nothing.' }
        @{ Name = 'InputObject'; Type = 'Object'; Required = 'true'; Position = '0'; Default = 'None'
           Pipeline = 'True (ByValue)'; Aliases = 'Batch'; Text = 'The batch object to cancel, as returned by Start-Batch or Get-Batch.' }
        @{ Name = 'TimeoutSec'; Type = 'Int32'; Required = 'false'; Position = 'named'; Default = '0'
           Pipeline = 'False'; Aliases = 'none'; Text = 'Specifies how long the request can be pending before it times out.' }
        @{ Name = 'MaxRetryCount'; Type = 'Int32'; Required = 'false'; Position = 'named'; Default = '0'
           Pipeline = 'False'; Aliases = 'none'; Text = 'Number between `0` and `100`.' }
        @{ Name = 'ApiBase'; Type = 'System.Uri'; Required = 'false'; Position = 'named'; Default = 'https://api.openai.com/v1'
           Pipeline = 'False'; Aliases = 'none'; Text = 'Specifies an API endpoint URL such like:' }
        @{ Name = 'ApiKey'; Type = 'Object'; Required = 'false'; Position = 'named'; Default = 'None'
           Pipeline = 'False'; Aliases = 'none'; Text = 'Specifies API key for authentication.' }
        @{ Name = 'Organization'; Type = 'string'; Required = 'false'; Position = 'named'; Default = 'None'
           Pipeline = 'False'; Aliases = 'OrgId'; Text = 'Specifies Organization ID which used for an API request.' }
    )
}

Describe 'Help lookup for a function compiled from text' {
    BeforeAll {
        # The shape of a generated function: no file, no comment help, only the .ExternalHelp line.
        $text = @"
function Stop-Batch {
    # .ExternalHelp $script:HelpFile
    [CmdletBinding(SupportsShouldProcess = `$true, DefaultParameterSetName = 'Id')]
    param(
        [Parameter(ParameterSetName = 'Id', Mandatory = `$true, Position = 0, ValueFromPipeline = `$true)]
        [string]`$BatchId,
        [Parameter(ParameterSetName = 'InputObject', Mandatory = `$true, Position = 0, ValueFromPipeline = `$true)]
        [object]`$InputObject,
        [switch]`$Force
    )
    process { }
}
Export-ModuleMember -Function Stop-Batch
"@
        $script:Probe = New-Module -Name HelpLookupProbe -ScriptBlock ([scriptblock]::Create($text)) |
            Import-Module -PassThru
    }
    AfterAll { Remove-Module HelpLookupProbe -ErrorAction SilentlyContinue }

    It 'the committed MAML file exists' {
        $script:HelpFile | Should -Exist
    }

    It 'Get-Help reads the MAML named by an absolute .ExternalHelp path' {
        $help = Get-Help Stop-Batch -Full
        $help.Synopsis | Should -Be 'Cancels an in-progress batch.'
        @($help.examples.example).Count | Should -Be 2
    }
}

Describe 'Get-Help for the PSOpenAIBridge module' {
    BeforeAll {
        Get-Module PSOpenAIBridge | Remove-Module -Force
        Import-Module (Join-Path $script:Repo 'psbridge/PSOpenAIBridge.psd1') -Force -ErrorAction Stop
        $script:Full = Get-Help Stop-Batch -Full
        $script:FullText = $script:Full | Out-String -Width 500
    }

    It 'Stop-Batch comes from the module' {
        (Get-Command Stop-Batch).ModuleName | Should -Be 'PSOpenAIBridge'
    }

    It 'shows the synopsis and description from the MAML file' {
        # Without the MAML, PowerShell would put the syntax line in the synopsis.
        $script:Full.Synopsis | Should -Be 'Cancels an in-progress batch.'
        ($script:Full.description.Text -join "`n") | Should -Be 'Cancels an in-progress batch.'
    }

    It 'shows one syntax per parameter set' {
        $items = @($script:Full.syntax.syntaxItem)
        $items.Count | Should -Be 2
        @($items[0].parameter)[0].name | Should -Be 'InputObject'     # the default set first
        @($items[1].parameter)[0].name | Should -Be 'BatchId'
        $script:FullText | Should -Match ([regex]::Escape('Stop-Batch [-BatchId] <String> [-Wait] [-Force] [-PassThru] [-TimeoutSec <Int32>]'))
        $script:FullText | Should -Match ([regex]::Escape('Stop-Batch [-InputObject] <Object> [-Wait] [-Force] [-PassThru]'))
    }

    It 'shows -<Name> with its text, type, aliases, position, default and pipeline input' -ForEach @(
        # Pester expands -ForEach at discovery, before BeforeAll runs; the names are enough here.
        'BatchId', 'Wait', 'Force', 'PassThru', 'InputObject', 'TimeoutSec', 'MaxRetryCount', 'ApiBase', 'ApiKey',
        'Organization' | ForEach-Object { @{ Name = $_ } }
    ) {
        $want = $script:Expected | Where-Object { $_.Name -eq $Name }
        $p = @($script:Full.parameters.parameter) | Where-Object { $_.name -eq $Name }
        $p | Should -Not -BeNullOrEmpty
        $p.type.name | Should -Be $want.Type
        $p.required | Should -Be $want.Required
        $p.position | Should -Be $want.Position
        $p.defaultValue | Should -Be $want.Default
        $p.pipelineInput | Should -Be $want.Pipeline
        $p.aliases | Should -Be $want.Aliases
        ($p.description.Text -join "`n") | Should -BeLike "$([WildcardPattern]::Escape($want.Text))*"
    }

    It 'lists -WhatIf and -Confirm, which ShouldProcess adds' {
        $names = @($script:Full.parameters.parameter).name
        $names | Should -Contain 'WhatIf'
        $names | Should -Contain 'Confirm'
    }

    It 'shows both examples' {
        $examples = @($script:Full.examples.example)
        $examples.Count | Should -Be 2
        $examples[0].code | Should -BeLike '*$Batch | Stop-Batch -Force -PassThru*'
        $examples[1].code | Should -BeLike '*$Batch | Stop-Batch -Force -Wait -PassThru*'
        ($examples[1].remarks.Text -join "`n") | Should -Be 'Cancels an in-progress batch. Then the cmdlet waits until the batch has been cancelled.'
    }

    It 'shows the output type and the related link' {
        $script:Full.returnValues.returnValue.type.name | Should -Be 'PSCustomObject'
        $uris = @($script:Full.relatedLinks.navigationLink).uri
        $uris | Should -Contain 'https://developers.openai.com/api/reference/resources/batches/methods/cancel/'
        $script:FullText | Should -Match 'RELATED LINKS'
        $script:FullText | Should -Match ([regex]::Escape('Accept pipeline input?       True (ByValue, ByPropertyName)'))
    }

    It 'Get-Help -Examples shows both examples' {
        $text = Get-Help Stop-Batch -Examples | Out-String -Width 500
        ([regex]::Matches($text, '-+ Example 1 -+')).Count | Should -Be 2
        $text | Should -Match ([regex]::Escape('PS C:\> $Batch.status    # cancelled'))
        $text | Should -Not -Match 'PARAMETERS'
    }

    It 'Get-Help -Parameter Force shows that parameter' {
        $p = Get-Help Stop-Batch -Parameter Force
        $p.name | Should -Be 'Force'
        $text = $p | Out-String -Width 500
        $text | Should -Match ([regex]::Escape('-Force [<SwitchParameter>]'))
        $text | Should -Match 'When the switch specified, Always requests cancel any status of the batch\.'
        $text | Should -Match 'Required\?\s+false'
        $text | Should -Match 'Position\?\s+named'
    }
}

Describe 'Get-Help agrees with Get-Command for every cmdlet of the module' {
    BeforeAll {
        Get-Module PSOpenAIBridge | Remove-Module -Force
        Import-Module (Join-Path $script:Repo 'psbridge/PSOpenAIBridge.psd1') -Force -ErrorAction Stop
    }

    # A cmdlet whose function did not find its MAML got comment help instead: no aliases, positions counted
    # from 1, DontShow parameters in the syntax (Get-BatchRequest, whose manifest has no front matter).
    It '<Name>: the MAML help, with the aliases, positions and pipeline input the command has' -ForEach @(
        'Add-OpenAIFile', 'Get-Batch', 'Get-BatchOutput', 'Get-BatchRequest', 'Get-OpenAIFile', 'Get-OpenAIFileContent',
        'Remove-OpenAIFile', 'Request-ChatCompletion', 'Request-Embeddings', 'Request-Response', 'Request-TextCompletion',
        'Start-Batch', 'Stop-Batch', 'Wait-Batch' | ForEach-Object { @{ Name = $_ } }
    ) {
        $command = Get-Command $Name -Module PSOpenAIBridge
        $help = Get-Help $Name -Full
        $help.examples | Should -Not -BeNullOrEmpty
        foreach ($p in @($help.parameters.parameter)) {
            if ($p.name -in 'WhatIf', 'Confirm') { continue }
            $meta = $command.Parameters[$p.name]
            $meta | Should -Not -BeNullOrEmpty -Because "-$($p.name) is in the help"
            $want = if ($meta.Aliases.Count) { $meta.Aliases -join ', ' } else { 'none' }
            $p.aliases | Should -Be $want -Because "-$($p.name)'s aliases"
            $attrs = @($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
            $positions = @($attrs | ForEach-Object { if ($_.Position -ge 0) { "$($_.Position)" } else { 'named' } } | Select-Object -Unique)
            if ($positions.Count -eq 1) { $p.position | Should -Be $positions[0] -Because "-$($p.name)'s position" }
            $kinds = @(if ($attrs | Where-Object ValueFromPipeline) { 'ByValue' }
                       if ($attrs | Where-Object ValueFromPipelineByPropertyName) { 'ByPropertyName' })
            $pipe = if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
            $p.pipelineInput | Should -Be $pipe -Because "-$($p.name)'s pipeline input"
        }
    }
}
