using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.Functions.Http;

/// <summary>
/// A route kept for existing clients after its successor exists: its answers say so with <c>Deprecation</c>
/// (RFC 9745, a structured-field date), <c>Sunset</c> (RFC 8594, an HTTP-date) and a <c>Link</c> to the successor.
/// </summary>
public sealed record RouteDeprecation(DateTimeOffset Since, DateTimeOffset Sunset)
{
    public const string DeprecationHeader = "Deprecation";
    public const string SunsetHeader = "Sunset";

    /// <summary><c>@</c> and the Unix seconds of <see cref="Since"/>, as RFC 9745's structured-field date.</summary>
    public string DeprecationValue => "@" + Since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>The IMF-fixdate form of <see cref="Sunset"/> (RFC 9110 section 5.6.7).</summary>
    public string SunsetValue => Sunset.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    /// <summary>The <c>Link</c> value naming the route to use instead (RFC 5829's <c>successor-version</c>).</summary>
    public static string SuccessorLink(string url) => $"<{url}>; rel=\"successor-version\"";

    /// <summary>Marks the answer; <paramref name="successorUrl"/> is null when the request names nothing with a successor.</summary>
    public void Apply(HttpResponse response, string? successorUrl)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers[DeprecationHeader] = DeprecationValue;
        response.Headers[SunsetHeader] = SunsetValue;
        if (successorUrl is not null)
        {
            response.Headers.Link = SuccessorLink(successorUrl);
        }
    }
}
