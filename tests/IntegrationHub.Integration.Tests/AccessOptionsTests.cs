using IntegrationHub.Functions.Intake;

namespace IntegrationHub.Integration.Tests;

public class AccessOptionsTests
{
    private static readonly AccessOptions Options = new()
    {
        Statistics = new KeyPair { Primary = "stats-new", Secondary = "stats-old" },
        PowerGrid = new KeyPair { Primary = "grid-key" },
        Ops = new KeyPair { Primary = "ops-key" },
    };

    [Theory]
    [InlineData("stats-new", "statistics")]
    [InlineData("stats-old", "statistics")] // during rotation both keys are valid
    [InlineData("grid-key", "power-grid")]
    [InlineData("ops-key", "ops")]
    public void Identify_KnownKey_GivesItsPrincipal(string key, string principal)
    {
        Assert.Equal(principal, Options.Identify(key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("stats-ne")]
    [InlineData("STATS-NEW")]
    public void Identify_UnknownOrEmptyKey_IsNobody(string? key)
    {
        Assert.Null(Options.Identify(key));
    }

    [Fact]
    public void Identify_UnresolvedKeyVaultReference_IsNotAKey()
    {
        const string unresolved = "@Microsoft.KeyVault(VaultName=kv;SecretName=dept-transport-primary)";
        var options = new AccessOptions { Transport = new KeyPair { Primary = unresolved } };
        Assert.Null(options.Identify(unresolved));
    }

    [Fact]
    public void Identify_UnsetKeys_NeverMatchAnEmptyPresentedKey()
    {
        Assert.Null(new AccessOptions().Identify(""));
    }
}
