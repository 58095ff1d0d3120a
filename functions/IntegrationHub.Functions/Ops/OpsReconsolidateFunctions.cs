using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace IntegrationHub.Functions.Ops;

/// <summary>Ops move every stored period to this build's methodology after an upgrade (audited per period).</summary>
public sealed class OpsReconsolidateFunctions(Reconsolidation reconsolidation)
{
    [Function(nameof(Reconsolidate))]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> Reconsolidate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/reconsolidate")] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => reconsolidation.StartAllAsync(client, actor, cancellationToken));
}
