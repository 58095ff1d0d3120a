using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace IntegrationHub.LocalHost.Tests.Support;

/// <summary>A sample feed file of local-dev/sample-feeds, its exact bytes and the envelope fields it states.</summary>
public sealed record SampleFeed(string Name, byte[] Bytes, string Source, string Period, int Revision)
{
    public static SampleFeed Load(string name)
    {
        var bytes = File.ReadAllBytes(RepoPaths.SampleFeed(name));
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        return new SampleFeed(
            name, bytes, root.GetProperty("source").GetString()!, root.GetProperty("period").GetString()!, root.GetProperty("revision").GetInt32());
    }

    /// <summary>The highest revision of a source's period: what the simulators serve when no revision is asked for.</summary>
    public static SampleFeed Latest(string source, string period)
    {
        var names = Directory.EnumerateFiles(RepoPaths.SampleFeeds, $"{source}-{period}-r*.json", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(Path.GetDirectoryName(path)) != "invalid")
            .Select(path => Path.GetFileName(path))
            .ToList();
        Assert.True(names.Count > 0, $"No sample feed of {source} {period}.");
        return Load(names.MaxBy(n => int.Parse(n[(n.LastIndexOf("-r", StringComparison.Ordinal) + 2)..^".json".Length], CultureInfo.InvariantCulture))!);
    }

    /// <summary>
    /// The id the README promises for these bytes: <c>{source}-{period}-r{revision}-{first 16 hex digits of SHA-256}</c>.
    /// A pulled feed has the same id as the file, because the simulators serve the file's exact bytes.
    /// </summary>
    public string FeedId =>
        string.Create(CultureInfo.InvariantCulture, $"{Source}-{Period}-r{Revision}-{Convert.ToHexStringLower(SHA256.HashData(Bytes))[..16]}");

    public JsonElement Json => JsonDocument.Parse(Bytes).RootElement.Clone();
}

public static class JsonElementExtensions
{
    /// <summary>
    /// A property by name, ignoring case: orchestration outputs are written by the Durable data converter, whose
    /// naming policy is not part of any contract the tests rely on.
    /// </summary>
    public static JsonElement Prop(this JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        throw new KeyNotFoundException($"No property '{name}' in {element.GetRawText()}");
    }

    /// <summary>Resolves a JSON Pointer (RFC 6901) in the document; false when it points nowhere.</summary>
    public static bool TryResolvePointer(this JsonElement root, string pointer, out JsonElement found)
    {
        found = root;
        if (pointer.Length == 0)
        {
            return true;
        }

        if (pointer[0] != '/')
        {
            return false;
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (found.ValueKind == JsonValueKind.Object && found.TryGetProperty(token, out var child))
            {
                found = child;
            }
            else if (found.ValueKind == JsonValueKind.Array && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < found.GetArrayLength())
            {
                found = found[index];
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
