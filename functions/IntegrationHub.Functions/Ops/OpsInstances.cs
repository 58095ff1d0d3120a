using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Durable;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using static Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

namespace IntegrationHub.Functions.Ops;

/// <summary>
/// Ops on orchestration instances: list, detail, and the actions of <see cref="Table"/> over the Durable client. An
/// action is checked against the instance's state first (a 409 names it) and audited before its effect and after.
/// </summary>
public sealed class OpsInstances(ReplayRecords replays, EarlierRuns earlierRuns, TaskHubHistory history, FeedStore feeds, AuditLog audit, TimeProvider clock)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;
    public const int DefaultReplayMax = 100;

    /// <summary>Each bulk replay is a start of its own, audited twice.</summary>
    public const int MaxReplayMax = 500;

    /// <summary>A quarantined run in a list names this many of its violations; its detail names all.</summary>
    public const int MaxIssuesListed = 3;

    private sealed record Act(DurableTaskClient Client, OrchestrationMetadata Instance, string? Reason, OpsActor Actor, CancellationToken CancellationToken)
    {
        public string Id => Instance.InstanceId;
    }

    // Rule: "only a failed or terminated instance can be replayed"; Kind names a set of states in a word ("finished").
    private sealed record InstanceAction(
        string Name, OrchestrationRuntimeStatus[] From, string Done, bool TakesReason, Func<OpsInstances, Act, Task<OpsAnswer>> Run, ActionDoc Doc,
        string? Kind = null)
    {
        public string States => Words(From.Select(s => s.ToString().ToLowerInvariant()).ToList());

        public string Allowed => Kind is null ? States : $"{Kind} ({States})";

        public string Rule => $"only a {Allowed} instance can be {Done}";
    }

    // What the OpenAPI document says of an action's route; OrElse: why else than its state a 409 may come.
    private sealed record ActionDoc(string Summary, string Description, ApiAnswerAttribute Answer, string? OrElse = null, ApiProblemAttribute? Also = null);

    // In the order the detail lists what may be done; a route, an audit action and the states it is allowed in per row.
    private static readonly IReadOnlyList<InstanceAction> Table =
    [
        new("replay", [Failed, Terminated], "replayed", false, (s, a) => s.ReplayAsync(a), new(
            "Replay an orchestration",
            "Runs a failed or terminated instance again from its original input, under the same id (ids "
            + "are deterministic: a feed's run stays that feed's). A failure is replayed once, however "
            + "often asked.",
            AcceptedAnswer("Started again; `Location` is the instance's ops URL."), "or this failure was replayed already")),
        new("rewind", [Failed], "rewound", true, (s, a) => s.RewindAsync(a), new(
            "Rewind a failed orchestration",
            "Runs the failed step again and carries on, every earlier result kept, where the engine "
            + "supports rewinding; a 501 says when it does not (replay instead).",
            AcceptedAnswer("Rewind requested; `Location` is the instance's ops URL."), "this failure was handled already, or the engine refused",
            new ApiProblemAttribute(StatusCodes.Status501NotImplemented, "This hub's engine cannot rewind: replay the instance instead."))),
        new("suspend", [Pending, Running], "suspended", true, async (_, a) =>
        {
            await a.Client.SuspendInstanceAsync(a.Id, a.Reason, a.CancellationToken).ConfigureAwait(false);
            return Accepted(a.Id, "suspend", "Suspension requested; the instance stops at its next step until resumed.");
        }, new(
            "Suspend an orchestration",
            "Stops a pending or running instance at its next step until it is resumed.",
            AcceptedAnswer("Suspension requested."))),
        new("resume", [Suspended], "resumed", true, async (_, a) =>
        {
            await a.Client.ResumeInstanceAsync(a.Id, a.Reason, a.CancellationToken).ConfigureAwait(false);
            return Accepted(a.Id, "resume", "Resumption requested; the instance carries on where it stopped.");
        }, new("Resume an orchestration", "A suspended instance carries on where it stopped.", AcceptedAnswer("Resumption requested."))),
        new("terminate", [Pending, Running, Suspended], "terminated", true, async (_, a) =>
        {
            var options = new TerminateInstanceOptions { Output = a.Reason ?? "Terminated by ops." };
            await a.Client.TerminateInstanceAsync(a.Id, options, a.CancellationToken).ConfigureAwait(false);
            return Accepted(a.Id, "terminate", "Termination requested; the instance ends Terminated.");
        }, new(
            "Terminate an orchestration",
            "Terminates a pending, running or suspended instance; the reason becomes its output.",
            AcceptedAnswer("Termination requested."))),
        // The task hub's state and history only: the hub's own records (feeds, ledger, data sets) stay.
        new("purge", [Completed, Failed, Terminated], "purged", false, async (_, a) =>
        {
            var purged = await a.Client.PurgeInstanceAsync(a.Id, cancellation: a.CancellationToken).ConfigureAwait(false);
            return OpsAnswer.Ok(new InstancePurged(a.Id, purged.PurgedInstanceCount));
        }, new(
            "Purge an orchestration's history",
            "Deletes a finished instance's state and history from the task hub; the hub's own records "
            + "(feeds, ledger, data sets) stay.",
            new ApiAnswerAttribute(StatusCodes.Status200OK, "Purged.") { Body = typeof(InstancePurged) }), Kind: "finished"),
    ];

    public static IReadOnlyList<string> ActionsIn(OrchestrationRuntimeStatus status) =>
        [.. Table.Where(a => a.From.Contains(status)).Select(a => a.Name)];

    public static bool TakesReason(string action) => Row(action).TakesReason;

    /// <summary>The documented 409 of an action: the states it is allowed in, from the table, and why else it may be refused.</summary>
    public static string ConflictDescription(string action, string? orElse = null) =>
        $"The instance is not {Row(action).Allowed}{(orElse is null ? "" : ", " + orElse)}.";

    // The OpenAPI attributes of an action's route, from its row: what it does, answers, refusals.
    internal static IReadOnlyList<Attribute> Documentation(string action)
    {
        var row = Row(action);
        return
        [
            new ApiOperationAttribute(ApiTags.Ops, row.Doc.Summary, row.Doc.Description),
            .. row.TakesReason ? [new ApiReasonAttribute(typeof(ReasonRequest))] : Array.Empty<Attribute>(),
            row.Doc.Answer,
            new ApiProblemAttribute(StatusCodes.Status404NotFound, "No orchestration has this id."),
            new ApiProblemAttribute(StatusCodes.Status409Conflict, ConflictDescription(action, row.Doc.OrElse))
            {
                Schema = ApiDocuments.InstanceConflictProblem,
            },
            .. row.Doc.Also is { } also ? [also] : Array.Empty<Attribute>(),
        ];
    }

    private static InstanceAction Row(string action) =>
        Table.SingleOrDefault(a => a.Name == action) ?? throw new ArgumentException($"'{action}' is no instance action.", nameof(action));

    private static ApiAnswerAttribute AcceptedAnswer(string description) =>
        new(StatusCodes.Status202Accepted, description) { Body = typeof(InstanceActionAccepted), Location = true };

    // "a", "a or b", "a, b or c".
    private static string Words(IReadOnlyList<string> words) =>
        words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " or " + words[^1];

    public async Task<OpsAnswer> ActAsync(DurableTaskClient client, string instanceId, string action, string? reason, OpsActor actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var row = Row(action);
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: action == "replay", cancellationToken).ConfigureAwait(false);
        var refusal = instance is null ? Unknown(instanceId)
            : !row.From.Contains(instance.RuntimeStatus) ? WrongState(instanceId, instance.RuntimeStatus, action, row.Rule)
            : null;
        return await audit.AuditedAsync(actor, action, instanceId, reason, refusal,
            () => row.Run(this, new Act(client, instance!, reason, actor, cancellationToken)), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<OpsAnswer> ListAsync(DurableTaskClient client, IQueryCollection query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(query);
        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (var text in OpsQuery.Split(query.Joined("status")))
        {
            if (!Enum.TryParse<OrchestrationRuntimeStatus>(text, ignoreCase: true, out var status) || !Enum.IsDefined(status))
            {
                return OpsAnswer.BadParameter("status", "Invalid status",
                    $"'{text}' is not a status; use {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
            }

            statuses.Add(status);
        }

        var read = new OpsQuery(query);
        var (from, to) = (read.Time("from"), read.Time("to"));
        var pageSize = read.Count("pageSize", DefaultPageSize, MaxPageSize, "Invalid page size", "page size");
        if (read.Bad is { } bad)
        {
            return bad;
        }

        InstanceCursor? after = null;
        if (query.First("continuationToken") is { Length: > 0 } token && !InstanceCursor.TryParse(token, out after))
        {
            return OpsQuery.BadToken();
        }

        var names = OpsQuery.Split(query.Joined("name")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var prefix = query.First("prefix") is { Length: > 0 } p ? p : null;
        var page = await NewestFirstPaging.PageAsync(
            (createdFrom, createdTo) => ReadAsync(client, new OrchestrationQuery
            {
                Statuses = statuses.Count > 0 ? statuses : null, InstanceIdPrefix = prefix, CreatedFrom = createdFrom, CreatedTo = createdTo,
                FetchInputsAndOutputs = true, PageSize = MaxPageSize,
            }, names, cancellationToken),
            from, to, after, pageSize, clock, cancellationToken).ConfigureAwait(false);
        var views = new List<InstanceView>(page.Instances.Count);
        foreach (var view in page.Instances)
        {
            views.Add(InstanceReading.QuarantinedFeedId(view.CustomStatus, view.Output) is { } feedId
                ? view with { Quarantine = await QuarantineAsync(feedId, MaxIssuesListed, cancellationToken).ConfigureAwait(false) }
                : view);
        }

        return OpsAnswer.Ok(page with { Instances = views });
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
            var status = key.ContentHash is null ? null : await feeds.GetStatusByContentHashAsync(key.Source, key.ContentHash,
                cancellationToken).ConfigureAwait(false);
            var feedId = status?.FeedId is { Length: > 0 } id ? id : null;
            links.Add(new FeedLink(key.Source, key.Period, key.ContentHash, feedId, status?.State.ToString() ?? "NotReceived",
                feedId is null ? null : FeedId.StatusUrl(key.Source, feedId)));
        }

        var (input, inputCut) = InstanceReading.Summary(instance.SerializedInput);
        var (output, outputCut) = InstanceReading.Summary(instance.SerializedOutput);
        var quarantine = InstanceReading.QuarantinedFeedId(instance.SerializedCustomStatus, instance.SerializedOutput) is { } quarantinedFeedId
            ? await QuarantineAsync(quarantinedFeedId, int.MaxValue, cancellationToken).ConfigureAwait(false)
            : null;
        var (earlier, earlierCount) = await earlierRuns.ReadAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return OpsAnswer.Ok(new InstanceDetail(
            instance.InstanceId, instance.Name, instance.RuntimeStatus.ToString(), instance.CreatedAt, instance.LastUpdatedAt, instance.SerializedCustomStatus,
            input, inputCut, output, outputCut, InstanceReading.Failure(instance, events.Events), links, ActionsIn(instance.RuntimeStatus),
            [.. events.Events.Select(e => e.View)], events.Source, quarantine, earlier, earlierCount));
    }

    /// <summary>
    /// The failed instances that failed at or after <c>since</c> (with one of the names), oldest failure first, at most
    /// <c>max</c>, each replayed once per failure; a dry run lists them and does nothing.
    /// </summary>
    public async Task<OpsAnswer> ReplayFailedAsync(DurableTaskClient client, IQueryCollection query, OpsActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(query);
        var read = new OpsQuery(query);
        var from = read.Time("since");
        var limit = read.Count("max", DefaultReplayMax, MaxReplayMax, "Invalid maximum", "maximum");
        if (read.Bad is { } bad)
        {
            return bad;
        }

        var dry = false;
        if (query.First("dryRun") is { Length: > 0 } dryRun && !bool.TryParse(dryRun, out dry))
        {
            return OpsAnswer.BadParameter("dryRun", "Invalid dry run", $"'{dryRun}' is not true or false.");
        }

        // Metadata only while counting: inputs are read for the instances taken, not for every failure there is.
        var names = OpsQuery.Split(query.Joined("name")).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var failed = new List<OrchestrationMetadata>();
        var failures = new OrchestrationQuery { Statuses = [Failed], FetchInputsAndOutputs = false, PageSize = DefaultPageSize };
        await foreach (var instance in client.GetAllInstancesAsync(failures).WithCancellation(cancellationToken).ConfigureAwait(false))
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
                string.Create(CultureInfo.InvariantCulture,
                    $"{listed.Count} of {failed.Count} would be replayed: {string.Join(", ", listed.Select(l => l.InstanceId))}"),
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
                    : instance.RuntimeStatus != Failed || instance.LastUpdatedAt != candidate.LastUpdatedAt
                        ? new ReplayOutcome(candidate.InstanceId, candidate.Name, candidate.LastUpdatedAt, "already-replayed",
                            $"The instance is {instance.RuntimeStatus} now; it changed since it was listed.")
                        : await ReplayOneAsync(client, instance, actor, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RpcException or Azure.RequestFailedException or InvalidOperationException)
            {
                // One instance that cannot be started must not stop the others.
                outcome = new ReplayOutcome(candidate.InstanceId, candidate.Name, candidate.LastUpdatedAt, "error", ex.Message);
            }

            results.Add(outcome);
            var (auditOutcome, status) = outcome.Outcome switch
            {
                "replayed" => ("accepted", StatusCodes.Status202Accepted),
                "error" => ("error", StatusCodes.Status500InternalServerError),
                _ => ("skipped", StatusCodes.Status409Conflict),
            };
            await audit.RecordAsync(actor, "replay-failed", candidate.InstanceId, auditOutcome, status, outcome.Detail,
                cancellationToken).ConfigureAwait(false);
        }

        var replayed = results.Count(r => r.Outcome == "replayed");
        var errors = results.Count(r => r.Outcome == "error");
        return OpsAnswer.Ok(new ReplayFailedReport(failed.Count, replayed, results.Count - replayed - errors, errors, results, notTaken));
    }

    // Under the same id, from the original input: ids are deterministic, so a feed's run stays that feed's.
    private async Task<OpsAnswer> ReplayAsync(Act a)
    {
        var outcome = await ReplayOneAsync(a.Client, a.Instance, a.Actor, a.CancellationToken).ConfigureAwait(false);
        return outcome.Outcome == "replayed"
            ? Accepted(a.Id, "replay", outcome.Detail!)
            : OpsAnswer.Problem(new InstanceConflictProblem(StatusCodes.Status409Conflict, "Not replayed", a.Id) { Detail = outcome.Detail!,
                Outcome = outcome.Outcome });
    }

    private async Task<ReplayOutcome> ReplayOneAsync(DurableTaskClient client, OrchestrationMetadata instance, OpsActor actor,
        CancellationToken cancellationToken)
    {
        ReplayOutcome Outcome(string outcome, string detail) => new(instance.InstanceId, instance.Name, instance.LastUpdatedAt, outcome, detail);
        if (instance.SerializedInput is not { Length: > 0 } serializedInput)
        {
            return Outcome("error", "The engine has no input recorded for this instance; it cannot be run again from it.");
        }

        // The original input, byte for byte: the serialised JSON goes back to the data converter as a JSON element.
        using var input = JsonDocument.Parse(serializedInput);
        return await replays.RunAgainAsync(client, instance, input.RootElement.Clone(), $"replay by {actor.Display}",
            cancellationToken).ConfigureAwait(false) switch
        {
            null => Outcome("already-replayed", AlreadyHandledDetail(instance.LastUpdatedAt)),
            Durable.StartOutcome.Started => Outcome("replayed", $"{instance.Name} started again from its original input under the same id."),
            Durable.StartOutcome.Running => Outcome("already-replayed", "The instance is running again already."),
            _ => Outcome("being-started", "Another caller is starting this instance at this moment."),
        };
    }

    // In place: the engine re-runs what failed and keeps every earlier result. Not every engine can (then 501).
    private async Task<OpsAnswer> RewindAsync(Act a)
    {
        OpsAnswer answer = null!;
        var claimed = await replays.OnceAsync(a.Id, a.Instance.LastUpdatedAt, async () =>
        {
            answer = await TryRewindAsync(a.Client, a.Id, a.Reason, a.CancellationToken).ConfigureAwait(false);
            return !answer.IsProblem;
        }, a.CancellationToken).ConfigureAwait(false);
        return claimed
            ? answer
            : OpsAnswer.Problem(new InstanceConflictProblem(StatusCodes.Status409Conflict, "Failure already handled", a.Id)
            {
                Detail = AlreadyHandledDetail(a.Instance.LastUpdatedAt),
            });
    }

    private static async Task<OpsAnswer> TryRewindAsync(DurableTaskClient client, string instanceId, string? reason, CancellationToken cancellationToken)
    {
        try
        {
            await client.RewindInstanceAsync(instanceId, reason ?? "Rewound by ops.", cancellationToken).ConfigureAwait(false);
            return Accepted(instanceId, "rewind",
                "Rewind requested: the failed step runs again, and the instance carries on from there with every earlier result kept.");
        }
        catch (Exception ex) when (ex is NotImplementedException or NotSupportedException || ex is RpcException { StatusCode: StatusCode.Unimplemented })
        {
            return OpsAnswer.Problem(new InstanceConflictProblem(StatusCodes.Status501NotImplemented, "Rewind not supported", instanceId)
            {
                Detail = $"This hub's Durable engine does not support rewinding an instance ({ex.Message}). "
                    + "Replay it instead (POST /api/ops/instances/{instanceId}/replay): that runs it again from its original input.",
            });
        }
        catch (Exception ex) when (ex is InvalidOperationException || ex is RpcException { StatusCode: StatusCode.FailedPrecondition })
        {
            return OpsAnswer.Problem(new InstanceConflictProblem(StatusCodes.Status409Conflict, "Not rewound", instanceId)
            {
                Detail = $"The engine refused to rewind the instance: {ex.Message}",
            });
        }
    }

    private static async IAsyncEnumerable<InstanceView> ReadAsync(
        DurableTaskClient client, OrchestrationQuery query, HashSet<string> names,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var i in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (names.Count == 0 || names.Contains(i.Name))
            {
                yield return new InstanceView(
                    i.InstanceId, i.Name, i.RuntimeStatus.ToString(), i.CreatedAt, i.LastUpdatedAt, i.SerializedCustomStatus,
                    i.SerializedOutput, i.FailureDetails?.ErrorMessage ?? (i.RuntimeStatus == Failed ? i.SerializedOutput : null));
            }
        }
    }

    private async Task<QuarantineSummary> QuarantineAsync(string feedId, int maxIssues, CancellationToken cancellationToken)
    {
        var status = await feeds.GetStatusAsync(feedId, cancellationToken).ConfigureAwait(false);
        var errors = status?.Report?.Errors ?? [];
        return new QuarantineSummary(feedId, status?.State.ToString(), errors.Count + (status?.Report?.ErrorsNotListed ?? 0), [.. errors.Take(maxIssues)],
            FeedId.StatusUrl(status?.Source ?? FeedId.SourceOf(feedId) ?? "", feedId));
    }

    private static OpsAnswer Accepted(string instanceId, string action, string detail) =>
        OpsAnswer.Accepted(new InstanceActionAccepted(instanceId, action, detail, InstanceIds.StatusUrl(instanceId)), InstanceIds.StatusUrl(instanceId));

    private static OpsAnswer Unknown(string instanceId) =>
        OpsAnswer.Problem(StatusCodes.Status404NotFound, "Unknown instance", $"No orchestration has the id '{instanceId}'.");

    private static OpsAnswer WrongState(string instanceId, OrchestrationRuntimeStatus status, string action, string rule) =>
        OpsAnswer.Problem(new InstanceConflictProblem(StatusCodes.Status409Conflict, $"Cannot {action} a {status} instance", instanceId)
        {
            Detail = $"The instance is {status}; {rule}.", RuntimeStatus = status.ToString(), Actions = ActionsIn(status),
        });

    private static string AlreadyHandledDetail(DateTimeOffset failedAt) =>
        string.Create(CultureInfo.InvariantCulture,
            $"The failure of {failedAt:O} was replayed or rewound already (or is being so right now); look at the instance again.");
}
