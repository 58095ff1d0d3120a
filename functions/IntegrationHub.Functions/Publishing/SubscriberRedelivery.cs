using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using IntegrationHub.Core;
using IntegrationHub.Core.Publishing;
using IntegrationHub.Core.Reference;
using IntegrationHub.Functions.Audit;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Storage;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Functions.Publishing;

/// <summary>A subscriber as ops see it: its filter, how it receives events and the last one it was sent.</summary>
public sealed record SubscriberView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("filter")] SubscriberFilter Filter,
    [property: JsonPropertyName("channel"), Description("How it receives events: `queue:…`, `service-bus:…` or `webhook:…`.")] string Channel,
    [property: JsonPropertyName("lastDelivery")] SubscriberDelivery? LastDelivery,
    [property: JsonPropertyName("deliveries"), Description("The path of its deliveries.")] string Deliveries);

public sealed record SubscriberList([property: JsonPropertyName("subscribers")] IReadOnlyList<SubscriberView> Subscribers);

/// <summary>What a redelivery sent.</summary>
/// <param name="Matched">Events found for the subscriber; the search stops at one past <c>limit</c>.</param>
/// <param name="ContinueSince">When more matched than one call sends: the <c>since</c> to go on with (the first event not sent).</param>
public sealed record RedeliveryReport(
    [property: JsonPropertyName("subscriber")] string Subscriber,
    [property: JsonPropertyName("since")] DateTimeOffset Since,
    [property: JsonPropertyName("matched"), Description("Events since then found for the subscriber (its types and filter); the search "
        + "stops at one past `limit`, so at most `limit` + 1.")] int Matched,
    [property: JsonPropertyName("sent")] int Sent,
    [property: JsonPropertyName("eventIds")] IReadOnlyList<string> EventIds,
    [property: JsonPropertyName("remaining"), Description("Found but not sent: 1 when more events follow (go on with `continueSince`), else 0.")]
    int Remaining,
    [property: JsonPropertyName("continueSince"), Description("When some remain: the `since` to go on with (the first event id not sent).")]
    string? ContinueSince);

