# PSOpenAI's errors, so that scripts written for PSOpenAI see the same ones: the API's failures are its
# APIRequestException (an HttpRequestException) or the subclass for the status (compiled: boot/Types.cs), carrying
# StatusCode, Type, Code, Param (and RequestId), with the message also as the record's ErrorDetails and
# 'PSOpenAI.APIRequest.<class>' as its error id. Part of the generated module text (generator.py). Python builds
# the records through New-PSOpenAIBridgeErrorRecord.

function New-PSOpenAIBridgeErrorRecord([string]$Class, [string]$Message, $Status, [string]$Type, [string]$Code,
                                       [string]$Param, [string]$RequestId, [string]$Category, $Target) {
    $exception = [PSOpenAIBridge.ApiErrors]::Create($Class, $Message, $Status)
    $exception.Type = $Type
    $exception.Code = $Code
    $exception.Param = $Param
    $exception.RequestId = $RequestId
    $exception.Content = [pscustomobject]@{ error = [pscustomobject]@{ message = $Message; type = $Type; param = $Param; code = $Code } }
    $record = [System.Management.Automation.ErrorRecord]::new($exception, "PSOpenAI.APIRequest.$($exception.GetType().Name)",
                                                               $Category, $Target)
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($Message)
    $record
}

function Register-PSOpenAIBridgeExceptionTypes {
    # As PSOpenAI does at import, the classes become type accelerators, so that a script can name them:
    # `catch [NotFoundException] { }`, `$_.Exception -is [APIRequestException]`. A name already taken (by
    # PSOpenAI's own classes, imported first) is left as it is; either module's errors are caught by their
    # common base class, [System.Net.Http.HttpRequestException]. Not removed with the module: the accelerators
    # are the process's, shared by every runspace that imports it, and the classes stay valid.
    $accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
    $taken = $accelerators::Get
    foreach ($type in [PSOpenAIBridge.ApiErrors]::Types) {
        if (-not $taken.ContainsKey($type.Name)) { $accelerators::Add($type.Name, $type) }
    }
}
