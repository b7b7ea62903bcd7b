# PSOpenAI's errors, so that scripts written for PSOpenAI see the same ones: the API's failures are its
# APIRequestException (an HttpRequestException) or the subclass for the status (compiled: boot/Types.cs), carrying
# StatusCode, Type, Code, Param (and RequestId), with the message also as the record's ErrorDetails and
# 'PSOpenAI.APIRequest.<class>' as its error id. Part of the generated module text (generator.py). Python builds
# the records through New-PSOpenAIBridgeErrorRecord; the classes' type accelerators: ApiErrors.RegisterAccelerators.

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
