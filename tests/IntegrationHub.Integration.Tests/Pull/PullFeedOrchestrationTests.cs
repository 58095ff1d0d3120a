using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Pull;
using IntegrationHub.Integration.Tests.Durable;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Integration.Tests.Pull;

/// <summary>PullFeed on the in-memory Durable host: a department's period fetched under the retry policy its input carries.</summary>
public sealed class PullFeedOrchestrationTests
{
    private const string Source = "transport";
    private const string Period = "2024-06";
    private const string Hash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
    private static readonly string InstanceId = InstanceIds.Pull(Source, Period);
    private static readonly string ProcessingId = InstanceIds.Feed(Source, Period, Hash);

    // What the fetch answers for new, accepted bytes: judged and handed to their run, as a push is.
    private static readonly FetchedFeed Fetched =
        new(Source, Period, Hash, false) { FeedId = "transport-2024-06-r0-2c26b46b68ffc68f", Accepted = true, ProcessingInstanceId = ProcessingId };

    private static ScriptedActivities Pull(Func<int, FetchedFeed> fetch)
    {
        var attempts = 0;
        return new ScriptedActivities()
            .On<FetchRequest, FetchedFeed>(nameof(PullActivities.FetchFeed), _ => fetch(Interlocked.Increment(ref attempts)));
    }

    // The two ways FetchFeed reports a failed attempt: no answer in time, or an unsuccessful HTTP status.
    private static TimeoutException NoAnswer(int attempt) => new($"{Source} did not answer within 30 s for {Period} (attempt {attempt}).");

    private static HttpRequestException Unavailable(int attempt) =>
        new($"{Source} answered 503 Service Unavailable for {Period} (attempt {attempt}).", null, System.Net.HttpStatusCode.ServiceUnavailable);

    [Fact]
    public async Task PullFeed_FetchTimesOutTwiceThenSucceeds_ReceivedAndHandedToProcessingOnce()
    {
        var activities = Pull(attempt => attempt <= 2 ? throw NoAnswer(attempt) : Fetched);
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(PullFeedOrchestration.PullFeed), new PullInput(Source, Period, 5, 1), InstanceId);

        AssertReceivedOnThirdAttempt(run, activities);
    }

    // Regression: the retry filter once used IsCausedBy, which throws on HttpRequestException and ended the retries.
    [Fact]
    public async Task PullFeed_FetchAnswersAnErrorStatusTwiceThenSucceeds_ReceivedAndHandedToProcessingOnce()
    {
        var activities = Pull(attempt => attempt <= 2 ? throw Unavailable(attempt) : Fetched);
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(PullFeedOrchestration.PullFeed), new PullInput(Source, Period, 5, 1), InstanceId);

        AssertReceivedOnThirdAttempt(run, activities);
    }

    private static void AssertReceivedOnThirdAttempt(OrchestrationMetadata run, ScriptedActivities activities)
    {
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(new PullResult(Source, Period, PullOutcome.Received, Hash, ProcessingId), run.ReadOutputAs<PullResult>());
        Assert.Equal(
            [new FetchRequest(Source, Period), new FetchRequest(Source, Period), new FetchRequest(Source, Period)],
            activities.InputsOf<FetchRequest>(nameof(PullActivities.FetchFeed)));
        Assert.Equal("handed to processing", HubOrchestrations.Stage(run));

        // The input's first retry interval (1 s), doubled for the next retry.
        var attempts = activities.CallsOf(nameof(PullActivities.FetchFeed)).Select(c => c.At).ToList();
        Assert.InRange((attempts[1] - attempts[0]).TotalSeconds, 0.9, 10);
        Assert.InRange((attempts[2] - attempts[1]).TotalSeconds, 1.9, 10);
    }

    [Fact]
    public async Task PullFeed_FetchAlwaysFails_FailsAfterTheInputsMaxAttemptsWithTheLastError()
    {
        var activities = Pull(attempt => throw NoAnswer(attempt));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(PullFeedOrchestration.PullFeed), new PullInput(Source, Period, 2, 1), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("did not answer within 30 s for 2024-06 (attempt 2)", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(2, activities.CallsOf(nameof(PullActivities.FetchFeed)).Count);
    }

    [Fact]
    public async Task PullFeed_PullRefused_FailsAfterOneAttemptSayingWhy()
    {
        const string Why = "transport served more than 10485760 bytes for 2024-06.";
        var activities = Pull(_ => throw new PullRefusedException(Why));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(PullFeedOrchestration.PullFeed), new PullInput(Source, Period, 5, 1), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains(Why, run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(typeof(PullRefusedException).FullName, run.FailureDetails.InnerFailure?.ErrorType);
        Assert.Single(activities.CallsOf(nameof(PullActivities.FetchFeed)));
    }

    [Fact]
    public async Task PullFeed_FetchedBytesInvalid_EndsQuarantinedWithoutARun()
    {
        var activities = Pull(_ => new FetchedFeed(Source, Period, Hash, false) { FeedId = "transport-2024-06-r0-2c26b46b68ffc68f", Accepted = false });
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(PullFeedOrchestration.PullFeed), new PullInput(Source, Period, 5, 1), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(new PullResult(Source, Period, PullOutcome.Quarantined, Hash, null), run.ReadOutputAs<PullResult>());
        Assert.Equal("quarantined", HubOrchestrations.Stage(run));
    }

    [Fact]
    public async Task PullFeed_BytesAlreadyDecided_UnchangedWithoutProcessing()
    {
        var activities = Pull(_ => new FetchedFeed(Source, Period, Hash, true));
        await using var hub = await HubOrchestrations.StartAsync(activities);

        var run = await hub.RunAsync(nameof(PullFeedOrchestration.PullFeed), new PullInput(Source, Period, 5, 1), InstanceId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(new PullResult(Source, Period, PullOutcome.Unchanged, Hash, null), run.ReadOutputAs<PullResult>());
        Assert.Equal("unchanged", HubOrchestrations.Stage(run));
        Assert.Equal([nameof(PullActivities.FetchFeed)], activities.Names);
    }
}
