using System.Text.Json.Serialization;

namespace IntegrationHub.Core.Reference;

public sealed record Area(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("nameZh")] string NameZh,
    [property: JsonPropertyName("nameEn")] string NameEn,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("parent")] string? Parent,
    [property: JsonPropertyName("overlay")] bool Overlay,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("verification")] string? Verification);

public sealed record AreasFile(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("areas")] IReadOnlyList<Area> Areas);

/// <summary>One number of the domain with the document it comes from.</summary>
public sealed record Coefficient(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("verification")] string Verification)
{
    /// <summary>The calendar year of a per-year value (c_y, s_y, residual_y); null for a fixed one.</summary>
    [JsonPropertyName("year")] public int? Year { get; init; }
}

public sealed record CoefficientsFile(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("energyAccountingMethod")] string EnergyAccountingMethod,
    [property: JsonPropertyName("coefficients")] IReadOnlyList<Coefficient> Coefficients);

/// <summary>A cheaper rule used when the target's own benchmark is absent (the carbon target without Changsha's figure).</summary>
public sealed record TargetProxy(
    [property: JsonPropertyName("comparator")] string Comparator,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("source")] string Source);

/// <summary>One plan target and how contract 2.0 judges it on annual and on quarterly data sets.</summary>
public sealed record TargetDefinition(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("descriptionZh")] string? DescriptionZh,
    [property: JsonPropertyName("indicator")] string Indicator,
    [property: JsonPropertyName("fallbackIndicator")] string? FallbackIndicator,
    [property: JsonPropertyName("comparator")] string Comparator,
    [property: JsonPropertyName("threshold")] double? Threshold,
    [property: JsonPropertyName("baseline")] string Baseline,
    [property: JsonPropertyName("binding")] bool Binding,
    [property: JsonPropertyName("annual")] string Annual,
    [property: JsonPropertyName("quarterly")] string Quarterly,
    [property: JsonPropertyName("ytdNumerator")] string? YtdNumerator,
    [property: JsonPropertyName("proxy")] TargetProxy? Proxy,
    [property: JsonPropertyName("deadline")] string Deadline,
    [property: JsonPropertyName("area")] string Area,
    [property: JsonPropertyName("source")] string? Source);

public sealed record TargetsFile(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("baseYear")] int BaseYear,
    [property: JsonPropertyName("targets")] IReadOnlyList<TargetDefinition> Targets);

public sealed record SubscriberFilter(
    [property: JsonPropertyName("periodKinds")] IReadOnlyList<string>? PeriodKinds,
    [property: JsonPropertyName("areas")] IReadOnlyList<string>? Areas,
    [property: JsonPropertyName("indicatorPrefixes")] IReadOnlyList<string>? IndicatorPrefixes);

/// <summary>A subscriber that takes the events by HTTPS push (structured CloudEvents, <c>application/cloudevents+json</c>).</summary>
public sealed record SubscriberWebhook([property: JsonPropertyName("url")] Uri Url);

/// <param name="Webhook">Set: events are POSTed there (Event Grid in Azure, the local webhook delivery locally), not queued.</param>
public sealed record Subscriber(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("filter")] SubscriberFilter Filter,
    [property: JsonPropertyName("sqlFilter")] string SqlFilter,
    [property: JsonPropertyName("webhook")] SubscriberWebhook? Webhook = null)
{
    /// <summary>The events it asks for (<c>dataset-published</c>, <c>feed-late</c>); absent: data sets only, as before there were others.</summary>
    [JsonPropertyName("eventTypes")] public IReadOnlyList<string>? EventTypes { get; init; }
}

public sealed record SubscribersFile(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("subscribers")] IReadOnlyList<Subscriber> Subscribers);

/// <summary>When one source's feed for a period of one kind is due (reference/supply schema).</summary>
public sealed record SupplyRule(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("periodKind")] string PeriodKind,
    [property: JsonPropertyName("firstPeriod")] string FirstPeriod,
    [property: JsonPropertyName("monthsAfter")] int MonthsAfter,
    [property: JsonPropertyName("day")] int Day,
    [property: JsonPropertyName("basis")] string Basis);

public sealed record SupplyFile(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("agreement")] string Agreement,
    [property: JsonPropertyName("timeZone")] string TimeZone,
    [property: JsonPropertyName("rules")] IReadOnlyList<SupplyRule> Rules);
