using System.Diagnostics;
using Azure.Storage.Blobs;
using IntegrationHub.Core;
using IntegrationHub.Functions.Intake;
using IntegrationHub.Integration.Tests.Intake;
using IntegrationHub.Functions.Storage;
using IntegrationHub.Functions.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace IntegrationHub.Integration.Tests.Telemetry;

/// <summary>
/// What a push records on the hub's ActivitySource and Meter, collected through the app's own OpenTelemetry
/// registration (<see cref="TelemetryServiceCollectionExtensions.AddHubTelemetry"/>) into in-memory exporters: so the
/// test also proves the registration listens to the hub's names. Intake on real Blob storage (Azurite).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class HubTelemetryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly HubCore Core = new(requireRegexTimeout: false);

    private readonly List<Activity> activities = [];
    private readonly List<Metric> metrics = [];
    private ServiceProvider telemetry = null!;
    private FeedIntake intake = null!;

    public async Task InitializeAsync()
    {
        BlobServiceClient blobs = azurite.Blobs;
        foreach (var name in HubContainers.All)
        {
            await blobs.GetBlobContainerClient(name).DeleteIfExistsAsync();
        }

        var store = new FeedStore(blobs);
        await HubStorageInitializer.EnsureContainersAsync(blobs, CancellationToken.None);
        intake = FeedIntakeTests.NewIntake(blobs, NullLogger<FeedIntake>.Instance);

        var services = new ServiceCollection();
        services.AddHubTelemetry(new ConfigurationBuilder().Build());
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(activities));
        services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        telemetry = services.BuildServiceProvider();
        // The providers are built when first resolved (the hosted service does it in an app).
        _ = telemetry.GetRequiredService<TracerProvider>();
        _ = telemetry.GetRequiredService<MeterProvider>();
    }

    public async Task DisposeAsync() => await telemetry.DisposeAsync();

    [Fact]
    public async Task Push_ValidThenTheSameBytesAgain_RecordsReceiveAndJudgeActivitiesAndCountsEachVerdict()
    {
        var body = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "local-dev", "sample-feeds", "2024", "transport-2024-06-r0.json"));

        var first = await intake.LandAsync("transport", body, "push", CancellationToken.None);
        var second = await intake.LandAsync("transport", body, "push", CancellationToken.None);

        Assert.Equal(IntakeVerdict.Accepted, first.Verdict);
        Assert.Equal(IntakeVerdict.Duplicate, second.Verdict);

        // Traces: per push a receive span with the feed id, and under it the judge span with its verdict.
        var hubActivities = activities.Where(a => a.Source.Name == HubTelemetry.Name && Equals(a.GetTagItem(HubTelemetry.Tags.FeedId), first.FeedId)).ToList();
        var received = hubActivities.Where(a => a.OperationName == HubTelemetry.Activities.ReceiveFeed).ToList();
        var judged = hubActivities.Where(a => a.OperationName == HubTelemetry.Activities.JudgeFeed).ToList();
        Assert.Equal(2, received.Count);
        Assert.Equal(2, judged.Count);
        Assert.All(received, r => Assert.Equal("transport", r.GetTagItem(HubTelemetry.Tags.Source)));
        Assert.All(received, r => Assert.Equal(HubTelemetry.PushChannel, r.GetTagItem(HubTelemetry.Tags.Channel)));
        Assert.All(judged, j => Assert.Contains(received, r => r.SpanId == j.ParentSpanId));
        Assert.Equal(["accepted", "duplicate"], judged.OrderBy(j => j.StartTimeUtc).Select(j => (string?)j.GetTagItem(HubTelemetry.Tags.Verdict)));

        // Metrics: two feeds received by push, one verdict of each kind, two validations timed (both valid).
        Assert.True(telemetry.GetRequiredService<MeterProvider>().ForceFlush(10_000), "The meter provider did not flush.");
        Assert.Equal(
            2, Sum(HubTelemetry.Instruments.FeedsReceived, (HubTelemetry.Tags.Source, "transport"), (HubTelemetry.Tags.Channel, HubTelemetry.PushChannel)));
        Assert.Equal(1, Sum(HubTelemetry.Instruments.FeedsJudged, (HubTelemetry.Tags.Source, "transport"), (HubTelemetry.Tags.Verdict, "accepted")));
        Assert.Equal(1, Sum(HubTelemetry.Instruments.FeedsJudged, (HubTelemetry.Tags.Source, "transport"), (HubTelemetry.Tags.Verdict, "duplicate")));
        Assert.Equal(0, Sum(HubTelemetry.Instruments.FeedsJudged, (HubTelemetry.Tags.Source, "transport"), (HubTelemetry.Tags.Verdict, "rejected")));
        var validations = Points(HubTelemetry.Instruments.ValidationDuration, (HubTelemetry.Tags.Source, "transport"), (HubTelemetry.Tags.Valid, true));
        var validation = Assert.Single(validations);
        Assert.Equal(2, validation.GetHistogramCount());
        Assert.True(validation.GetHistogramSum() > 0, "Validation took no time at all.");
    }

    [Fact]
    public async Task Push_InvalidFeed_CountsARejectionAndTimesTheValidationAsInvalid()
    {
        var body = "{\"source\":\"environment\",\"note\":\"not a feed\"}"u8.ToArray();

        var outcome = await intake.LandAsync("environment", body, "push", CancellationToken.None);

        Assert.Equal(IntakeVerdict.Rejected, outcome.Verdict);
        var judge = Assert.Single(activities, a => a.Source.Name == HubTelemetry.Name && a.OperationName == HubTelemetry.Activities.JudgeFeed
            && Equals(a.GetTagItem(HubTelemetry.Tags.FeedId), outcome.FeedId));
        Assert.Equal("rejected", judge.GetTagItem(HubTelemetry.Tags.Verdict));
        Assert.True(telemetry.GetRequiredService<MeterProvider>().ForceFlush(10_000), "The meter provider did not flush.");
        Assert.Equal(1, Sum(HubTelemetry.Instruments.FeedsJudged, (HubTelemetry.Tags.Source, "environment"), (HubTelemetry.Tags.Verdict, "rejected")));
        Assert.Equal(
            1, Assert.Single(
            Points(HubTelemetry.Instruments.ValidationDuration, (HubTelemetry.Tags.Source, "environment"), (HubTelemetry.Tags.Valid, false)))
            .GetHistogramCount());
    }

    private long Sum(string instrument, params (string Key, object Value)[] tags) => Points(instrument, tags).Sum(p => p.GetSumLong());

    /// <summary>The points of the last export of <paramref name="instrument"/> whose tags include every one given.</summary>
    private List<MetricPoint> Points(string instrument, params (string Key, object Value)[] tags)
    {
        var metric = metrics.LastOrDefault(m => m.MeterName == HubTelemetry.Name && m.Name == instrument);
        var points = new List<MetricPoint>();
        if (metric is null)
        {
            return points;
        }

        foreach (ref readonly var point in metric.GetMetricPoints())
        {
            var pointTags = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in point.Tags)
            {
                pointTags[tag.Key] = tag.Value;
            }

            if (tags.All(t => pointTags.TryGetValue(t.Key, out var value) && Equals(value, t.Value)))
            {
                points.Add(point);
            }
        }

        return points;
    }
}
