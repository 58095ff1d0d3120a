using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Core.Reference;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core;

/// <summary>The core's parts wired together once: schemas compiled, reference data validated.</summary>
public sealed class HubCore
{
    /// <param name="clock">The receiver's clock (rule:produced-not-in-future); the system clock when null.</param>
    public HubCore(IntakeLimits? limits = null, bool requireRegexTimeout = true, TimeProvider? clock = null)
    {
        Schemas = new SchemaCatalog(requireRegexTimeout);
        Reference = ReferenceData.LoadEmbedded(Schemas);
        Validator = new FeedValidator(Schemas, Reference, new HardenedJsonParser(limits ?? new IntakeLimits()), clock ?? TimeProvider.System);
        Datasets = new DatasetBuilder(Reference);
    }

    public SchemaCatalog Schemas { get; }

    public ReferenceData Reference { get; }

    public FeedValidator Validator { get; }

    public DatasetBuilder Datasets { get; }
}
