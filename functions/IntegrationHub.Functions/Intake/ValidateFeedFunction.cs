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
    [ApiOperation(
        ApiTags.Feeds,
        "Check a feed without sending it",
        "Judges the feed exactly as a push would (the same admission, key, budget and limits, the "
        + "same report) but stores nothing and starts nothing: no landing, no quarantine, no ledger "
        + "entry, no run. Each call is in the audit log as `validate` and counts against the "
        + "department's push budget.",
        BodySchema = ApiDocuments.Feed,
        BodyDescription = "The feed document, as for a push.")]
    [ApiAnswer(200, "Valid: the report (`valid: true`, the feed id it would get, `warnings`).", Body = typeof(Core.Validation.ValidationReport))]
    [ApiProblem(400, "Invalid: every violation (`errors`, `warnings`) with the `feedId`; nothing was stored.", Schema = ApiDocuments.FeedCheckProblem)]
    [ApiProblem(401, "No key, or a key that is nobody's.")]
    [ApiProblem(403, "A key that is not this source's (the ops key included).")]
    [ApiProblem(404, "Unknown source.")]
    [ApiProblem(413, "The body is over the intake limit (`Intake__MaxFeedBytes`).")]
    [ApiProblem(415, "A Content-Type other than `application/json` (or another charset than UTF-8), or a "
        + "Content-Encoding other than `identity`; `parameter` names the header.")]
    [ApiProblem(429, "The department has used its pushes for now (validations count too); `Retry-After` says "
        + "when to try again.", RetryAfter = true)]
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
