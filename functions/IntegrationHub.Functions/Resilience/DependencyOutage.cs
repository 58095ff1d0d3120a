using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net.Sockets;
using System.Reflection;
using Azure;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Resilience;

/// <summary>
/// A dependency (storage, or the task hub on it) found unreachable while serving a request: answered 503 with
/// <c>Retry-After</c>, never 500: the caller did nothing wrong, and sending again is safe (landing is write-once by
/// content hash, starts are claimed once per instance id).
/// Mapped in one place, the request pipeline both hosts run, once <see cref="StorageRetry"/> has given up.
/// </summary>
public sealed partial class DependencyOutage(string dependency, string detail)
{
    /// <summary>The hub's Blob, Queue and Table storage.</summary>
    public const string Storage = "storage";

    /// <summary>The Durable task hub, reached through the Durable client (itself kept on storage).</summary>
    public const string TaskHub = "task-hub";

    /// <summary>The audit log (blobs in the hub's storage), which must record an ops action before it takes effect.</summary>
    public const string AuditLog = "audit-log";

    /// <summary>The key that signs receipts (Key Vault in Azure): a push is not landed without its receipt.</summary>
    public const string ReceiptKey = "receipt-key";

    /// <summary>The feed schema version a feed was judged by is held by the schema evolution gate (Intake/SchemaGate).</summary>
    public const string SchemaGate = "schema-gate";

    /// <summary>The Entra ID tenant's OpenID metadata and signing keys, without which no ops token can be checked.</summary>
    public const string SignIn = "sign-in";

    /// <summary>Every name above, read from the constants: what a 503's <c>dependency</c> can say.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. typeof(DependencyOutage).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)];

    /// <summary>
    /// What callers are told to wait. A storage that went away typically comes back within seconds to a minute; asking
    /// every 10 s costs little and the answer is quick either way.
    /// </summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    /// <summary><see cref="Storage"/> or <see cref="TaskHub"/>: named in the answer's <c>dependency</c>.</summary>
    public string Dependency { get; } = dependency;

    /// <summary>What was seen (host names, SDK messages): for the log only, never the answer.</summary>
    public string Detail { get; } = detail;

    /// <summary>The outage behind <paramref name="exception"/>, or null when it is anything else (a bug stays a 500).</summary>
    /// <param name="requestAborted">
    /// The request's own token: a cancellation caused by the caller going away is not an outage; any other cancellation
    /// seen here is a client timing out on its dependency.
    /// </param>
    public static DependencyOutage? Of(Exception exception, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (requestAborted.IsCancellationRequested)
        {
            return null;
        }

        switch (exception)
        {
            case DependencyUnavailableException unavailable:
                return new DependencyOutage(unavailable.Dependency, unavailable.Message);

            // The Azure SDK gives up with an AggregateException of every attempt's failure.
            case AggregateException aggregate when aggregate.InnerExceptions.Count > 0:
                var causes = aggregate.InnerExceptions.Select(e => Of(e, requestAborted)).ToList();
                return causes.All(c => c is not null) ? causes[^1] : null;

            // A container of the hub's is missing (a fresh account, or one deleted by hand): HubStorageInitializer was
            // told by MissingContainerPolicy and is creating it, so the same request succeeds shortly.
            case RequestFailedException { ErrorCode: "ContainerNotFound" }:
                return new DependencyOutage(Storage, "the hub's storage is being prepared (a container was missing and is being created)");

            // Status 0: no answer at all (connection refused or reset, name not resolved).
            case RequestFailedException { Status: 0 } noAnswer:
                return new DependencyOutage(Storage, $"the hub's storage could not be reached ({noAnswer.InnerException?.Message ?? noAnswer.Message})");

            // Still failing after the SDK's retries: the service is down or overloaded, not the request wrong.
            case RequestFailedException { Status: 408 or 500 or 502 or 503 or 504 } failing:
                return new DependencyOutage(Storage,
                    string.Create(CultureInfo.InvariantCulture, $"the hub's storage answered {failing.Status} ({failing.ErrorCode ?? "no error code"})"));

            case HttpRequestException or SocketException:
                return new DependencyOutage(Storage, $"the hub's storage could not be reached ({exception.Message})");

            // The SDK's per-try network timeout (ClientOptions.Retry.NetworkTimeout) surfaces as a cancellation.
            case OperationCanceledException:
                return new DependencyOutage(Storage, "the hub's storage did not answer in time");

            case RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded } rpc:
                return new DependencyOutage(TaskHub, $"the Durable task hub could not be reached ({rpc.Status.Detail})");

            default:
                return exception.InnerException is { } inner && exception is not RequestFailedException ? Of(inner, requestAborted) : null;
        }
    }

    /// <summary>503 <c>application/problem+json</c> with <c>Retry-After</c> (seconds), the dependency named and a generic detail.</summary>
    public IActionResult ToResult() => new ServiceUnavailableResult(this);

    /// <summary>Logs the outage once per answered request, with the exception that revealed it.</summary>
    public void Log(ILogger logger, string functionName, Exception exception) => LogAnswered(logger, functionName, Dependency, Detail, exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Function} answered 503: {Dependency} unavailable, {Detail}")]
    private static partial void LogAnswered(ILogger logger, string function, string dependency, string detail, Exception exception);

    private sealed class ServiceUnavailableResult(DependencyOutage outage) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            var seconds = (int)RetryAfter.TotalSeconds;
            context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            // The caller learns which part of the hub is away and when to come back; what was seen stays in the log.
            return Problems.Create(new HubProblem(StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable")
            {
                Detail = string.Create(CultureInfo.InvariantCulture,
                    $"A service the hub depends on is unavailable. Sending the same request again is safe; try again in {seconds} s."),
                Dependency = outage.Dependency,
            }).ExecuteResultAsync(context);
        }
    }
}

/// <summary>The values of a problem's <c>dependency</c>: <see cref="DependencyOutage.Names"/>, so the document cannot drift.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DependencyNamesAttribute() : AllowedValuesAttribute([.. DependencyOutage.Names]);
