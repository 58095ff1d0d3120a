using System.Reflection;

namespace IntegrationHub.Core.Reference;

// Schemas and reference data are compiled into this assembly, so every host reads the same bytes.
internal static class EmbeddedFiles
{
    private static readonly Assembly Assembly = typeof(EmbeddedFiles).Assembly;

    public static IEnumerable<string> Names(string prefix) =>
        Assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    public static byte[] Read(string name)
    {
        using var stream = Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded file '{name}' is missing from {Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
