using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Functions;

/// <summary>
/// The one JSON configuration of what the hub exchanges at run time: orchestration inputs, outputs and custom status
/// (the Durable data converter) and the HTTP answers of <c>ObjectResult</c>s. Both hosts call
/// <see cref="AddHubSerialization"/>, so an ops view or a script reads the same camelCase names whichever host runs
/// the app. Stored documents (blobs) keep <see cref="Core.HubJson"/>, which adds indentation only.
/// </summary>
public static class HubSerialization
{
    /// <summary>The shared options: read-only, so no caller can change them for everyone else.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>
    /// Registers the options with every serializer the app's hosts use: the Functions worker's
    /// <c>WorkerOptions.Serializer</c> (from which the Durable extension makes its data converter, for the client and the
    /// worker alike) and ASP.NET Core's MVC and minimal-result JSON options.
    /// </summary>
    public static IServiceCollection AddHubSerialization(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.Configure<WorkerOptions>(worker => worker.Serializer = new JsonObjectSerializer(Options));

        // Both hold an options instance of their own that cannot be replaced: the same settings are applied to it.
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(mvc => ApplyTo(mvc.JsonSerializerOptions));
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(http => ApplyTo(http.SerializerOptions));
        return services;
    }

    /// <summary>Writes the hub's settings into <paramref name="options"/>.</summary>
    public static void ApplyTo(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        // ASP.NET Core's web defaults, stated rather than inherited: the Functions worker's own default has no naming
        // policy, which made the Durable data PascalCase under the Functions host and camelCase under the local host.
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = null;
        options.PropertyNameCaseInsensitive = true;
        options.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.WriteIndented = false;

        // What MVC applies when no encoder is set, made explicit so the Durable data use it too: Chinese area names and
        // messages stay readable instead of \uXXXX-escaped.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions();
        ApplyTo(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
