using IntegrationHub.Functions.Intake;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.Integration.Tests.Access;

public class AccessOptionsTests
{
    private static readonly AccessOptions Options = new()
    {
        Statistics = new KeyPair { Primary = "stats-new", Secondary = "stats-old" },
        PowerGrid = new KeyPair { Primary = "grid-key" },
        Ops = new OpsAccessOptions { Primary = "ops-key" },
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

    [Fact]
    public void Authenticate_KeyStoredAsItsHash_MatchesTheKeyAndNamesTheSlot()
    {
        var options = new AccessOptions { PowerGrid = new KeyPair { Primary = "grid-key-1", Secondary = AccessOptions.HashOf("grid-key-2") } };

        Assert.Equal(new Caller("power-grid", "primary"), options.Authenticate("grid-key-1"));
        Assert.Equal(new Caller("power-grid", "secondary"), options.Authenticate("grid-key-2"));
        Assert.Null(options.Authenticate("grid-key-3"));
    }

    [Fact]
    public void HashOf_IsSha256OfTheUtf8KeyInLowerCaseHex()
    {
        // printf %s 'abc' | sha256sum
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", AccessOptions.HashOf("abc"));
    }

    [Fact]
    public void Authenticate_UpperCaseHexOfTheHash_IsTheSameKey()
    {
        var options =
            new AccessOptions { Environment = new KeyPair { Primary = "SHA256:" + AccessOptions.HashOf("env-key")["sha256:".Length..].ToUpperInvariant() } };

        Assert.Equal("environment", options.Identify("env-key"));
    }

    [Fact]
    public void Authenticate_TheStoredHashPresentedAsAKey_IsNobodys()
    {
        // Whoever reads the settings learns the hash; presenting it gets nowhere.
        var stored = AccessOptions.HashOf("ops-key");
        var options = new AccessOptions { Ops = new OpsAccessOptions { Primary = stored } };

        Assert.Null(options.Authenticate(stored));
        Assert.Null(options.Authenticate(stored["sha256:".Length..]));
    }

    [Theory]
    [InlineData("sha256:0")]
    [InlineData("sha256:abc")]
    [InlineData("sha256:zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00")]
    public void Validate_MalformedHash_FailsNamingTheSettingButNotItsValue(string setting)
    {
        var options = new AccessOptions { Transport = new KeyPair { Primary = "fine-key", Secondary = setting } };

        var result = new AccessOptionsValidation(inAzure: false).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Access__Transport__Secondary", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(setting, result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("fine-key", result.FailureMessage, StringComparison.Ordinal);
        Assert.Null(options.Authenticate(setting));
        Assert.Equal("transport", options.Identify("fine-key"));
    }

    [Fact]
    public void Validate_PlainKeysAndWellFormedHashes_Succeed()
    {
        var options = new AccessOptions { Transport = new KeyPair { Primary = "plain", Secondary = AccessOptions.HashOf("other") } };

        Assert.True(new AccessOptionsValidation(inAzure: false).Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_OneKeyHeldByTwoPrincipals_PlainAndAsItsHash_FailsNamingBothSettingsButNotTheKey()
    {
        const string key = "a-key-two-departments-were-given";
        var options = new AccessOptions
        {
            Statistics = new KeyPair { Primary = key },
            Environment = new KeyPair { Primary = "environment-own-key", Secondary = AccessOptions.HashOf(key) },
        };

        var result = new AccessOptionsValidation(inAzure: false).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Access__Statistics__Primary and Access__Environment__Secondary hold the same key", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(key, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OnePrincipalsTwoSlotsHoldingTheSameKey_Succeeds()
    {
        // Mid-rotation a department may briefly hold one key in both slots: still its own.
        var options = new AccessOptions { Transport = new KeyPair { Primary = "transport-key", Secondary = AccessOptions.HashOf("transport-key") } };

        Assert.True(new AccessOptionsValidation(inAzure: false).Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_InAzure_APlainKeyUnder32Bytes_FailsNamingIt_32BytesAndHashesPass()
    {
        var options = new AccessOptions
        {
            Transport = new KeyPair { Primary = new string('k', 31), Secondary = new string('s', 32) },
            Ops = new OpsAccessOptions { Primary = AccessOptions.HashOf("short") },
        };

        var inAzure = new AccessOptionsValidation(inAzure: true).Validate(null, options);
        var local = new AccessOptionsValidation(inAzure: false).Validate(null, options);

        Assert.True(inAzure.Failed);
        Assert.Equal(["Access__Transport__Primary is shorter than 32 bytes; use a random key of at least 32 bytes (or its sha256: digest)."], inAzure.Failures);
        Assert.True(local.Succeeded);
    }
}
