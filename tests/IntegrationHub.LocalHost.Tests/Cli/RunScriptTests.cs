using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.Cli;

/// <summary>
/// The README's main command, <c>local-dev/run.sh</c>, run as a user runs it: its own Azurite from npm, the
/// simulators, the built local host on port 7071, the sample cycle. Slow (a few minutes), so one run of each mode.
/// </summary>
public sealed partial class RunScriptTests : IDisposable
{
    private readonly string data = Path.Combine(Path.GetTempPath(), "run-sh-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Port7071Taken_ExitsThreeSayingSo_AndStartsNothing()
    {
        // Held here, unless something else holds it already: taken either way.
        using var holder = TryHoldPort(7071);

        var run = await RunScript.RunAsync(["--once", "--data", data], new Dictionary<string, string>(), TimeSpan.FromMinutes(1));

        Assert.True(run.ExitCode == 3, $"run.sh should exit 3 when 7071 is taken; {run}");
        Assert.Contains("port 7071 is taken", run.Errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data), "Nothing should have started: no data folder was to be made.");
    }

    [Fact]
    public async Task Once_OnEmptyData_PublishesEverySamplePeriodWithItsFigures_AzuritePortTakenIsReplaced_AndARunAgainChangesNothing()
    {
        using var blobPortHolder = HoldPort(0);
        var takenBlobPort = ((IPEndPoint)blobPortHolder.LocalEndpoint).Port;
        var environment = new Dictionary<string, string>
        {
            ["AZURITE_BLOB_PORT"] = takenBlobPort.ToString(CultureInfo.InvariantCulture),
            ["AZURITE_QUEUE_PORT"] = FreePort(),
            ["AZURITE_TABLE_PORT"] = FreePort(),
            ["SIMULATOR_PORT"] = FreePort(),
        };

        var first = await RunScript.RunAsync(["--once", "--data", data], environment, TimeSpan.FromMinutes(10));

        Assert.True(first.ExitCode == 0, $"run.sh --once should exit 0; {first}");
        Assert.Matches($"port {takenBlobPort} \\(Azurite blob\\) is taken; using \\d+", first.Errors);
        var expected = ExpectedDatasetPeriods();
        var published = PublishedLine().Match(first.Output);
        Assert.True(published.Success, $"no 'published data sets' line; {first}");
        Assert.Equal(expected, published.Groups[1].Value.Split(", ").Order(StringComparer.Ordinal));
        var versions = Versions(first.Output);
        Assert.Equal(expected, versions.Keys.Order(StringComparer.Ordinal));
        foreach (var period in expected)
        {
            // Each period's block: the headline figures of the New Area, then the plan's targets with their status.
            Assert.Matches($"(?m)^{Regex.Escape(period)}  v\\d+  (complete|partial)  .*\\n  energy use .* \\| CO2 total .*\\n  target ", first.Output);
        }

        var pulls = FeedLines(first.Output);
        Assert.Equal(SamplePulls(), pulls.Keys.Order(StringComparer.Ordinal));
        Assert.All(pulls, p => Assert.Matches("^received -> validated -> consolidated into ", p.Value));

        var again = await RunScript.RunAsync(["--once", "--data", data], environment, TimeSpan.FromMinutes(10));

        Assert.True(again.ExitCode == 0, $"run.sh --once again should exit 0; {again}");
        Assert.All(FeedLines(again.Output), p => Assert.Equal("received -> unchanged (already in the hub)", p.Value));
        Assert.Equal(versions, Versions(again.Output));
    }

