using IntegrationHub.Functions.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Health;

public sealed class ReadinessFunction(ReadinessProbe probe)
{
    [Function(nameof(Ready))]
    public async Task<IActionResult> Ready(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ready")] HttpRequest request, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SecurityHeaders.ForApi(request.HttpContext.Response, keyed: false);
        // A probe's answer is about this moment only.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return (await probe.CheckAsync(client, cancellationToken).ConfigureAwait(false)).ToResult();
    }
}
