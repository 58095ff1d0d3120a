using System.Diagnostics;
using System.Security.Cryptography;
using IntegrationHub.LocalHost.Tests.Support;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.Faults;

/// <summary>
/// The host process asked to stop (SIGTERM): in order while its storage answers, and within its deadline when
/// storage is already gone (a script that stops Azurite at the same moment), instead of retrying storage for ever.
/// </summary>
public sealed class HostStopFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Stopped_WhileStorageAnswers_StopsInOrderAndExits0()
    {
        using var azurite = await AzuriteInstance.StartAsync();
        using var simulators = await DepartmentSimulators.StartAsync();
        using var hub = await HubProcess.StartAsync(Settings(azurite, simulators), Ports.Free());

        var clock = Stopwatch.StartNew();
        await hub.StopAsync(LocalHub.StopDeadline + TimeSpan.FromSeconds(10));

        output.WriteLine($"stopped in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(hub.ExitCode == 0, $"exit {hub.ExitCode}:{Environment.NewLine}{hub.Tail}");
        Assert.Contains("hub stopped", hub.Tail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopped_AfterStorageWentAway_LeavesWithinItsDeadline()
    {
        var azurite = await AzuriteInstance.StartAsync();
        using var simulators = await DepartmentSimulators.StartAsync();
        using var hub = await HubProcess.StartAsync(Settings(azurite, simulators), Ports.Free());
        azurite.Dispose();

        // Long enough for the backend to be retrying its partition table, which is what held a stop for ever.
        await Task.Delay(TimeSpan.FromSeconds(6));
        var clock = Stopwatch.StartNew();
        await hub.StopAsync(LocalHub.StopDeadline + TimeSpan.FromSeconds(10));

        output.WriteLine($"stopped in {clock.Elapsed.TotalSeconds:0.0} s, exit {hub.ExitCode}");
        if (hub.ExitCode == 0)
        {
            // The backend happened to be between retries: it stopped in order after all.
            Assert.Contains("hub stopped", hub.Tail, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("is storage unreachable?", hub.Tail, StringComparison.Ordinal);
        }
    }

    private static Dictionary<string, string?> Settings(AzuriteInstance azurite, DepartmentSimulators simulators) =>
        EndToEndHub.Settings(azurite, simulators, "stop" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
}
