using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace IntegrationHub.Cli;

// hub subscribers …: the subscribers of the hub's events through its ops API, with the same key, token, hub and output
// options as hub ops: who they are, what each was sent, and redelivery.
internal static partial class OpsCommand
{
    public static Command Subscribers()
    {
        var command = new Command(
            "subscribers",
            "The subscribers of the hub's events: their filters and channels, what each was sent, and sending them their events again. "
            + "Exit 0 done, 1 the hub refused (its problem is printed), 2 bad arguments, no answer or a key the hub refused, 3 a hub error.")
        {
            Hub, Key, Token, Timeout, Json,
        };
        var list = new Command("list", "Every subscriber: its channel (queue, Service Bus or webhook) and the last event it was sent.");
        list.SetAction((result, cancellationToken) => RunAsync(result, HttpMethod.Get, "ops/subscribers", WriteSubscribers, cancellationToken));
        command.Subcommands.Add(list);
        command.Subcommands.Add(Deliveries());
        command.Subcommands.Add(Redeliver());
        return command;
    }

    private static Argument<string> SubscriberName() =>
        new("name") { Description = "The subscriber's name, as in the subscribers file (e.g. dual-carbon-dashboard)." };

    private static Command Deliveries()
    {
        var name = SubscriberName();
        var limit = new Option<int?>("--limit") { Description = "At most this many per page (the hub's default: 50, at most 500)." };
        var continuation = new Option<string?>("--continuation-token") { Description = "The token the previous page printed." };
        var command = new Command("deliveries", "What the subscriber was sent (published or redelivered), newest first.") { name, limit, continuation };
        command.SetAction((result, cancellationToken) =>
            RunAsync(result, HttpMethod.Get, $"ops/subscribers/{Uri.EscapeDataString(result.GetValue(name)!)}/deliveries"
                + new QueryText().Add("limit", result.GetValue(limit)?.ToString(CultureInfo.InvariantCulture))
                    .Add("continuationToken", result.GetValue(continuation)), WriteDeliveries, cancellationToken));
        return command;
    }

    private static Command Redeliver()
    {
        var name = SubscriberName();
        var since = new Option<string>("--since")
        {
            Description = "From when: an RFC 3339 time (2025-01-31T00:00:00Z) or an event id (2024-Q4/v3, feed-late:…), inclusive.",
            Required = true,
        };
        var limit = new Option<int?>("--limit") { Description = "Events per request (the hub's default: 200, at most 1000)." };
        var command = new Command(
            "redeliver",
            "Send the subscriber every event since then again, with the same ids, to it alone; request after request (each "
            + "going on where the hub said) until none remain, with the count sent on standard error.")
        { name, since, limit };
        command.SetAction((result, cancellationToken) =>
            RedeliverAllAsync(result, result.GetValue(name)!, result.GetValue(since)!, result.GetValue(limit), cancellationToken));
        return command;
    }

