using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using IntegrationHub.Core.Evolution;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Functions.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Intake;

/// <summary>The schema evolution gate at start-up (settings section <c>SchemaGate</c>; docs/schema-evolution.md).</summary>
public sealed class SchemaGateOptions
{
    public const string SectionName = "SchemaGate";

    /// <summary>
    /// Stored accepted feeds replayed per source after start-up; 0 turns the stored-feed check off. A bounded sample:
    /// the first ones in landing order (by content hash, so unrelated to time or department system).
    /// </summary>
    [Range(0, 100_000)]
    public int StoredFeedSample { get; set; } = 200;
}

/// <summary>
/// The app's own feed schemas pass the gate, or the app does not start: run with the other options' validation at
/// start-up, so a schema version that breaks the rules stops the host before it serves a single feed.
/// </summary>
public sealed class SchemaGateValidation(FeedSchemaSet schemas) : IValidateOptions<SchemaGateOptions>
{
    public ValidateOptionsResult Validate(string? name, SchemaGateOptions options)
    {
        var report = SchemaEvolutionCheck.Run(schemas, []);
        return report.Refused
            ? ValidateOptionsResult.Fail($"The feed schemas compiled into the app break the schema evolution gate:\n{report.ToText()}")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>
/// Feed schema versions that stored feeds showed to be incompatible: intake answers feeds of such a version 503 (the
/// hub's fault, not the sender's; nothing is landed) until a corrected schema is deployed.
/// </summary>
public sealed class HeldFeedSchemaVersions
{
    private readonly ConcurrentDictionary<(string Source, string Version), string> held = new();

    public void Hold(string source, string version, string reason) => held[(source, version)] = reason;

    public bool IsHeld(string source, string version, out string reason) => held.TryGetValue((source, version), out reason!);

    public IReadOnlyCollection<(string Source, string Version)> Versions => [.. held.Keys];
}

/// <summary>
/// After start-up, replays a bounded sample of the feeds the hub has accepted against each minor version of its
/// schemas (the structural check already ran at start-up). A feed valid under a version but not under the next minor
/// is logged as critical, and that minor is held (<see cref="HeldFeedSchemaVersions"/>).
/// </summary>
public sealed partial class StoredFeedSchemaCheck(
    FeedStore store, FeedSchemaSet schemas, HeldFeedSchemaVersions held, IOptions<SchemaGateOptions> gate, IOptions<IntakeLimits> limits,
    ILogger<StoredFeedSchemaCheck> logger) : BackgroundService
{
    private const int MaxAttempts = 5;

    /// <summary>The check once: sample, replay, hold what is refused. Storage failures propagate.</summary>
    public async Task<EvolutionReport> RunAsync(CancellationToken cancellationToken)
    {
        var perSource = gate.Value.StoredFeedSample;
        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        var samples = new List<FeedSample>();
        var parser = new HardenedJsonParser(limits.Value);
        await foreach (var landed in store.ListLandedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (landed.State is not (FeedState.Validated or FeedState.Consolidated) || taken.GetValueOrDefault(landed.Source) >= perSource)
            {
                continue;
            }

            var bytes = await store.ReadLandedAsync(landed.Source, landed.ContentHash, cancellationToken).ConfigureAwait(false);
            using var parsed = parser.Parse(bytes.ToMemory());
            if (parsed.Document is not null)
            {
                samples.Add(new FeedSample($"stored feed {landed.FeedId}", parsed.Document.RootElement.Clone()));
                taken[landed.Source] = taken.GetValueOrDefault(landed.Source) + 1;
            }
        }

        var report = SchemaEvolutionCheck.Run(schemas, samples);
        foreach (var refused in report.Findings.Where(f => f.Refuses).GroupBy(f => (f.Source, f.Version)))
        {
            held.Hold(refused.Key.Source, refused.Key.Version, refused.First().Message);
            LogHeld(logger, refused.Key.Source, refused.Key.Version, report.ToText());
        }

        LogChecked(logger, samples.Count, report.Versions.Count);
        return report;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (gate.Value.StoredFeedSample == 0)
        {
            return;
        }

        var wait = TimeSpan.FromSeconds(5);
        for (var attempt = 1; attempt <= MaxAttempts && !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await RunAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Storage away at start-up: the check tries again, and the hub serves meanwhile.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, attempt, MaxAttempts, ex);
            }

            try
            {
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            wait *= 2;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "Feed schema {Source} {Version} refuses feeds the hub stored under the version before it; feeds of {Source} {Version} are "
            + "answered 503 until a corrected schema is deployed.\n{Report}")]
    private static partial void LogHeld(ILogger logger, string source, string version, string report);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema evolution gate: {Feeds} stored feed(s) replayed over {Versions} feed schema version(s)")]
    private static partial void LogChecked(ILogger logger, int feeds, int versions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schema evolution gate: stored feeds could not be read (attempt {Attempt} of {Attempts})")]
    private static partial void LogFailed(ILogger logger, int attempt, int attempts, Exception exception);
}
