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
public sealed class PushFeedFunction(FeedIntake intake, IOptions<IntakeLimits> limits)
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

        // From here on the body is the hub's: a client that hangs up (a timeout, a load tool stopping) must not leave
        // it landed without a verdict or without its pipeline run, so the request's abort no longer cancels anything.
        var outcome = await intake.ReceiveAsync(source, body, HubTelemetry.PushChannel, client, CancellationToken.None).ConfigureAwait(false);
        request.Admitted().FeedId = outcome.FeedId;
        var statusUrl = FeedId.StatusUrl(source, outcome.FeedId);

        return outcome.Verdict switch
        {
            IntakeVerdict.Accepted => new AcceptedResult(statusUrl, new { feedId = outcome.FeedId, status = statusUrl, warnings = outcome.Report.Warnings }),
            // The same invalid bytes again are still invalid: the department gets the same report, not a "fine".
            IntakeVerdict.Duplicate when outcome.Feed is null => Problems.Invalid(outcome.FeedId, statusUrl, outcome.Report),
            IntakeVerdict.Duplicate => new OkObjectResult(new { feedId = outcome.FeedId, status = statusUrl, duplicate = true }),
            _ => Problems.Invalid(outcome.FeedId, statusUrl, outcome.Report),
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

    private static IActionResult Authorised(HttpRequest request, string feedId, FeedStatus status)
    {
        var caller = request.Admitted().Caller;
        // A department sees its own feeds only (those pushed to its URL); 404 would also do, but 403 tells an integrator what is wrong.
        return caller.Principal != AccessOptions.OpsPrincipal && caller.Principal != status.Source
            ? Problems.Create(StatusCodes.Status403Forbidden, "Not your feed", $"Feed '{feedId}' belongs to '{status.Source}'.")
            : new OkObjectResult(status);
    }
}
