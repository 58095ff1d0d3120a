using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using IntegrationHub.Core;
using IntegrationHub.LocalHost.Tests.Support;
using IntegrationHub.Tests.Hostile;
using Xunit.Abstractions;

namespace IntegrationHub.LocalHost.Tests.HostileInput;

/// <summary>
/// The push endpoint against hostile input, over real HTTP to the local host on Azurite: every case of the corpus
/// (tests/hostile-corpus) is refused with 400, 413 or 415 and problem details, never a 5xx and never a hang, and
/// nothing but complete received bodies ever reaches the landing container.
/// </summary>
public sealed class HostileInputTests(EndToEndHub hub, ITestOutputHelper output) : IClassFixture<EndToEndHub>
{
    /// <summary>The fixture's <c>Intake:MaxFeedBytes</c>.</summary>
    private const long MaxFeedBytes = 8 * 1024 * 1024;

    /// <summary>The "never a hang" guard: a request that gets no answer in this time fails its case.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Fixed so that a failure reproduces; <c>HUB_FUZZ_SEED</c> overrides it.</summary>
    private static readonly int FuzzSeed =
        int.TryParse(System.Environment.GetEnvironmentVariable("HUB_FUZZ_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : 7_2026;

    [Fact]
    public async Task Push_EveryHostileCase_IsRefusedWithProblemDetailsAndLandsOnlyWholeBodies()
    {
        var cases = HostileCorpus.All(MaxFeedBytes);
        using var http = new HttpClient { BaseAddress = hub.Api.Address, Timeout = AnswerTimeout };
        var failures = new ConcurrentBag<string>();
        var answered = new ConcurrentDictionary<HostileCase, bool>();
        var took = new ConcurrentDictionary<HostileCase, TimeSpan>();

        // Four at a time: the hub serves departments concurrently, and one case must not spoil another.
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (@case, _) =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var problem = await CheckAsync(http, @case);
            took[@case] = clock.Elapsed;
            answered[@case] = problem is null;
            if (problem is not null)
            {
                failures.Add($"{@case}: {problem}");
            }
        });

        // A 400 on the content has landed the whole body and quarantined it; a 413 or 415 is answered before the body is read.
        await AssertLandingHoldsOnlyWholeBodiesAsync(
            [.. cases.Where(c => c.IsAboutContent).Select(c => (c.Source, c.Body))],
            [.. cases.Where(c => !c.IsAboutContent).Select(c => (c.Source, c.Body))], failures);
        WriteTable(cases, answered);

        // Not asserted (speed is for the benchmarks): where the time of a run goes.
        output.WriteLine(
            "slowest answers: " + string.Join("; ", took.OrderByDescending(t => t.Value).Take(6).Select(t => $"{t.Key} {t.Value.TotalSeconds:0.0} s")));
        Assert.True(
            failures.IsEmpty,
            $"{failures.Count} of {cases.Count} hostile cases were not answered as they should " +
            $"be:{System.Environment.NewLine}{string.Join(System.Environment.NewLine, failures.Order(StringComparer.Ordinal).Take(40))}");
    }

    [Theory]
    [InlineData("application/json; charset=utf-8", null)]
    [InlineData("Application/JSON; Charset=\"UTF-8\"", null)]
    [InlineData("application/json", "identity")]
    public async Task Push_ValidFeedWithAnAcceptedContentTypeOrCoding_IsAccepted(string contentType, string? contentEncoding)
    {
        var feed = SampleFeed.Load("power-grid-2025-02-r0.json");
        using var http = new HttpClient { BaseAddress = hub.Api.Address, Timeout = AnswerTimeout };
        using var request =
            Request(new HostileCase("accepted", contentType, feed.Source, feed.Bytes, [202]) { ContentType = contentType, ContentEncoding = contentEncoding });

        using var response = await http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(
            (int)response.StatusCode is 202 or 200,
            $"{contentType} / {contentEncoding}: expected 202 (or 200 when another variant came first); got {(int)response.StatusCode} {body}");
    }

