using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace IntegrationHub.Infra.Tests;

/// <summary>
/// The compiled infrastructure: infra/out/main.json (the ARM template), one deployment snapshot per parameter file
/// (infra/out/&lt;params&gt;.snapshot.json: the resources that parameter file would deploy, with loops, modules and
/// parameters expanded by <c>bicep snapshot</c>) and the subscribers file the template was built from.
/// Rebuilt with <c>infra/check.sh build</c> when missing or older than any Bicep source or the subscribers file, so
/// a test never passes on a stale template.
/// </summary>
public sealed class CompiledInfrastructure
{
    private static readonly Lazy<CompiledInfrastructure> Shared = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    private CompiledInfrastructure(
        string repositoryRoot, JsonObject template, IReadOnlyDictionary<string, DeploymentSnapshot> snapshots, JsonObject subscribersFile,
        DeploymentSnapshot eventGridFixture, JsonObject eventGridFixtureParameters)
    {
        RepositoryRoot = repositoryRoot;
        Template = template;
        Snapshots = snapshots;
        SubscribersFile = subscribersFile;
        EventGridFixture = eventGridFixture;
        EventGridFixtureParameters = eventGridFixtureParameters;
    }

    /// <summary>The compiled infrastructure, built once per test run.</summary>
    public static CompiledInfrastructure Instance => Shared.Value;

    /// <summary>Root of the repository (where IntegrationHub.sln is).</summary>
    public string RepositoryRoot { get; }

    /// <summary>infra/out/main.json.</summary>
    public JsonObject Template { get; }

    /// <summary>Snapshot per parameter file name (e.g. <c>main.bicepparam</c>, <c>main.prod.bicepparam</c>).</summary>
    public IReadOnlyDictionary<string, DeploymentSnapshot> Snapshots { get; }

    /// <summary>functions/IntegrationHub.Core/ReferenceData/subscribers.json.</summary>
    public JsonObject SubscribersFile { get; }

    /// <summary>
    /// The Event Grid module alone with webhook subscribers the subscribers file does not have yet
    /// (infra/modules/event-grid/topic/webhooks.test.bicepparam, snapshotted by check.sh).
    /// </summary>
    public DeploymentSnapshot EventGridFixture { get; }

    /// <summary>That fixture's compiled parameters (<c>parameters.webhookSubscribers.value</c>, …).</summary>
    public JsonObject EventGridFixtureParameters { get; }

    /// <summary>Parameter files of infra/, for theories that check every environment.</summary>
    public static TheoryData<string> ParameterFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra"), "*.bicepparam").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    private const string EventGridFixtureName = "webhooks.test";

    private static CompiledInfrastructure Load()
    {
        var root = RepoPaths.Root;
        var infra = Path.Combine(root, "infra");
        var outDir = Path.Combine(infra, "out");
        var subscribersPath = Path.Combine(root, "functions", "IntegrationHub.Core", "ReferenceData", "subscribers.json");
        var parameterFiles = Directory.GetFiles(infra, "*.bicepparam");

        var outputs = new List<string> { Path.Combine(outDir, "main.json") };
        outputs.AddRange(parameterFiles.Select(p => Path.Combine(outDir, Path.GetFileNameWithoutExtension(p) + ".snapshot.json")));
        outputs.Add(Path.Combine(outDir, EventGridFixtureName + ".snapshot.json"));
        outputs.Add(Path.Combine(outDir, EventGridFixtureName + ".parameters.json"));

        if (IsStale(infra, subscribersPath, outputs))
        {
            RunCheckScriptBuild(root);
        }

        var template = ReadObject(outputs[0]);
        var snapshots = parameterFiles.ToDictionary(
            p => Path.GetFileName(p),
            p => new DeploymentSnapshot(ReadObject(Path.Combine(outDir, Path.GetFileNameWithoutExtension(p) + ".snapshot.json"))),
            StringComparer.Ordinal);
        return new CompiledInfrastructure(root, template, snapshots, ReadObject(subscribersPath),
            new DeploymentSnapshot(ReadObject(outputs[^2])), ReadObject(outputs[^1]));
    }

    private static bool IsStale(string infra, string subscribersPath, List<string> outputs)
    {
        if (!outputs.All(File.Exists))
        {
            return true;
        }

        var inputs = Directory.EnumerateFiles(infra, "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Path.Combine(infra, "out"), StringComparison.Ordinal)
                        && (f.EndsWith(".bicep", StringComparison.Ordinal)
                            || f.EndsWith(".bicepparam", StringComparison.Ordinal)
                            || f.EndsWith("bicepconfig.json", StringComparison.Ordinal)))
            .Append(subscribersPath);
        var newestInput = inputs.Max(File.GetLastWriteTimeUtc);
        var oldestOutput = outputs.Min(File.GetLastWriteTimeUtc);
        return newestInput > oldestOutput;
    }

    private static void RunCheckScriptBuild(string root)
    {
        var script = Path.Combine(root, "infra", "check.sh");
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("build");

        var output = new StringBuilder();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException(
                "infra/out is missing or older than the Bicep sources, and bash could not be started to rebuild it. Run `infra/check.sh build` first.", e);
        }

        using (process)
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException("infra/check.sh build did not finish in 10 minutes:\n" + output);
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"infra/check.sh build failed (exit {process.ExitCode}); fix the Bicep, then run `infra/check.sh build`:\n{output}");
            }
        }
    }

    private static JsonObject ReadObject(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path} is missing: run `infra/check.sh build` first.", path);
        }

        return JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidDataException(path + " is not a JSON object");
    }
}
