using System.Net;
using System.Net.Sockets;

namespace IntegrationHub.TestSupport;

/// <summary>
/// Files of the repository the tests (and the benchmarks) read: the root is the folder above the binaries that holds
/// IntegrationHub.sln, found once here for every project.
/// </summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string SampleFeeds => Path.Combine(Root, "local-dev", "sample-feeds");

    public static string ReferenceData => Path.Combine(Root, "functions", "IntegrationHub.Core", "ReferenceData");

    public static string Schemas => Path.Combine(Root, "schemas");

    public static string Templates => Path.Combine(Root, "templates");

    /// <summary>A sample feed by file name, e.g. <c>statistics-2024-Q4-r1.json</c> (searched in every year folder) or <c>invalid/…</c>.</summary>
    public static string SampleFeed(string name)
    {
        var direct = Path.Combine(SampleFeeds, name);
        if (File.Exists(direct))
        {
            return direct;
        }

        return Directory.EnumerateFiles(SampleFeeds, name, SearchOption.AllDirectories).SingleOrDefault()
            ?? throw new FileNotFoundException($"No sample feed named {name} under local-dev/sample-feeds.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationHub.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root above the test binaries.");
    }
}

public static class Ports
{
    public static int Free() => Free(1)[0];

    // Each listener stays open until all are chosen: one released before the next is asked for can be handed out again,
    // which once gave Azurite's blob and queue services the same port.
    public static int[] Free(int count)
    {
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
