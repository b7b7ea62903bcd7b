// The .NET types the generated functions name: PSOpenAI's exception classes and the parameters' transformation
// attributes. Compiled here rather than declared as PowerShell classes in the generated text, where defining
// thirteen classes (parsing them and emitting a dynamic assembly for each) was a quarter of a cold import's own
// PowerShell work. Their behaviour is the classes' as they were; a type compiled once has no runspace affinity.
using System;
using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Reflection;

// PSOpenAI's exception classes (no namespace, as PowerShell classes have none, so their names are PSOpenAI's):
// the API's failures are APIRequestException, an HttpRequestException, or the subclass for the status, carrying
// Type, Code, Param and RequestId; New-PSOpenAIBridgeErrorRecord (Errors.ps1) makes them, through
// PSOpenAIBridge.ApiErrors, for Python (psbridge/errors.py).
public class APIRequestException : HttpRequestException
{
    public APIRequestException(string message, HttpStatusCode? statusCode) : base(message, null, statusCode) { }
    public object Response { get; set; }
    public string Type { get; set; }
    public string Code { get; set; }
    public string Param { get; set; }
    public object Content { get; set; }
    public string RequestId { get; set; }
}

public class BadRequestException : APIRequestException
{
    public BadRequestException(string message, HttpStatusCode? statusCode) : base(message, statusCode) { }
}

public class ContentFilteredException : APIRequestException
{
    public ContentFilteredException(string message, HttpStatusCode? statusCode) : base(message, statusCode) { }
}

public class UnauthorizedException : APIRequestException
{
    public UnauthorizedException(string message, HttpStatusCode? statusCode) : base(message, statusCode) { }
}

public class PermissionDeniedException : APIRequestException
{
    public PermissionDeniedException(string message, HttpStatusCode? statusCode) : base(message, statusCode) { }
}

public class NotFoundException : APIRequestException
{
    public NotFoundException(string message, HttpStatusCode? statusCode) : base(message, statusCode) { }
}

public class ConflictException : APIRequestException
{
    public ConflictException(string message, HttpStatusCode? statusCode) : base(message, statusCode) { }
}

public class UnprocessableEntityException : APIRequestException
{
    public UnprocessableEntityException(string message, HttpStatusCode? statusCode) : base(message, statusCode) { }
}

public class RateLimitExceededException : APIRequestException
{
    public RateLimitExceededException(string message, HttpStatusCode? statusCode) : base(message, statusCode) { }
}

public class QuotaLimitExceededException : RateLimitExceededException
{
    public QuotaLimitExceededException(string message, HttpStatusCode? statusCode) : base(message, statusCode) { }
}

// Lets a [securestring] parameter take a plain string too, as PSOpenAI's -ApiKey does.
public sealed class PSOpenAIBridgeSecureStringAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        return value is string text ? new NetworkCredential("", text).SecurePassword : inputData;
    }
}

// Lets a [PSTypeName('T')] parameter take a Deserialized.T (from a job, remoting or Import-Clixml): a copy of its
// properties typed T is bound (the object itself is left as it is); anything else passes untouched. The properties
// Receive-Job and remoting add to each object (and Export-Clixml keeps) are not the API's: a request item sent with
// them would carry them into its JSONL line (RunspaceId, a Guid, has no JSON form).
public sealed class PSOpenAIBridgeUndeserializeAttribute : ArgumentTransformationAttribute
{
    static readonly string[] Added = { "PSComputerName", "RunspaceId", "PSShowComputerName", "PSSourceJobInstanceId" };

    public PSOpenAIBridgeUndeserializeAttribute(string typeName)
    {
        TypeName = typeName;
        Deserialized = "Deserialized." + typeName;
    }

    public string TypeName { get; }
    public string Deserialized { get; }

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        // (a list given at once, -BatchInput $items: each of its objects, as for live objects)
        object list = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (list is not IList items || (list.GetType().GetElementType()?.IsPrimitive ?? false)) return Copy(inputData);
        var copies = new object[items.Count];
        bool copied = false;
        for (int i = 0; i < copies.Length; i++)
        {
            copies[i] = Copy(items[i]);
            if (!ReferenceEquals(copies[i], items[i])) copied = true;
        }
        return copied ? copies : inputData;
    }

    object Copy(object inputData)
    {
        if (inputData is not PSObject item || item.TypeNames.Count == 0 || item.TypeNames[0] != Deserialized) return inputData;
        var copy = new PSObject();
        foreach (PSPropertyInfo property in item.Properties)
        {
            if (Array.IndexOf(Added, property.Name) >= 0) continue;
            copy.Properties.Add(new PSNoteProperty(property.Name, property.Value));
        }
        copy.TypeNames.Insert(0, TypeName);
        return copy;
    }
}