    [Fact]
    public async Task AzuriteFailsToStart_StopsAtOnceWithItsLogAndExitFour_BeforeBuildingAnything()
    {
        // A metadata file Azurite cannot read (what a power loss mid-save can leave): Azurite exits at start.
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "__azurite_db_blob__.json"), "{not json");
        var environment = new Dictionary<string, string>
        {
            ["AZURITE_BLOB_PORT"] = FreePort(),
            ["AZURITE_QUEUE_PORT"] = FreePort(),
            ["AZURITE_TABLE_PORT"] = FreePort(),
        };

        var run = await RunScript.RunAsync(["--no-samples", "--data", data], environment, TimeSpan.FromMinutes(1));

        Assert.True(run.ExitCode == 4, $"run.sh should exit 4 when Azurite fails to start; {run}");
        Assert.Contains("Azurite failed to start", run.Errors, StringComparison.Ordinal);
        Assert.Contains("Exit due to unhandled error", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("building the hub", run.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "hub.log")), "The hub should not have been started.");
    }

    [Fact]
    public async Task NoSamples_AzuritePortTakenAfterTheCheckIsReplaced_BuildShowsProgress_AndCtrlCStopsTheHubFirstWithinSeconds()
    {
        var environment = new Dictionary<string, string>
        {
            ["AZURITE_BLOB_PORT"] = FreePort(),
            ["AZURITE_QUEUE_PORT"] = FreePort(),
            ["AZURITE_TABLE_PORT"] = FreePort(),
        };
        // The race the script must survive: the blob port is free when the script checks it and taken by another
        // process before Azurite binds it. A `node` first on PATH takes it just before Azurite's first start.
        var shims = Path.Combine(data + "-shims");
        Directory.CreateDirectory(shims);
        var holderPid = Path.Combine(shims, "holder.pid");
        var nodeShim = Path.Combine(shims, "node");
        await File.WriteAllTextAsync(nodeShim, $$"""
            #!/usr/bin/env bash
            PATH="${PATH#{{shims}}:}"
            if [[ "$1" == *azurite.js && ! -e '{{holderPid}}' ]]; then
              node -e "require('net').createServer().listen({{environment["AZURITE_BLOB_PORT"]}}, '127.0.0.1', () => console.log('held')); setTimeout(() => process.exit(0), 120000)" >'{{holderPid}}.out' 2>&1 &
              echo $! >'{{holderPid}}'
              for _ in $(seq 1 50); do grep -q held '{{holderPid}}.out' && break; sleep 0.1; done
            fi
            exec node "$@"
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(nodeShim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        environment["PATH"] = shims + ":" + Environment.GetEnvironmentVariable("PATH");
        try
        {
            using var run = RunScript.Start(["--no-samples", "--data", data], environment);
            await run.WaitForOutputAsync("serving on http://localhost:7071", TimeSpan.FromMinutes(5));

            var started = run.Snapshot();
            Assert.True(File.Exists(holderPid), $"the shim did not take the port; {started}");
            var retry =
                Regex.Match(
                started.Errors, $"port {environment["AZURITE_BLOB_PORT"]} was taken by another process after it was checked; Azurite tries (\\d+) instead");
            Assert.True(retry.Success, $"no retry on another port; {started}");
            Assert.Contains($"ports {retry.Groups[1].Value}/", started.Output, StringComparison.Ordinal);
            // The build shows its progress: a line per project, the hub's last.
            var build =
                started.Output[started.Output.IndexOf("building the hub", StringComparison.Ordinal)
                ..started.Output.IndexOf("hub ready", StringComparison.Ordinal)];
            Assert.Contains("built IntegrationHub.Core", build, StringComparison.Ordinal);
            Assert.Contains("built IntegrationHub.LocalHost", build, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = new Uri("http://localhost:7071") };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health")).StatusCode);
            using (var list = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/api/datasets")))
            {
                Assert.Equal(0, list.RootElement.GetArrayLength());
            }

            using var pull = new HttpRequestMessage(HttpMethod.Post, "/api/pulls/transport/2025-01");
            pull.Headers.Add(Keys.Header, "local-ops-key");
            Assert.Equal(HttpStatusCode.Conflict, (await http.SendAsync(pull)).StatusCode);

            var interrupted = Stopwatch.StartNew();
            run.CtrlC();
            var result = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
            interrupted.Stop();

            Assert.True(result.ExitCode == 130, $"an interrupted run.sh should exit 130; {result}");
            // The hub stops in a few seconds while storage is there; without it, it waits out its 20 s cap.
            Assert.True(interrupted.Elapsed < TimeSpan.FromSeconds(12), $"Ctrl-C took {interrupted.Elapsed.TotalSeconds:F1} s; {result}");
            var hub = result.Output.IndexOf("stopping the hub…", StringComparison.Ordinal);
            var azurite = result.Output.IndexOf("stopping Azurite…", StringComparison.Ordinal);
            Assert.True(hub >= 0 && azurite > hub, $"the hub should be stopped before Azurite, each said; {result}");
            foreach (var port in new[] { "7071", retry.Groups[1].Value, environment["AZURITE_QUEUE_PORT"], environment["AZURITE_TABLE_PORT"] })
            {
                using var probe = TryHoldPort(int.Parse(port, CultureInfo.InvariantCulture));
                Assert.True(probe is not null, $"Port {port} is still taken after the stop: something run.sh started is still running.");
            }
        }
        finally
        {
            if (File.Exists(holderPid) && int.TryParse(File.ReadAllText(holderPid).Trim(), out var pid))
            {
                try
                {
                    using var holder = Process.GetProcessById(pid);
                    holder.Kill();
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }

            Directory.Delete(shims, recursive: true);
        }
    }

    // Worked out from the sample files and the contract: a statistics feed makes its own period's data set and its
    // year's; a monthly feed its quarter's and its year's.
    private static List<string> ExpectedDatasetPeriods() =>
        [.. SampleFiles()
            .SelectMany(f => f.Source == "statistics"
                ? new[] { f.Period, f.Period[..4] }
                : [$"{f.Period[..4]}-Q{((int.Parse(f.Period[5..], CultureInfo.InvariantCulture) - 1) / 3) + 1}", f.Period[..4]])
            .Distinct()
            .Order(StringComparer.Ordinal)];

    private static List<string> SamplePulls() =>
        [.. SampleFiles().Select(f => $"{f.Source} {f.Period}").Distinct().Order(StringComparer.Ordinal)];

    private static IEnumerable<(string Source, string Period)> SampleFiles() =>
        Directory.EnumerateDirectories(RepoPaths.SampleFeeds)
            .Where(d => Path.GetFileName(d).All(char.IsAsciiDigit))
            .SelectMany(Directory.EnumerateFiles)
            .Select(f => SampleName().Match(Path.GetFileName(f)))
            .Where(m => m.Success)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    // Each pulled department period's progress line: "source period" → its trail.
    private static Dictionary<string, string> FeedLines(string output) =>
        FeedLine().Matches(output).ToDictionary(m => $"{m.Groups[1].Value} {m.Groups[2].Value}", m => m.Groups[3].Value.Trim());

    private static Dictionary<string, int> Versions(string output) =>
        VersionLine().Matches(output).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    private static TcpListener HoldPort(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return listener;
    }

    private static TcpListener? TryHoldPort(int port)
    {
        try
        {
            return HoldPort(port);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return null;
        }
    }

    private static string FreePort() => Ports.Free().ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(statistics|power-grid|transport|environment)-(\d{4}(?:-Q[1-4]|-\d{2})?)-r\d+\.json$")]
    private static partial Regex SampleName();

    [GeneratedRegex(@"(?m)^\[\s*\d+/\d+\] (\S+)\s+(\S+)\s+(.*)$")]
    private static partial Regex FeedLine();

    [GeneratedRegex(@"(?m)^(\d{4}(?:-Q[1-4])?)  v(\d+)  ")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"(?m)^published data sets: (.*)$")]
    private static partial Regex PublishedLine();

    // bash local-dev/run.sh with its whole output kept; killed with its tree if the test leaves it running.
    private sealed class RunScript : IDisposable
    {
        private readonly Process process;
        private readonly StringBuilder output = new();
        private readonly StringBuilder errors = new();

        private RunScript(Process process) => this.process = process;

        public static RunScript Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
        {
            // Its own process group (setsid), as a terminal gives a command: Ctrl-C goes to the whole group.
            // SIGINT at its default, as a terminal's shell has it: a test run started in the background (a CI job) passes
            // it on ignored, and bash can neither trap nor reset a signal ignored on entry.
            var start =
                new ProcessStartInfo(
                "setsid") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
            start.ArgumentList.Add("env");
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add("bash");
            start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "local-dev", "run.sh"));
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            // The test run's own settings are not the user's: the hub must run with its defaults.
            start.Environment.Remove("DOTNET_PROCESSOR_COUNT");
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            var process = new Process { StartInfo = start };
            var run = new RunScript(process);
            process.OutputDataReceived += (_, e) => run.Append(run.output, e.Data);
            process.ErrorDataReceived += (_, e) => run.Append(run.errors, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return run;
        }

        public static async Task<Result> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan deadline)
        {
            using var run = Start(arguments, environment);
            return await run.WaitForExitAsync(deadline);
        }

        public async Task WaitForOutputAsync(string text, TimeSpan deadline)
        {
            var until = DateTime.UtcNow + deadline;
            while (!Snapshot(output).Contains(text, StringComparison.Ordinal))
            {
                if (process.HasExited)
                {
                    Assert.Fail($"run.sh exited before writing '{text}'; {Current()}");
                }

                if (DateTime.UtcNow > until)
                {
                    Assert.Fail($"run.sh did not write '{text}' within {deadline}; {Current()}");
                }

                await Task.Delay(500);
            }
        }

        // What Ctrl-C in a terminal does: SIGINT to every process of the foreground process group.
        public void CtrlC()
        {
            using var kill = Process.Start("kill", ["-INT", "--", "-" + process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        public Result Snapshot() => Current();

        public async Task<Result> WaitForExitAsync(TimeSpan deadline)
        {
            using var timeout = new CancellationTokenSource(deadline);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"run.sh did not finish within {deadline}; {Current()}");
            }

            // The redirected streams may still be draining after the exit.
            process.WaitForExit();
            return Current() with { ExitCode = process.ExitCode };
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        private Result Current() => new(process.HasExited ? process.ExitCode : -1, Snapshot(output), Snapshot(errors));

        private void Append(StringBuilder target, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (target)
            {
                target.AppendLine(line);
            }
        }

        private static string Snapshot(StringBuilder source)
        {
            lock (source)
            {
                return source.ToString();
            }
        }
    }

    private sealed record Result(int ExitCode, string Output, string Errors)
    {
        public override string ToString() =>
            $"exit {ExitCode}{Environment.NewLine}--- stdout ---{Environment.NewLine}{Tail(Output)}{Environment.NewLine}--- stderr " +
            $"---{Environment.NewLine}{Tail(Errors)}";

        private static string Tail(string text) => text.Length > 6000 ? "…" + text[^6000..] : text;
    }
}
