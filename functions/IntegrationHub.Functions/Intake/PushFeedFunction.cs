using IntegrationHub.Core.Feeds;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Functions.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Intake;

/// <summary>Departments push feeds here; the answer is immediate and precise, and every push is in the audit log.</summary>
public sealed class PushFeedFunction(FeedIntake intake, FeedProcessing processing, AccessGate gate, IOptions<IntakeLimits> limits)
{
    public const string ApiKeyHeader = AccessGate.ApiKeyHeader;

    [Function(nameof(PushFeed))]
    public async Task<IActionResult> PushFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "feeds/{source}")] HttpRequest request,
        string source, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = gate.Identify(request);
        var (answer, feedId) = await AnswerPushAsync(request, source, caller, client, cancellationToken).ConfigureAwait(false);
        await gate.RecordPushAsync(caller, source, feedId, answer).ConfigureAwait(false);
        return answer;
    }

    /// <returns>The answer, and the feed id once the body was read.</returns>
    private async Task<(IActionResult Answer, string? FeedId)> AnswerPushAsync(
        HttpRequest request, string source, Caller caller, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!FeedSource.IsKnown(source))
        {
            return (Problems.Create(StatusCodes.Status404NotFound, "Unknown source", $"'{source}' is not a feed source; use one of: {string.Join(", ", FeedSource.All)}."), null);
        }

        if (gate.AdmitPush(request, caller, source) is { } refused)
        {
            return (refused, null);
        }

        var (body, refusal) = await PushedBody.ReadAsync(request, limits.Value.MaxFeedBytes, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return (refusal, null);
        }

        // From here on the body is the hub's: a client that hangs up (a timeout, a load tool stopping) must not leave
        // it landed without a verdict or without its pipeline run, so the request's abort no longer cancels anything.
        var outcome = await intake.ReceiveAsync(source, body, CancellationToken.None).ConfigureAwait(false);
        var statusUrl = $"/api/feeds/{outcome.FeedId}";
        if (outcome.Feed is not null)
        {
            // A duplicate starts nothing, unless the first receiver died between recording and starting: then this is the recovery.
            await processing.EnsureStartedAsync(client, new FeedRef(source, outcome.Period!, outcome.ContentHash), CancellationToken.None).ConfigureAwait(false);
        }

        IActionResult answer = outcome.Verdict switch
        {
            IntakeVerdict.Accepted => new AcceptedResult(statusUrl, new { feedId = outcome.FeedId, status = statusUrl, warnings = outcome.Report.Warnings }),
            // The same invalid bytes again are still invalid: the department gets the same report, not a "fine".
            IntakeVerdict.Duplicate when outcome.Feed is null => Problems.Invalid(outcome.FeedId, statusUrl, outcome.Report),
            IntakeVerdict.Duplicate => new OkObjectResult(new { feedId = outcome.FeedId, status = statusUrl, duplicate = true }),
            _ => Problems.Invalid(outcome.FeedId, statusUrl, outcome.Report),
        };
        return (answer, outcome.FeedId);
    }

    [Function(nameof(GetFeedStatus))]
    public async Task<IActionResult> GetFeedStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "feeds/{feedId}")] HttpRequest request, string feedId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = gate.Identify(request);
        if (caller.IsAnonymous)
        {
            return Problems.Create(StatusCodes.Status401Unauthorized, "Missing or unknown API key", $"Send your key in the '{ApiKeyHeader}' header.");
        }

        var status = await intake.GetStatusAsync(feedId, cancellationToken).ConfigureAwait(false);
        if (status is not null && caller.Principal != AccessOptions.OpsPrincipal && caller.Principal != status.Source)
        {
            // A department sees its own feeds only; answering 404 would also do, but 403 tells an integrator what is wrong.
            return Problems.Create(StatusCodes.Status403Forbidden, "Not your feed", $"Feed '{feedId}' belongs to '{status.Source}'.");
        }

        return status is null
            ? Problems.Create(StatusCodes.Status404NotFound, "Unknown feed", $"No feed with id '{feedId}' has been received.")
            : new OkObjectResult(status);
    }
}
