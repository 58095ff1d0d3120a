using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Health;

public sealed class ReadinessFunction(ReadinessProbe probe)
{
    [Function(nameof(Ready))]
    [Access(AccessPolicy.Anonymous)]
    public async Task<IActionResult> Ready(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "ready")] HttpRequest request,
            [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A probe's answer is about this moment only.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return (await probe.CheckAsync(client, cancellationToken).ConfigureAwait(false)).ToResult();
    }
}
