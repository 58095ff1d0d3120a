using IntegrationHub.Functions.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Health;

public sealed class HealthFunction
{
    [Function(nameof(Health))]
    public static IActionResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SecurityHeaders.ForApi(request.HttpContext.Response, keyed: false);
        return new OkObjectResult(new { status = "ok" });
    }
}
