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
            IntakeVerdict.Accepted => new AcceptedResult(statusUrl,
                new { feedId = outcome.FeedId, status = statusUrl, warnings = outcome.Report.Warnings, receipt = outcome.Receipt }),
            // The same invalid bytes again are still invalid: the department gets the same report, not a "fine".
            IntakeVerdict.Duplicate when outcome.Feed is null => Problems.Invalid(outcome.FeedId, statusUrl, outcome.Report, outcome.Receipt),
            // The receipt is the one the first push got: the same bytes, received once, proved once.
            IntakeVerdict.Duplicate => new OkObjectResult(new { feedId = outcome.FeedId, status = statusUrl, duplicate = true, receipt = outcome.Receipt }),
            _ => Problems.Invalid(outcome.FeedId, statusUrl, outcome.Report, outcome.Receipt),
        };
    }

    [Function(nameof(GetFeedStatus))]
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
        return Problems.Create(StatusCodes.Status429TooManyRequests, "Daily storage quota used",
            string.Create(CultureInfo.InvariantCulture,
                $"'{refused.Source}' has stored {refused.UsedBefore} bytes of pushed feeds on {refused.Day:yyyy-MM-dd} (UTC), its quota for the day; nothing was stored. Try again after midnight UTC, in {seconds} s."),
            new Dictionary<string, object?> { ["retryAfter"] = seconds, ["usedBytes"] = refused.UsedBefore,
                ["day"] = refused.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
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