    [Fact]
    public async Task Push_ConnectionClosedBeforeTheBodyEnds_LandsNothingAndTheHubCarriesOn()
    {
        var feed = SampleFeed.Load("transport-2025-01-r0.json");
        var sent = feed.Bytes[..100];

        // The client goes away after 100 of the bytes it announced: nobody reads an answer, so what counts is what the hub did.
        await SendRawAsync(
            $"POST /api/feeds/transport HTTP/1.1\r\nHost: localhost\r\nx-api-key: {Keys.Transport}\r\nContent-Type: " +
            $"application/json\r\nContent-Length: {feed.Bytes.Length}\r\n\r\n", sent, closeSending: true);

        Assert.False(await LandedAsync("transport", sent), "The 100 bytes received were landed.");
        Assert.False(await LandedAsync("transport", feed.Bytes), "The whole feed was landed, though it never arrived.");
        var health = await hub.Api.GetAsync("/api/health");
        Assert.Equal(200, health.Status);
        Assert.DoesNotContain("nhandled exception", hub.Logs.Last(200), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_BrokenChunkedEncoding_Is400AndLandsNothing()
    {
        var feed = SampleFeed.Load("transport-2025-02-r0.json");

        var (status, answer) = await SendRawAsync(
            $"POST /api/feeds/transport HTTP/1.1\r\nHost: localhost\r\nx-api-key: {Keys.Transport}\r\nContent-Type: " +
            $"application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            [.. Encoding.ASCII.GetBytes("40\r\n"), .. feed.Bytes[..64], .. Encoding.ASCII.GetBytes("\r\nzz\r\n")], closeSending: false);

        Assert.True(status == 400, $"expected 400; got {status}: {answer}");
        Assert.Contains("parse:incomplete-body", answer, StringComparison.Ordinal);
        Assert.False(await LandedAsync("transport", feed.Bytes[..64]), "The first chunk was landed.");
        Assert.DoesNotContain("nhandled exception", hub.Logs.Last(200), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_MutatedSampleFeeds_SameVerdictOverHttpAsInProcessAndNeverA5xx()
    {
        const int iterations = 60;
        var core = new HubCore(requireRegexTimeout: false);
        var mutator = new FeedMutator(FuzzSeed);
        var samples = HostileCorpus.Samples.Select(s => (s.Key, s.Value)).ToList();
        output.WriteLine($"fuzz over HTTP: seed {FuzzSeed} (set HUB_FUZZ_SEED to reproduce another), {iterations} mutants");
        using var http = new HttpClient { BaseAddress = hub.Api.Address, Timeout = AnswerTimeout };
        var failures = new List<string>();
        var (accepted, refused) = (0, 0);
        for (var i = 0; i < iterations; i++)
        {
            var mutant = mutator.Next(samples);
            var expectValid = core.Validator.Validate(mutant.Bytes, mutant.Source).Report.Valid;
            var @case = new HostileCase("fuzz", mutant.Edits, mutant.Source, mutant.Bytes, expectValid ? [202, 200] : [400]);
            var problem = await CheckAsync(http, @case);
            if (problem is not null)
            {
                failures.Add($"mutant {mutant.Iteration} of {mutant.Source} (seed {FuzzSeed}; {mutant.Edits}): {problem}");
            }

            (accepted, refused) = expectValid ? (accepted + 1, refused) : (accepted, refused + 1);
        }

        output.WriteLine($"fuzz over HTTP: {accepted} accepted, {refused} refused, {failures.Count} answered wrongly");
        Assert.True(failures.Count == 0, string.Join(System.Environment.NewLine, failures.Take(20)));
    }

    /// <summary>Sends one case; null when the answer is right for it, else what was wrong.</summary>
    private static async Task<string?> CheckAsync(HttpClient http, HostileCase @case)
    {
        HttpResponseMessage response;
        try
        {
            using var request = Request(@case);
            response = await http.SendAsync(request);
        }
        catch (TaskCanceledException)
        {
            return $"no answer within {AnswerTimeout.TotalSeconds} s";
        }
        catch (HttpRequestException ex)
        {
            return $"the request failed: {ex.Message}";
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            if (!@case.Statuses.Contains(status))
            {
                return $"status {status}, expected {string.Join(" or ", @case.Statuses)}: {Shorten(text)}";
            }

            if (status is 200 or 202)
            {
                return null;
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"media type {response.Content.Headers.ContentType?.MediaType}, expected application/problem+json";
            }

            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            if (root.GetProperty("status").GetInt32() != status || string.IsNullOrEmpty(root.GetProperty("title").GetString()))
            {
                return $"a problem without its status or title: {Shorten(text)}";
            }

            if (status == 415)
            {
                var header = @case.ContentEncoding is null ? "Content-Type" : "Content-Encoding";
                return root.TryGetProperty("parameter", out var parameter) && parameter.GetString() == header ? null
                    : $"the 415 does not name {header}: {Shorten(text)}";
            }

            if (status == 400)
            {
                if (!root.TryGetProperty("errors", out var errors) || errors.GetArrayLength() == 0)
                {
                    return $"a 400 without errors: {Shorten(text)}";
                }

                foreach (var error in errors.EnumerateArray())
                {
                    var pointer = error.GetProperty("instanceLocation").GetString()!;
                    if ((pointer.Length > 0 && pointer[0] != '/') || string.IsNullOrEmpty(error.GetProperty("keyword").GetString()))
                    {
                        return $"an error without a JSON Pointer or a rule: {error}";
                    }
                }

                var first = errors[0].GetProperty("keyword").GetString()!;
                if (@case.Keyword is { } keyword
                    && !(keyword.EndsWith(':') ? first.StartsWith(keyword, StringComparison.Ordinal)
                    : errors.EnumerateArray().Any(e => e.GetProperty("keyword").GetString() == keyword)))
                {
                    return $"expected the rule {keyword}, got {first}: {Shorten(text)}";
                }

                if (!root.TryGetProperty("feedId", out _))
                {
                    return $"a 400 on content without the feedId of the quarantined feed: {Shorten(text)}";
                }
            }

            return null;
        }
    }

    private static HttpRequestMessage Request(HostileCase @case)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/feeds/{@case.Source}");
        request.Headers.Add(Keys.Header, Keys.Of(@case.Source));

        // A new connection each: after a 413 the server may close its side while a pooled connection would be reused.
        request.Headers.ConnectionClose = true;
        request.Content = @case.Chunked ? new StreamContent(new MemoryStream(@case.Body)) : new ByteArrayContent(@case.Body);
        if (@case.Chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        // Without validation: several cases are media types a client library would refuse to send.
        request.Content.Headers.ContentType = null;
        if (@case.ContentType is not null)
        {
            Assert.True(request.Content.Headers.TryAddWithoutValidation("Content-Type", @case.ContentType), @case.ContentType);
        }

        if (@case.ContentEncoding is not null)
        {
            Assert.True(request.Content.Headers.TryAddWithoutValidation("Content-Encoding", @case.ContentEncoding), @case.ContentEncoding);
        }

        return request;
    }

    /// <summary>
    /// Landing holds whole bodies only: every blob's name is the SHA-256 of its own bytes (a cut or partial upload
    /// could not be), every body answered 400 on its content is there, complete and Quarantined with its report, and
    /// no body refused before it was read (413, 415) is there at all.
    /// </summary>
    private async Task AssertLandingHoldsOnlyWholeBodiesAsync(
        List<(string Source, byte[] Body)> landedBodies, List<(string Source, byte[] Body)> refusedUnread, ConcurrentBag<string> failures)
    {
        var landing = hub.Azurite.Blobs.GetBlobContainerClient("landing");
        var blobs = new Dictionary<string, BlobItem>(StringComparer.Ordinal);
        await foreach (var blob in landing.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            blobs[blob.Name] = blob;
            var content = (await landing.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
            var expectedName = blob.Name[(blob.Name.IndexOf('/', StringComparison.Ordinal) + 1)..^".json".Length];
            if (Hash(content) != expectedName)
            {
                failures.Add($"landing/{blob.Name} holds {content.Length} bytes whose SHA-256 is not its name: a partial or altered body");
            }
        }

        foreach (var (source, body) in landedBodies)
        {
            var name = $"{source}/{Hash(body)}.json";
            if (!blobs.TryGetValue(name, out var blob))
            {
                failures.Add($"no landing/{name}: a refused feed ({body.Length} bytes) should be landed and quarantined");
                continue;
            }

            var state = blob.Metadata.TryGetValue("state", out var recorded) ? recorded : "(no state)";
            if (state != "Quarantined")
            {
                failures.Add($"landing/{name} is {state}, not Quarantined");
                continue;
            }

            var feedId = blob.Metadata["feedid"];
            if (!(await hub.Azurite.Blobs.GetBlobContainerClient("quarantine").GetBlobClient($"{source}/{feedId}.json").ExistsAsync()).Value)
            {
                failures.Add($"landing/{name} is Quarantined but quarantine/{source}/{feedId}.json is missing");
            }
        }

        foreach (var (source, body) in refusedUnread)
        {
            if (blobs.ContainsKey($"{source}/{Hash(body)}.json"))
            {
                failures.Add($"a body refused before reading ({body.Length} bytes, {source}) was landed");
            }
        }
    }

    private async Task<bool> LandedAsync(string source, byte[] body) =>
        (await hub.Azurite.Blobs.GetBlobContainerClient("landing").GetBlobClient($"{source}/{Hash(body)}.json").ExistsAsync()).Value;

    /// <summary>Raw HTTP/1.1 over TCP: sends the head and body (then, if asked, closes the sending side) and reads the answer, if any.</summary>
    private async Task<(int? Status, string Answer)> SendRawAsync(string head, byte[] body, bool closeSending)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", hub.Api.Address.Port);
        using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
        if (closeSending)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        using var answer = new MemoryStream();
        using var timeout = new CancellationTokenSource(AnswerTimeout);
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Write(buffer, 0, read);
                if (Encoding.ASCII.GetString(answer.ToArray()) is var soFar && soFar.Contains("\r\n\r\n", StringComparison.Ordinal)
                    && soFar.TrimEnd().EndsWith('}'))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // The hub closed the connection: whatever arrived before is the answer.
        }

        var text = Encoding.UTF8.GetString(answer.ToArray());
        return (text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(text.AsSpan(9, 3), CultureInfo.InvariantCulture) : null, text);
    }

    /// <summary>Counts per class for docs/reliability.md: how many inputs, how many answered as they should be.</summary>
    private void WriteTable(IReadOnlyList<HostileCase> cases, ConcurrentDictionary<HostileCase, bool> answered)
    {
        output.WriteLine("| class | inputs | answered correctly | answers |");
        output.WriteLine("|---|---:|---:|---|");
        foreach (var group in cases.GroupBy(c => c.Class))
        {
            var statuses = string.Join(", ", group.SelectMany(c => c.Statuses).Distinct().Order());
            output.WriteLine($"| {group.Key} | {group.Count()} | {group.Count(c => answered.GetValueOrDefault(c))} | {statuses} |");
        }

        output.WriteLine($"| **all** | **{cases.Count}** | **{cases.Count(c => answered.GetValueOrDefault(c))}** | |");
    }

    private static string Hash(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body));

    private static string Shorten(string text) => text.Length > 600 ? text[..600] + "…" : text;
}
