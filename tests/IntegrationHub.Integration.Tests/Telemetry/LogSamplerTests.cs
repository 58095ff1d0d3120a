using IntegrationHub.Functions.Telemetry;

namespace IntegrationHub.Integration.Tests.Telemetry;

public sealed class LogSamplerTests
{
    [Fact]
    public void TryTake_AFloodInOneMinute_LogsTheFirstTen_TheNextMinutesFirstLineCountsTheRest()
    {
        var clock = new StepClock(new DateTimeOffset(2025, 3, 1, 8, 0, 5, TimeSpan.Zero));
        var sampler = new LogSampler(10, clock);

        var taken = Enumerable.Range(0, 10_000).Count(i => sampler.TryTake(out _));
        Assert.Equal(10, taken);

        // Still the same minute at 08:00:59: nothing more.
        clock.Now = clock.Now.AddSeconds(54);
        Assert.False(sampler.TryTake(out _));

        clock.Now = clock.Now.AddSeconds(1);
        Assert.True(sampler.TryTake(out var leftOut));
        Assert.Equal(9_991, leftOut);
        Assert.True(sampler.TryTake(out leftOut));
        Assert.Equal(0, leftOut);
    }

    private sealed class StepClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
