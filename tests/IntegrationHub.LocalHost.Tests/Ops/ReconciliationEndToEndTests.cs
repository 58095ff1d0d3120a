using System.Text.Json;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Functions.Ops;
using IntegrationHub.Functions.Reconciliation;
using IntegrationHub.LocalHost.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.LocalHost.Tests.Ops;

/// <summary>
/// <c>GET /api/ops/reconcile</c> and <c>hub reconcile</c> on a hub of their own: clean after a quarter went through,
/// then, with the hub's own records damaged behind its back, naming every feed that went missing and every version
/// stored twice.
/// </summary>
public sealed class ReconciliationEndToEndTests(EndToEndHub hub) : IClassFixture<EndToEndHub>
{
    private HubApi Api => hub.Api;

    [Fact]
    public async Task Reconcile_QuarterPublishedThenRecordsDamaged_CleanFirstThenEveryGapAndTwinNamed()
    {
        string[] samples = ["statistics-2025-Q2-r0.json", "environment-2025-04-r0.json", "environment-2025-05-r0.json", "environment-2025-06-r0.json"];
        var accepted = new List<string>();
        foreach (var sample in samples)
        {
            accepted.Add(await Api.PushAcceptedAsync(sample));
        }

        var invalid = await Api.PushSampleAsync(Path.Combine("invalid", "nev-exceeds-total.json"));
        Assert.True(invalid.Status == 400, $"The invalid sample should be refused; got {invalid}");
        var quarantinedId = invalid.Json.GetProperty("feedId").GetString()!;
        await Api.EventuallyAsync("every accepted feed to be consolidated", async () =>
        {
            var states = new List<string>();
            foreach (var id in accepted)
            {
                states.Add((await Api.FeedStatusAsync(id)).Json.GetProperty("state").GetString()!);
            }

            return (states.All(s => s == "Consolidated"), true, string.Join(", ", states));
        });
        await Api.WaitUntilQuietAsync();

        var clean = await Api.AssertNothingLostAsync(expectedLanded: accepted.Count + 1);
        var rows = clean.GetProperty("rows").EnumerateArray().ToList();
        foreach (var month in new[] { "2025-04", "2025-05", "2025-06" })
        {
            var row = Assert.Single(rows, r => r.GetProperty("period").GetString() == month && r.GetProperty("source").GetString() == "environment");
            Assert.Equal([1, 1, 1, 1, 1, 0], Counts(row, "landed", "validated", "inLedger", "consolidated", "published", "quarantined"));
        }

        var transport = Assert.Single(rows, r => r.GetProperty("source").GetString() == "transport");
        Assert.Equal([1, 0, 1, 0], Counts(transport, "landed", "validated", "quarantined", "lost"));
        var (exit, stdout, stderr) = await HubTool.RunAsync(Api.Address, ["reconcile", "--key", Keys.Ops, "--grace-seconds", "0"]);
        Assert.True(exit == 0, $"hub reconcile should exit 0 when nothing is lost; exit {exit}; {stdout} {stderr}");
        Assert.Contains("0 lost, 0 duplicate(s)", stdout, StringComparison.Ordinal);

        // The tool started a background run and followed it: its start is in the audit log.
        var starts = await Api.GetAsync("/api/ops/audit?action=reconcile", Keys.Ops);
        var start = Assert.Single(starts.Json.GetProperty("entries").EnumerateArray());
        Assert.Equal("started", start.GetProperty("outcome").GetString());
        Assert.StartsWith("reconcile:", start.GetProperty("target").GetString(), StringComparison.Ordinal);

        // Damage: the quarter's announcements gone, the quarantined feed's report gone, and the quarter's latest version
        // stored again under the next number.
        var datasets = hub.Azurite.Blobs.GetBlobContainerClient("datasets");
        await foreach (var announced in datasets.GetBlobsAsync(new GetBlobsOptions { Prefix = "2025-Q2/announced/" }))
        {
            await datasets.DeleteBlobAsync(announced.Name);
        }

        await hub.Azurite.Blobs.GetBlobContainerClient("quarantine").DeleteBlobAsync($"transport/{quarantinedId}.json");
        var latest = (await Api.DatasetAsync("2025-Q2"))!.Value.GetProperty("version").GetInt32();
        var twin = (await datasets.GetBlobClient($"2025-Q2/v{latest}.json").DownloadContentAsync()).Value.Content;
        await datasets.GetBlobClient($"2025-Q2/v{latest + 1}.json").UploadAsync(twin);

        var damaged = await Api.ReconcileAsync();

        var lost = damaged.GetProperty("lost").EnumerateArray().ToList();
        Assert.Equal(accepted.Order(StringComparer.Ordinal),
            lost.Where(g => g.GetProperty("stage").GetString() == "announcement").Select(g =>
            g.GetProperty("feedId").GetString()!).Order(StringComparer.Ordinal));
        var missingReport = Assert.Single(lost, g => g.GetProperty("stage").GetString() == "quarantine-report");
        Assert.Equal(quarantinedId, missingReport.GetProperty("feedId").GetString());
        var duplicate = Assert.Single(damaged.GetProperty("duplicates").EnumerateArray());
        Assert.Equal("dataset-version", duplicate.GetProperty("kind").GetString());
        Assert.Equal([$"2025-Q2/v{latest}", $"2025-Q2/v{latest + 1}"], duplicate.GetProperty("occurrences").EnumerateArray().Select(o => o.GetString()!));
        Assert.Equal(accepted.Count + 1, damaged.GetProperty("totals").GetProperty("lost").GetInt32());

        // The same walk in the background: started, followed at its status URL, done with every landed feed counted, and
        // the same report.
        var started = await Api.SendAsync(HttpMethod.Post, "/api/ops/reconciliations?graceSeconds=0", Keys.Ops);
        Assert.True(started.Status == 202, $"POST /api/ops/reconciliations should answer 202; got {started}");
        var statusUrl = started.Json.GetProperty("status").GetString()!;
        Assert.Equal(statusUrl, started.Location);
        var run = await Api.EventuallyAsync("the background reconciliation to finish", async () =>
        {
            var answer = await Api.GetAsync(statusUrl, Keys.Ops);
            Assert.True(answer.Status == 200, $"GET {statusUrl}: {answer}");
            var progress = answer.Json.GetProperty("progress");
            if (progress.ValueKind == JsonValueKind.Object)
            {
                Assert.InRange(progress.GetProperty("checked").GetInt32(), 0, progress.GetProperty("total").GetInt32());
            }

            var status = answer.Json.GetProperty("status").GetString();
            return (status is "Completed" or "Failed" or "Terminated", answer.Json, answer.Body);
        });
        Assert.True(run.GetProperty("status").GetString() == "Completed", $"{run}");
        var done = run.GetProperty("progress");
        Assert.Equal("done", done.GetProperty("phase").GetString());
        Assert.Equal(accepted.Count + 1, done.GetProperty("total").GetInt32());
        Assert.Equal(accepted.Count + 1, done.GetProperty("checked").GetInt32());
        foreach (var part in new[] { "graceSeconds", "totals", "rows", "lost", "duplicates" })
        {
            Assert.Equal(damaged.GetProperty(part).GetRawText(), run.GetProperty("report").GetProperty(part).GetRawText());
        }

        Assert.Equal(404, (await Api.GetAsync("/api/ops/reconciliations/20990101T000000Z-00000000", Keys.Ops)).Status);

        (exit, stdout, stderr) = await HubTool.RunAsync(Api.Address, ["reconcile", "--key", Keys.Ops, "--grace-seconds", "0", "--source", "environment"]);
        Assert.True(exit == 1, $"hub reconcile should exit 1 when feeds are lost; exit {exit}; {stdout} {stderr}");
        Assert.Contains($"lost: {accepted[1]} (environment 2025-04) stopped before announcement", stdout, StringComparison.Ordinal);
        Assert.Contains($"duplicate dataset-version: 2025-Q2: 2025-Q2/v{latest}, 2025-Q2/v{latest + 1}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconcile_ProgressIsToldPerPhaseAndPerFeedChecked_OfTheLandedTotal()
    {
        foreach (var sample in new[] { "transport-2025-04-r0.json", "transport-2025-05-r0.json" })
        {
            await Api.PushAcceptedAsync(sample);
        }

        var landed = (await Api.ReconcileAsync(graceSeconds: 86_400)).GetProperty("totals").GetProperty("landed").GetInt32();
        var told = new List<ReconciliationProgress>();
        var reconciliation = hub.Hub!.Services.GetRequiredService<Reconciliation>();

        await reconciliation.RunAsync(TimeSpan.FromDays(1), null, null, CancellationToken.None, p =>
        {
            told.Add(p);
            return Task.CompletedTask;
        });

        // Counting, reading the records, one step per landed feed (1 of n … n of n), done.
        Assert.True(landed >= 2, $"{landed}");
        string[] expected = ["counting 0/0", $"reading records 0/{landed}",
            .. Enumerable.Range(1, landed).Select(n => $"checking feeds {n}/{landed}"), $"done {landed}/{landed}"];
        Assert.Equal(expected, told.Select(p => $"{p.Phase} {p.Checked}/{p.Total}"));
    }

    [Fact]
    public async Task Reconcile_DepartmentKeyOrBadGrace_RefusedWithProblem()
    {
        var department = await Api.GetAsync("/api/ops/reconcile", Keys.Transport);
        Assert.True(department.Status == 403 && department.MediaType == "application/problem+json", $"A department key should get 403; got {department}");

        var badGrace = await Api.GetAsync("/api/ops/reconcile?graceSeconds=soon", Keys.Ops);
        Assert.True(badGrace.Status == 400, $"A bad grace period should get 400; got {badGrace}");
        Assert.Equal("graceSeconds", badGrace.Json.GetProperty("parameter").GetString());

        var background = await Api.SendAsync(HttpMethod.Post, "/api/ops/reconciliations?graceSeconds=soon", Keys.Ops);
        Assert.True(background.Status == 400, $"{background}");
        Assert.Equal("graceSeconds", background.Json.GetProperty("parameter").GetString());
        Assert.Equal(403, (await Api.SendAsync(HttpMethod.Post, "/api/ops/reconciliations", Keys.Transport)).Status);
    }

    private static int[] Counts(JsonElement row, params string[] names) => [.. names.Select(n => row.GetProperty(n).GetInt32())];
}
