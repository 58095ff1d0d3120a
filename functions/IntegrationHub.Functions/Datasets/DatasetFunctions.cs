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
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> ListDatasets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets")] HttpRequest request, CancellationToken cancellationToken) =>
        DatasetResponses.Send(request, await queries.ListAsync(cancellationToken).ConfigureAwait(false));

    [Function(nameof(ListAreas))]
    [Access(AccessPolicy.Anonymous)]
    public IActionResult ListAreas([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "areas")] HttpRequest request) =>
        DatasetResponses.Send(request, queries.Areas());

    [Function(nameof(GetLatestDataset))]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> GetLatestDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/latest")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (!queries.TryParseFilter(request.Query, out var filter, out var refusal))
        {
            return DatasetResponses.Send(request, refusal);
        }

        var answer = await queries.LatestAsync(request.Query[DatasetQueries.KindParameter], filter, cancellationToken).ConfigureAwait(false);
        return DatasetResponses.Send(request, answer);
    }

    [Function(nameof(GetDataset))]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> GetDataset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/{period}")] HttpRequest request, string period, CancellationToken cancellationToken)
    {
        if (!queries.TryParseFilter(request.Query, out var filter, out var refusal))
        {
            return DatasetResponses.Send(request, refusal);
        }

        return DatasetResponses.Send(request, await queries.PeriodAsync(period, filter, cancellationToken).ConfigureAwait(false));
    }

    [Function(nameof(ListDatasetVersions))]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> ListDatasetVersions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/{period}/versions")] HttpRequest request,
            string period, CancellationToken cancellationToken) =>
        DatasetResponses.Send(request, await queries.VersionsAsync(period, cancellationToken).ConfigureAwait(false));

    [Function(nameof(GetDatasetVersion))]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> GetDatasetVersion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/{period}/versions/{n:int}")] HttpRequest request, string period, int n,
            CancellationToken cancellationToken)
    {
        if (!queries.TryParseFilter(request.Query, out var filter, out var refusal))
        {
            return DatasetResponses.Send(request, refusal);
        }

        return DatasetResponses.Send(request, await queries.VersionAsync(period, n, filter, cancellationToken).ConfigureAwait(false));
    }

    [Function(nameof(GetDatasetDiff))]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> GetDatasetDiff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/{period}/diff")] HttpRequest request,
            string period, CancellationToken cancellationToken)
    {
        var answer = await queries.DiffAsync(period, request.Query[DatasetQueries.FromParameter],
            request.Query[DatasetQueries.ToParameter], cancellationToken).ConfigureAwait(false);
        return DatasetResponses.Send(request, answer);
    }
}