// Lets an [string] id parameter take an object of the named types, however it was made (by hand, by PSOpenAI,
// deserialized from a job or Import-Clixml as Deserialized.*): its id, not its text, is bound.
public sealed class PSOpenAIBridgeIdOfAttribute : ArgumentTransformationAttribute
{
    public PSOpenAIBridgeIdOfAttribute(string[] typeNames) { TypeNames = typeNames; }

    public string[] TypeNames { get; }

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        if (inputData is not PSObject item || item.BaseObject is string) return inputData;
        foreach (string typeName in item.TypeNames)
        {
            string name = typeName.StartsWith("Deserialized.", StringComparison.Ordinal) ? typeName.Substring(13) : typeName;
            if (Array.FindIndex(TypeNames, t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase)) < 0) continue;
            object id = item.Properties["id"]?.Value;
            return id is null ? inputData : LanguagePrimitives.ConvertTo<string>(id);
        }
        return inputData;
    }
}

namespace PSOpenAIBridge
{
    /// <summary>PSOpenAI's exception classes by name, for Errors.ps1 (here, so that no PSOpenAI class of the same
    /// name, imported first and made a type accelerator, is picked instead).</summary>
    public static class ApiErrors
    {
        public static readonly Type[] Types =
        {
            typeof(APIRequestException), typeof(BadRequestException), typeof(ContentFilteredException),
            typeof(UnauthorizedException), typeof(PermissionDeniedException), typeof(NotFoundException),
            typeof(ConflictException), typeof(UnprocessableEntityException), typeof(RateLimitExceededException),
            typeof(QuotaLimitExceededException),
        };

        /// <summary>Makes the classes type accelerators, as PSOpenAI does at import, so that a script can name them:
        /// `catch [NotFoundException] { }`, `$_.Exception -is [APIRequestException]`. A name already taken (by
        /// PSOpenAI's own classes, imported first) is left as it is; either module's errors are caught by their common
        /// base class, [System.Net.Http.HttpRequestException]. Not removed with the module: the accelerators are the
        /// process's, shared by every runspace that imports it, and the classes stay valid. (Here rather than in
        /// PowerShell: one function less to compile at each import.)</summary>
        public static void RegisterAccelerators()
        {
            Type accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators", true);
            var taken = (System.Collections.Generic.IDictionary<string, Type>)accelerators.GetProperty("Get").GetValue(null);
            MethodInfo add = accelerators.GetMethod("Add", new[] { typeof(string), typeof(Type) });
            foreach (Type type in Types)
                if (!taken.ContainsKey(type.Name)) add.Invoke(null, new object[] { type.Name, type });
        }

        /// <summary>The exception of the class named (APIRequestException for any other name). The status as a
        /// number: PowerShell would not convert one HttpStatusCode does not name (418, a proxy's 520) to it.</summary>
        public static APIRequestException Create(string className, string message, int? status)
        {
            var statusCode = (HttpStatusCode?)status;
            switch (className)
            {
                case nameof(BadRequestException): return new BadRequestException(message, statusCode);
                case nameof(ContentFilteredException): return new ContentFilteredException(message, statusCode);
                case nameof(UnauthorizedException): return new UnauthorizedException(message, statusCode);
                case nameof(PermissionDeniedException): return new PermissionDeniedException(message, statusCode);
                case nameof(NotFoundException): return new NotFoundException(message, statusCode);
                case nameof(ConflictException): return new ConflictException(message, statusCode);
                case nameof(UnprocessableEntityException): return new UnprocessableEntityException(message, statusCode);
                case nameof(RateLimitExceededException): return new RateLimitExceededException(message, statusCode);
                case nameof(QuotaLimitExceededException): return new QuotaLimitExceededException(message, statusCode);
                default: return new APIRequestException(message, statusCode);
            }
        }
    }
}
