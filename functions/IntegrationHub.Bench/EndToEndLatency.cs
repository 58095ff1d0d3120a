using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using IntegrationHub.Cli;
using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Bench;

// End-to-end latency on a running hub: a complete period's feeds pushed together, timed from the first request sent to
// the moment the query API serves a version of the period's data set whose inputs are exactly those feeds. The API
// serves a version only once its latest pointer has moved, which happens before its event is sent. Each run is a
// correction of every feed (the next revision), so each one is new content the whole pipeline handles.
internal sealed class EndToEndLatency(Uri hub, IReadOnlyDictionary<string, string> keys, TextWriter progress)
{
    // How long one run may take before the harness gives up on it.
    public static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(2);

    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false,
        MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(60) };

    // The feeds of folder the data set of period reads directly (statistics of the period, the others by month).
    public static List<(string Source, string Period, JsonObject Feed)> FeedsOf(Period period, string folder)
    {
        var feeds = new List<(string, string, JsonObject)>();
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            if (JsonNode.Parse(File.ReadAllText(file)) is not JsonObject feed
                || feed["source"]?.GetValue<string>() is not { } source
                || feed["period"]?.GetValue<string>() is not { } text
                || !Period.TryParse(text, out var feedPeriod))
            {
                continue;
            }

            if (DatasetPeriods.ReadsDirectly(period, source, feedPeriod))
            {
                feeds.Add((source, text, feed));
            }
        }

        // Several revisions of one period in the folder: the highest is the one a department would correct.
        return [.. feeds.GroupBy(f => (f.Item1, f.Item2)).Select(g => g.OrderByDescending(f => f.Item3["revision"]!.GetValue<int>()).First())];
    }

    public async Task<EndToEndReport> RunAsync(Period period,
        List<(string Source, string Period, JsonObject Feed)> feeds, int runs, CancellationToken cancellationToken)
    {
        var revisions = await CurrentRevisionsAsync(period, cancellationToken).ConfigureAwait(false);
        var samples = new List<EndToEndRun>();
        for (var run = 1; run <= runs; run++)
        {
            var bodies = new List<(string Source, byte[] Body)>();
            foreach (var (source, feedPeriod, feed) in feeds)
            {
                // The next revision after the highest the hub or the folder has: a correction the data set must take.
                var next = Math.Max(revisions.GetValueOrDefault((source, feedPeriod), -1), feed["revision"]!.GetValue<int>()) + 1;
                revisions[(source, feedPeriod)] = next;
                feed["revision"] = next;
                bodies.Add((source, JsonSerializer.SerializeToUtf8Bytes(feed)));
            }

            EndToEndRun sample;
            using (var line = ProgressLine.OnStandardError("end-to-end run"))
            {
                line.Step(run, runs, $"{feeds.Count} feeds pushed, waiting for {period} to serve them");
                sample = await OneRunAsync(period, bodies, cancellationToken).ConfigureAwait(false);
            }

            samples.Add(sample);
            await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"run {run}/{runs}: {feeds.Count} feeds pushed, {period} v{sample.Version} served after {sample.EndToEndMs:0} ms (slowest "
                    + $"push answer {sample.SlowestPushMs:0} ms)")).ConfigureAwait(false);
        }

        return new EndToEndReport(
            hub.ToString(),
            period.ToString(),
            feeds.Count,
            runs,
            Distribution.Of(samples.Select(s => s.EndToEndMs)),
            Distribution.Of(samples.Select(s => s.SlowestPushMs)),
            samples);
    }

    private async Task<EndToEndRun> OneRunAsync(Period period, List<(string Source, byte[] Body)> bodies, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RunDeadline);
        try
        {
            var (run, feedIds) = await TimedRunAsync(period, bodies, deadline.Token).ConfigureAwait(false);

            // Untimed: each feed's own run finishes (it marks the feed consolidated) before the next push, so runs do not overlap.
            await SettleAsync(feedIds, deadline.Token).ConfigureAwait(false);
            return run;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The feeds pushed for {period} were not all in its data set and consolidated within {RunDeadline.TotalSeconds:0} s.",
                ex);
        }
    }

    private async Task<(EndToEndRun Run, IReadOnlyCollection<string> FeedIds)> TimedRunAsync(Period period,
        List<(string Source, byte[] Body)> bodies, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var pushes = await Task.WhenAll(bodies.Select(b => PushAsync(b.Source, b.Body, clock, cancellationToken))).ConfigureAwait(false);
        var expected = pushes.Select(p => p.FeedId).ToHashSet(StringComparer.Ordinal);

        // Polled with the ETag, as a dashboard does: an unchanged data set costs a 304.
        string? etag = null;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub, $"api/datasets/{period}"));
            if (etag is not null)
            {
                request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
            }

            using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.OK)
            {
                etag = response.Headers.ETag?.ToString();
                using var dataset = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                var inputs = dataset.RootElement.GetProperty("inputs").EnumerateArray().Select(i =>
                    i.GetProperty("feedId").GetString()!).ToHashSet(StringComparer.Ordinal);
                if (expected.IsSubsetOf(inputs))
                {
                    var served = clock.Elapsed.TotalMilliseconds;
                    return (new EndToEndRun(served, pushes.Max(p => p.AnsweredMs), dataset.RootElement.GetProperty("version").GetInt32()), expected);
                }
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(string FeedId, double AnsweredMs)> PushAsync(string source, byte[] body, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub, $"api/feeds/{source}")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation(HubClient.ApiKeyHeader, keys.GetValueOrDefault(source));
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var answered = clock.Elapsed.TotalMilliseconds;
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/feeds/{source} answered {(int)response.StatusCode} instead of 202 for a new revision: {text}");
        }

        using var answer = JsonDocument.Parse(text);
        return (answer.RootElement.GetProperty("feedId").GetString()!, answered);
    }

    private async Task SettleAsync(IReadOnlyCollection<string> feedIds, CancellationToken cancellationToken)
    {
        foreach (var feedId in feedIds)
        {
            while (true)
            {
                var statusUrl = FeedId.StatusUrl(FeedId.SourceOf(feedId) ?? throw new InvalidOperationException($"'{feedId}' names no source."), feedId);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(hub, statusUrl.TrimStart('/')));
                request.Headers.TryAddWithoutValidation(HubClient.ApiKeyHeader, keys.GetValueOrDefault("ops"));
                using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"GET {statusUrl} answered {(int)response.StatusCode}: {text}");
                }

                using var status = JsonDocument.Parse(text);
                if (status.RootElement.GetProperty("state").GetString() == "Consolidated")
                {
                    break;
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // The revisions the period's current data set holds, so the first run's corrections come after them.
    private async Task<Dictionary<(string Source, string Period), int>> CurrentRevisionsAsync(Period period, CancellationToken cancellationToken)
    {
        var revisions = new Dictionary<(string, string), int>();
        using var response = await Http.GetAsync(new Uri(hub, $"api/datasets/{period}"), cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            using var dataset = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            foreach (var input in dataset.RootElement.GetProperty("inputs").EnumerateArray())
            {
                revisions[(input.GetProperty("source").GetString()!, input.GetProperty("period").GetString()!)] = input.GetProperty("revision").GetInt32();
            }
        }

        return revisions;
    }
}

