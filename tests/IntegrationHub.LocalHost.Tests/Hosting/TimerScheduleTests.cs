using IntegrationHub.LocalHost;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.LocalHost.Tests.Hosting;

public sealed class TimerScheduleTests
{
    [Fact]
    public void ResolveSchedule_SettingName_ReadsTheSettingFromConfiguration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PullCronStatistics"] = "0 15 3 * * *" }).Build();

        Assert.Equal("0 15 3 * * *", TimerFunctionService.ResolveSchedule("%PullCronStatistics%", configuration));
    }

    [Fact]
    public void ResolveSchedule_MissingSetting_IsNullSoTheTimerIsDisabledRatherThanGuessed()
    {
        var configuration = new ConfigurationBuilder().Build();

        Assert.Null(TimerFunctionService.ResolveSchedule("%PullCronTransport%", configuration));
    }

    [Fact]
    public void ResolveSchedule_LiteralExpression_IsUsedAsItIs()
    {
        Assert.Equal("*/5 * * * * *", TimerFunctionService.ResolveSchedule("*/5 * * * * *", new ConfigurationBuilder().Build()));
    }

    [Fact]
    public void Parse_SixFieldExpression_HasSecondsFirstAsInTheFunctionsHost()
    {
        // "0 0 2 * * *" is 02:00:00 every day in NCRONTAB's six-field form.
        var schedule = TimerFunctionService.Parse("0 0 2 * * *");

        Assert.Equal(new DateTime(2026, 11, 26, 2, 0, 0), schedule.GetNextOccurrence(new DateTime(2026, 11, 25, 14, 0, 0)));
    }

    [Fact]
    public void Parse_FiveFieldExpression_IsMinutesFirst()
    {
        var schedule = TimerFunctionService.Parse("30 2 * * *");

        Assert.Equal(new DateTime(2026, 11, 26, 2, 30, 0), schedule.GetNextOccurrence(new DateTime(2026, 11, 25, 14, 0, 0)));
    }
}
