using System.ComponentModel.DataAnnotations;
using IntegrationHub.Core.Feeds;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Functions.Pull;

/// <summary>How the hub pulls one department's API (settings <c>Pull__{Department}__*</c>).</summary>
public sealed class PullSourceOptions
{
    /// <summary>Base URL of the department's API; empty means the hub does not pull this department.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Path under the base URL, with <c>{period}</c> (and optionally <c>{source}</c>) filled in per pull.</summary>
    public string PathTemplate { get; set; } = "{source}/feeds/{period}";

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Sent in the <c>x-api-key</c> header (a Key Vault reference in Azure).</summary>
    public string? ApiKey { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl);
}

/// <summary>
/// The schedules of the pull timers. They are flat app settings (<c>PullCronStatistics</c>, not
/// <c>Pull__Statistics__Cron</c>) because the Functions host does not reliably resolve nested or double-underscore
/// names in trigger binding expressions. NCRONTAB with six fields (seconds first), UTC.
/// </summary>
public static class PullSchedules
{
    public const string Statistics = "PullCronStatistics";
    public const string PowerGrid = "PullCronPowerGrid";
    public const string Transport = "PullCronTransport";
    public const string Environment = "PullCronEnvironment";

    public static readonly IReadOnlyList<string> AppSettingNames = [Statistics, PowerGrid, Transport, Environment];
}

/// <summary>Pulling department APIs (settings section <c>Pull</c>).</summary>
public sealed class PullOptions
{
    public const string SectionName = "Pull";

    [ValidateObjectMembers]
    public PullSourceOptions Statistics { get; set; } = new();

    [ValidateObjectMembers]
    public PullSourceOptions PowerGrid { get; set; } = new();

    [ValidateObjectMembers]
    public PullSourceOptions Transport { get; set; } = new();

    [ValidateObjectMembers]
    public PullSourceOptions Environment { get; set; } = new();

    /// <summary>Comma-separated host names the pull may call; a base URL on any other host is refused (no request forgery through configuration).</summary>
    public string AllowedHosts { get; set; } = "";

    /// <summary>
    /// Whether a pull may go to loopback and private-network addresses (RFC 1918, CGNAT, IPv6 unique-local). Off in
    /// Azure, where department APIs are public; on for local development, whose simulators listen on 127.0.0.1.
    /// Link-local and metadata addresses stay refused either way.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Comma-separated hosts (also in <see cref="AllowedHosts"/>) that may be pulled over plain http; every other base
    /// URL needs https, except loopback (local development).
    /// </summary>
    public string AllowHttpHosts { get; set; } = "";

    /// <summary>Attempts of one fetch, the first included, under the Durable retry policy.</summary>
    [Range(1, 20)]
    public int RetryMaxAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; each next wait doubles (capped at five minutes).</summary>
    [Range(1, 3600)]
    public int RetryFirstIntervalSeconds { get; set; } = 2;

    public PullSourceOptions For(string source) => source switch
    {
        FeedSource.Statistics => Statistics,
        FeedSource.PowerGrid => PowerGrid,
        FeedSource.Transport => Transport,
        FeedSource.Environment => Environment,
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Not a feed source."),
    };

    public bool AllowsHttpHost(string host) =>
        AllowHttpHosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(host, StringComparer.OrdinalIgnoreCase);

    public bool AllowsHost(string host) =>
        AllowedHosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains(host, StringComparer.OrdinalIgnoreCase);
}
