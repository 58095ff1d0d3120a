using System.Text;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Core.Publishing;

/// <summary>
/// The one meaning of a subscriber's filter, applied in code by the local queue publisher and compiled to the SQL
/// filter of its Service Bus subscription. Fields are ANDed; values within a field are ORed; an empty field matches all.
/// Events carry <c>periodKind</c>, <c>areas</c> and <c>indicators</c> as application properties; lists are written
/// comma-delimited with leading and trailing commas (",430104,XJNA,") so that SQL LIKE can test membership exactly.
/// </summary>
public static class SubscriptionFilter
{
    public const string PeriodKindProperty = "periodKind";
    public const string AreasProperty = "areas";
    public const string IndicatorsProperty = "indicators";

    /// <summary>
    /// Set only on a redelivery: the one subscriber it is for. Every rule takes a message without it by its filter and
    /// a message with it only when it names that rule's subscriber (<see cref="RuleSql"/>).
    /// </summary>
    public const string RedeliverToProperty = "redeliverTo";

    /// <summary>The application property naming the event: <see cref="DatasetPublished"/> or <see cref="FeedLate"/>.</summary>
    public const string EventTypeProperty = "type";

    public const string DatasetPublished = "dataset-published";
    public const string FeedLate = "feed-late";

    /// <summary>Whether the subscriber asks for events of <paramref name="eventType"/>; without a list, data sets only.</summary>
    public static bool Wants(Subscriber subscriber, string eventType)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        return subscriber.EventTypes is { Count: > 0 } types ? types.Contains(eventType, StringComparer.Ordinal) : eventType == DatasetPublished;
    }

    /// <summary>
    /// The subscription's whole SQL filter: its data-set filter (<see cref="ToSql(SubscriberFilter)"/>) on data-set events,
    /// ORed with every other event type it asks for, so a catch-all data-set filter takes no event of another type.
    /// </summary>
    public static string ToSql(Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var alternatives = new List<string>();
        if (Wants(subscriber, DatasetPublished))
        {
            var filter = ToSql(subscriber.Filter);
            alternatives.Add($"{EventTypeProperty} = '{DatasetPublished}'" + (filter == "1=1" ? "" : " AND " + filter));
        }

        if (Wants(subscriber, FeedLate))
        {
            alternatives.Add($"{EventTypeProperty} = '{FeedLate}'");
        }

        return alternatives.Count switch
        {
            0 => "1=0",
            1 => alternatives[0],
            _ => string.Join(" OR ", alternatives.Select(a => a.Contains(" AND ", StringComparison.Ordinal) ? $"({a})" : a)),
        };
    }

    private const char LikeEscape = '!';

    public static string DelimitedList(IEnumerable<string> values) => "," + string.Join(",", values) + ",";

    public static bool Matches(SubscriberFilter filter, string periodKind, IReadOnlyCollection<string> areas, IReadOnlyCollection<string> indicatorIds)
    {
        var kinds = filter.PeriodKinds ?? [];
        var wantedAreas = filter.Areas ?? [];
        var prefixes = filter.IndicatorPrefixes ?? [];
        return (kinds.Count == 0 || kinds.Contains(periodKind, StringComparer.Ordinal))
            && (wantedAreas.Count == 0 || wantedAreas.Any(a => areas.Contains(a, StringComparer.Ordinal)))
            && (prefixes.Count == 0 || prefixes.Any(p => indicatorIds.Any(i => i.StartsWith(p, StringComparison.Ordinal))));
    }

    /// <summary>The Service Bus SQL filter with the same meaning as <see cref="Matches"/>.</summary>
    public static string ToSql(SubscriberFilter filter)
    {
        var clauses = new List<string>();
        if (filter.PeriodKinds is { Count: > 0 } kinds)
        {
            clauses.Add(AnyOf(kinds.Select(k => $"{PeriodKindProperty} = '{Quote(k)}'")));
        }

        if (filter.Areas is { Count: > 0 } areas)
        {
            clauses.Add(AnyOf(areas.Select(a => Like(AreasProperty, "%," + EscapeLike(a) + ",%"))));
        }

        if (filter.IndicatorPrefixes is { Count: > 0 } prefixes)
        {
            clauses.Add(AnyOf(prefixes.Select(p => Like(IndicatorsProperty, "%," + EscapeLike(p) + "%"))));
        }

        return clauses.Count == 0 ? "1=1" : string.Join(" AND ", clauses);
    }

    /// <summary>
    /// The whole SQL rule of a subscriber's subscription (the <c>sqlFilter</c> of the subscribers file): the events it
    /// asks for by <see cref="ToSql(Subscriber)"/> when they are ordinary announcements, and a redelivery only when
    /// addressed to it.
    /// </summary>
    public static string RuleSql(Subscriber subscriber)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        var wanted = ToSql(subscriber);
        var ordinary = wanted.Contains(" OR ", StringComparison.Ordinal) ? $"({wanted})" : wanted;
        return $"({RedeliverToProperty} IS NULL AND {ordinary}) OR {RedeliverToProperty} = '{Quote(subscriber.Name)}'";
    }

    private static string AnyOf(IEnumerable<string> alternatives)
    {
        var list = alternatives.ToArray();
        return list.Length == 1 ? list[0] : "(" + string.Join(" OR ", list) + ")";
    }

    private static string Like(string property, string pattern) => $"{property} LIKE '{Quote(pattern)}' ESCAPE '{LikeEscape}'";

    private static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    // Area codes such as PARK_MXH contain '_', a LIKE wildcard; escape it so it only matches itself.
    private static string EscapeLike(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '%' or '_' or '[' or ']' or LikeEscape)
            {
                builder.Append(LikeEscape);
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
