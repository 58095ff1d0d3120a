using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.Functions.Ops;

/// <summary>The query of <c>GET /api/ops/instances</c>, as sent (the service checks it).</summary>
/// <param name="Status">Runtime status names, comma-separated.</param>
/// <param name="Name">Orchestration names, comma-separated.</param>
/// <param name="Prefix">An instance-id prefix (<c>feed:transport:</c>).</param>
/// <param name="From">Earliest creation time (ISO 8601).</param>
/// <param name="To">Latest creation time.</param>
public sealed record InstanceListQuery(string? Status, string? Name, string? Prefix, string? From, string? To, string? ContinuationToken, string? PageSize);

/// <summary>
/// Ops on orchestration instances: list and detail, and the actions — replay (restart from the original input under
/// the same id), rewind, terminate, suspend, resume, purge, and replay of every failure. Every action is checked
/// against the instance's state first (a 409 names the state), recorded in the audit log before its effect (not done,
/// 503, when that line cannot be written) and again with its outcome.
/// </summary>
public sealed class OpsInstances(
    OrchestrationStarter starter, ReplayRecords replays, EarlierRuns earlierRuns, TaskHubHistory history, FeedStore feeds, AuditLog audit, TimeProvider clock)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    /// <summary>A quarantined run in a list names this many of its violations; its detail names all.</summary>
    public const int MaxIssuesListed = 3;

    public async Task<OpsAnswer> ListAsync(DurableTaskClient client, InstanceListQuery request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (var text in Split(request.Status))
        {
            if (!Enum.TryParse<OrchestrationRuntimeStatus>(text, ignoreCase: true, out var status) || !Enum.IsDefined(status))
            {
                return OpsAnswer.BadParameter("status", "Invalid status", $"'{text}' is not a status; use {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
            }

            statuses.Add(status);
        }

        if (!TryParseTime(request.From, out var from) || !TryParseTime(request.To, out var to))
        {
            var (parameter, text) = TryParseTime(request.From, out _) ? ("to", request.To) : ("from", request.From);
            return OpsAnswer.BadParameter(parameter, "Invalid time", $"'{text}' is not a date-time; use RFC 3339, e.g. 2025-01-31T00:00:00Z.");
        }

        var pageSize = DefaultPageSize;
        if (request.PageSize is { Length: > 0 } size
            && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize < 1 || pageSize > MaxPageSize))
        {
            return OpsAnswer.BadParameter("pageSize", "Invalid page size", string.Create(CultureInfo.InvariantCulture, $"'{size}' is not a page size; use 1 to {MaxPageSize}."));
        }

        InstanceCursor? after = null;
        if (request.ContinuationToken is { Length: > 0 } token && !InstanceCursor.TryParse(token, out after))
        {
            return OpsAnswer.BadParameter("continuationToken", "Invalid continuation token", "Pass back the continuationToken of the previous page as it was given.");
        }

        var names = Split(request.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var page = await NewestFirstPaging.PageAsync(
            (createdFrom, createdTo) => ReadAsync(client, statuses, request.Prefix, names, createdFrom, createdTo, cancellationToken), from, to, after, pageSize, clock, cancellationToken)
            .ConfigureAwait(false);
        return OpsAnswer.Ok(page with { Instances = await WithQuarantineAsync(page.Instances, cancellationToken).ConfigureAwait(false) });
    }

    /// <summary>Every matching instance created in the range, in the task hub's own order (by instance id in Azure Storage).</summary>
    private static async IAsyncEnumerable<InstanceView> ReadAsync(
        DurableTaskClient client, List<OrchestrationRuntimeStatus> statuses, string? prefix, HashSet<string> names, DateTimeOffset? createdFrom, DateTimeOffset? createdTo,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            Statuses = statuses.Count > 0 ? statuses : null,
            InstanceIdPrefix = prefix is { Length: > 0 } ? prefix : null,
            CreatedFrom = createdFrom,
            CreatedTo = createdTo,
            FetchInputsAndOutputs = true,
            PageSize = MaxPageSize,
        };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (names.Count == 0 || names.Contains(instance.Name))
            {
                yield return View(instance);
            }
        }
    }

    public async Task<OpsAnswer> GetAsync(DurableTaskClient client, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        if (instance is null)
        {
            return Unknown(instanceId);
        }

        var events = await history.ReadAsync(client, instanceId, cancellationToken).ConfigureAwait(false);
        var links = new List<FeedLink>();
        foreach (var key in InstanceReading.Feeds(instanceId, instance.SerializedInput, instance.SerializedOutput))
        {
            var status = key.ContentHash is null ? null : await feeds.GetStatusByContentHashAsync(key.Source, key.ContentHash, cancellationToken).ConfigureAwait(false);
            var feedId = status?.FeedId is { Length: > 0 } id ? id : null;
            links.Add(new FeedLink(key.Source, key.Period, key.ContentHash, feedId, status?.State.ToString() ?? "NotReceived", feedId is null ? null : FeedId.StatusUrl(key.Source, feedId)));
        }

        var (input, inputCut) = InstanceReading.Summary(instance.SerializedInput);
        var (output, outputCut) = InstanceReading.Summary(instance.SerializedOutput);
        var quarantine = InstanceReading.QuarantinedFeedId(instance.SerializedCustomStatus, instance.SerializedOutput) is { } quarantinedFeedId
            ? await QuarantineAsync(quarantinedFeedId, int.MaxValue, cancellationToken).ConfigureAwait(false)
            : null;
        var (earlier, earlierCount) = await earlierRuns.ReadAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return OpsAnswer.Ok(new InstanceDetail(
            instance.InstanceId, instance.Name, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt, instance.SerializedCustomStatus,
            input, inputCut, output, outputCut, InstanceReading.Failure(instance, events.Events), links, InstanceReading.Actions(instance.RuntimeStatus),
            [.. events.Events.Select(e => e.View)], events.Source, quarantine, earlier, earlierCount));
    }

    /// <summary>The listed runs that ended with their feed quarantined, with why (one feed lookup each, only for those).</summary>
    private async Task<IReadOnlyList<InstanceView>> WithQuarantineAsync(IReadOnlyList<InstanceView> instances, CancellationToken cancellationToken)
    {
        var views = new List<InstanceView>(instances.Count);
        foreach (var view in instances)
        {
            views.Add(InstanceReading.QuarantinedFeedId(view.CustomStatus, view.Output) is { } feedId
                ? view with { Quarantine = await QuarantineAsync(feedId, MaxIssuesListed, cancellationToken).ConfigureAwait(false) }
                : view);
        }

        return views;
    }

    private async Task<QuarantineSummary> QuarantineAsync(string feedId, int maxIssues, CancellationToken cancellationToken)
    {
        var status = await feeds.GetStatusAsync(feedId, cancellationToken).ConfigureAwait(false);
        var errors = status?.Report?.Errors ?? [];
        return new QuarantineSummary(feedId, status?.State.ToString(), errors.Count + (status?.Report?.ErrorsNotListed ?? 0), [.. errors.Take(maxIssues)],
            FeedId.StatusUrl(status?.Source ?? FeedId.SourceOf(feedId) ?? "", feedId));
    }

    /// <summary>Runs a failed or terminated instance again from its original input, under the same id (ids are deterministic: a feed's run stays that feed's).</summary>
    public async Task<OpsAnswer> ReplayAsync(DurableTaskClient client, string instanceId, OpsActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
        OpsAnswer answer;
        if (instance is null)
        {
            answer = Unknown(instanceId);
        }
        else if (instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated))
        {
            answer = WrongState(instanceId, instance.RuntimeStatus, "replay", "only a failed or terminated instance can be replayed");
        }
        else
        {
            await audit.RecordBeforeAsync(actor, "replay", instanceId, null, cancellationToken).ConfigureAwait(false);
            var outcome = await ReplayOneAsync(client, instance, actor, cancellationToken).ConfigureAwait(false);
            answer = outcome.Outcome == "replayed"
                ? OpsAnswer.Accepted(new InstanceActionAccepted(instanceId, "replay", outcome.Detail!, StatusUrl(instanceId)), StatusUrl(instanceId))
                : OpsAnswer.Problem(StatusCodes.Status409Conflict, "Not replayed", outcome.Detail!, new Dictionary<string, object?> { ["instanceId"] = instanceId, ["outcome"] = outcome.Outcome });
        }

        await RecordAsync(actor, "replay", instanceId, answer, cancellationToken).ConfigureAwait(false);
        return answer;
    }

    /// <summary>Failed instances one bulk replay takes when no <c>max</c> is given.</summary>
    public const int DefaultReplayMax = 100;

    /// <summary>The most one bulk replay takes: each is a start of its own, audited twice.</summary>
    public const int MaxReplayMax = 500;

    /// <summary>
    /// The failed instances that failed at or after <paramref name="since"/> (and have one of the names), oldest failure
    /// first, at most <paramref name="max"/> of them, each replayed once per failure; those beyond are counted in
    /// <see cref="ReplayFailedReport.NotTaken"/> for the next call. A dry run lists what would be replayed and does nothing.
    /// </summary>
    public async Task<OpsAnswer> ReplayFailedAsync(
        DurableTaskClient client, string? since, string? name, string? max, string? dryRun, OpsActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(actor);
        if (!TryParseTime(since, out var from))
        {
            return OpsAnswer.BadParameter("since", "Invalid time", $"'{since}' is not a date-time; use RFC 3339, e.g. 2025-01-31T00:00:00Z.");
        }

        var limit = DefaultReplayMax;
        if (max is { Length: > 0 } && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxReplayMax))
        {
            return OpsAnswer.BadParameter("max", "Invalid maximum", string.Create(CultureInfo.InvariantCulture, $"'{max}' is not a maximum; use 1 to {MaxReplayMax}."));
        }

        var dry = false;
        if (dryRun is { Length: > 0 } && !bool.TryParse(dryRun, out dry))
        {
            return OpsAnswer.BadParameter("dryRun", "Invalid dry run", $"'{dryRun}' is not true or false.");
        }

        // Metadata only while counting: the inputs are read for the instances taken, not for every failure there is.
        var names = Split(name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var failed = new List<OrchestrationMetadata>();
        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Failed], FetchInputsAndOutputs = false, PageSize = DefaultPageSize };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if ((names.Count == 0 || names.Contains(instance.Name)) && (from is null || instance.LastUpdatedAt >= from))
            {
                failed.Add(instance);
            }
        }

        var taken = failed.OrderBy(i => i.LastUpdatedAt).ThenBy(i => i.InstanceId, StringComparer.Ordinal).Take(limit).ToList();
        var notTaken = failed.Count - taken.Count;
        if (dry)
        {
            var listed = taken.Select(i => new ReplayOutcome(i.InstanceId, i.Name, i.LastUpdatedAt, "would-replay", null)).ToList();
            await audit.RecordAsync(actor, "replay-failed", "dry-run", "done", StatusCodes.Status200OK,
                string.Create(CultureInfo.InvariantCulture, $"{listed.Count} of {failed.Count} would be replayed: {string.Join(", ", listed.Select(l => l.InstanceId))}"),
                cancellationToken).ConfigureAwait(false);
            return OpsAnswer.Ok(new ReplayFailedReport(failed.Count, 0, 0, 0, listed, notTaken, DryRun: true));
        }

        var results = new List<ReplayOutcome>();
        foreach (var candidate in taken)
        {
            // Each replay is recorded before it starts: one the audit log cannot take stops the run with 503.
            await audit.RecordBeforeAsync(actor, "replay-failed", candidate.InstanceId, null, cancellationToken).ConfigureAwait(false);
            ReplayOutcome outcome;
            try
            {
                var instance = await client.GetInstanceAsync(candidate.InstanceId, getInputsAndOutputs: true, cancellationToken).ConfigureAwait(false);
                outcome = instance is null
                    ? new ReplayOutcome(candidate.InstanceId, candidate.Name, candidate.LastUpdatedAt, "error", "The instance was purged meanwhile.")
                    : instance.RuntimeStatus != OrchestrationRuntimeStatus.Failed || instance.LastUpdatedAt != candidate.LastUpdatedAt
                        ? new ReplayOutcome(candidate.InstanceId, candidate.Name, candidate.LastUpdatedAt, "already-replayed", $"The instance is {instance.RuntimeStatus} now; it changed since it was listed.")
                        : await ReplayOneAsync(client, instance, actor, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RpcException or Azure.RequestFailedException or InvalidOperationException)
            {
                // One instance that cannot be started must not stop the others; its error is in the report and the audit log.
                outcome = new ReplayOutcome(candidate.InstanceId, candidate.Name, candidate.LastUpdatedAt, "error", ex.Message);
            }

            results.Add(outcome);
            var (auditOutcome, status) = outcome.Outcome switch
            {
                "replayed" => ("accepted", StatusCodes.Status202Accepted),
                "error" => ("error", StatusCodes.Status500InternalServerError),
                _ => ("skipped", StatusCodes.Status409Conflict),
            };
            await audit.RecordAsync(actor, "replay-failed", candidate.InstanceId, auditOutcome, status, outcome.Detail, cancellationToken).ConfigureAwait(false);
        }

        var replayed = results.Count(r => r.Outcome == "replayed");
        var errors = results.Count(r => r.Outcome == "error");
        return OpsAnswer.Ok(new ReplayFailedReport(failed.Count, replayed, results.Count - replayed - errors, errors, results, notTaken));
    }

    /// <summary>
    /// Rewinds a failed instance in place through the client's rewind API: the engine re-runs what failed and keeps
    /// every result it had. Not every engine can (the stock local sidecar cannot; the hub's local host can): then 501.
    /// </summary>
    public async Task<OpsAnswer> RewindAsync(DurableTaskClient client, string instanceId, string? reason, OpsActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        OpsAnswer answer;
        if (instance is null)
        {
            answer = Unknown(instanceId);
        }
        else if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Failed)
        {
            answer = WrongState(instanceId, instance.RuntimeStatus, "rewind", "only a failed instance can be rewound");
        }
        // The audit line first (it throws when it cannot be written, and nothing is claimed), then the claim.
        else if (await RecordBeforeAsync(actor, "rewind", instanceId, reason, cancellationToken).ConfigureAwait(false)
            && !await replays.ClaimAsync(instanceId, instance.LastUpdatedAt, cancellationToken).ConfigureAwait(false))
        {
            answer = AlreadyHandled(instanceId, instance.LastUpdatedAt);
        }
        else
        {
            answer = await TryRewindAsync(client, instanceId, reason, cancellationToken).ConfigureAwait(false);
            if (answer.IsProblem)
            {
                await replays.ReleaseAsync(instanceId, instance.LastUpdatedAt, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await replays.ConfirmAsync(instanceId, instance.LastUpdatedAt, cancellationToken).ConfigureAwait(false);
            }
        }

        await RecordAsync(actor, "rewind", instanceId, answer, cancellationToken).ConfigureAwait(false);
        return answer;
    }

    public Task<OpsAnswer> TerminateAsync(DurableTaskClient client, string instanceId, string? reason, OpsActor actor, CancellationToken cancellationToken) =>
        ActAsync(client, instanceId, reason, actor, "terminate", s => s is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended,
            "only a pending, running or suspended instance can be terminated",
            async () =>
            {
                await client.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions { Output = reason ?? "Terminated by ops." }, cancellationToken).ConfigureAwait(false);
                return "Termination requested; the instance ends Terminated.";
            }, cancellationToken);

    public Task<OpsAnswer> SuspendAsync(DurableTaskClient client, string instanceId, string? reason, OpsActor actor, CancellationToken cancellationToken) =>
        ActAsync(client, instanceId, reason, actor, "suspend", s => s is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending,
            "only a pending or running instance can be suspended",
            async () =>
            {
                await client.SuspendInstanceAsync(instanceId, reason, cancellationToken).ConfigureAwait(false);
                return "Suspension requested; the instance stops at its next step until resumed.";
            }, cancellationToken);

    public Task<OpsAnswer> ResumeAsync(DurableTaskClient client, string instanceId, string? reason, OpsActor actor, CancellationToken cancellationToken) =>
        ActAsync(client, instanceId, reason, actor, "resume", s => s is OrchestrationRuntimeStatus.Suspended,
            "only a suspended instance can be resumed",
            async () =>
            {
                await client.ResumeInstanceAsync(instanceId, reason, cancellationToken).ConfigureAwait(false);
                return "Resumption requested; the instance carries on where it stopped.";
            }, cancellationToken);

    /// <summary>Deletes a finished instance's state and history from the task hub (the hub's own records — feeds, ledger, data sets — stay).</summary>
    public async Task<OpsAnswer> PurgeAsync(DurableTaskClient client, string instanceId, OpsActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        OpsAnswer answer;
        if (instance is null)
        {
            answer = Unknown(instanceId);
        }
        else if (instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated))
        {
            answer = WrongState(instanceId, instance.RuntimeStatus, "purge", "only a finished (completed, failed or terminated) instance can be purged");
        }
        else
        {
            await audit.RecordBeforeAsync(actor, "purge", instanceId, null, cancellationToken).ConfigureAwait(false);
            var result = await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken).ConfigureAwait(false);
            answer = OpsAnswer.Ok(new InstancePurged(instanceId, result.PurgedInstanceCount));
        }

        await RecordAsync(actor, "purge", instanceId, answer, cancellationToken).ConfigureAwait(false);
        return answer;
    }

    private async Task<ReplayOutcome> ReplayOneAsync(DurableTaskClient client, OrchestrationMetadata instance, OpsActor actor, CancellationToken cancellationToken)
    {
        var failedAt = instance.LastUpdatedAt;
        if (instance.SerializedInput is not { Length: > 0 } serializedInput)
        {
            return new ReplayOutcome(instance.InstanceId, instance.Name, failedAt, "error", "The engine has no input recorded for this instance; it cannot be run again from it.");
        }

        if (!await replays.ClaimAsync(instance.InstanceId, failedAt, cancellationToken).ConfigureAwait(false))
        {
            return new ReplayOutcome(instance.InstanceId, instance.Name, failedAt, "already-replayed", AlreadyHandledDetail(failedAt));
        }

        StartOutcome started;
        try
        {
            // The engine forgets the run it restarts: the hub keeps it, for the detail's earlier runs.
            await earlierRuns.KeepAsync(client, instance, $"replay by {actor.Display}", cancellationToken).ConfigureAwait(false);

            // The original input, byte for byte: the serialised JSON goes back to the data converter as a JSON element.
            using var input = JsonDocument.Parse(serializedInput);
            started = await starter.StartAsync(client, instance.Name, instance.InstanceId, input.RootElement.Clone(), restartFinished: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await replays.ReleaseAsync(instance.InstanceId, failedAt, cancellationToken).ConfigureAwait(false);
            throw;
        }

        if (started == StartOutcome.Started)
        {
            await replays.ConfirmAsync(instance.InstanceId, failedAt, cancellationToken).ConfigureAwait(false);
            return new ReplayOutcome(instance.InstanceId, instance.Name, failedAt, "replayed", $"{instance.Name} started again from its original input under the same id.");
        }

        await replays.ReleaseAsync(instance.InstanceId, failedAt, cancellationToken).ConfigureAwait(false);
        return started == StartOutcome.Running
            ? new ReplayOutcome(instance.InstanceId, instance.Name, failedAt, "already-replayed", "The instance is running again already.")
            : new ReplayOutcome(instance.InstanceId, instance.Name, failedAt, "being-started", "Another caller is starting this instance at this moment.");
    }

    private static async Task<OpsAnswer> TryRewindAsync(DurableTaskClient client, string instanceId, string? reason, CancellationToken cancellationToken)
    {
        try
        {
            await client.RewindInstanceAsync(instanceId, reason ?? "Rewound by ops.", cancellationToken).ConfigureAwait(false);
            return OpsAnswer.Accepted(
                new InstanceActionAccepted(instanceId, "rewind", "Rewind requested: the failed step runs again, and the instance carries on from there with every earlier result kept.", StatusUrl(instanceId)),
                StatusUrl(instanceId));
        }
        catch (Exception ex) when (ex is NotImplementedException or NotSupportedException || ex is RpcException { StatusCode: StatusCode.Unimplemented })
        {
            return OpsAnswer.Problem(StatusCodes.Status501NotImplemented, "Rewind not supported",
                $"This hub's Durable engine does not support rewinding an instance ({ex.Message}). Replay it instead (POST /api/ops/instances/{{instanceId}}/replay): that runs it again from its original input.",
                new Dictionary<string, object?> { ["instanceId"] = instanceId });
        }
        catch (Exception ex) when (ex is InvalidOperationException || ex is RpcException { StatusCode: StatusCode.FailedPrecondition })
        {
            return OpsAnswer.Problem(StatusCodes.Status409Conflict, "Not rewound", $"The engine refused to rewind the instance: {ex.Message}", new Dictionary<string, object?> { ["instanceId"] = instanceId });
        }
    }

    private async Task<OpsAnswer> ActAsync(
        DurableTaskClient client, string instanceId, string? reason, OpsActor actor, string action, Func<OrchestrationRuntimeStatus, bool> allowed, string rule, Func<Task<string>> act, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = await client.GetInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
        OpsAnswer answer;
        if (instance is null)
        {
            answer = Unknown(instanceId);
        }
        else if (!allowed(instance.RuntimeStatus))
        {
            answer = WrongState(instanceId, instance.RuntimeStatus, action, rule);
        }
        else
        {
            await audit.RecordBeforeAsync(actor, action, instanceId, reason, cancellationToken).ConfigureAwait(false);
            var detail = await act().ConfigureAwait(false);
            answer = OpsAnswer.Accepted(new InstanceActionAccepted(instanceId, action, detail, StatusUrl(instanceId)), StatusUrl(instanceId));
        }

        await RecordAsync(actor, action, instanceId, answer, cancellationToken).ConfigureAwait(false);
        return answer;
    }

    /// <summary>The line before the effect (<see cref="AuditLog.RecordBeforeAsync"/>); true, so it can stand in a condition.</summary>
    private async Task<bool> RecordBeforeAsync(OpsActor actor, string action, string target, string? reason, CancellationToken cancellationToken)
    {
        await audit.RecordBeforeAsync(actor, action, target, reason, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private Task RecordAsync(OpsActor actor, string action, string target, OpsAnswer answer, CancellationToken cancellationToken)
    {
        var outcome = answer.Status switch
        {
            StatusCodes.Status200OK => "done",
            StatusCodes.Status202Accepted => "accepted",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status409Conflict => "refused",
            StatusCodes.Status501NotImplemented => "not-supported",
            StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity => "invalid",
            _ => "error",
        };
        var detail = answer.IsProblem ? answer.ProblemDetail : (answer.Body as InstanceActionAccepted)?.Detail;
        return audit.RecordAsync(actor, action, target, outcome, answer.Status, detail, cancellationToken);
    }

    internal static OpsAnswer Unknown(string instanceId) =>
        OpsAnswer.Problem(StatusCodes.Status404NotFound, "Unknown instance", $"No orchestration has the id '{instanceId}'.");

    private static OpsAnswer WrongState(string instanceId, OrchestrationRuntimeStatus status, string action, string rule) =>
        OpsAnswer.Problem(StatusCodes.Status409Conflict, $"Cannot {action} a {status} instance", $"The instance is {status}; {rule}.",
            new Dictionary<string, object?> { ["instanceId"] = instanceId, ["runtimeStatus"] = status.ToString(), ["actions"] = InstanceReading.Actions(status) });

    private static OpsAnswer AlreadyHandled(string instanceId, DateTimeOffset failedAt) =>
        OpsAnswer.Problem(StatusCodes.Status409Conflict, "Failure already handled", AlreadyHandledDetail(failedAt), new Dictionary<string, object?> { ["instanceId"] = instanceId });

    private static string AlreadyHandledDetail(DateTimeOffset failedAt) =>
        string.Create(CultureInfo.InvariantCulture, $"The failure of {failedAt:O} was replayed or rewound already (or is being so right now); look at the instance again.");

    internal static string StatusUrl(string instanceId) => $"/api/ops/instances/{Uri.EscapeDataString(instanceId)}";

    private static InstanceView View(OrchestrationMetadata instance) => new(
        instance.InstanceId, instance.Name, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt, instance.SerializedCustomStatus,
        instance.SerializedOutput, instance.FailureDetails?.ErrorMessage ?? (instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed ? instance.SerializedOutput : null));

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static bool TryParseTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }

        value = parsed;
        return true;
    }
}
