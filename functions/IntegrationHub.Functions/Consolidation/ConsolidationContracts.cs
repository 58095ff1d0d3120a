namespace IntegrationHub.Functions.Consolidation;

// Orchestration inputs and outputs are persisted in the task hub's history: small records, additive changes only.

/// <param name="Run">1 for the first run; each re-run (ContinueAsNew because feeds arrived meanwhile) counts up.</param>
public sealed record ConsolidationInput(string Period, int Run = 1);

public sealed record BuildRequest(string Period, IReadOnlyDictionary<string, long> LedgerGenerations, DateTime GeneratedAt);

/// <summary>What a build produced: a new version, or the current one again when the inputs did not change.</summary>
public sealed record BuiltDataset(string Period, int Version, string Sha256, bool IsNew, int? PreviousVersion, int ChangedIndicators);

public sealed record PointerMove(string Period, int Version, string Sha256, IReadOnlyDictionary<string, long> LedgerGenerations);

public sealed record PublishRequest(string Period, int Version);

public sealed record ConsolidationResult(string Period, int Version, bool Published, int Runs);
