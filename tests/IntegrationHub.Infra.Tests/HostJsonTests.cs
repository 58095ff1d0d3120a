using System.Globalization;
using System.Text.Json.Nodes;

namespace IntegrationHub.Infra.Tests;

/// <summary>
/// The repository's host.json against the limits the Durable extension checks when the Functions host starts (in
/// Azure, under func start and in the real-host suite): a value outside them stops the host before it serves anything,
/// which the local host never showed. These run where no real host is installed too.
/// </summary>
public sealed class HostJsonTests
{
    private static readonly JsonObject HostJson = Load();

    private static JsonObject StorageProvider => (JsonObject)HostJson["extensions"]!["durableTask"]!["storageProvider"]!;

    [Fact]
    public void ControlQueueVisibilityTimeout_RepositoryHostJson_WithinTheOneToSixtyMinutesTheExtensionAccepts()
    {
        var timeout = TimeSpan.Parse((string)StorageProvider["controlQueueVisibilityTimeout"]!, CultureInfo.InvariantCulture);

        Assert.InRange(timeout, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(60));
    }

    [Fact]
    public void PartitionCount_RepositoryHostJson_AllowsScaleOutWithinTheExtensionsRange()
    {
        var partitions = (int)StorageProvider["partitionCount"]!;

        // 1-16 is the extension's range; one partition would pin every orchestration to a single instance in Azure.
        Assert.InRange(partitions, 4, 16);
    }

    [Fact]
    public void TelemetryMode_RepositoryHostJson_OpenTelemetryAsTheAppEmits()
    {
        Assert.Equal("OpenTelemetry", (string?)HostJson["telemetryMode"]);
    }

    [Fact]
    public void HubName_RepositoryHostJson_ReadFromTheDurableTaskHubNameSetting()
    {
        Assert.Equal("%DurableTaskHubName%", (string?)HostJson["extensions"]!["durableTask"]!["hubName"]);
    }

    private static JsonObject Load() => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "host.json")))!;
}
