using IntegrationHub.Functions.Http;

namespace IntegrationHub.Functions.OpenApi;

// The former way to document an HTTP function, kept for branches written against it: an entry keyed by function name. A
// function documents itself with [ApiOperation] now; convert an entry by moving it there.
internal static class OperationCatalog
{
    public const string FeedsTag = ApiTags.Feeds;
    public const string PullsTag = ApiTags.Pulls;
    public const string DatasetsTag = ApiTags.Datasets;
    public const string SchemasTag = ApiTags.Schemas;
    public const string OpsTag = ApiTags.Ops;
    public const string PagesTag = ApiTags.Pages;
    public const string HostTag = ApiTags.Host;

    // Operations of functions written before [ApiOperation], by function name; empty now. A function listed here and
    // declaring its own attributes is refused (two operations): move such an entry onto the function.
    public static IReadOnlyDictionary<string, ApiOperation> Operations { get; } = new Dictionary<string, ApiOperation>(StringComparer.Ordinal);

    internal static ApiResponse Problem(int status, string description) => new(status, description, "Problem", ApiMediaTypes.Problem);

    internal static ApiResponse InstanceConflict(int status, string description) => new(status, description, "InstanceConflictProblem", ApiMediaTypes.Problem);

    internal static ApiResponse Action(int status, string description) => new(status, description, "InstanceActionAccepted") { Location = true };
}
