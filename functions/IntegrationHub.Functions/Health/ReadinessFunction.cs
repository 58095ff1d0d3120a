using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Health;

public sealed class ReadinessFunction(ReadinessProbe probe)
{
    [Function(nameof(Ready))]
    [ApiOperation(
        ApiTags.Host,
        "Readiness probe",
        "Whether the hub can serve requests now: its blob storage and its Durable task hub both "
        + "answer. Each is checked within a few seconds; the answer is never cached.")]
    [ApiAnswer(200, "Ready: every dependency answered.", Body = typeof(ReadyAnswer))]
    [ApiProblem(503, "Not ready: `dependencies` names those that could not be reached (`storage`, `task-hub`), "
        + "`dependency` the first of them.", Schema = ApiDocuments.NotReadyProblem, RetryAfter = true)]
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
