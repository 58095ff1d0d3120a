namespace IntegrationHub.Functions.Consolidation;

// Orchestration inputs and outputs are persisted in the task hub's history: small records, additive changes only.

/// <summary>The ledger generations (calendar year to generation) a consolidation reads up to.</summary>
public sealed record ConsolidationInput(string Period);

public sealed record BuildRequest(string Period, IReadOnlyDictionary<string, long> LedgerGenerations, DateTime GeneratedAt);

/// <summary>What a build produced: a new version, or the current one again when the inputs did not change.</summary>
public sealed record BuiltDataset(string Period, int Version, string Sha256, bool IsNew, int? PreviousVersion, int ChangedIndicators);

public sealed record PointerMove(string Period, int Version, string Sha256, IReadOnlyDictionary<string, long> LedgerGenerations);

public sealed record PublishRequest(string Period, int Version);

public sealed record ConsolidationResult(string Period, int Version, bool Published, int Runs);
