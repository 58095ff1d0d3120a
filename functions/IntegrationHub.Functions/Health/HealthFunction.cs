using System.ComponentModel.DataAnnotations;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace IntegrationHub.Functions.Health;

public sealed class HealthFunction
{
    [Function(nameof(Health))]
    [ApiOperation(
        ApiTags.Host,
        "Health probe",
        "Liveness: answers while the app runs, without calling any dependency.")]
    [ApiAnswer(200, "`{\"status\": \"ok\"}`.", Body = typeof(HealthStatus))]
    [Access(AccessPolicy.Anonymous)]
    public static IActionResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new OkObjectResult(new HealthStatus("ok"));
    }
}

/// <summary>The liveness answer.</summary>
[ApiSchema("Health")]
public sealed record HealthStatus([property: AllowedValues("ok")] string Status);
