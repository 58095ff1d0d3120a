using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Resilience;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.Functions.Http;

/// <summary>
/// What every HTTP function shares, written once so both hosts (<see cref="HubRequestMiddleware"/>, the local host)
/// run the same: security headers, the function's <see cref="AccessPolicy"/>, the audit of pushes, and the 503 while
/// storage or the task hub is away. The function runs only once admitted, its caller in <see cref="AdmittedCall"/>.
/// </summary>
public sealed class HubRequestPipeline(AccessGate gate, ILogger<HubRequestPipeline> logger)
{
    /// <summary>The route value a push names its source by.</summary>
    public const string SourceRouteValue = "source";

    /// <param name="function">The function's name, for the log of an outage.</param>
    /// <param name="next">The function itself: its answer, to be executed by the host.</param>
    public async Task<IActionResult> RunAsync(HttpContext context, string function, AccessAttribute access, Func<Task<IActionResult>> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return access.Policy switch
            {
                AccessPolicy.Anonymous => await OpenAsync(context, access, page: false, next).ConfigureAwait(false),
                AccessPolicy.Page => await OpenAsync(context, access, page: true, next).ConfigureAwait(false),
                AccessPolicy.AnyKey => await AnyKeyAsync(context, next).ConfigureAwait(false),
                AccessPolicy.OwnSource => await PushAsync(context, access.AuditAction, next).ConfigureAwait(false),
                AccessPolicy.Ops => await OpsAsync(context, access, next).ConfigureAwait(false),
                _ => throw new InvalidOperationException($"Function {function}: unknown access policy {access.Policy}."),
            };
        }
        catch (Exception ex) when (DependencyOutage.Of(ex, context.RequestAborted) is { } outage)
        {
            // Nothing the caller sent was wrong: 503 with Retry-After, not 500. A push that failed this way is not
            // audited, as it was not answered; the retry will be.
            outage.Log(logger, function, ex);
            return outage.ToResult();
        }
    }

    private Task<IActionResult> OpenAsync(
        HttpContext context, AccessAttribute access, bool page, Func<Task<IActionResult>> next)
    {
        if (page)
        {
            SecurityHeaders.ForPage(context.Response);
        }
        else
        {
            SecurityHeaders.ForApi(context.Response, keyed: false);
        }

        if (access.OpsNetwork && gate.AdmitOpsNetwork(context.Request, "console") is { } outside)
        {
            return Task.FromResult(outside);
        }

        context.Features.Set(new AdmittedCall(Caller.Anonymous));
        return next();
    }

    private async Task<IActionResult> AnyKeyAsync(HttpContext context, Func<Task<IActionResult>> next)
    {
        var caller = Identify(context);
        if (caller.IsAnonymous)
        {
            gate.RefusedWithoutKey(context.Request, "keyed", StatusCodes.Status401Unauthorized);
            return Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key",
                $"Send your key in the '{AccessGate.ApiKeyHeader}' header.");
        }

        context.Features.Set(new AdmittedCall(caller));
        return await next().ConfigureAwait(false);
    }

    // The source is checked before the key (an unknown source is a 404 whoever asks), then the key. Every answer to a
    // key holder is audited under action; a refusal without a valid key (401, or 404 for an unknown source) is only
    // counted. A validation draws on the same budget as a push: it costs the hub the same work.
    private async Task<IActionResult> PushAsync(HttpContext context, string action, Func<Task<IActionResult>> next)
    {
        var caller = Identify(context);
        var source = context.Request.RouteValues.TryGetValue(SourceRouteValue, out var named) ? named?.ToString() ?? "" : "";
        var call = new AdmittedCall(caller);
        IActionResult answer;
        if (!FeedSource.IsKnown(source))
        {
            answer = Problems.Create(StatusCodes.Status404NotFound, "Unknown source",
                $"'{source}' is not a feed source; use one of: {string.Join(", ", FeedSource.All)}.");
        }
        else if (gate.AdmitPush(context.Request, caller, source, out var inProgress) is { } refused)
        {
            answer = refused;
        }
        else
        {
            using (inProgress)
            {
                context.Features.Set(call);
                answer = await next().ConfigureAwait(false);
            }
        }

        if (caller.IsAnonymous)
        {
            // Only refusals reach here without a key: anyone can send them, so they cost no audit append.
            gate.RefusedWithoutKey(context.Request, action, (answer as IStatusCodeActionResult)?.StatusCode ?? StatusCodes.Status401Unauthorized);
            return answer;
        }

        await gate.RecordPushAsync(caller, source, call.FeedId, answer, action).ConfigureAwait(false);
        return answer;
    }

    // A GET (or a route declared AccessAttribute.Reads) reads; anything else acts. Reads are audited here, actions by
    // their service.
    private async Task<IActionResult> OpsAsync(HttpContext context, AccessAttribute access, Func<Task<IActionResult>> next)
    {
        SecurityHeaders.ForApi(context.Response, keyed: true);
        var reads = access.Reads || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var (refusal, actor) = access.Forbidden is null
            ? await gate.AdmitOpsAsync(context.Request, acts: !reads).ConfigureAwait(false)
            : await gate.AdmitOpsAsync(context.Request, acts: !reads, access.Forbidden).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        context.Features.Set(new AdmittedCall(new Caller(actor.Principal, actor.KeySlot, actor.Name)));
        var answer = await next().ConfigureAwait(false);
        if (reads && !access.Reads)
        {
            await gate.RecordOpsReadAsync(actor, context.Request, answer).ConfigureAwait(false);
        }

        return answer;
    }

    // A keyed route's answer is never stored by a cache, whatever it is, refusals included.
    private Caller Identify(HttpContext context)
    {
        SecurityHeaders.ForApi(context.Response, keyed: true);
        return gate.Identify(context.Request);
    }
}