/// <summary>
/// Ops view of the subscribers and their delivery logs, and redelivery: every event announced since a time (or since
/// an event, by its id <c>{period}/v{n}</c> or <c>feed-late:…</c>, inclusive) of a type the subscriber asks for and that
/// its filter takes, rebuilt with the same CloudEvent ids (data sets from the stored immutable versions, late feeds from
/// the event kept in their record) and sent to that subscriber only, oldest first, at most <see cref="MaxEvents"/> per call.
/// </summary>
public sealed partial class SubscriberRedelivery(
    HubCore core, DatasetStore datasets, LateFeedRecords lateFeeds, ISubscriberRedelivery channel, SubscriberDeliveryLog deliveries, AuditLog audit)
{
    private const string LateFeedIdPrefix = "feed-late:";
    public const int DefaultEvents = 200;
    public const int MaxEvents = 1000;
    private const string Action = "redeliver";

    public async Task<OpsAnswer> ListAsync(CancellationToken cancellationToken)
    {
        var views = new List<SubscriberView>();
        foreach (var subscriber in core.Reference.Subscribers.Subscribers)
        {
            views.Add(new SubscriberView(
                subscriber.Name, subscriber.Description, subscriber.Filter, channel.ChannelOf(subscriber),
                await deliveries.LastAsync(subscriber.Name, cancellationToken).ConfigureAwait(false), DeliveriesUrl(subscriber.Name)));
        }

        return OpsAnswer.Ok(new SubscriberList(views));
    }

    public async Task<OpsAnswer> DeliveriesAsync(string name, string? limitText, string? token, CancellationToken cancellationToken)
    {
        if (Find(name) is not { } subscriber)
        {
            return NotFound(name);
        }

        var limit = SubscriberDeliveryLog.DefaultLimit;
        if (!OpsQuery.TryParseCount(limitText, SubscriberDeliveryLog.MaxLimit, ref limit))
        {
            return OpsQuery.BadCount("limit", limitText, SubscriberDeliveryLog.MaxLimit, "Invalid limit", "limit");
        }

        try
        {
            return OpsAnswer.Ok(await deliveries.ReadAsync(subscriber.Name, limit, token is { Length: > 0 } ? token : null, cancellationToken)
                .ConfigureAwait(false));
        }
        catch (InvalidDeliveryTokenException)
        {
            return OpsQuery.BadToken();
        }
    }

    public async Task<OpsAnswer> RedeliverAsync(string name, string? since, string? limitText, OpsActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Find(name) is not { } subscriber)
        {
            return NotFound(name);
        }

        var limit = DefaultEvents;
        if (!OpsQuery.TryParseCount(limitText, MaxEvents, ref limit))
        {
            return OpsQuery.BadCount("limit", limitText, MaxEvents, "Invalid limit", "limit");
        }

        var (from, problem) = await SinceAsync(since, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var target = "subscriber:" + subscriber.Name;
        await audit.RecordBeforeAsync(actor, Action, target, $"since {since}", cancellationToken).ConfigureAwait(false);
        // Versions are read in time order only until the page is full and one more event is found (it becomes
        // continueSince), so a small limit reads little however much was announced since.
        var matched = new List<(Sent Record, CloudNative.CloudEvents.CloudEvent Event)>();
        foreach (var record in await SentSinceAsync(subscriber, from, cancellationToken).ConfigureAwait(false))
        {
            if (matched.Count > limit)
            {
                break;
            }

            if (await RebuildAsync(record, subscriber, cancellationToken).ConfigureAwait(false) is { } rebuilt)
            {
                matched.Add((record, rebuilt));
            }
        }

        var sent = new List<string>();
        try
        {
            foreach (var (_, rebuilt) in matched.Take(limit))
            {
                await channel.RedeliverAsync(rebuilt, subscriber, cancellationToken).ConfigureAwait(false);
                sent.Add(rebuilt.Id!);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await audit.RecordAsync(actor, Action, target, "error", StatusCodes.Status500InternalServerError,
                string.Create(CultureInfo.InvariantCulture, $"sent {sent.Count} of {matched.Count} since {from:O}, then failed: {ex.GetType().Name}"),
                cancellationToken).ConfigureAwait(false);
            throw;
        }

        var report = new RedeliveryReport(
            subscriber.Name, from, matched.Count, sent.Count, sent, matched.Count - sent.Count,
            matched.Count > sent.Count ? matched[sent.Count].Event.Id : null);
        await audit.RecordAsync(actor, Action, target, "done", StatusCodes.Status200OK,
            string.Create(CultureInfo.InvariantCulture, $"sent {sent.Count} of {matched.Count} since {from:O}"), cancellationToken).ConfigureAwait(false);
        return OpsAnswer.Ok(report);
    }

    // One event the hub sent: a data-set version's announcement or a late feed's.
    private sealed record Sent(DateTimeOffset At, string EventId, AnnouncementRecord? DataSet, LateFeedAnnouncement? LateFeed);

    // Every event of a type the subscriber asks for sent at or after from, oldest first (ties by id): data sets from
    // their announcement records, late feeds from theirs.
    private async Task<List<Sent>> SentSinceAsync(Subscriber subscriber, DateTimeOffset from, CancellationToken cancellationToken)
    {
        var sent = new List<Sent>();
        if (SubscriptionFilter.Wants(subscriber, SubscriptionFilter.DatasetPublished))
        {
            foreach (var period in await datasets.ListPeriodsAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var version in await datasets.ListAnnouncedAsync(period, cancellationToken).ConfigureAwait(false))
                {
                    if (await datasets.GetAnnouncementAsync(period, version, cancellationToken).ConfigureAwait(false) is { } record
                        && record.AnnouncedAt >= from)
                    {
                        sent.Add(new Sent(record.AnnouncedAt, record.EventId, record, null));
                    }
                }
            }
        }

        if (SubscriptionFilter.Wants(subscriber, SubscriptionFilter.FeedLate))
        {
            sent.AddRange((await lateFeeds.SentSinceAsync(from, cancellationToken).ConfigureAwait(false)).Select(a => new Sent(a.SentAt, a.EventId, null, a)));
        }

        sent.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.EventId, b.EventId));
        return sent;
    }

    // The event as first sent when the subscriber's filter takes it; null when it does not, or cannot be rebuilt.
    private async Task<CloudNative.CloudEvents.CloudEvent?> RebuildAsync(Sent record, Subscriber subscriber, CancellationToken cancellationToken)
    {
        if (record.LateFeed is { } late)
        {
            // Sent whole to every subscriber asking for the type: no filter applies.
            return await lateFeeds.ReadEventAsync(late, cancellationToken).ConfigureAwait(false);
        }

        var announced = record.DataSet!;
        if (await datasets.GetVersionAsync(announced.Period, announced.Version, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return null; // announced versions are never deleted; nothing to rebuild it from otherwise
        }

        var rebuilt = DatasetPublishedEvent.ForStoredVersion(stored.ToDocument());
        var routing = DatasetPublishedEvent.RoutingOf(rebuilt);
        return SubscriptionFilter.Matches(subscriber.Filter, routing.PeriodKind, routing.Areas, routing.IndicatorIds) ? rebuilt : null;
    }

    // since: an RFC 3339 time, or an event id (2024-Q4/v3) standing for the time it was announced.
    private async Task<(DateTimeOffset From, OpsAnswer? Problem)> SinceAsync(string? since, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(since))
        {
            return (default, OpsAnswer.BadParameter(
                "since", "Missing since", "Give since: an RFC 3339 time (2025-01-31T00:00:00Z) or an event id such as 2024-Q4/v3."));
        }

        if (since.StartsWith(LateFeedIdPrefix, StringComparison.Ordinal))
        {
            return await lateFeeds.SentAtAsync(since, cancellationToken).ConfigureAwait(false) is { } sentAt
                ? (sentAt, null)
                : (default, OpsAnswer.BadParameter("since", "Unknown event", $"No event '{since}' was announced; give an announced event id or a time."));
        }

        var id = EventIdPattern().Match(since);
        if (id.Success)
        {
            var version = int.Parse(id.Groups["version"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            return await datasets.GetAnnouncementAsync(id.Groups["period"].Value, version, cancellationToken).ConfigureAwait(false) is { } record
                ? (record.AnnouncedAt, null)
                : (default, OpsAnswer.BadParameter("since", "Unknown event", $"No event '{since}' was announced; give an announced event id or a time."));
        }

        return DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at, null)
            : (default, OpsAnswer.BadParameter(
                "since", "Invalid since", $"'{since}' is neither an RFC 3339 time (2025-01-31T00:00:00Z) nor an event id such as 2024-Q4/v3."));
    }

    private Subscriber? Find(string name) => core.Reference.Subscribers.Subscribers.FirstOrDefault(s => s.Name == name);

    private static OpsAnswer NotFound(string name) => OpsAnswer.Problem(new HubProblem(StatusCodes.Status404NotFound, "Unknown subscriber")
    {
        Detail = $"No subscriber is named '{name}'; GET /api/ops/subscribers lists them.", Parameter = "name",
    });

    private static string DeliveriesUrl(string name) => $"/api/ops/subscribers/{name}/deliveries";

    [GeneratedRegex(@"^(?<period>\d{4}(-Q[1-4])?)/v(?<version>[1-9]\d{0,6})$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex EventIdPattern();
}
