using IntegrationHub.Functions.Durable;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace IntegrationHub.Functions.Consolidation;

/// <summary>
/// Builds one period's data set from the ledger. Its instance id is fixed per period, so only one runs at a time;
/// feeds recorded while it runs count themselves in the period's demand (<see cref="ConsolidationDemands"/>), and the
/// run then starts over (ContinueAsNew) once for all of them instead of a second run racing it. Deterministic: the
/// data set's time stamp is the orchestration's clock.
/// </summary>
public static class ConsolidatePeriodOrchestration
{
    [Function(nameof(ConsolidatePeriod))]
    public static async Task<ConsolidationResult> ConsolidatePeriod([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var input = context.GetInput<ConsolidationInput>() ?? throw new InvalidOperationException("ConsolidatePeriod needs a ConsolidationInput.");

        context.SetCustomStatus(new { stage = "reading ledger", input.Period });
        var begun = await context.CallActivityAsync<ConsolidationStart>(nameof(ConsolidationActivities.BeginConsolidation), input.Period,
            ActivityRetry.Default);
        var generations = begun.LedgerGenerations;

        context.SetCustomStatus(new { stage = "building", input.Period, generations });
        var built = await context.CallActivityAsync<BuiltDataset>(
            nameof(ConsolidationActivities.BuildDataset), new BuildRequest(input.Period, generations, context.CurrentUtcDateTime), ActivityRetry.Default);

        // The pointer also records the generations consolidated, even when nothing changed; the inclusion record says
        // which feeds this run took in, which is where a feed's status reads its data-set versions from. It starts
        // from the pointer as the run found it: a move run again (its first answer lost in an outage) answers the
        // generations it had just written, which would record the run as taking nothing in.
        var moved = await context.CallActivityAsync<Dictionary<string, long>>(
            nameof(ConsolidationActivities.MoveLatest), new PointerMove(input.Period, built.Version, built.Sha256, generations), ActivityRetry.Default);
        await context.CallActivityAsync(nameof(ConsolidationActivities.RecordInclusion),
            new FeedsIncluded(input.Period, begun.Consolidated ?? moved ?? [], generations, built.Version), ActivityRetry.Default);
        if (built.IsNew || built.Unannounced)
        {
            // The version is stored and current from here on, whatever happens to its announcement: readers see it while
            // the event is retried.
            context.SetCustomStatus(new { stage = "publishing", input.Period, built.Version });
            await AnnounceAsync(context, input, built.Version);
        }

        var again = await context.CallActivityAsync<long?>(nameof(ConsolidationActivities.FinishConsolidation),
            new ConsolidationFinish(input.Period, begun.Requests), ActivityRetry.Default);
        if (again is not null)
        {
            context.SetCustomStatus(new { stage = "re-running: new feeds arrived", input.Period });
            context.ContinueAsNew(input with { Run = input.Run + 1 });
            return new ConsolidationResult(input.Period, built.Version, built.IsNew || built.Unannounced, input.Run);
        }

        context.SetCustomStatus(new { stage = "done", input.Period, built.Version, built.IsNew });
        return new ConsolidationResult(input.Period, built.Version, built.IsNew || built.Unannounced, input.Run);
    }

    // Sends the version's event under a retry policy with backoff (the publisher's endpoint may be away for a while).
    // When the attempts are exhausted the run fails with a reason that says what to do: replaying it announces the
    // version, once, because PublishDataset skips a version already recorded as announced.
    private static async Task AnnounceAsync(TaskOrchestrationContext context, ConsolidationInput input, int version)
    {
        // An event too large for a queue message stays too large.
        var retry = ActivityRetry.WithBackoff(input.PublishMaxAttempts, input.PublishFirstRetryIntervalSeconds,
            typeof(Publishing.EventTooLargeForQueueException));

        try
        {
            await context.CallActivityAsync(nameof(ConsolidationActivities.PublishDataset), new PublishRequest(input.Period, version), retry);
        }
        catch (TaskFailedException ex)
        {
            // The activity's name in quotes lets the ops view name it as the failed step, with its attempts.
            throw new InvalidOperationException(
                $"Data set {input.Period} v{version} is stored and current, but announcing it failed ('{nameof(ConsolidationActivities.PublishDataset)}', "
                + $"up to {input.PublishMaxAttempts} attempt(s)): {ex.FailureDetails.ErrorMessage} Replay this instance once the publisher is reachable; "
                + $"the event {Publishing.DatasetPublishedEvent.Id(input.Period, version)} is then sent once.",
                ex);
        }
    }
}
