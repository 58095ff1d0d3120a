using IntegrationHub.Core.Consolidation;
using IntegrationHub.Core.Parsing;
using IntegrationHub.Core.Reference;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core;

/// <summary>The core's parts wired together once: schemas compiled, reference data validated.</summary>
public sealed class HubCore
{
    public HubCore(IntakeLimits? limits = null, bool requireRegexTimeout = true)
    {
        Schemas = new SchemaCatalog(requireRegexTimeout);
        Reference = ReferenceData.LoadEmbedded(Schemas);
        Validator = new FeedValidator(Schemas, Reference, new HardenedJsonParser(limits ?? new IntakeLimits()));
        Datasets = new DatasetBuilder(Reference);
    }

    public SchemaCatalog Schemas { get; }

    public ReferenceData Reference { get; }

    public FeedValidator Validator { get; }

    public DatasetBuilder Datasets { get; }
}
