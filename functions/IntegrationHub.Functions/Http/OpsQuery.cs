using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Functions.Http;

// An ops route's query parameters, read in order; the first that cannot be read is the 400 that names it.
internal sealed class OpsQuery(IQueryCollection query)
{
    public OpsAnswer? Bad { get; private set; }

    // An optional RFC 3339 time.
    public DateTimeOffset? Time(string name)
    {
        var text = query.First(name);
        if (!TryParseTime(text, out var value))
        {
            Bad ??= BadTime(name, text);
        }

        return value;
    }

    // An optional whole number from 1 to max, the fallback when absent: "'x' is not a {noun}; use 1 to {max}."
    public int Count(string name, int fallback, int max, string title, string noun)
    {
        var value = fallback;
        if (!TryParseCount(query.First(name), max, ref value))
        {
            Bad ??= BadCount(name, query.First(name), max, title, noun);
        }

        return value;
    }

    public static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // An optional RFC 3339 time; false only for a text that is not one.
    public static bool TryParseTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var parsed = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time);
        value = parsed ? time : null;
        return parsed;
    }

    public static OpsAnswer BadTime(string parameter, string? text) =>
        OpsAnswer.BadParameter(parameter, "Invalid time", $"'{text}' is not a date-time; use RFC 3339, e.g. 2025-01-31T00:00:00Z.");

    // An optional whole number from 1 to max; none given keeps the default in value.
    public static bool TryParseCount(string? text, int max, ref int value)
    {
        if (text is not { Length: > 0 })
        {
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= 1 && value <= max;
    }

    public static OpsAnswer BadCount(string parameter, string? text, int max, string title, string noun) =>
        OpsAnswer.BadParameter(parameter, title, string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a {noun}; use 1 to {max}."));

    public static OpsAnswer BadToken() => OpsAnswer.BadParameter("continuationToken", "Invalid continuation token",
        "Pass back the continuationToken of the previous page as it was given.");
}

internal static class QueryValues
{
    // A query parameter given repeated or comma-separated, as one comma-separated text.
    public static string? Joined(this IQueryCollection query, string name) =>
        query[name].Count == 0 ? null : string.Join(',', query[name].Select(v => v ?? ""));

    public static string? First(this IQueryCollection query, string name) => query[name].FirstOrDefault();
}
