using System.Text.Json;

namespace IntegrationHub.LocalHost;

/// <summary>
/// Settings as <c>func start</c> reads them: the <c>Values</c> of local.settings.json (names with <c>__</c>
/// between sections), then environment variables, then the command line.
/// </summary>
public static class LocalSettings
{
    public static IConfiguration Load(string settingsFile, string[] args)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(settingsFile))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(settingsFile));
            if (document.RootElement.TryGetProperty("Values", out var entries))
            {
                foreach (var entry in entries.EnumerateObject())
                {
                    values[entry.Name.Replace("__", ":", StringComparison.Ordinal)] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString() : entry.Value.GetRawText();
                }
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).AddEnvironmentVariables().AddCommandLine(args).Build();
    }
}
