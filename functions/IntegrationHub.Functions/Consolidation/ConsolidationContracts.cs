namespace IntegrationHub.Functions.Consolidation;

// Orchestration inputs and outputs are persisted in the task hub's history: small records, additive changes only.

/// <summary>
/// A period's consolidation run. The retry policy travels in the input because an orchestrator may not read
/// configuration: a replay keeps the original policy, and inputs recorded before it existed get the defaults.
/// </summary>
/// <param name="Run">1 for the first run; each re-run (ContinueAsNew because feeds arrived meanwhile) counts up.</param>
/// <param name="PublishMaxAttempts">Attempts to announce a version (Publishing__RetryMaxAttempts when the run was asked for).</param>
/// <param name="PublishFirstRetryIntervalSeconds">First wait between them, doubling (Publishing__RetryFirstIntervalSeconds).</param>
public sealed record ConsolidationInput(
    string Period,
    int Run = 1,
    int PublishMaxAttempts = Publishing.PublishingOptions.DefaultRetryMaxAttempts,
    int PublishFirstRetryIntervalSeconds = Publishing.PublishingOptions.DefaultRetryFirstIntervalSeconds);

/// <summary>A run's starting point: the demand it answers for (<see cref="ConsolidationDemands"/>) and the ledger generations it builds from.</summary>
/// <param name="Consolidated">
/// The generations the period's <c>latest</c> pointer held when the run began (empty before its first version; null in
/// runs recorded before it existed): what earlier versions took in. Only this period's run moves the pointer, so this
/// is what the run's inclusion record starts after, even when the pointer move is run twice.
/// </param>
public sealed record ConsolidationStart(long Requests, Dictionary<string, long> LedgerGenerations, Dictionary<string, long>? Consolidated = null);

/// <summary>The end of a run that began at <see cref="Requests"/>: give the period up, or run again for what came since.</summary>
public sealed record ConsolidationFinish(string Period, long Requests);

public sealed record BuildRequest(string Period, IReadOnlyDictionary<string, long> LedgerGenerations, DateTime GeneratedAt);

/// <summary>What a build produced: a new version, or the current one again when the inputs did not change.</summary>
/// <param name="Unannounced">
/// The current version (not new) whose event never went out: an earlier run stored it and moved <c>latest</c>, then
/// failed to announce it. The run announces it now.
/// </param>
public sealed record BuiltDataset(string Period, int Version, string Sha256, bool IsNew, int? PreviousVersion, int ChangedIndicators, bool Unannounced = false);

public sealed record PointerMove(string Period, int Version, string Sha256, IReadOnlyDictionary<string, long> LedgerGenerations);

/// <summary>A period's data set now includes every feed recorded after <paramref name="Before"/> up to <paramref name="Generations"/> (per year).</summary>
/// <param name="Version">The version the pointer now names; 0 in the inputs of runs from before it was passed.</param>
public sealed record FeedsIncluded(string Period, IReadOnlyDictionary<string, long> Before, IReadOnlyDictionary<string, long> Generations, int Version = 0);

public sealed record PublishRequest(string Period, int Version);

public sealed record ConsolidationResult(string Period, int Version, bool Published, int Runs);
