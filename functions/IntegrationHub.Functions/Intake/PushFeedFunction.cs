using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Parsing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Intake;

/// <summary>Departments push feeds here; the answer is immediate and precise.</summary>
public sealed class PushFeedFunction(FeedIntake intake, FeedProcessing processing, IOptionsMonitor<AccessOptions> access, IOptions<IntakeLimits> limits)
{
    public const string ApiKeyHeader = "x-api-key";

    [Function(nameof(PushFeed))]
    public async Task<IActionResult> PushFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "feeds/{source}")] HttpRequest request,
        string source, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!FeedSource.IsKnown(source))
        {
            return Problems.Create(StatusCodes.Status404NotFound, "Unknown source", $"'{source}' is not a feed source; use one of: {string.Join(", ", FeedSource.All)}.");
        }

        var caller = access.CurrentValue.Identify(request.Headers[ApiKeyHeader]);
        if (caller is null)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key", $"Send your department's key in the '{ApiKeyHeader}' header.");
        }

        if (caller != source)
        {
            return Problems.Create(StatusCodes.Status403Forbidden, "Not your source", $"This key belongs to '{caller}' and may not push '{source}' feeds.");
        }

        var (body, refusal) = await PushedBody.ReadAsync(request, limits.Value.MaxFeedBytes, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var outcome = await intake.ReceiveAsync(source, body, cancellationToken).ConfigureAwait(false);
        var statusUrl = $"/api/feeds/{outcome.FeedId}";
        if (outcome.Feed is not null)
        {
            // A duplicate starts nothing, unless the first receiver died between recording and starting: then this is the recovery.
            await processing.EnsureStartedAsync(client, new FeedRef(source, outcome.Period!, outcome.ContentHash), cancellationToken).ConfigureAwait(false);
        }

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
    public async Task<IActionResult> GetFeedStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "feeds/{feedId}")] HttpRequest request, string feedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = access.CurrentValue.Identify(request.Headers[ApiKeyHeader]);
        if (caller is null)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key", $"Send your key in the '{ApiKeyHeader}' header.");
        }

        var status = await intake.GetStatusAsync(feedId, cancellationToken).ConfigureAwait(false);
        if (status is not null && caller != AccessOptions.OpsPrincipal && caller != status.Source)
        {
            // A department sees its own feeds only; answering 404 would also do, but 403 tells an integrator what is wrong.
            return Problems.Create(StatusCodes.Status403Forbidden, "Not your feed", $"Feed '{feedId}' belongs to '{status.Source}'.");
        }

        return status is null
            ? Problems.Create(StatusCodes.Status404NotFound, "Unknown feed", $"No feed with id '{feedId}' has been received.")
            : new OkObjectResult(status);
    }
}
