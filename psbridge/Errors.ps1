# PSOpenAI's exception classes, so that scripts written for PSOpenAI see the same errors: the API's
# failures are APIRequestException (an HttpRequestException) or the subclass for the status, carrying
# StatusCode, Type, Code, Param (and RequestId), with the message also as the record's ErrorDetails and
# 'PSOpenAI.APIRequest.<class>' as its error id. Part of the generated module text (generator.py).
# [NoRunspaceAffinity()]: the text is the same in every runspace, so PowerShell compiles it once per
# process and every runspace shares these types; their constructors must run in whichever runspace
# uses them, not in the first one (gone after ForEach-Object -Parallel). Python builds the records
# through New-PSOpenAIBridgeErrorRecord.

[NoRunspaceAffinity()]
class APIRequestException : System.Net.Http.HttpRequestException {
    [object]$Response
    [string]$Type
    [string]$Code
    [string]$Param
    [object]$Content
    [string]$RequestId
    APIRequestException([string]$message, [Nullable[System.Net.HttpStatusCode]]$statusCode) : base($message, $null, $statusCode) {}
}
[NoRunspaceAffinity()]
class BadRequestException : APIRequestException {
    BadRequestException([string]$message, [Nullable[System.Net.HttpStatusCode]]$statusCode) : base($message, $statusCode) {}
}
[NoRunspaceAffinity()]
class ContentFilteredException : APIRequestException {
    ContentFilteredException([string]$message, [Nullable[System.Net.HttpStatusCode]]$statusCode) : base($message, $statusCode) {}
}
[NoRunspaceAffinity()]
class UnauthorizedException : APIRequestException {
    UnauthorizedException([string]$message, [Nullable[System.Net.HttpStatusCode]]$statusCode) : base($message, $statusCode) {}
}
[NoRunspaceAffinity()]
class PermissionDeniedException : APIRequestException {
    PermissionDeniedException([string]$message, [Nullable[System.Net.HttpStatusCode]]$statusCode) : base($message, $statusCode) {}
}
[NoRunspaceAffinity()]
class NotFoundException : APIRequestException {
    NotFoundException([string]$message, [Nullable[System.Net.HttpStatusCode]]$statusCode) : base($message, $statusCode) {}
}
[NoRunspaceAffinity()]
class ConflictException : APIRequestException {
    ConflictException([string]$message, [Nullable[System.Net.HttpStatusCode]]$statusCode) : base($message, $statusCode) {}
}
[NoRunspaceAffinity()]
class UnprocessableEntityException : APIRequestException {
    UnprocessableEntityException([string]$message, [Nullable[System.Net.HttpStatusCode]]$statusCode) : base($message, $statusCode) {}
}
[NoRunspaceAffinity()]
class RateLimitExceededException : APIRequestException {
    RateLimitExceededException([string]$message, [Nullable[System.Net.HttpStatusCode]]$statusCode) : base($message, $statusCode) {}
}
[NoRunspaceAffinity()]
class QuotaLimitExceededException : RateLimitExceededException {
    QuotaLimitExceededException([string]$message, [Nullable[System.Net.HttpStatusCode]]$statusCode) : base($message, $statusCode) {}
}

function New-PSOpenAIBridgeErrorRecord([string]$Class, [string]$Message, $Status, [string]$Type, [string]$Code,
                                       [string]$Param, [string]$RequestId, [string]$Category, $Target) {
    $exception = switch ($Class) {
        'BadRequestException' { [BadRequestException]::new($Message, $Status) }
        'ContentFilteredException' { [ContentFilteredException]::new($Message, $Status) }
        'UnauthorizedException' { [UnauthorizedException]::new($Message, $Status) }
        'PermissionDeniedException' { [PermissionDeniedException]::new($Message, $Status) }
        'NotFoundException' { [NotFoundException]::new($Message, $Status) }
        'ConflictException' { [ConflictException]::new($Message, $Status) }
        'UnprocessableEntityException' { [UnprocessableEntityException]::new($Message, $Status) }
        'RateLimitExceededException' { [RateLimitExceededException]::new($Message, $Status) }
        'QuotaLimitExceededException' { [QuotaLimitExceededException]::new($Message, $Status) }
        default { [APIRequestException]::new($Message, $Status) }
    }
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
    foreach ($type in [APIRequestException], [BadRequestException], [ContentFilteredException], [UnauthorizedException],
                      [PermissionDeniedException], [NotFoundException], [ConflictException], [UnprocessableEntityException],
                      [RateLimitExceededException], [QuotaLimitExceededException]) {
        if (-not $taken.ContainsKey($type.Name)) { $accelerators::Add($type.Name, $type) }
    }
}
