using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Http;
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

    /// <summary>A problem whose fields beyond the common ones are a record's, written as the answers are.</summary>
    public static ObjectResult CreateWith<TFields>(int status, string title, string detail, TFields fields)
        where TFields : class
    {
        var written = JsonSerializer.SerializeToElement(fields, HubSerialization.Options);
        return Create(status, title, detail, written.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value, StringComparer.Ordinal));
    }

    /// <param name="receipt">The signed receipt of the quarantined bytes (proof they were delivered); null: none is listed.</param>
    public static ObjectResult Invalid(string feedId, string statusUrl, ValidationReport report, string? receipt = null)
    {
        var fields = new InvalidFeedFields(report.Errors)
        {
            FeedId = feedId, StatusUrl = statusUrl, Warnings = report.Warnings, Receipt = receipt, ErrorsNotListed = report.ErrorsNotListed,
        };
        var detail = report.ErrorsNotListed > 0
            ? $"{report.Errors.Count + report.ErrorsNotListed} violation(s), the first {report.Errors.Count} listed; the feed is quarantined with this report. Fix them and send the feed again."
            : $"{report.Errors.Count} violation(s); the feed is quarantined with this report. Fix them and send the feed again.";
        return CreateWith(StatusCodes.Status400BadRequest, "The feed is not valid", detail, fields);
    }

    /// <summary>
    /// A push's report on a feed only checked (<c>validate</c>): the same problem, without a status URL, as nothing was kept.
    /// </summary>
    public static ObjectResult InvalidCheck(ValidationReport report)
    {
        var fields = new FeedCheckFields(report.FeedId, report.Errors, report.Warnings) { ErrorsNotListed = report.ErrorsNotListed };
        var violations = report.Errors.Count + report.ErrorsNotListed;
        var detail = report.ErrorsNotListed > 0
            ? $"{violations} violation(s), the first {report.Errors.Count} listed; nothing was stored. Fix them and validate or push the feed again."
            : $"{violations} violation(s); nothing was stored. Fix them and validate or push the feed again.";
        return CreateWith(StatusCodes.Status400BadRequest, "The feed is not valid", detail, fields);
    }
}

/// <summary>
/// What the problem of an invalid push adds: every violation, and (once the bytes were received) where to follow the
/// quarantined feed. A body cut short has only <see cref="Errors"/>.
/// </summary>
[Description("The problem of an invalid feed: every violation, and where to follow the quarantined feed.")]
public sealed record InvalidFeedFields([property: Description("Every violation (the first 1000).")] IReadOnlyList<ValidationIssue> Errors)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FeedId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("`/api/feeds/{source}/{feedId}`.")]
    public string? StatusUrl { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("What is suspicious but accepted.")]
    public IReadOnlyList<ValidationIssue>? Warnings { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), ApiRef(ApiDocuments.Receipt)]
    public string? Receipt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault), Description("Violations beyond the first 1000, counted but not listed; absent when none.")]
    public int ErrorsNotListed { get; init; }
}

/// <summary>What the problem of a feed only checked adds: every violation, as a push would report it.</summary>
[Description("The problem of a feed checked without being sent: every violation, as a push would report it; nothing was stored.")]
public sealed record FeedCheckFields(
    [property: Description("The id the feed would get.")] string? FeedId,
    [property: Description("Every violation (the first 1000).")] IReadOnlyList<ValidationIssue> Errors,
    [property: Description("What is suspicious but accepted.")] IReadOnlyList<ValidationIssue> Warnings)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault), Description("Violations beyond the first 1000, counted but not listed; absent when none.")]
    public int ErrorsNotListed { get; init; }
}
