using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IntegrationHub.Cli;

// hub ops …: the ops API from a terminal: list and inspect orchestrations, replay, rewind, terminate and purge them,
// replay every failed one. Each subcommand is one request; its answer is printed as a table or as key: value lines
// (--json: as the hub sent it), a refusal as the hub's problem.
internal static partial class OpsCommand
{
    public const string KeyVariable = "HUB_OPS_KEY";
    public const string TokenVariable = "HUB_OPS_TOKEN";

    private static readonly Option<string> Hub = HubClient.HubOption();
    private static readonly Option<string?> Key = HubClient.KeyOption(KeyVariable, "The ops API key");

    // Read when the command runs, like the key, so help never prints it.
    private static readonly Option<string?> Token = new("--token")
    {
        Description = $"An Entra ID access token for the hub (default: ${TokenVariable}), as ops sign in in Azure, e.g. "
            + "$(az account get-access-token --scope api://<client id>/Ops.Use --query accessToken -o tsv). Sent instead of the key.",
        Recursive = true,
    };
    private static readonly Option<int> Timeout = HubClient.TimeoutOption();
    private static readonly Option<bool> Json = new("--json") { Description = "Print the hub's answer as JSON.", Recursive = true };

    public static Command Create()
    {
        var command = new Command(
            "ops",
            "Watch and repair the hub's orchestrations through its ops API. Exit 0 done, 1 the hub refused (its problem is printed), "
            + "2 bad arguments, no answer or a key the hub refused, 3 a hub error.")
        {
            Hub,
            Key,
            Token,
            Timeout,
            Json,
        };
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Action("replay",
            "Run a failed or terminated instance again from its original input (same instance id); a failure is replayed once.", HttpMethod.Post, "replay"));
        command.Subcommands.Add(Action("rewind",
            "Rewind a failed instance in place, where the engine supports it (the hub says so when it does not).", HttpMethod.Post, "rewind"));
        command.Subcommands.Add(Terminate());
        command.Subcommands.Add(Action("purge", "Delete a finished instance's history.", HttpMethod.Delete, null));
        command.Subcommands.Add(ReplayFailed());
        command.Subcommands.Add(Reconsolidate());
        return command;
    }

    private static Command List()
    {
        var status = new Option<string[]>("--status") { Description = "Runtime statuses (Running, Completed, Failed, Terminated, Pending, Suspended, "
            + "…); repeat or separate with commas.", AllowMultipleArgumentsPerToken = true };
        var name = new Option<string?>("--name") { Description = "Orchestration name: ProcessFeed, PullFeed, ConsolidatePeriod." };
        var prefix = new Option<string?>("--prefix") { Description = "Instance-id prefix, e.g. feed:transport: or consolidate:2024." };
        var from = new Option<string?>("--from") { Description = "Created at or after (RFC 3339, e.g. 2025-01-31T00:00:00Z)." };
        var to = new Option<string?>("--to") { Description = "Created at or before (RFC 3339)." };
        var pageSize = new Option<int?>("--page-size") { Description = "Instances per page." };
        var continuation = new Option<string?>("--continuation-token") { Description = "The token the previous page printed." };
        var command = new Command("list", "List orchestrations, newest first.") { status, name, prefix, from, to, pageSize, continuation };
        command.SetAction((result, cancellationToken) =>
        {
            var query = new QueryText()
                .Add("status", string.Join(',', result.GetValue(status) ?? []))
                .Add("name", result.GetValue(name))
                .Add("prefix", result.GetValue(prefix))
                .Add("from", result.GetValue(from))
                .Add("to", result.GetValue(to))
                .Add("pageSize", result.GetValue(pageSize)?.ToString(CultureInfo.InvariantCulture))
                .Add("continuationToken", result.GetValue(continuation));
            return RunAsync(result, HttpMethod.Get, "ops/instances" + query, WriteInstances, cancellationToken);
        });
        return command;
    }

    private static Command Show()
    {
        var id = InstanceId();
        var command = new Command("show", "One orchestration: status, input and output, the failure, the feeds behind it and its history.") { id };
        command.SetAction((result, cancellationToken) =>
            RunAsync(result, HttpMethod.Get, InstancePath(result.GetValue(id)!, null), answer => TextLayout.Fields(Console.Out, answer), cancellationToken));
        return command;
    }

    private static Command Action(string name, string description, HttpMethod method, string? action)
    {
        var id = InstanceId();
        var command = new Command(name, description) { id };
        command.SetAction((result, cancellationToken) => RunAsync(result, method, InstancePath(result.GetValue(id)!, action), WriteOutcome, cancellationToken));
        return command;
    }

    private static Command Terminate()
    {
        var id = InstanceId();
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the audit log)." };
        var command = new Command("terminate", "Terminate a running or suspended instance.") { id, reason };
        command.SetAction((result, cancellationToken) =>
            RunAsync(result, HttpMethod.Post,
                InstancePath(result.GetValue(id)!, "terminate") + new QueryText().Add("reason", result.GetValue(reason)), WriteOutcome, cancellationToken));
        return command;
    }

    private static Command ReplayFailed()
    {
        var since = new Option<string?>("--since") { Description = "Failed instances created at or after (RFC 3339)." };
        var name = new Option<string?>("--name") { Description = "Only instances of this orchestration name." };
        var max = new Option<int?>("--max") { Description = "At most this many, oldest failure first (the hub's default: 100, at most 500)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be replayed; do nothing." };
        var command = new Command("replay-failed",
            "Replay the failed instances that match, once each, oldest first; prints each one's outcome.") { since, name, max, dryRun };
        command.SetAction((result, cancellationToken) =>
            RunAsync(result, HttpMethod.Post, "ops/replay-failed" + new QueryText().Add("since", result.GetValue(since)).Add("name", result.GetValue(name))
                .Add("max", result.GetValue(max)?.ToString(CultureInfo.InvariantCulture)).Add("dryRun", result.GetValue(dryRun) ? "true" : null), WriteOutcome,
                    cancellationToken));
        return command;
    }

    private static Command Reconsolidate()
    {
        // --all is required so that a stray `hub ops reconsolidate` does not start a run for every period by accident.
        var all = new Option<bool>("--all") { Description = "Every stored period (required: there is no narrower choice)." };
        var command = new Command(
            "reconsolidate",
            "After an upgrade: consolidate every stored period again, so that each gets a version under the current methodology "
            + "(earlier versions stay readable; a period already current gets no new version). Prints each period's run.")
        { all };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!result.GetValue(all))
            {
                await Console.Error.WriteLineAsync("Give --all: every stored period is consolidated again.").ConfigureAwait(false);
                return ExitCodes.Unusable;
            }

            return await RunAsync(result, HttpMethod.Post, "ops/reconsolidate", WriteReconsolidation, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static void WriteReconsolidation(JsonElement answer)
    {
        var rows = answer.GetProperty("results").EnumerateArray().ToList();
        TextLayout.Table(Console.Out, ["PERIOD", "CURRENT", "METHODOLOGY", "RUN", "INSTANCE"], rows.Select(r => (IReadOnlyList<string>)
        [
            TextLayout.Text(r, "period"),
            TextLayout.Text(r, "currentVersion"),
            TextLayout.Text(r, "methodologyVersion"),
            TextLayout.Text(r, "outcome"),
            TextLayout.Text(r, "instanceId"),
        ]));
        // Every value is already text (TextLayout), so no culture enters here.
        Console.Out.WriteLine(
            $"{TextLayout.Text(answer, "periods")} period(s) to methodology {TextLayout.Text(answer, "methodologyVersion")}: "
                + $"{TextLayout.Text(answer, "started")} started, "
            + $"{TextLayout.Text(answer, "running")} already running, {TextLayout.Text(answer, "errors")} error(s); "
                + $"{TextLayout.Text(answer, "outdated")} on an older methodology. "
            + "Follow them with `hub ops list --name ConsolidatePeriod`.");
    }

    // hub reconcile: a top-level command because operators and scripts run it on its own, after an incident or on a
    // schedule. Exit 0 when nothing is lost or duplicated, 1 when something is (listed), as for a refusal.
    public static Command Reconcile()
    {
        var grace = new Option<int?>("--grace-seconds") { Description = "Feeds younger than this count as in flight, not lost (the hub's default: 300)." };
        var source = new Option<string?>("--source") { Description = "Only this department's feeds." };
        var period = new Option<string?>("--period") { Description = "Only feeds of this period." };
        var command = new Command(
            "reconcile",
            "Reconcile what the hub received with what it published: per period and source, feeds landed, validated, quarantined, in the ledger, "
            + "consolidated and published, and every feed lost on the way or stored twice. The hub runs it in the background and the command follows it, "
            + "with the feeds checked so far on standard error. Exit 0 nothing lost or duplicated, 1 something was, "
            + "2 bad arguments or no answer, 3 a hub error.")
        {
            Hub, Key, Token, Timeout, Json, grace, source, period,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var query = new QueryText()
                .Add("graceSeconds", result.GetValue(grace)?.ToString(CultureInfo.InvariantCulture))
                .Add("source", result.GetValue(source))
                .Add("period", result.GetValue(period));
            var clean = true;
            var exit = await FollowReconciliationAsync(result, query.ToString(),
                answer => clean = WriteReconciliation(answer), cancellationToken).ConfigureAwait(false);
            if (exit == ExitCodes.Ok && result.GetValue(Json))
            {
                // --json printed the answer as it came; the exit code still tells a script whether anything went missing.
                return ExitCodes.Ok;
            }

            return exit == ExitCodes.Ok && !clean ? ExitCodes.Refused : exit;
        });
        return command;
    }

    // Starts the reconciliation in the background (POST ops/reconciliations) and follows its status URL once a second,
    // with its progress (feeds checked of the landed total) on standard error, until it has finished; then prints its
    // report. A hub without background runs (404) is asked the one-request way.
    private static async Task<int> FollowReconciliationAsync(ParseResult result, string query, Action<JsonElement> write, CancellationToken cancellationToken)
    {
        var timeout = result.GetValue(Timeout);
        if (await HubClient.ReadTargetAsync(result.GetValue(Hub)!, timeout, Console.Error).ConfigureAwait(false) is not { } hub)
        {
            return ExitCodes.Unusable;
        }

        var key = HubClient.ResolveKey(result.GetValue(Key), KeyVariable);
        var token = HubClient.ResolveKey(result.GetValue(Token), TokenVariable);
        try
        {
            var started = await HubClient.SendAsync(HttpMethod.Post, hub!, "ops/reconciliations" + query, key, token,
                TimeSpan.FromSeconds(timeout), null, cancellationToken).ConfigureAwait(false);
            if (started.Status == 404 && !started.IsProblem)
            {
                return await RunAsync(result, HttpMethod.Get, "ops/reconcile" + query, write, cancellationToken).ConfigureAwait(false);
            }

            if (!started.IsSuccess || started.Json is not { } startedJson || !startedJson.TryGetProperty("status", out var statusUrl))
            {
                return Refused(started);
            }

            // The status URL is the hub's own path (/api/...); the client puts api/ in front.
            var path = statusUrl.GetString()!.TrimStart('/');
            path = path.StartsWith("api/", StringComparison.Ordinal) ? path[4..] : path;
            using var progress = ProgressLine.OnStandardError("reconcile: feeds checked");
            while (true)
            {
                var answer = await HubClient.SendAsync(HttpMethod.Get, hub!, path, key, token,
                    TimeSpan.FromSeconds(timeout), null, cancellationToken).ConfigureAwait(false);
                if (!answer.IsSuccess || answer.Json is not { } run)
                {
                    progress.Clear();
                    return Refused(answer);
                }

                if (run.TryGetProperty("progress", out var told) && told.ValueKind == JsonValueKind.Object)
                {
                    progress.Step(told.GetProperty("checked").GetInt32(), told.GetProperty("total").GetInt32());
                }

                switch (run.GetProperty("status").GetString())
                {
                    case "Completed":
                        progress.Clear();
                        var report = run.GetProperty("report");
                        if (result.GetValue(Json))
                        {
                            Console.Out.WriteLine(TextLayout.Indented(report));
                        }
                        else
                        {
                            write(report);
                        }

                        return ExitCodes.Ok;
                    case "Failed" or "Terminated":
                        progress.Clear();
                        await Console.Error.WriteLineAsync($"The reconciliation {TextLayout.Text(run, "runId")} did not finish: "
                            + $"{TextLayout.Text(run, "status")} {TextLayout.Text(run, "failure")}").ConfigureAwait(false);
                        return ExitCodes.InternalError;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HubUnreachableException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.Unusable;
        }
    }

    private static int Refused(HubAnswer answer)
    {
        HubClient.WriteProblem(Console.Error, answer);
        return answer.IsSuccess ? ExitCodes.InternalError : HubClient.ExitCodeOf(answer);
    }

    // True when nothing is lost or duplicated.
    private static bool WriteReconciliation(JsonElement answer)
    {
        string[] stages = ["landed", "validated", "quarantined", "inLedger", "consolidated", "published", "inFlight", "lost"];
        var rows = answer.GetProperty("rows").EnumerateArray().ToList();
        TextLayout.Table(Console.Out, ["PERIOD", "SOURCE", "LANDED", "VALID", "QUARANTINED", "LEDGER", "CONSOLIDATED", "PUBLISHED", "IN FLIGHT", "LOST"],
            rows.Select(r => (IReadOnlyList<string>)[TextLayout.Text(r, "period"), TextLayout.Text(r, "source"),
                .. stages.Select(s => TextLayout.Text(r, s))]));
        var totals = answer.GetProperty("totals");
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {TextLayout.Text(totals, "landed")} landed, {TextLayout.Text(totals, "published")} published, "
            + $"{TextLayout.Text(totals, "inFlight")} in flight, "
            + $"{TextLayout.Text(totals, "lost")} lost, {TextLayout.Text(totals, "duplicates")} duplicate(s)"));
        foreach (var gap in answer.GetProperty("lost").EnumerateArray())
        {
            Console.Out.WriteLine($"lost: {TextLayout.Text(gap, "feedId")} ({TextLayout.Text(gap, "source")} {TextLayout.Text(gap, "period")}) "
                + $"stopped before {TextLayout.Text(gap, "stage")}: {TextLayout.Text(gap, "detail")}");
        }

        foreach (var duplicate in answer.GetProperty("duplicates").EnumerateArray())
        {
            Console.Out.WriteLine($"duplicate {TextLayout.Text(duplicate, "kind")}: {TextLayout.Text(duplicate, "subject")}: "
                + $"{string.Join(", ", duplicate.GetProperty("occurrences").EnumerateArray().Select(o => o.GetString()))}");
        }

        return totals.GetProperty("lost").GetInt32() == 0 && totals.GetProperty("duplicates").GetInt32() == 0;
    }

    private static Argument<string> InstanceId() =>
        new("instance-id") { Description = "The orchestration's instance id, e.g. feed:transport:2024-06:0123456789abcdef." };

    private static string InstancePath(string instanceId, string? action) =>
        $"ops/instances/{Uri.EscapeDataString(instanceId)}{(action is null ? "" : "/" + action)}";

    // Sends the request with the ops key and prints the answer: the success with write, a refusal as its problem.
    private static async Task<int> RunAsync(ParseResult result, HttpMethod method, string path, Action<JsonElement> write, CancellationToken cancellationToken)
    {
        var timeout = result.GetValue(Timeout);
        if (await HubClient.ReadTargetAsync(result.GetValue(Hub)!, timeout, Console.Error).ConfigureAwait(false) is not { } hub)
        {
            return ExitCodes.Unusable;
        }

        var key = HubClient.ResolveKey(result.GetValue(Key), KeyVariable);
        var token = HubClient.ResolveKey(result.GetValue(Token), TokenVariable);
        if (string.IsNullOrEmpty(key) && string.IsNullOrEmpty(token))
        {
            await Console.Error.WriteLineAsync($"No key: give --key or set ${KeyVariable} (in Azure: --token or ${TokenVariable}).").ConfigureAwait(false);
        }

        HubAnswer answer;
        try
        {
            // A reconciliation over a large store, or a slow hub, can take a while: say how long so far.
            using var progress = ProgressLine.OnStandardError($"{result.CommandResult.Command.Name}: waiting for the hub");
            answer = await progress.TickWhileAsync(
                HubClient.SendAsync(method, hub!, path, key, token, TimeSpan.FromSeconds(timeout), null, cancellationToken)).ConfigureAwait(false);
        }
        catch (HubUnreachableException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.Unusable;
        }

        if (!answer.IsSuccess)
        {
            HubClient.WriteProblem(Console.Error, answer);
            return HubClient.ExitCodeOf(answer);
        }

        if (answer.Json is not { } json)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done ({answer.Status})"));
        }
        else if (result.GetValue(Json))
        {
            Console.Out.WriteLine(TextLayout.Indented(json));
        }
        else
        {
            write(json);
        }

        return ExitCodes.Ok;
    }

    // The instance table, newest first, and how to ask for the next page. Takes a page ({instances, continuationToken})
    // or, from a hub before paging, a plain array.
    private static void WriteInstances(JsonElement answer)
    {
        var instances = answer.ValueKind == JsonValueKind.Array ? answer
            : answer.TryGetProperty("instances", out var page) ? page
            : default;
        if (instances.ValueKind != JsonValueKind.Array)
        {
            TextLayout.Fields(Console.Out, answer);
            return;
        }

        var rows = instances.EnumerateArray().ToList();
        var withFailure = rows.Any(r => TextLayout.Text(r, "failure") != "-");
        string[] headers = withFailure ? ["INSTANCE", "NAME", "STATUS", "CREATED", "UPDATED", "FAILURE"] : ["INSTANCE", "NAME", "STATUS", "CREATED", "UPDATED"];
        TextLayout.Table(Console.Out, headers, rows.Select(r => (IReadOnlyList<string>)
        [
            TextLayout.Text(r, "instanceId"),
            TextLayout.Text(r, "name"),
            TextLayout.Text(r, "status"),
            Time(TextLayout.Text(r, "createdAt")),
            Time(TextLayout.Text(r, "lastUpdatedAt")),
            .. withFailure ? new[] { TextLayout.Text(r, "failure") } : [],
        ]));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} instance(s)"));
        if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("continuationToken", out var token)
            && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } next)
        {
            Console.Out.WriteLine($"next page: --continuation-token '{next.Replace("'", "'\\''", StringComparison.Ordinal)}'");
        }
    }

    // An action's answer: a list of outcomes (replay-failed) as a table, anything else as fields.
    private static void WriteOutcome(JsonElement answer)
    {
        if (answer.ValueKind == JsonValueKind.Array)
        {
            TextLayout.Fields(Console.Out, JsonSerializer.SerializeToElement(new { outcomes = answer }));
            return;
        }

        TextLayout.Fields(Console.Out, answer);
    }

    // A timestamp in UTC to the second, readable in a table; anything unparsable as it came.
    private static string Time(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : text;

    // A query string of the parameters that have a value, escaped.
    private sealed class QueryText
    {
        private readonly StringBuilder text = new();

        public QueryText Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                text.Append(text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }

            return this;
        }

        public override string ToString() => text.ToString();
    }
}
