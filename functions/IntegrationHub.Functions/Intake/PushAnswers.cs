using System.ComponentModel;
using IntegrationHub.Core.Validation;
using IntegrationHub.Functions.Http;

namespace IntegrationHub.Functions.Intake;

/// <summary>The 202 of a push: a new valid feed, whose processing has started.</summary>
[Description("A new valid feed: processing has started.")]
public sealed record FeedAccepted(
    string FeedId,
    [property: Description("The status URL, `/api/feeds/{source}/{feedId}`.")] string Status,
    IReadOnlyList<ValidationIssue> Warnings,
    [property: ApiRef(ApiDocuments.Receipt)] string? Receipt);

/// <summary>The 200 of a push of bytes received before: nothing new starts.</summary>
[Description("These exact bytes were received before.")]
public sealed record FeedDuplicate(
    string FeedId,
    [property: Description("The status URL.")] string Status,
    [property: Description("Always true.")] bool Duplicate,
    [property: ApiRef(ApiDocuments.Receipt)] string? Receipt);
