using System.Text.Json.Serialization;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Publishing;
using IntegrationHub.Functions.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Consolidation;

[JsonConverter(typeof(JsonStringEnumConverter<DemandOutcome>))]
public enum DemandOutcome
{
    /// <summary>No consolidation owned the period: this request started one.</summary>
    Started,

    /// <summary>A consolidation owns the period and will see the request before it ends (it runs again for it).</summary>
    Joined,

    /// <summary>The period's consolidation failed and waits for ops: replaying it takes this request in too.</summary>
    WaitingForOps,
}

/// <summary>
/// How feeds hand a period to its consolidation without waiting for it: a request counts itself in the period's demand
/// and starts a run if none owns the period; a run, before it ends, gives the period up only if the count is unchanged.
/// Both sides write under an ETag, so no request slips between a run's last look and its end.
/// </summary>
public sealed partial class ConsolidationDemands(
    ConsolidationRecords records, OrchestrationStarter starter, IOptions<PublishingOptions> publishing, ILogger<ConsolidationDemands> logger)
{
    private const int MaxAttempts = 50;
    private const int MaxFinishingWaits = 300;
    private static readonly TimeSpan FinishingPoll = TimeSpan.FromMilliseconds(200);

    public async Task<DemandOutcome> RequestAsync(DurableTaskClient client, string period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        for (var attempt = 1; ; attempt++)
        {
            var (demand, etag) = await records.ReadDemandAsync(period, cancellationToken).ConfigureAwait(false);
            if (!await records.TryWriteDemandAsync(demand with { Requests = demand.Requests + 1, Running = true },
                etag, cancellationToken).ConfigureAwait(false))
            {
                if (attempt == MaxAttempts)
                {
                    throw new InvalidOperationException($"The consolidation demand of {period} kept changing under {MaxAttempts} attempts; the step "
                        + $"will be retried.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * Math.Min(attempt, 10))), cancellationToken).ConfigureAwait(false);
                continue;
            }

            return demand.Running
                ? await JoinAsync(client, period, cancellationToken).ConfigureAwait(false)
                : await StartAsync(client, period, afterFinishing: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The count a starting run will answer for: every request up to it had its feed recorded before.</summary>
    public async Task<long> BeginAsync(string period, CancellationToken cancellationToken) =>
        (await records.ReadDemandAsync(period, cancellationToken).ConfigureAwait(false)).Demand.Requests;

    /// <returns>The count to answer for in one more run; null when none came since <paramref name="seen"/> and the period is given up.</returns>
    public async Task<long?> FinishAsync(string period, long seen, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (demand, etag) = await records.ReadDemandAsync(period, cancellationToken).ConfigureAwait(false);
            if (demand.Requests != seen)
            {
                return demand.Requests;
            }

            if (!demand.Running || await records.TryWriteDemandAsync(demand with { Running = false }, etag, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"The consolidation demand of {period} kept changing under {MaxAttempts} attempts; the step will "
                    + $"be retried.");
            }
        }
    }

    // The period is owned: normally by a running consolidation, which will see this request. A run that is gone
    // (terminated, purged, or never started because its starter died between its claim and its start) would leave the
    // period owned by nobody, so it is started again; a failed one is left for ops to look at and replay.
    private async Task<DemandOutcome> JoinAsync(DurableTaskClient client, string period, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(InstanceIds.Consolidation(period), cancellationToken).ConfigureAwait(false);
        switch (instance?.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended:
                return DemandOutcome.Joined;
            case OrchestrationRuntimeStatus.Failed:
                LogWaitingForOps(logger, period);
                return DemandOutcome.WaitingForOps;
            default:
                // Completed with the period still owned: its starter died before starting it, or it ended before the
                // owner of this ownership started (another request's start may be on its way; the starter settles it).
                return await StartAsync(client, period, afterFinishing: false, cancellationToken).ConfigureAwait(false);
        }
    }

    // Starts the period's run. The previous run may still be finishing: it gave the period up (which is why this
    // request owns it now) but its completion is not recorded yet. It will not look at the demand again, so this waits
    // for it to end and then starts the next one, rather than taking "running" for an answer. afterFinishing: False
    // when a run found running is one another request started: this one joins it.
    private async Task<DemandOutcome> StartAsync(DurableTaskClient client, string period, bool afterFinishing, CancellationToken cancellationToken)
    {
        var input = new ConsolidationInput(period, PublishMaxAttempts: publishing.Value.RetryMaxAttempts,
            PublishFirstRetryIntervalSeconds: publishing.Value.RetryFirstIntervalSeconds);
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await starter.StartAsync(
                client, nameof(ConsolidatePeriodOrchestration.ConsolidatePeriod), InstanceIds.Consolidation(period),
                    input, restartFinished: true, cancellationToken)
                .ConfigureAwait(false);
            if (outcome == StartOutcome.Started)
            {
                return DemandOutcome.Started;
            }

            if (!afterFinishing)
            {
                return DemandOutcome.Joined;
            }

            if (attempt == MaxFinishingWaits)
            {
                throw new InvalidOperationException(
                    $"The consolidation of {period} gave the period up but has not ended after {MaxFinishingWaits * FinishingPoll.TotalSeconds:0} s; "
                        + $"the step will be retried.");
            }

            await Task.Delay(FinishingPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consolidation of {Period} failed and waits for ops; the request is counted and its replay takes it in")]
    private static partial void LogWaitingForOps(ILogger logger, string period);
}
