using System.Globalization;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Ops;
using IntegrationHub.Functions.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Access;

/// <summary>The caller of an ops route: <see cref="Refusal"/> to answer with, or null and the <see cref="Actor"/> the audit log records.</summary>
public sealed record OpsAdmission(IActionResult? Refusal, OpsActor Actor);

/// <summary>
/// The checks behind every keyed route, which the request pipeline (<c>Http/HubRequestPipeline</c>) applies as the
/// function's policy says: who the key belongs to (its hash compared in constant time against both slots of every
/// principal, read afresh on each request so a rotated key works at once), whether that principal may use the route,
/// and whether its rate budget allows one more request. A key holder's pushes are written to the audit log whatever
/// their answer; a refusal without a valid key is only counted (<see cref="HubTelemetry.AnonymousRefused"/>) and
/// logged at most <see cref="AnonymousLogLinesPerMinute"/> times a minute, so anonymous traffic leaves nothing lasting.
/// The key itself is never logged, audited or echoed.
/// </summary>
public sealed partial class AccessGate(IOptionsMonitor<AccessOptions> options, RequestRateLimits limits, AuditLog audit, ILogger<AccessGate> logger)
{
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>The audit action of a push.</summary>
    public const string PushAction = "push";

    /// <summary>The audit action of a feed checked without being sent (<c>POST /api/feeds/{source}/validate</c>).</summary>
    public const string ValidateAction = "validate";

    /// <summary>Log lines a minute, per instance, for requests refused without a valid key; the rest are only counted.</summary>
    public const int AnonymousLogLinesPerMinute = 10;

    private readonly LogSampler anonymousLog = new(AnonymousLogLinesPerMinute);
    private AccessOptions? lastGood;

    /// <summary>The key's owner and slot, or <see cref="Caller.Anonymous"/> for no key or a key that is nobody's.</summary>
    public Caller Identify(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Current().Authenticate(request.Headers[ApiKeyHeader]) ?? Caller.Anonymous;
    }

