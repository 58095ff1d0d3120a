using IntegrationHub.Core.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions;

/// <summary>RFC 7807 problem details, the one error shape of the HTTP surface.</summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ObjectResult Create(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = "about:blank" };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        var result = new ObjectResult(problem) { StatusCode = status };
        result.ContentTypes.Add(ContentType);
        return result;
    }

    /// <param name="receipt">The signed receipt of the quarantined bytes (proof they were delivered); null: none is listed.</param>
    public static ObjectResult Invalid(string feedId, string statusUrl, ValidationReport report, string? receipt = null)
    {
        var extensions = new Dictionary<string, object?> { ["feedId"] = feedId, ["statusUrl"] = statusUrl,
            ["errors"] = report.Errors, ["warnings"] = report.Warnings };
        if (receipt is not null)
        {
            extensions["receipt"] = receipt;
        }

        var detail = $"{report.Errors.Count} violation(s); the feed is quarantined with this report. Fix them and send the feed again.";
        if (report.ErrorsNotListed > 0)
        {
            extensions["errorsNotListed"] = report.ErrorsNotListed;
            detail = $"{report.Errors.Count + report.ErrorsNotListed} violation(s), the first {report.Errors.Count} listed; the feed is quarantined "
                + $"with this report. Fix them and send the feed again.";
        }

        return Create(StatusCodes.Status400BadRequest, "The feed is not valid", detail, extensions);
    }

    /// <summary>
    /// A push's report on a feed only checked (<c>validate</c>): the same problem, without a status URL, as nothing was kept.
    /// </summary>
    public static ObjectResult InvalidCheck(ValidationReport report)
    {
        var extensions = new Dictionary<string, object?> { ["feedId"] = report.FeedId, ["errors"] = report.Errors, ["warnings"] = report.Warnings };
        var violations = report.Errors.Count + report.ErrorsNotListed;
        var detail = $"{violations} violation(s); nothing was stored. Fix them and validate or push the feed again.";
        if (report.ErrorsNotListed > 0)
        {
            extensions["errorsNotListed"] = report.ErrorsNotListed;
            detail = $"{violations} violation(s), the first {report.Errors.Count} listed; nothing was stored. Fix them and validate or push the feed again.";
        }

        return Create(StatusCodes.Status400BadRequest, "The feed is not valid", detail, extensions);
    }
}
