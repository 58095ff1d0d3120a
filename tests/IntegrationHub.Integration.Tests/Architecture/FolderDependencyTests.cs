using System.Text.RegularExpressions;

namespace IntegrationHub.Integration.Tests.Architecture;

/// <summary>
/// The app's folders, read from their <c>using IntegrationHub.Functions.X</c> lines, import each other in one direction
/// only: flows use the shared plumbing (Access, Http, Storage, Durable, Telemetry, …), never the reverse.
/// </summary>
public sealed partial class FolderDependencyTests
{
    [Fact]
    public void AppFolders_UsingLines_CloseNoImportCycle()
    {
        var cycleEdges = CycleEdges(FolderGraph()).Order(StringComparer.Ordinal).ToList();

        Assert.True(cycleEdges.Count == 0, "Imports between the app's folders that close a cycle: " + string.Join("; ", cycleEdges));
    }

    [Fact]
    public void AuditFolder_UsingLines_ImportOnlyStorageAndResilience()
    {
        // Access and Http write the audit log, so Audit/ may import neither them nor any flow.
        var graph = FolderGraph();

        Assert.True(graph.ContainsKey("Audit"), "the audit log's folder, Audit/, imports nothing: is it there?");
        Assert.Equal(["Resilience", "Storage"], graph["Audit"].Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CycleEdges_TwoFoldersImportingEachOther_AreFoundAndALineOfImportsIsNot()
    {
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal)
        {
            ["A"] = ["B"], ["B"] = ["A", "C"], ["C"] = ["D"],
        };

        Assert.Equal(["A -> B", "B -> A"], CycleEdges(graph).Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, HashSet<string>> FolderGraph()
    {
        var app = Path.Combine(RepoPaths.Root, "functions", "IntegrationHub.Functions");
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(app, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(app, file).Replace('\\', '/');
            var folder = relative.Split('/')[0];
            // Files at the root compose the app from every folder; bin/ and obj/ are build output.
            if (!relative.Contains('/', StringComparison.Ordinal) || folder is "bin" or "obj")
            {
                continue;
            }

            foreach (Match used in UsingLine().Matches(File.ReadAllText(file)))
            {
                var target = used.Groups["folder"].Value;
                if (target != folder)
                {
                    (graph.TryGetValue(folder, out var targets) ? targets : graph[folder] = new(StringComparer.Ordinal)).Add(target);
                }
            }
        }

        Assert.True(graph.Count >= 10, $"expected the app's folders, found {graph.Count}: is the path right?");
        return graph;
    }

    /// <summary>An edge closes a cycle when its source can be reached again from its target.</summary>
    private static IEnumerable<string> CycleEdges(Dictionary<string, HashSet<string>> graph) =>
        from source in graph
        from target in source.Value
        where Reaches(graph, target, source.Key)
        select $"{source.Key} -> {target}";

    private static bool Reaches(Dictionary<string, HashSet<string>> graph, string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var next = new Queue<string>([from]);
        while (next.TryDequeue(out var folder))
        {
            if (folder == to)
            {
                return true;
            }

            foreach (var target in graph.GetValueOrDefault(folder) ?? [])
            {
                if (seen.Add(target))
                {
                    next.Enqueue(target);
                }
            }
        }

        return false;
    }

    [GeneratedRegex(@"^using\s+(?:static\s+)?IntegrationHub\.Functions\.(?<folder>\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
