using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Functions.Pull;

/// <summary>The department URL of one pull, checked against the allowed hosts (and, when it is an address, against <see cref="PullTargets"/>).</summary>
public static class PullUrl
{
    public static Uri Build(PullOptions options, string source, string period)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Period.TryParse(period, out _))
        {
            throw new PullRefusedException($"'{period}' is not a period (YYYY, YYYY-Qn or YYYY-MM).");
        }

        var settings = options.For(source);
        if (!settings.IsConfigured || !Uri.TryCreate(settings.BaseUrl, UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new PullRefusedException($"Pulling {source} is not configured: set Pull__{SettingName(source)}__BaseUrl to the department API's "
                + $"http(s) base URL.");
        }

        if (!options.AllowsHost(baseUrl.Host))
        {
            throw new PullRefusedException($"Host '{baseUrl.Host}' of the {source} pull is not in Pull__AllowedHosts.");
        }

        // A literal address is judged now; a host name when the pull connects, on the address it resolves to then.
        if (System.Net.IPAddress.TryParse(baseUrl.Host.Trim('[', ']'), out var address) && PullTargets.Refusal(options, baseUrl.Host, address) is { } refusal)
        {
            throw new PullRefusedException(refusal);
        }

        // Plain http carries the department's key and the feed readable on the way: only to this machine, or to a
        // private host named in Pull__AllowHttpHosts (a department API inside the app's own network).
        if (baseUrl.Scheme == "http" && !IsLoopback(baseUrl) && !options.AllowsHttpHost(baseUrl.Host))
        {
            throw new PullRefusedException($"The {source} pull must use https: '{baseUrl.Host}' is neither loopback nor in Pull__AllowHttpHosts.");
        }

        var path = settings.PathTemplate
            .Replace("{source}", Uri.EscapeDataString(source), StringComparison.Ordinal)
            .Replace("{period}", Uri.EscapeDataString(period), StringComparison.Ordinal)
            .TrimStart('/');
        var url = new Uri(new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/"), path);
        if (!string.Equals(url.Host, baseUrl.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw new PullRefusedException($"The {source} path template leads off the configured host.");
        }

        return url;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (System.Net.IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    public static string SettingName(string source) => source switch
    {
        FeedSource.Statistics => nameof(PullOptions.Statistics),
        FeedSource.PowerGrid => nameof(PullOptions.PowerGrid),
        FeedSource.Transport => nameof(PullOptions.Transport),
        FeedSource.Environment => nameof(PullOptions.Environment),
        _ => source,
    };
}
