namespace IntegrationHub.Cli;

internal static class FeedFiles
{
    // Files as given, folders as every *.json below them (expected-error files of the samples excluded), in a stable
    // order.
    public static List<string> Expand(IEnumerable<FileSystemInfo> inputs, out List<string> notFound)
    {
        notFound = [];
        var paths = new List<string>();
        foreach (var input in inputs)
        {
            if (File.Exists(input.FullName))
            {
                paths.Add(input.FullName);
            }
            else if (Directory.Exists(input.FullName))
            {
                paths.AddRange(Directory.EnumerateFiles(input.FullName, "*.json", SearchOption.AllDirectories)
                    .Where(p => !p.EndsWith(".expected.json", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                notFound.Add(input.ToString());
            }
        }

        return paths;
    }
}
