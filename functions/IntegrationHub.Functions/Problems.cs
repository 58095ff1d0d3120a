using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Http;
using IntegrationHub.Functions.Resilience;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions;

// RFC 7807 problem details, the one error shape of the HTTP surface.
internal static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ObjectResult Create(int status, string title, string detail) => Create(new HubProblem(status, title) { Detail = detail });

    // The problem as written: RFC 7807's members, then the record's own by their wire names.
    public static ObjectResult Create(HubProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var details = new ProblemDetails { Status = problem.Status, Title = problem.Title, Detail = problem.Detail, Type = problem.Type };
        foreach (var (name, value) in problem.Extensions())
        {
            details.Extensions[name] = value;
        }

        var result = new ObjectResult(details) { StatusCode = problem.Status };
        result.ContentTypes.Add(ContentType);
        return result;
    }

    // receipt: the signed receipt of the quarantined bytes (proof they were delivered); null: none is listed.
    public static ObjectResult Invalid(string feedId, string statusUrl, ValidationReport report, string? receipt = null)
    {
        var detail = report.ErrorsNotListed > 0
            ? $"{report.Errors.Count + report.ErrorsNotListed} violation(s), the first {report.Errors.Count} listed; the feed is quarantined with this report. "
                + "Fix them and send the feed again."
            : $"{report.Errors.Count} violation(s); the feed is quarantined with this report. Fix them and send the feed again.";
        return Create(new InvalidFeedProblem(StatusCodes.Status400BadRequest, "The feed is not valid", report.Errors)
        {
            Detail = detail, FeedId = feedId, StatusUrl = statusUrl, Warnings = report.Warnings, Receipt = receipt, ErrorsNotListed = report.ErrorsNotListed,
        });
    }

    // A feed only checked (validate): the same problem, without a status URL, as nothing was kept.
    public static ObjectResult InvalidCheck(ValidationReport report)
    {
        var violations = report.Errors.Count + report.ErrorsNotListed;
        var detail = report.ErrorsNotListed > 0
            ? $"{violations} violation(s), the first {report.Errors.Count} listed; nothing was stored. Fix them and validate or push the feed again."
            : $"{violations} violation(s); nothing was stored. Fix them and validate or push the feed again.";
        return Create(new FeedCheckProblem(StatusCodes.Status400BadRequest, "The feed is not valid", report.FeedId, report.Errors, report.Warnings)
        {
            Detail = detail, ErrorsNotListed = report.ErrorsNotListed,
        });
    }
}

/// <summary>
/// The common problem, as written and as documented (the <c>Problem</c> component). A problem with fields of its own
/// derives from it; the document shows those as the common problem plus the fields the derived record declares.
/// </summary>
[ApiSchema("Problem")]
[Description("An RFC 7807 problem: the one error shape of the API.")]
public record HubProblem(
    [property: Description("The HTTP status.")] int Status,
    [property: Description("A short summary of the problem.")] string Title)
{
    private static readonly HashSet<string> Rfc7807Members = new(StringComparer.Ordinal) { "type", "title", "status", "detail" };

    [Description("`about:blank`: the status says what kind of problem it is.")]
    public string Type { get; init; } = "about:blank";

    [Description("What went wrong and what to do about it.")]
    public string Detail { get; init; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [Description("The route or query parameter, or the request header (`Content-Type`, `Content-Encoding`), at fault, when one is.")]
    public string? Parameter { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), DependencyNames]
    [Description("A 503: what could not be reached (`audit-log`: an ops action that could not be recorded, so was not done; "
        + "`receipt-key`: a push whose receipt could not be signed; `schema-gate`: a feed schema version the evolution gate "
        + "holds; `sign-in`: the sign-in metadata, so no token could be checked).")]
    public string? Dependency { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault), Description("A 429: seconds to wait, as the `Retry-After` header says.")]
    public int RetryAfter { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("The rule the input breaks (`rule:…`), when the problem names one.")]
    public string? Rule { get; init; }

    /// <summary>The members beyond RFC 7807's, by wire name, as the serializer writes them (those it leaves out absent).</summary>
    public IReadOnlyDictionary<string, object?> Extensions()
    {
        var members = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in HubSerialization.Options.GetTypeInfo(GetType()).Properties)
        {
            var value = property.Get?.Invoke(this);
            if (!Rfc7807Members.Contains(property.Name) && property.Get is not null && (property.ShouldSerialize?.Invoke(this, value) ?? true))
            {
                members[property.Name] = value;
            }
        }

        return members;
    }

    // True for a member the common problem declares, false for one of a derived problem's own fields.
    internal static bool IsCommon(ICustomAttributeProvider? member) => (member as MemberInfo)?.DeclaringType == typeof(HubProblem);
}

/// <summary>
/// The problem of an invalid push: every violation, and (once the bytes were received) where to follow the quarantined
/// feed. A body cut short has only <see cref="Errors"/>.
/// </summary>
[Description("The problem of an invalid feed: every violation, and where to follow the quarantined feed.")]
public sealed record InvalidFeedProblem(int Status, string Title,
    [property: Description("Every violation (the first 1000).")] IReadOnlyList<ValidationIssue> Errors)
    : HubProblem(Status, Title)
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

[Description("The problem of a feed checked without being sent: every violation, as a push would report it; nothing was stored.")]
public sealed record FeedCheckProblem(
    int Status,
    string Title,
    [property: Description("The id the feed would get.")] string? FeedId,
    [property: Description("Every violation (the first 1000).")] IReadOnlyList<ValidationIssue> Errors,
    [property: Description("What is suspicious but accepted.")] IReadOnlyList<ValidationIssue> Warnings) : HubProblem(Status, Title)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault), Description("Violations beyond the first 1000, counted but not listed; absent when none.")]
    public int ErrorsNotListed { get; init; }
}

[Description("A push refused for now: by the rate limit (the common problem), or by the daily storage quota (with `usedBytes` and `day`).")]
public sealed record PushLimitProblem(int Status, string Title) : HubProblem(Status, Title)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault), Description("The quota: bytes of pushed feeds the department stored that day.")]
    public long UsedBytes { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), Description("The quota: the UTC day, `yyyy-MM-dd`.")]
    public string? Day { get; init; }
}