internal sealed record EndToEndRun(
    [property: JsonPropertyName("endToEndMs")] double EndToEndMs,
    [property: JsonPropertyName("slowestPushMs")] double SlowestPushMs,
    [property: JsonPropertyName("version")] int Version);

internal sealed record EndToEndReport(
    [property: JsonPropertyName("hub")] string Hub,
    [property: JsonPropertyName("period")] string Period,
    [property: JsonPropertyName("feedsPerRun")] int FeedsPerRun,
    [property: JsonPropertyName("runs")] int Runs,
    [property: JsonPropertyName("endToEndMs")] Distribution EndToEnd,
    [property: JsonPropertyName("slowestPushAnswerMs")] Distribution SlowestPush,
    [property: JsonPropertyName("samples")] IReadOnlyList<EndToEndRun> Samples);

// Nearest-rank percentiles of a sample (p95 of 20 runs is the 19th fastest).
internal sealed record Distribution(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p95")] double P95,
    [property: JsonPropertyName("min")] double Min,
    [property: JsonPropertyName("max")] double Max)
{
    public static Distribution Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return new Distribution(Rank(sorted, 0.50), Rank(sorted, 0.95), Math.Round(sorted[0]), Math.Round(sorted[^1]));
    }

    private static double Rank(double[] sorted, double quantile) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)]);
}