    /// <summary>
    /// A push to <paramref name="source"/> (a known source): 401, 403 or 429, or null to go on with
    /// <paramref name="inProgress"/>, the push's place among its department's pushes in progress, to dispose once answered.
    /// </summary>
    public IActionResult? AdmitPush(HttpRequest request, Caller caller, string source, out IDisposable? inProgress)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        inProgress = null;
        if (caller.IsAnonymous)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key", $"Send your department's key in the '{ApiKeyHeader}' header.");
        }

        if (caller.Principal != source)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "Not your source", $"This key belongs to '{caller.Principal}' and may not push '{source}' feeds.");
        }

        if (limits.TryAcquire(RateLimitedRoute.Push, caller.Principal) is { } retryAfter)
        {
            return TooManyRequests(request, retryAfter, $"'{caller.Principal}' has used its pushes for now");
        }

        // The rate bounds how many pushes start; this bounds how many one department has being read and validated at once.
        inProgress = limits.TryEnterPush(caller.Principal);
        return inProgress is null
            ? TooManyRequests(request, RequestRateLimits.PushInProgressRetryAfter, $"'{caller.Principal}' has as many pushes in progress as it may")
            : null;
    }

    /// <summary>
    /// An ops route (<paramref name="forbidden"/>: what a department key is told). Refusals are logged with the
    /// principal, not audited: the audit log records what ops did, and a refused call did nothing.
    /// </summary>
    public OpsAdmission AdmitOps(HttpRequest request, string forbidden = "This key may not use the ops surface.")
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = Identify(request);
        if (caller.IsAnonymous)
        {
            RefusedWithoutKey(request, "ops", StatusCodes.Status401Unauthorized);
            return new(Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key", $"Send the ops key in the '{ApiKeyHeader}' header."), OpsActor.Unknown);
        }

        if (caller.Principal != AccessOptions.OpsPrincipal)
        {
            LogOpsRefused(logger, caller.Principal, request.Method, request.Path, StatusCodes.Status403Forbidden);
            return new(Problems.Create(StatusCodes.Status403Forbidden, "Ops only", forbidden), OpsActor.Unknown);
        }

        if (limits.TryAcquire(RateLimitedRoute.Ops, caller.Principal) is { } retryAfter)
        {
            LogOpsRefused(logger, caller.Principal, request.Method, request.Path, StatusCodes.Status429TooManyRequests);
            return new(TooManyRequests(request, retryAfter, "The ops key has used its calls for now"), OpsActor.Unknown);
        }

        return new(null, new OpsActor(caller.Principal, caller.KeySlot));
    }

    /// <summary>
    /// A request refused without a valid key (<paramref name="route"/>: push, validate, ops or keyed): counted, logged when the
    /// sampler allows, never audited.
    /// </summary>
    public void RefusedWithoutKey(HttpRequest request, string route, int status)
    {
        ArgumentNullException.ThrowIfNull(request);
        HubTelemetry.AnonymousRefused(route, status);
        if (anonymousLog.TryTake(out var leftOut))
        {
            LogAnonymousRefused(logger, request.Method, AuditText.Cap(request.Path.Value ?? "", AuditText.MaxTarget), status, leftOut);
        }
    }

    /// <summary>
    /// Records a key holder's push (or validation, <paramref name="action"/>) and its answer: who (principal and key
    /// slot), the feed (its id once the body was read, else <c>feeds/{source}</c>), the outcome and status. Written even
    /// when the caller has gone: the answer was decided, and the record must not depend on the connection.
    /// </summary>
    public Task RecordPushAsync(Caller caller, string source, string? feedId, IActionResult answer, string action = PushAction)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(answer);
        var status = (answer as IStatusCodeActionResult)?.StatusCode ?? StatusCodes.Status200OK;
        var outcome = status switch
        {
            StatusCodes.Status202Accepted => "accepted",
            StatusCodes.Status200OK => action == ValidateAction ? "valid" : "duplicate",
            StatusCodes.Status400BadRequest => action == ValidateAction ? "invalid" : "rejected",
            StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden => "refused",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status413PayloadTooLarge => "too-large",
            StatusCodes.Status415UnsupportedMediaType => "unsupported-media-type",
            StatusCodes.Status429TooManyRequests => "rate-limited",
            _ => "error",
        };
        var detail = (answer as ObjectResult)?.Value is ProblemDetails problem ? $"{problem.Title}: {problem.Detail}" : null;
        return audit.RecordAsync(caller, action, feedId ?? $"feeds/{source}", outcome, status, detail, CancellationToken.None);
    }

    /// <summary>The daily byte quota of each department, as the settings say now.</summary>
    public long DailyPushBytes => Current().Quota.DailyPushBytes;

    /// <summary>
    /// The settings as they are now. A change that fails validation (a malformed <c>sha256:</c> key) keeps the last
    /// valid keys working instead of locking every client out.
    /// </summary>
    private AccessOptions Current()
    {
        try
        {
            var current = options.CurrentValue;
            lastGood = current;
            return current;
        }
        catch (OptionsValidationException ex) when (lastGood is not null)
        {
            LogInvalidSettings(logger, ex.Message);
            return lastGood;
        }
    }

    private static ObjectResult TooManyRequests(HttpRequest request, TimeSpan retryAfter, string why)
    {
        // Whole seconds, rounded up, at least one: a client waiting what it is told will get a permit.
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status429TooManyRequests, "Too many requests",
            string.Create(CultureInfo.InvariantCulture, $"{why}; try again in {seconds} s."),
            new Dictionary<string, object?> { ["retryAfter"] = seconds });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ops route refused to {Principal}: {Method} {Path} answered {Status}")]
    private static partial void LogOpsRefused(ILogger logger, string principal, string method, PathString path, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused without a valid key: {Method} {Path} answered {Status} ({LeftOut} such refusals not logged before this one)")]
    private static partial void LogAnonymousRefused(ILogger logger, string method, string path, int status, long leftOut);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Access settings are invalid; the last valid keys stay in force: {Reason}")]
    private static partial void LogInvalidSettings(ILogger logger, string reason);
}