    // Follows continueSince until the hub has none; prints each event sent, then the total (--json: one summary object).
    private static async Task<int> RedeliverAllAsync(ParseResult result, string name, string since, int? limit, CancellationToken cancellationToken)
    {
        var timeout = result.GetValue(Timeout);
        if (await HubClient.ReadTargetAsync(result.GetValue(Hub)!, timeout, Console.Error).ConfigureAwait(false) is not { } hub)
        {
            return ExitCodes.Unusable;
        }

        var key = HubClient.ResolveKey(result.GetValue(Key), KeyVariable);
        var token = HubClient.ResolveKey(result.GetValue(Token), TokenVariable);
        var json = result.GetValue(Json);
        var sent = new List<string>();
        var next = since;
        using var progress = ProgressLine.OnStandardError($"redeliver to {name}: sent");
        try
        {
            while (true)
            {
                var path = $"ops/subscribers/{Uri.EscapeDataString(name)}/redeliver"
                    + new QueryText().Add("since", next).Add("limit", limit?.ToString(CultureInfo.InvariantCulture));
                var answer = await HubClient.SendAsync(HttpMethod.Post, hub!, path, key, token, TimeSpan.FromSeconds(timeout), null, cancellationToken)
                    .ConfigureAwait(false);
                if (!answer.IsSuccess || answer.Json is not { ValueKind: JsonValueKind.Object } report)
                {
                    progress.Clear();
                    HubClient.WriteProblem(Console.Error, answer);
                    if (sent.Count > 0)
                    {
                        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{sent.Count} event(s) were sent before; go on with --since '{next}'.")).ConfigureAwait(false);
                    }

                    return answer.IsSuccess ? ExitCodes.InternalError : HubClient.ExitCodeOf(answer);
                }

                var ids = report.GetProperty("eventIds").EnumerateArray().Select(i => i.GetString() ?? "").ToList();
                sent.AddRange(ids);
                if (!json)
                {
                    progress.Clear();
                    foreach (var id in ids)
                    {
                        Console.Out.WriteLine("sent " + id);
                    }
                }

                progress.Count(sent.Count);
                var more = report.TryGetProperty("continueSince", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                if (more is null)
                {
                    break;
                }

                if (more == next && ids.Count == 0)
                {
                    // The hub would answer the same again: stop rather than loop.
                    progress.Clear();
                    await Console.Error.WriteLineAsync($"The hub sent nothing and asks to go on from '{next}' again; stopped.").ConfigureAwait(false);
                    return ExitCodes.InternalError;
                }

                next = more;
            }
        }
        catch (HubUnreachableException ex)
        {
            progress.Clear();
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            if (sent.Count > 0)
            {
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{sent.Count} event(s) were sent before; go on with --since '{next}'.")).ConfigureAwait(false);
            }

            return ExitCodes.Unusable;
        }

        progress.Clear();
        if (json)
        {
            Console.Out.WriteLine(TextLayout.Indented(JsonSerializer.SerializeToElement(new { subscriber = name, since, sent = sent.Count, eventIds = sent })));
        }
        else
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{sent.Count} event(s) sent again to {name} since {since}"));
        }

        return ExitCodes.Ok;
    }

    private static void WriteSubscribers(JsonElement answer)
    {
        var rows = answer.GetProperty("subscribers").EnumerateArray().ToList();
        TextLayout.Table(Console.Out, ["NAME", "CHANNEL", "LAST EVENT", "SENT AT"], rows.Select(r =>
        {
            var last = r.TryGetProperty("lastDelivery", out var l) && l.ValueKind == JsonValueKind.Object ? l : (JsonElement?)null;
            return (IReadOnlyList<string>)
            [
                TextLayout.Text(r, "name"),
                TextLayout.Text(r, "channel"),
                last is { } sent ? TextLayout.Text(sent, "eventId") : "-",
                last is { } at ? Time(TextLayout.Text(at, "sentAt")) : "-",
            ];
        }));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} subscriber(s)"));
    }

    private static void WriteDeliveries(JsonElement answer)
    {
        var rows = answer.GetProperty("deliveries").EnumerateArray().ToList();
        TextLayout.Table(Console.Out, ["EVENT", "PERIOD", "VERSION", "SENT AT", "CHANNEL", "REDELIVERY"], rows.Select(r => (IReadOnlyList<string>)
        [
            TextLayout.Text(r, "eventId"),
            TextLayout.Text(r, "period"),
            TextLayout.Text(r, "version"),
            Time(TextLayout.Text(r, "sentAt")),
            TextLayout.Text(r, "channel"),
            TextLayout.Text(r, "redelivery"),
        ]));
        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} deliver{(rows.Count == 1 ? "y" : "ies")}"));
        if (answer.TryGetProperty("continuationToken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } next)
        {
            Console.Out.WriteLine($"next page: --continuation-token '{next.Replace("'", "'\\''", StringComparison.Ordinal)}'");
        }
    }
}
