using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Datasets;

// Turns a query's answer into the HTTP response: the bytes with their caching headers, or a problem.
internal static class DatasetResponses
{
    public static IActionResult Send(HttpRequest request, DatasetAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (answer is DatasetAnswer.Refused refused)
        {
            return Problems.Create(new HubProblem(refused.Status, refused.Title) { Detail = refused.Detail, Parameter = refused.Parameter });
        }

        // Current data sets move when a new version is published; a version never does.
        var found = (DatasetAnswer.Found)answer;
        return HttpCaching.Send(request, found.Json, HttpCaching.JsonContentType, found.ETag,
            found.Immutable ? HttpCaching.ImmutableCaching : HttpCaching.RevalidateCaching);
    }
}
