using System.Diagnostics;
using System.Text.Json.Nodes;
using IntegrationHub.Client;
using IntegrationHub.Client.Models;
using IntegrationHub.LocalHost.Tests.Support;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace IntegrationHub.LocalHost.Tests.OpenApi;

/// <summary>
/// The generated C# client (clients/IntegrationHub.Client) against the running local hub: generated from the document
/// the hub serves now, and reading real data sets through it as a dashboard developer would.
/// </summary>
public sealed class GeneratedClientTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    private static string ClientFolder => Path.Combine(RepoPaths.Root, "clients", "IntegrationHub.Client");

    private HubApi Api => hub.Api;

    /// <summary>The snapshot the client was generated from is the document the hub serves (compared as JSON).</summary>
    [Fact]
    public async Task ClientSnapshot_IsTheServedDocument()
    {
        var served = await Api.GetAsync("/api/openapi.json");
        Assert.Equal(200, served.Status);
        var snapshot = Path.Combine(ClientFolder, "openapi.json");
        var same = File.Exists(snapshot) && JsonNode.DeepEquals(JsonNode.Parse(served.Body), JsonNode.Parse(await File.ReadAllTextAsync(snapshot)));
        if (!same)
        {
            // In this checkout's obj/: a file shared by every checkout on the machine was overwritten by another's run.
            var file = Path.Combine(ClientFolder, "obj", "openapi-served.json");
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, served.Body);
            Assert.Fail($"The generated client is not of the hub's current document: run clients/IntegrationHub.Client/generate.sh {file}");
        }
    }

    /// <summary>
    /// The checked-in Generated/ is exactly what Kiota (the repository's local tool, .config/dotnet-tools.json) makes of
    /// the snapshot: regenerated the way generate.sh does it, under obj/, and compared file by file.
    /// </summary>
    [Fact]
    public async Task CheckedInClient_IsWhatKiotaGeneratesFromTheSnapshot()
    {
        var work = Path.Combine(ClientFolder, "obj", "kiota-check-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            File.Copy(Path.Combine(ClientFolder, "openapi.json"), Path.Combine(work, "openapi.json"));
            await RunAsync(RepoPaths.Root, "dotnet", "tool", "restore");
            await RunAsync(work, "dotnet", "kiota", "generate", "--language", "CSharp", "--openapi", "openapi.json", "--output", "Generated",
                "--class-name", "HubClient", "--namespace-name", "IntegrationHub.Client", "--exclude-backward-compatible",
                "--clean-output", "--log-level", "Warning");

            var expected = Files(Path.Combine(work, "Generated"));
            var checkedIn = Files(Path.Combine(ClientFolder, "Generated"));
            var differing = expected.Keys.Union(checkedIn.Keys, StringComparer.Ordinal)
                .Where(f => !expected.TryGetValue(f, out var a) || !checkedIn.TryGetValue(f, out var b) || a != b)
                .Order(StringComparer.Ordinal).ToList();
            Assert.True(differing.Count == 0, "clients/IntegrationHub.Client/Generated is not what generate.sh makes of openapi.json (run it): "
                + string.Join(", ", differing.Take(20)));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A dashboard developer's reads through the generated client: the same data sets the raw API answers.</summary>
    [Fact]
    public async Task GeneratedClient_ReadsPublishedDataSetsOfARunningHub()
    {
        foreach (var name in new[] { "statistics-2024-Q4-r0.json", "power-grid-2024-10-r0.json", "transport-2024-10-r0.json", "environment-2024-10-r0.json" })
        {
            await Api.PushAcceptedAsync(name);
        }

        await Api.WaitUntilQuietAsync();
        var before = (await Api.DatasetVersionsAsync("2024-Q4")).Max();

        // The statistics bureau's revision: one feed, so one new version of the quarter.
        var revision = await Api.PushAcceptedAsync("statistics-2024-Q4-r1.json");
        await Api.WaitForFeedConsolidatedAsync(revision);
        await Api.WaitUntilQuietAsync();
        var latest = before + 1;

        using var http = new HttpClient();
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(),
            httpClient: http) { BaseUrl = new Uri(Api.Address, "/api").ToString() };
        var client = new HubClient(adapter);

        // The periods, as GET /api/datasets lists them.
        var periods = await client.Datasets.GetAsync();
        var raw = (await Api.GetAsync("/api/datasets")).Json;
        Assert.NotNull(periods);
        Assert.Equal(raw.EnumerateArray().Select(p => (p.GetProperty("period").GetString(), p.GetProperty("latestVersion").GetInt32())),
            periods.Select(p => (p.Period, p.LatestVersion!.Value)));
        var quarter = Assert.Single(periods, p => p.Period == "2024-Q4");
        Assert.Equal(PublishedPeriod_kind.Quarter, quarter.Kind);
        Assert.Equal(latest, quarter.LatestVersion);

        // The quarter's current version, its versions, the first one and what the revision changed.
        var dataset = await client.Datasets["2024-Q4"].GetAsync();
        Assert.NotNull(dataset);
        var expected = (await Api.DatasetAsync("2024-Q4"))!.Value;
        Assert.Equal(latest, dataset.Version);
        Assert.Equal(expected.GetProperty("schemaVersion").GetString(), dataset.SchemaVersion);
        Assert.Equal(Dataset_status.Partial, dataset.Status);
        Assert.Equal(expected.GetProperty("missing").EnumerateArray().Select(m => m.GetString()), dataset.Missing);
        Assert.Equal(PublishedDatasets.InputsOf(expected).Count, dataset.Inputs!.Count);
        Assert.Contains(PublishedDatasets.InputsOf(expected), f => f.StartsWith("statistics-2024-Q4-r1-", StringComparison.Ordinal));
        Assert.Equal(expected.GetProperty("areas").GetArrayLength(), dataset.Areas!.Count);

        var newArea = await client.Datasets["2024-Q4"].GetAsync(r => r.QueryParameters.Area = ["XJNA"]);
        Assert.Single(newArea!.Areas!);
        Assert.Equal(Enumerable.Range(1, latest), (await client.Datasets["2024-Q4"].Versions.GetAsync())!.Versions!.Select(v => v.Version!.Value));
        Assert.Equal(1, (await client.Datasets["2024-Q4"].Versions[1].GetAsync())!.Version);
        var diff = await client.Datasets["2024-Q4"].Diff.GetAsync(r => (r.QueryParameters.From, r.QueryParameters.To) = (before, latest));
        Assert.Equal([revision], diff!.ChangedInputs!);
        Assert.NotEmpty(diff.ChangedIndicators!);

        // The area names a dashboard labels its picker with.
        var areas = await client.Areas.GetAsync();
        Assert.Equal("XJNA", areas!.Areas![0].Code);
        Assert.Contains(areas.Areas, a => a.Code == "430104" && a.Parent is not null);

        // A keyed route: the department's key as a default header of the client's HttpClient.
        using var keyed = new HttpClient();
        keyed.DefaultRequestHeaders.Add(Keys.Header, Keys.Statistics);
        var statistics = new HubClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: keyed) { BaseUrl = adapter.BaseUrl });
        var status = await statistics.Feeds["statistics"][revision].GetAsync();
        Assert.Equal(FeedStatus_state.Consolidated, status!.State);
        Assert.Contains($"2024-Q4/v{latest}", status.Datasets!);
        var refused = await Assert.ThrowsAsync<Problem>(() => client.Feeds["statistics"][revision].GetAsync());
        Assert.Equal(401, refused.ResponseStatusCode);

        // A period with nothing published: the documented problem, as an exception.
        var missing = await Assert.ThrowsAsync<Problem>(() => client.Datasets["2019-Q1"].GetAsync());
        Assert.Equal(404, missing.ResponseStatusCode);
        Assert.Equal(404, missing.Status);
    }

    private static Dictionary<string, string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);

    private static async Task RunAsync(string folder, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // As generate.sh: no update check over the network, no hints.
        start.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0,
            $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}:{Environment.NewLine}{await stdout}{Environment.NewLine}{await stderr}");
    }
}
