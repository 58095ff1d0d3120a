using System.Globalization;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Intake;

/// <summary>
/// Departments push feeds here; the answer is immediate and precise. The source, the key and the rate budget are checked,
/// and every push audited, by the request pipeline (<see cref="AccessPolicy.OwnSource"/>) before and after this body.
/// </summary>
public sealed class PushFeedFunction(FeedIntake intake, IOptions<IntakeLimits> limits, DailyPushQuota quota)
{
    public const string ApiKeyHeader = AccessGate.ApiKeyHeader;

    /// <summary>
    /// <c>GET /api/feeds/{feedId}</c>, the status route before the source had a segment of its own: answered as before
    /// until the sunset (README, "Following a feed"), marked deprecated since the successor route exists.
    /// </summary>
    public static readonly RouteDeprecation FeedIdOnlyRoute = new(
        new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 6, 30, 23, 59, 59, TimeSpan.Zero));

    [Function(nameof(PushFeed))]
    [ApiOperation(
        ApiTags.Feeds,
        "Push a feed",
        "Validates the feed at once and answers precisely. A new valid feed starts processing "
        + "(202); the exact bytes of a feed received before start nothing (200, `duplicate: true`); "
        + "an invalid feed is quarantined and the problem lists every violation with its JSON "
        + "Pointer. The source is checked before the key, the key before the body. The body is "
        + "`application/json` (UTF-8: no charset, or `charset=utf-8`) without a content coding; its "
        + "size limit holds while it is read. Every push is in the audit log with its answer and the "
        + "key's owner. Every landed body gets a signed `receipt`.",
        BodySchema = ApiDocuments.Feed,
        BodyDescription = "The feed document, as its schema `/api/schemas/feeds/{source}/{schemaVersion}` describes "
        + "it (absent `schemaVersion`: the latest).")]
    [ApiAnswer(200, "These exact valid bytes were received before: nothing new starts; `receipt` is the one the "
        + "first push got.", Body = typeof(FeedDuplicate))]
    [ApiAnswer(202, "New and valid: processing has started; `Location` is the feed's status URL, `receipt` the "
        + "hub's signed receipt.", Body = typeof(FeedAccepted), Location = true)]
    [ApiProblem(400, "Invalid: every violation (`errors`, `warnings`) with the `feedId` and `statusUrl`; the "
        + "feed is quarantined (its `receipt` says so). A body that ended before its declared length "
        + "has only `errors` (`parse:incomplete-body`): nothing was received.", Schema = ApiDocuments.InvalidFeedProblem)]
    [ApiProblem(401, "No key, or a key that is nobody's.")]
    [ApiProblem(403, "A key that is not this source's (the ops key included).")]
    [ApiProblem(404, "Unknown source.")]
    [ApiProblem(413, "The body is over the intake limit (`Intake__MaxFeedBytes`).")]
    [ApiProblem(415, "A Content-Type other than `application/json` (or another charset than UTF-8), or a "
        + "Content-Encoding other than `identity` (the answer's `Accept-Encoding` says so); "
        + "`parameter` names the header.")]
    [ApiProblem(429, "The department has used its pushes for now (`Access__RateLimit__PushPermitsPerMinute`, "
        + "`__PushBurst`, `__MaxConcurrentPushes`), or the bytes it may store per UTC day "
        + "(`Access__Quota__DailyPushBytes`; nothing is stored, `Retry-After` runs to midnight UTC); "
        + "`Retry-After` says when to try again.", RetryAfter = true, Schema = ApiDocuments.PushLimitProblem)]
    [Access(AccessPolicy.OwnSource)]
    public async Task<IActionResult> PushFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "feeds/{source}")] HttpRequest request,
        string source, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (body, refusal) = await PushedBody.ReadAsync(request, limits.Value.MaxFeedBytes, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        // Counted before anything is stored, in storage, so the quota holds across instances.
        var reservation = await quota.TryReserveAsync(source, body.Length, cancellationToken).ConfigureAwait(false);
        if (!reservation.Granted)
        {
            return OverQuota(request, reservation);
        }

        // From here on the body is the hub's: a client that hangs up (a timeout, a load tool stopping) must not leave
        // it landed without a verdict or without its pipeline run, so the request's abort no longer cancels anything.
        // A failure from here keeps the bytes counted: the body may have landed before it.
        var outcome = await intake.ReceiveAsync(source, body, HubTelemetry.PushChannel, client, CancellationToken.None).ConfigureAwait(false);
        if (outcome.LandedAt is null)
        {
            // The same bytes were landed before: this push stored nothing.
            await quota.ReleaseAsync(reservation, CancellationToken.None).ConfigureAwait(false);
        }

        request.Admitted().FeedId = outcome.FeedId;
        var statusUrl = FeedId.StatusUrl(source, outcome.FeedId);

        return outcome.Verdict switch
        {
            IntakeVerdict.Accepted => new AcceptedResult(statusUrl, new FeedAccepted(outcome.FeedId, statusUrl, outcome.Report.Warnings, outcome.Receipt)),
            // The same invalid bytes again are still invalid: the department gets the same report, not a "fine".
            IntakeVerdict.Duplicate when outcome.Feed is null => Problems.Invalid(outcome.FeedId, statusUrl, outcome.Report, outcome.Receipt),
            // The receipt is the one the first push got: the same bytes, received once, proved once.
            IntakeVerdict.Duplicate => new OkObjectResult(new FeedDuplicate(outcome.FeedId, statusUrl, Duplicate: true, outcome.Receipt)),
            _ => Problems.Invalid(outcome.FeedId, statusUrl, outcome.Report, outcome.Receipt),
        };
    }

    [Function(nameof(GetFeedStatus))]
    [ApiOperation(
        ApiTags.Feeds,
        "Follow a feed",
        "The feed's state: `Received` (landed, no verdict yet), `Validated`, `Quarantined` (with "
        + "its report) or `Consolidated`, and the data-set versions that first included it. This is "
        + "the status URL a push answers with.")]
    [ApiAnswer(200, "The feed's state.", Body = typeof(Storage.FeedStatus))]
    [ApiProblem(401, "No key, or a key that is nobody's.")]
    [ApiProblem(403, "Another department's feed.")]
    [ApiProblem(404, "No feed with this id has been received from this source.")]
    [Access(AccessPolicy.AnyKey)]
    public async Task<IActionResult> GetFeedStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "feeds/{source}/{feedId}")] HttpRequest request,
        string source, string feedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Looked up among the bodies pushed to this source's URL: a body that names another source (quarantined for it)
        // or none is found where it was sent, and only there.
        var status = await intake.GetStatusAsync(source, feedId, cancellationToken).ConfigureAwait(false);
        return status is null
            ? Problems.Create(StatusCodes.Status404NotFound, "Unknown feed", $"No feed with id '{feedId}' has been received from '{source}'.")
            : Authorised(request, feedId, status);
    }

    /// <summary>The deprecated form of <see cref="GetFeedStatus"/>: the same answers, with the deprecation headers.</summary>
    [Function(nameof(GetFeedStatusByIdOnly))]
    [ApiOperation(
        ApiTags.Feeds,
        "Follow a feed (deprecated form)",
        "`GET /feeds/{feedId}`, the status route before the source had a segment of its own; it "
        + "answers as `GET /feeds/{source}/{feedId}` does. OpenAPI allows one path per shape, so this path names its one segment "
        + "`{source}` after the push it shares it with: the value is a feed id.",
        DeprecatedBy = nameof(FeedIdOnlyRoute))]
    [ApiPath("feedId", "A feed id (not a source), as in `GET /feeds/{source}/{feedId}`.")]
    [ApiAnswer(200, "The feed's state.", Body = typeof(Storage.FeedStatus))]
    [ApiProblem(401, "No key, or a key that is nobody's.")]
    [ApiProblem(403, "Another department's feed.")]
    [ApiProblem(404, "No feed with this id has been received.")]
    [Access(AccessPolicy.AnyKey)]
    public async Task<IActionResult> GetFeedStatusByIdOnly(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "feeds/{feedId}")] HttpRequest request, string feedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = FeedId.SourceOf(feedId);
        FeedIdOnlyRoute.Apply(request.HttpContext.Response, source is null ? null : FeedId.StatusUrl(source, feedId));
        return await StatusAsync(request, feedId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IActionResult> StatusAsync(HttpRequest request, string feedId, CancellationToken cancellationToken)
    {
        var status = await intake.GetStatusAsync(feedId, cancellationToken).ConfigureAwait(false);
        return status is null
            ? Problems.Create(StatusCodes.Status404NotFound, "Unknown feed", $"No feed with id '{feedId}' has been received.")
            : Authorised(request, feedId, status);
    }

    private static ObjectResult OverQuota(HttpRequest request, QuotaDecision refused)
    {
        // Whole seconds to the next UTC midnight, rounded up: a client waiting what it is told finds a new day.
        var seconds = Math.Max(1, (long)Math.Ceiling(refused.RetryAfter.TotalSeconds));
        request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var day = refused.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Problems.Create(new PushLimitProblem(StatusCodes.Status429TooManyRequests, "Daily storage quota used")
        {
            UsedBytes = refused.UsedBefore,
            Day = day,
            Detail = string.Create(CultureInfo.InvariantCulture,
                $"'{refused.Source}' has stored {refused.UsedBefore} bytes of pushed feeds on {day} (UTC), its quota for the day; nothing was stored. "
                + $"Try again after midnight UTC, in {seconds} s."),
            RetryAfter = (int)seconds,
        });
    }

    private static IActionResult Authorised(HttpRequest request, string feedId, FeedStatus status)
    {
        var caller = request.Admitted().Caller;
        // A department sees its own feeds only (those pushed to its URL); 404 would also do, but 403 tells an integrator what is wrong.
        return caller.Principal != AccessOptions.OpsPrincipal && caller.Principal != status.Source
            ? Problems.Create(StatusCodes.Status403Forbidden, "Not your feed", $"Feed '{feedId}' belongs to '{status.Source}'.")
            : new OkObjectResult(status);
    }
}
