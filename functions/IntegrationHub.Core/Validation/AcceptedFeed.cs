using System.Text.Json;
using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Core.Validation;

/// <summary>A feed that passed its schema and every domain rule; <see cref="Root"/> is a detached copy of the document.</summary>
public sealed record AcceptedFeed(
    string FeedId,
    string Source,
    Period Period,
    int Revision,
    string SchemaVersion,
    DateTimeOffset ProducedAt,
    string Producer,
    string ContentHash,
    JsonElement Root);

/// <summary>The report always; the feed only when it is accepted.</summary>
public sealed record FeedCheck(ValidationReport Report, AcceptedFeed? Feed);
