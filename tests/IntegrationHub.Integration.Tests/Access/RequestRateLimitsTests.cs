using IntegrationHub.Functions.Access;
using IntegrationHub.Functions.Intake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IntegrationHub.Integration.Tests.Access;

/// <summary>The budgets, bound from configuration as the hub binds them (no time passes between requests here: no timing is asserted).</summary>
public sealed class RequestRateLimitsTests
{
    [Fact]
    public void TryAcquire_OverTheMinutesPermits_RefusedWithTheTimeToTheNextPermit()
    {
        using var host = new Budgets(("Access:RateLimit:PushPermitsPerMinute", "3"));

        Assert.Null(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));
        Assert.Null(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));
        Assert.Null(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));
        var retryAfter = host.Limits.TryAcquire(RateLimitedRoute.Push, "transport");

        // Three a minute: one permit comes back every 20 s.
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void TryAcquire_EachPrincipalAndRoute_HasItsOwnBudget()
    {
        using var host = new Budgets(("Access:RateLimit:PushPermitsPerMinute", "1"), ("Access:RateLimit:OpsPermitsPerMinute", "1"));

        Assert.Null(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));
        Assert.NotNull(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));
        Assert.Null(host.Limits.TryAcquire(RateLimitedRoute.Push, "environment"));
        Assert.Null(host.Limits.TryAcquire(RateLimitedRoute.Ops, "ops"));
        Assert.NotNull(host.Limits.TryAcquire(RateLimitedRoute.Ops, "ops"));
    }

    [Fact]
    public void TryAcquire_LimitRaisedInTheConfiguration_AppliesWithoutRestart_AndAKeyChangeKeepsTheBudgets()
    {
        using var host = new Budgets(("Access:RateLimit:PushPermitsPerMinute", "1"));
        Assert.Null(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));
        Assert.NotNull(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));

        // A rotated key is not a reason to hand out fresh budgets.
        host.Set("Access:Transport:Secondary", "new-key");
        Assert.NotNull(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));

        host.Set("Access:RateLimit:PushPermitsPerMinute", "5");
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));
        }

        Assert.NotNull(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void Options_LimitBelowOne_StopsTheStartWithTheSettingsName(string value)
    {
        using var host = new Budgets(("Access:RateLimit:OpsPermitsPerMinute", value));

        var refused = Assert.Throws<OptionsValidationException>(() => host.Options.CurrentValue);
        Assert.Contains("OpsPermitsPerMinute", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The Access options bound and validated as the hub registers them, over a configuration the test changes.</summary>
    private sealed class Budgets : IDisposable
    {
        private readonly IConfigurationRoot configuration;
        private readonly ServiceProvider services;

        public Budgets(params (string Name, string Value)[] settings)
        {
            configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Name, s => (string?)s.Value)).Build();
            var collection = new ServiceCollection();
            collection.AddOptions<AccessOptions>().Bind(configuration.GetSection(AccessOptions.SectionName)).ValidateDataAnnotations();
            collection.AddSingleton<RequestRateLimits>();
            services = collection.BuildServiceProvider();
        }

        public RequestRateLimits Limits => services.GetRequiredService<RequestRateLimits>();

        public IOptionsMonitor<AccessOptions> Options => services.GetRequiredService<IOptionsMonitor<AccessOptions>>();

        public void Set(string name, string value)
        {
            configuration.Providers.OfType<MemoryConfigurationProvider>().Single().Set(name, value);
            configuration.Reload();
        }

        public void Dispose() => services.Dispose();
    }
}
