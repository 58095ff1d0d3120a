using System.Text;
using System.Text.Json;
using Azure.Core.Serialization;
using IntegrationHub.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MvcJsonOptions = Microsoft.AspNetCore.Mvc.JsonOptions;

namespace IntegrationHub.Integration.Tests.Http;

/// <summary>The app's registration gives the worker's serializer (the Durable data converter's source) and MVC's JSON
/// options the hub's one configuration.</summary>
public sealed class HubSerializationTests
{
    // A record as orchestrations use them, a nested anonymous object as custom status does, a dictionary key and Chinese text.
    private static readonly object Sample =
        new Progress("2024-Q2", 3, new { FeedId = "transport-2024-06-r0-0123456789abcdef" }, new Dictionary<string,
        int> { ["PowerGrid"] = 1 }, "岳麓区");

    [Fact]
    public void Options_AreCamelCaseCaseInsensitiveAndReadOnly()
    {
        var json = JsonSerializer.Serialize(Sample, HubSerialization.Options);

        Assert.Equal("""{"period":"2024-Q2","version":3,"detail":{"feedId":"transport-2024-06-r0-0123456789abcdef"},"counts":{"PowerGrid":1},"area":"岳麓区"}""",
            json);
        Assert.Equal("2024-Q2", JsonSerializer.Deserialize<Progress>("""{"PERIOD":"2024-Q2","Version":"3"}""", HubSerialization.Options)!.Period);
        Assert.True(HubSerialization.Options.IsReadOnly);
    }

    [Fact]
    public void AddHubSerialization_SetsWorkerSerializerToTheSharedOptions()
    {
        using var services = Registered();

        var serializer = Assert.IsType<JsonObjectSerializer>(services.GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer);

        Assert.Equal(JsonSerializer.Serialize(Sample, HubSerialization.Options),
            Encoding.UTF8.GetString(serializer.Serialize(Sample, Sample.GetType()).ToArray()));
    }

    [Fact]
    public void AddHubSerialization_SetsMvcJsonOptionsToTheSharedSettings()
    {
        using var services = Registered();

        var mvc = services.GetRequiredService<IOptions<MvcJsonOptions>>().Value.JsonSerializerOptions;

        var shared = HubSerialization.Options;
        Assert.Same(shared.PropertyNamingPolicy, mvc.PropertyNamingPolicy);
        Assert.Same(shared.Encoder, mvc.Encoder);
        Assert.Equal(
            (shared.DictionaryKeyPolicy, shared.PropertyNameCaseInsensitive, shared.NumberHandling, shared.DefaultIgnoreCondition, shared.WriteIndented),
            (mvc.DictionaryKeyPolicy, mvc.PropertyNameCaseInsensitive, mvc.NumberHandling, mvc.DefaultIgnoreCondition, mvc.WriteIndented));
        Assert.Equal(JsonSerializer.Serialize(Sample, shared), JsonSerializer.Serialize(Sample, mvc));
    }

    private static ServiceProvider Registered() => new ServiceCollection().AddHubSerialization().BuildServiceProvider();

    private sealed record Progress(string Period, int Version, object? Detail = null, IReadOnlyDictionary<string, int>? Counts = null, string? Area = null);
}
