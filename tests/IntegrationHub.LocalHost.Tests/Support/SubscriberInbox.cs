using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>
/// A subscriber of the reference subscribers file and the test's own reading of its filter, from the contract:
/// fields are ANDed; within a field any value matches (period kind equal, an area among the event's areas, an
/// indicator id of the event's changed indicators starting with the prefix); an absent or empty field matches all.
/// <c>eventTypes</c> lists the events it takes; absent, data sets only.
/// </summary>
public sealed record Subscriber(string Name, IReadOnlyList<string> PeriodKinds, IReadOnlyList<string> Areas, IReadOnlyList<string> IndicatorPrefixes)
{
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    public bool WantsDatasets => EventTypes.Count == 0 || EventTypes.Contains("dataset-published");

    public bool WantsLateFeeds => EventTypes.Contains("feed-late");

    /// <summary>The subscriber's Azurite queue, as the task states it: <c>sub-{subscriber name}</c>.</summary>
    public string Queue => "sub-" + Name;

    public static IReadOnlyList<Subscriber> LoadAll()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.ReferenceData, "subscribers.json")));
        return [.. document.RootElement.GetProperty("subscribers").EnumerateArray().Select(s =>
        {
            var filter = s.GetProperty("filter");
            return new Subscriber(s.GetProperty("name").GetString()!, List(filter, "periodKinds"), List(filter, "areas"), List(filter, "indicatorPrefixes"))
            {
                EventTypes = List(s, "eventTypes"),
            };
        })];
    }

    public bool Matches(string periodKind, IReadOnlyCollection<string> areas, IReadOnlyCollection<string> indicatorIds) =>
        WantsDatasets
        && (PeriodKinds.Count == 0 || PeriodKinds.Contains(periodKind))
        && (Areas.Count == 0 || Areas.Any(areas.Contains))
        && (IndicatorPrefixes.Count == 0 || IndicatorPrefixes.Any(p => indicatorIds.Any(id => id.StartsWith(p, StringComparison.Ordinal))));

    private static List<string> List(JsonElement filter, string name) =>
        filter.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Array ? [.. values.EnumerateArray().Select(v => v.GetString()!)] : [];
}

/// <summary>One <c>dataset-published</c> event as a subscriber received it; <see cref="Data"/> is resolved through
/// <c>dataref</c> when the message left it out.</summary>
public sealed record PublishedEvent(string Queue, JsonElement Envelope, string? DataRef, JsonElement Data)
{
    public string Id => Envelope.GetProperty("id").GetString()!;

    public string Period => Data.GetProperty("period").GetString()!;

    public int Version => Data.GetProperty("version").GetInt32();

    public IReadOnlyList<(string Area, string Id)> ChangedIndicators =>
        [.. Data.GetProperty("changedIndicators").EnumerateArray().Select(c => (c.GetProperty("areaCode").GetString()!, c.GetProperty("id").GetString()!))];

    public IReadOnlyList<string> Areas => [.. Data.GetProperty("areas").EnumerateArray().Select(a => a.GetString()!)];

    public string? Attribute(string name) => Envelope.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// Reads the subscribers' queues on the Azurite: every message is taken off its queue (received, then deleted) and
/// kept here, so later reads see every event a queue ever held, whichever test reads it.
/// </summary>
public sealed class SubscriberInbox(QueueServiceClient queues, BlobServiceClient blobs)
{
    private readonly Dictionary<string, List<PublishedEvent>> received = [];
    private readonly SemaphoreSlim gate = new(1, 1);

    public IReadOnlyList<Subscriber> Subscribers { get; } = Subscriber.LoadAll();

    /// <summary>Everything each subscriber's queue has held so far, by subscriber name.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<PublishedEvent>>> DrainAsync()
    {
        await gate.WaitAsync();
        try
        {
            foreach (var subscriber in Subscribers)
            {
                if (!received.TryGetValue(subscriber.Name, out var list))
                {
                    received[subscriber.Name] = list = [];
                }

                list.AddRange(await TakeAllAsync(subscriber.Queue));
            }

            return received.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<PublishedEvent>)[.. kv.Value]);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<List<PublishedEvent>> TakeAllAsync(string queueName)
    {
        var queue = queues.GetQueueClient(queueName);
        var events = new List<PublishedEvent>();
        try
        {
            while (true)
            {
                var batch = (await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromMinutes(5))).Value;
                if (batch.Length == 0)
                {
                    return events;
                }

                foreach (var message in batch)
                {
                    events.Add(await ParseAsync(queueName, message.Body.ToArray()));
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No event was ever sent to this subscriber: the publisher creates a queue with its first message.
            return events;
        }
    }

    private async Task<PublishedEvent> ParseAsync(string queueName, byte[] body)
    {
        JsonElement envelope;
        try
        {
            envelope = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"A message on {queueName} is not JSON once Base64-decoded: {Encoding.UTF8.GetString(body)}", ex);
        }

        if (envelope.TryGetProperty("data", out var data))
        {
            return new PublishedEvent(queueName, envelope, null, data);
        }

        // Claim check: the whole event is in the hub's storage; dataref is container/blob-name.
        var dataRef = envelope.GetProperty("dataref").GetString()!;
        var slash = dataRef.IndexOf('/', StringComparison.Ordinal);
        var content = await blobs.GetBlobContainerClient(dataRef[..slash]).GetBlobClient(dataRef[(slash + 1)..]).DownloadContentAsync();
        var whole = JsonDocument.Parse(content.Value.Content.ToMemory()).RootElement.Clone();
        Assert.True(whole.GetProperty("id").GetString() == envelope.GetProperty("id").GetString(),
            $"The event stored at {dataRef} has id {whole.GetProperty("id")}, the message {envelope.GetProperty("id")}.");
        return new PublishedEvent(queueName, envelope, dataRef, whole.GetProperty("data"));
    }
}
