using IntegrationHub.Core.Feeds;
using IntegrationHub.Functions.Intake;
using IntegrationHub.LocalHost.Tests.Support;
using Microsoft.Extensions.Configuration;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.LocalHost.Tests.Hosting;

/// <summary>
/// The local credentials the issue asks for hold only as long as the committed sample settings say so: the end-to-end
/// hubs set their keys themselves, so a changed sample would break <c>run.sh</c> and <c>func start</c> with nothing else
/// failing.
/// </summary>
public sealed class LocalCredentialsTests
{
    // The file the local host falls back to when no local.settings.json was made, read by the loader it uses.
    private static readonly Lazy<AccessOptions> Sample = new(() =>
        LocalSettings.Load(Path.Combine(RepoPaths.Root, "functions", "IntegrationHub.Functions", "local.settings.sample.json"), [])
            .GetSection(AccessOptions.SectionName)
            .Get<AccessOptions>() ?? new AccessOptions());

    public static TheoryData<string, string> LocalKeys => new()
    {
        { Keys.Statistics, FeedSource.Statistics },
        { Keys.PowerGrid, FeedSource.PowerGrid },
        { Keys.Transport, FeedSource.Transport },
        { Keys.Environment, FeedSource.Environment },
        { Keys.Ops, AccessOptions.OpsPrincipal },
    };

    [SampleKeysTheory]
    [MemberData(nameof(LocalKeys))]
    public void SampleSettings_LocalKey_AuthenticatesAsItsOwnPrincipal(string key, string principal)
    {
        Assert.Equal(new Caller(principal, "primary"), Sample.Value.Authenticate(key));
    }

    [SampleKeysTheory]
    [MemberData(nameof(LocalKeys))]
    public void SampleSettings_LocalKey_IsNoOtherPrincipalsKey(string key, string principal)
    {
        // Authenticate answers the first principal that matches, so a key shared with a later one would pass above.
        foreach (var (other, alone) in EachPrincipalAlone(Sample.Value).Where(p => p.Principal != principal))
        {
            Assert.True(alone.Authenticate(key) is null, $"{key} also authenticates as {other}");
        }
    }

    private static IEnumerable<(string Principal, AccessOptions Alone)> EachPrincipalAlone(AccessOptions all) =>
    [
        (FeedSource.Statistics, new AccessOptions { Statistics = all.Statistics }),
        (FeedSource.PowerGrid, new AccessOptions { PowerGrid = all.PowerGrid }),
        (FeedSource.Transport, new AccessOptions { Transport = all.Transport }),
        (FeedSource.Environment, new AccessOptions { Environment = all.Environment }),
        (AccessOptions.OpsPrincipal, new AccessOptions { Ops = all.Ops }),
    ];
}

/// <summary>
/// The local host lets environment variables win over the settings file: with an <c>Access__…</c> variable set, what
/// these tests read is no longer the committed sample, so they say so instead of judging it.
/// </summary>
public sealed class SampleKeysTheoryAttribute : TheoryAttribute
{
    public SampleKeysTheoryAttribute()
    {
        var overriding = System.Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(name => name.Replace("__", ":", StringComparison.Ordinal).Split(':') is [var section, var pair, ..]
                && section.Equals(AccessOptions.SectionName, StringComparison.OrdinalIgnoreCase)
                && !pair.Equals(nameof(AccessOptions.RateLimit), StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (overriding.Count > 0)
        {
            Skip = $"The environment overrides the sample settings' keys ({string.Join(", ", overriding)}).";
        }
    }
}
