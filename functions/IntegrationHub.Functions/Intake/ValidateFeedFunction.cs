using IntegrationHub.Core.Parsing;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Intake;

/// <summary>
/// A department checks a feed against the running hub before pushing it, with nothing but curl: the same admission as a
/// push (source, key, budget, pushes in progress, media type, size), the same judgement and the same report, but nothing
/// is landed, recorded or started. The audit line says <c>validate</c>.
/// </summary>
public sealed class ValidateFeedFunction(FeedValidator validator, IOptions<IntakeLimits> limits)
{
    [Function(nameof(ValidateFeed))]
    [Access(AccessPolicy.OwnSource, AuditAction = AccessGate.ValidateAction)]
    public async Task<IActionResult> ValidateFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "feeds/{source}/validate")] HttpRequest request,
            string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (body, refusal) = await PushedBody.ReadAsync(request, limits.Value.MaxFeedBytes, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        var report = validator.Validate(body, source).Report;
        request.Admitted().FeedId = report.FeedId;
        return report.Valid ? new OkObjectResult(report) : Problems.InvalidCheck(report);
    }
}
