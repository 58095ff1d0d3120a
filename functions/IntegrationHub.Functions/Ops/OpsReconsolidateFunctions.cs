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
    [ApiOperation(
        ApiTags.Ops,
        "Consolidate every stored period again",
        "After an upgrade that changes the methodology (data set 1.0 to 2.0) or the reference "
        + "values: starts the consolidation of every period that has a data set. A period whose "
        + "current version is of another methodology or coefficient set gets a new version, built "
        + "from the same feeds, whose diff says `methodologyChanged: true`; earlier versions stay "
        + "readable; a period already current gets none. Each period's start is in the audit log. "
        + "Safe to call again.")]
    [ApiAnswer(202, "The runs started, one per stored period; `Location` lists the consolidation instances.", Body = typeof(ReconsolidationReport), Location = true)]
    [Access(AccessPolicy.Ops)]
    public Task<IActionResult> Reconsolidate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/reconsolidate")] HttpRequest request,
        [DurableClient] DurableTaskClient client, CancellationToken cancellationToken) =>
        OpsCall.RunAsync(request, actor => reconsolidation.StartAllAsync(client, actor, cancellationToken));
}
