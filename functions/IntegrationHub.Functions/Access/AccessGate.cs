using System.Globalization;
using IntegrationHub.Functions.Audit;
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
/// The checks behind every keyed route, applied by the request pipeline: whose key it is (compared in constant time,
/// settings read per request so a rotated key works at once), whether that principal may use the route, and its rate
/// budget. A key holder's pushes are audited whatever their answer; anonymous refusals are only counted and rate-logged,
/// so they leave nothing lasting. The key itself is never logged, audited or echoed.
/// </summary>
public sealed partial class AccessGate(IOptionsMonitor<AccessOptions> options, RequestRateLimits limits,
    AuditLog audit, OpsSignIn signIn, ILogger<AccessGate> logger)
{
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>The audit action of a push.</summary>
    public const string PushAction = "push";

    /// <summary>The audit action of a feed checked without being sent (<c>POST /api/feeds/{source}/validate</c>).</summary>
    public const string ValidateAction = "validate";

    /// <summary>Log lines a minute, per instance, for requests refused without a valid key; the rest are only counted.</summary>
    public const int AnonymousLogLinesPerMinute = 10;

    /// <summary>Log lines a minute, per instance, for ops calls refused for their network; the rest are counted.</summary>
    public const int NetworkLogLinesPerMinute = 10;

    private readonly LogSampler anonymousLog = new(AnonymousLogLinesPerMinute);
    private readonly LogSampler networkLog = new(NetworkLogLinesPerMinute);
    private AccessOptions? lastGood;
    private ParsedNetworks networks = new(null, OpsNetworks.Any);

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
            return Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key",
                $"Send your department's key in the '{ApiKeyHeader}' header.");
        }

        if (caller.Principal != source)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "Not your source",
                $"This key belongs to '{caller.Principal}' and may not push '{source}' feeds.");
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

    /// <summary>The audit action of an ops read (a GET of the ops surface).</summary>
    public const string ReadAction = "read";

    /// <summary>The key slot the audit log names for a person signed in with Entra ID (the principal is their object id).</summary>
    public const string EntraSlot = "entra-id";

    /// <summary>
    /// An ops route (<paramref name="acts"/>: a reader may not; <paramref name="forbidden"/>: what a department key is
    /// told): an Entra ID bearer token, else the ops key (refused in Azure unless <c>Access__AllowOpsKeyInAzure</c>).
    /// Refusals are logged, not audited: the audit log records what ops did, and a refused call did nothing.
    /// </summary>
    public async Task<OpsAdmission> AdmitOpsAsync(HttpRequest request, bool acts, string forbidden = "This key may not use the ops surface.")
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AdmitOpsNetwork(request, "ops") is { } outside)
        {
            return new(outside, OpsActor.Unknown);
        }

        Caller caller;
        if (BearerToken(request) is { } token)
        {
            var signedIn = await signIn.CheckAsync(token, request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (signedIn.Person is not { } person)
            {
                // Anyone can send a token: counted and sampled like a missing key, never audited.
                RefusedWithoutKey(request, "ops", StatusCodes.Status401Unauthorized);
                LogTokenRefused(logger, signedIn.Refusal ?? "invalid");
                request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                return new(Problems.Create(StatusCodes.Status401Unauthorized, "Invalid sign-in",
                    "The bearer token is not valid for this hub (expired, for another audience or tenant, or not signed by Entra ID); sign in again."),
                        OpsActor.Unknown);
            }

            if (acts ? !person.MayAct : !person.MayRead)
            {
                LogOpsRefused(logger, person.ObjectId, request.Method, request.Path, StatusCodes.Status403Forbidden);
                return new(Problems.Create(StatusCodes.Status403Forbidden, acts ? "Operator role required" : "Ops role required",
                    acts ? $"Only the '{OpsRoles.Operator}' role may do this; a '{OpsRoles.Reader}' may only read."
                        : $"Signed in, but without the '{OpsRoles.Reader}' or '{OpsRoles.Operator}' role of this hub."), OpsActor.Unknown);
            }

            caller = new Caller(person.ObjectId, EntraSlot, person.Name);
        }
        else
        {
            caller = Identify(request);
            if (caller.IsAnonymous)
            {
                RefusedWithoutKey(request, "ops", StatusCodes.Status401Unauthorized);
                return new(Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key",
                    $"Sign in with Entra ID (Authorization: Bearer), or in local development send the ops key in the '{ApiKeyHeader}' header."),
                        OpsActor.Unknown);
            }

            if (caller.Principal != AccessOptions.OpsPrincipal)
            {
                LogOpsRefused(logger, caller.Principal, request.Method, request.Path, StatusCodes.Status403Forbidden);
                return new(Problems.Create(StatusCodes.Status403Forbidden, "Ops only", forbidden), OpsActor.Unknown);
            }

            if (signIn.RunsInAzure && !Current().AllowOpsKeyInAzure)
            {
                // One shared key names no person: in Azure ops sign in as themselves.
                LogOpsRefused(logger, "ops key in Azure", request.Method, request.Path, StatusCodes.Status401Unauthorized);
                request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return new(Problems.Create(StatusCodes.Status401Unauthorized, "Sign in with Entra ID",
                    "The ops key is for local development only; in Azure sign in with Entra ID and send the token as 'Authorization: Bearer'."),
                        OpsActor.Unknown);
            }
        }

        if (limits.TryAcquire(RateLimitedRoute.Ops, caller.Principal) is { } retryAfter)
        {
            LogOpsRefused(logger, caller.Principal, request.Method, request.Path, StatusCodes.Status429TooManyRequests);
            return new(TooManyRequests(request, retryAfter, "You have used your ops calls for now"), OpsActor.Unknown);
        }

        return new(null, OpsActor.Of(caller));
    }

    /// <summary>
    /// A 403 for the ops surface from outside <c>Access__Ops__AllowedNetworks</c>, before any credential is read;
    /// counted and rate-logged but never audited, since anyone can send it. Names neither the caller's address nor the
    /// list. Null when the network is allowed or no list is set.
    /// </summary>
    public IActionResult? AdmitOpsNetwork(HttpRequest request, string route)
    {
        ArgumentNullException.ThrowIfNull(request);
        var address = OpsNetworks.ClientAddress(request.HttpContext);
        if (AllowedNetworks().Admits(address))
        {
            return null;
        }

        HubTelemetry.OpsNetworkRefused(route);
        if (networkLog.TryTake(out var leftOut))
        {
            LogNetworkRefused(logger, address?.ToString() ?? "unknown", request.Method,
                AuditText.Cap(request.Path.Value ?? "", AuditText.MaxTarget), leftOut);
        }

        return Problems.Create(StatusCodes.Status403Forbidden, "Not from an ops network",
            "The ops surface answers only the networks this hub allows for it; use it from one of them.");
    }

    /// <summary>
    /// Records an ops read: who read which route with which query, and its answer. Best effort, as pushes are: the read
    /// changed nothing, and ops must still be able to look around while the audit log is away.
    /// </summary>
    public Task RecordOpsReadAsync(OpsActor actor, HttpRequest request, IActionResult answer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(answer);
        var status = (answer as IStatusCodeActionResult)?.StatusCode ?? StatusCodes.Status200OK;
        var outcome = status switch
        {
            >= 200 and < 300 => "done",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status400BadRequest => "invalid",
            _ => "error",
        };
        return audit.RecordAsync(actor, ReadAction, $"{request.Path}{request.QueryString}", outcome, status, null, CancellationToken.None);
    }

    // The token of an Authorization: Bearer header, or null.
    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token ? token : null;
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
        return audit.RecordAsync(OpsActor.Of(caller), action, feedId ?? $"feeds/{source}", outcome, status, detail, CancellationToken.None);
    }

    /// <summary>The daily byte quota of each department, as the settings say now.</summary>
    public long DailyPushBytes => Current().Quota.DailyPushBytes;

    // The settings as they are now. A change that fails validation (a malformed sha256: key) keeps the last valid keys
    // working instead of locking every client out.
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

    // The allowed networks as the settings say now, parsed once per change of the setting.
    private OpsNetworks AllowedNetworks()
    {
        var setting = Current().Ops.AllowedNetworks;
        var parsed = networks;
        if (parsed.Setting == setting)
        {
            return parsed.Networks;
        }

        // Validation has already refused a malformed list (the last valid settings stay): this parse succeeds.
        var now = OpsNetworks.Parse(setting, out _) ?? parsed.Networks;
        networks = new ParsedNetworks(setting, now);
        return now;
    }

    private sealed record ParsedNetworks(string? Setting, OpsNetworks Networks);

    private static ObjectResult TooManyRequests(HttpRequest request, TimeSpan retryAfter, string why)
    {
        // Whole seconds, rounded up, at least one: a client waiting what it is told will get a permit.
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Create(new HubProblem(StatusCodes.Status429TooManyRequests, "Too many requests")
        {
            Detail = string.Create(CultureInfo.InvariantCulture, $"{why}; try again in {seconds} s."), RetryAfter = seconds,
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ops route refused to {Principal}: {Method} {Path} answered {Status}")]
    private static partial void LogOpsRefused(ILogger logger, string principal, string method, PathString path, int status);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Ops surface refused to {Address}, outside the allowed networks: {Method} {Path} "
            + "({LeftOut} such refusals not logged before this one)")]
    private static partial void LogNetworkRefused(
        ILogger logger, string address, string method, string path, long leftOut);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ops bearer token refused: {Reason}")]
    private static partial void LogTokenRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused without a valid key: {Method} {Path} answered {Status} ({LeftOut} such refusals not logged before this one)")]
    private static partial void LogAnonymousRefused(ILogger logger, string method, string path, int status, long leftOut);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Access settings are invalid; the last valid keys stay in force: {Reason}")]
    private static partial void LogInvalidSettings(ILogger logger, string reason);
}
