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

    [Fact]
    public void TryAcquire_ADepartmentBursting_GetsItsBurstAtOnce_ThenOnePermitPerHalfSecondAt120AMinute()
    {
        using var host = new Budgets(("Access:RateLimit:PushPermitsPerMinute", "120"), ("Access:RateLimit:PushBurst", "5"));

        for (var i = 0; i < 5; i++)
        {
            Assert.Null(host.Limits.TryAcquire(RateLimitedRoute.Push, "transport"));
        }

        // The sixth at once is refused, told to come back when the next permit is due: 60 s / 120 = 0.5 s at most.
        var retryAfter = host.Limits.TryAcquire(RateLimitedRoute.Push, "transport");
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.Zero, TimeSpan.FromSeconds(0.5));
        Assert.Null(host.Limits.TryAcquire(RateLimitedRoute.Push, "environment"));
    }

    [Fact]
    public void TryAcquire_DefaultBurst_IsEightPushes()
    {
        using var host = new Budgets();

        var granted = Enumerable.Range(0, 20).Count(_ => host.Limits.TryAcquire(RateLimitedRoute.Push, "power-grid") is null);

        Assert.Equal(8, granted);
    }

    [Fact]
    public void TryEnterPush_OverTheDepartmentsPushesInProgress_Refused_UntilOneIsAnswered_OtherDepartmentsUnaffected()
    {
        using var host = new Budgets(("Access:RateLimit:MaxConcurrentPushes", "2"));

        var first = host.Limits.TryEnterPush("transport");
        using var second = host.Limits.TryEnterPush("transport");
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(host.Limits.TryEnterPush("transport"));
        using (var other = host.Limits.TryEnterPush("statistics"))
        {
            Assert.NotNull(other);
        }

        // Answered (twice disposed counts once): one place free again, and only one.
        first.Dispose();
        first.Dispose();
        using var third = host.Limits.TryEnterPush("transport");
        Assert.NotNull(third);
        Assert.Null(host.Limits.TryEnterPush("transport"));
    }

    [Fact]
    public void TryEnterPush_LimitLoweredWhilePushesAreInProgress_AppliesAtOnce_AndTheirPlacesComeBack()
    {
        using var host = new Budgets(("Access:RateLimit:MaxConcurrentPushes", "3"));
        var held = new[] { host.Limits.TryEnterPush("transport"), host.Limits.TryEnterPush("transport") };

        host.Set("Access:RateLimit:MaxConcurrentPushes", "1");
        Assert.Null(host.Limits.TryEnterPush("transport"));
        foreach (var place in held)
        {
            place!.Dispose();
        }

        using var after = host.Limits.TryEnterPush("transport");
        Assert.NotNull(after);
        Assert.Null(host.Limits.TryEnterPush("transport"));
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
