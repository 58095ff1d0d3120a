using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Datasets;

/// <summary>
/// The dashboards' query API over published data sets. Every read is anonymous on purpose: the data sets are
/// published data, and the dashboards run in browsers, which cannot keep a secret anyway. Responses carry a strong
/// <c>ETag</c> of their exact bytes and answer <c>If-None-Match</c> with 304; versions and diffs never change and
/// are cacheable for a year, the current-data-set reads must be revalidated (<c>no-cache</c>).
/// </summary>
public sealed class DatasetFunctions(DatasetQueries queries)
{
    [Function(nameof(ListDatasets))]
    [ApiOperation(
        ApiTags.Datasets,
        "List the published data sets",
        "Every period with a published data set, in period order, with its latest version and that "
        + "version's immutable URL.",
        Conditional = true)]
    [ApiAnswer(200, "The periods, in period order (`Cache-Control: no-cache`).", Body = typeof(PublishedPeriod[]))]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> ListDatasets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets")] HttpRequest request, CancellationToken cancellationToken) =>
        DatasetResponses.Send(request, await queries.ListAsync(cancellationToken).ConfigureAwait(false));

    [Function(nameof(ListAreas))]
    [ApiOperation(
        ApiTags.Datasets,
        "The areas and their names",
        "Every area a data set can hold, from the hub's reference data: its code (a data set's "
        + "`areaCode`), Chinese and English names, kind and parent; overlay parks last. Fixed for a "
        + "deployment.",
        Conditional = true)]
    [ApiAnswer(200, "The areas, the New Area first (`Cache-Control: no-cache`).", Body = typeof(AreaDirectory))]
    [Access(AccessPolicy.Anonymous)]
    public IActionResult ListAreas([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "areas")] HttpRequest request) =>
        DatasetResponses.Send(request, queries.Areas());

    [Function(nameof(GetLatestDataset))]
    [ApiOperation(
        ApiTags.Datasets,
        "The latest data set",
        "The current version of the period that ends last; a year wins over its fourth quarter. "
        + "`kind` narrows the choice to quarters or years.",
        Conditional = true)]
    [ApiQuery("kind", "Only periods of this kind.", Values = new[] { "quarter", "year" })]
    [ApiDatasetFilter]
    [ApiAnswer(200, "The data set (`dual-carbon-dataset` 2.0), filtered when asked (`Cache-Control: no-cache`).", Body = typeof(Core.Datasets.DatasetDocument))]
    [ApiProblem(400, "An unknown `kind`, `area` or `indicator`; `parameter` names it.")]
    [ApiProblem(404, "No data set (of that kind) has been published yet.")]
    [Access(AccessPolicy.Anonymous)]
    public Task<IActionResult> GetLatestDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/latest")] HttpRequest request, CancellationToken cancellationToken) =>
        FilteredAsync(request, filter => queries.LatestAsync(request.Query[DatasetQueries.KindParameter], filter, cancellationToken));

    [Function(nameof(GetDataset))]
    [ApiOperation(
        ApiTags.Datasets,
        "A period's current data set",
        "The current version of the period. A filtered document keeps the data set's shape; "
        + "`status`, `missing` and `inputs` stay those of the whole data set.",
        Conditional = true)]
    [ApiDatasetFilter]
    [ApiAnswer(200, "The data set (`Cache-Control: no-cache`).", Body = typeof(Core.Datasets.DatasetDocument))]
    [ApiProblem(400, "Not a period, or an unknown `area` or `indicator`; `parameter` names it.")]
    [ApiProblem(404, "No data set has been published for the period.")]
    [Access(AccessPolicy.Anonymous)]
    public Task<IActionResult> GetDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/{period}")] HttpRequest request, string period,
        CancellationToken cancellationToken) =>
        FilteredAsync(request, filter => queries.PeriodAsync(period, filter, cancellationToken));

    [Function(nameof(ListDatasetVersions))]
    [ApiOperation(
        ApiTags.Datasets,
        "A period's published versions",
        "The versions the period's latest pointer has reached, ascending.",
        Conditional = true)]
    [ApiAnswer(200, "The versions (`Cache-Control: no-cache`).", Body = typeof(PublishedVersions))]
    [ApiProblem(400, "Not a period.")]
    [ApiProblem(404, "No data set has been published for the period.")]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> ListDatasetVersions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/{period}/versions")] HttpRequest request,
            string period, CancellationToken cancellationToken) =>
        DatasetResponses.Send(request, await queries.VersionsAsync(period, cancellationToken).ConfigureAwait(false));

    [Function(nameof(GetDatasetVersion))]
    [ApiOperation(
        ApiTags.Datasets,
        "One version of a data set",
        "A published version, byte for byte as stored when unfiltered. Versions never change "
        + "(`Cache-Control: public, max-age=31536000, immutable`).",
        Conditional = true)]
    [ApiDatasetFilter]
    [ApiAnswer(200, "The version.", Body = typeof(Core.Datasets.DatasetDocument))]
    [ApiProblem(400, "Not a period, a version below 1, or an unknown `area` or `indicator`.")]
    [ApiProblem(404, "No such published version, or no data set for the period.")]
    [Access(AccessPolicy.Anonymous)]
    public Task<IActionResult> GetDatasetVersion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/{period}/versions/{n:int}")] HttpRequest request, string period, int n,
            CancellationToken cancellationToken) =>
        FilteredAsync(request, filter => queries.VersionAsync(period, n, filter, cancellationToken));

    [Function(nameof(GetDatasetDiff))]
    [ApiOperation(
        ApiTags.Datasets,
        "What changed between two versions",
        "The indicators whose values differ (`old` from `from`, `new` from `to`; `from` may be the "
        + "later version) and the feeds `to` uses that `from` does not. Immutable, as both versions "
        + "are.",
        Conditional = true)]
    [ApiQuery("from", "The version to compare from (a positive integer).", Type = ApiType.Integer, Required = true)]
    [ApiQuery("to", "The version to compare to (a positive integer, not `from`).", Type = ApiType.Integer, Required = true)]
    [ApiAnswer(200, "The differences.", Body = typeof(VersionComparison))]
    [ApiProblem(400, "Not a period, or `from`/`to` missing, not positive integers, or equal.")]
    [ApiProblem(404, "No data set for the period, or either version is not published.")]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> GetDatasetDiff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/{period}/diff")] HttpRequest request,
            string period, CancellationToken cancellationToken)
    {
        var answer = await queries.DiffAsync(period, request.Query[DatasetQueries.FromParameter],
            request.Query[DatasetQueries.ToParameter], cancellationToken).ConfigureAwait(false);
        return DatasetResponses.Send(request, answer);
    }

    // The area/indicator filter of the reads that take one: a bad one is the 400, before any read.
    private async Task<IActionResult> FilteredAsync(HttpRequest request, Func<DatasetFilter, Task<DatasetAnswer>> read) =>
        DatasetResponses.Send(request, queries.TryParseFilter(request.Query, out var filter, out var refusal)
            ? await read(filter).ConfigureAwait(false)
            : refusal);
}

/// <summary>The <c>area</c> and <c>indicator</c> parameters of a filterable data-set read, documented once.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class ApiDatasetFilterAttribute : ApiStackAttribute
{
    public override IReadOnlyList<Attribute> Parts { get; } =
    [
        new ApiQueryAttribute(DatasetFilter.AreaParameter, "Area codes to keep (repeated or comma-separated); an unknown code is a 400.")
        {
            Type = ApiType.StringList,
        },
        new ApiQueryAttribute(DatasetFilter.IndicatorParameter, "Indicator ids to keep, or prefixes ending in `.` such as `carbon.` (repeated or "
            + "comma-separated); an unknown one is a 400.") { Type = ApiType.StringList },
    ];
}
