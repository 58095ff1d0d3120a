using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;

namespace IntegrationHub.Cli;

// hub push <file or folder>...: send feeds to the hub as a department does, and say what the hub made of each.
internal static class PushCommand
{
    public const string KeyVariable = "HUB_KEY";

    public static Command Create()
    {
        var file = new Argument<FileSystemInfo[]>("files")
        {
            Description = "The feeds to push (JSON), each sent byte for byte: files, or folders of *.json files (pushed in name order).",
            Arity = ArgumentArity.OneOrMore,
        };
        var source = new Option<string?>("--source") { Description = "The source to push as (statistics, power-grid, transport, environment); "
            + "default: the feed's own `source`." };
        var hub = HubClient.HubOption();
        var key = HubClient.KeyOption(KeyVariable, "The department's API key");
        var timeout = HubClient.TimeoutOption();
        var json = new Option<bool>("--json") { Description = "Print the hub's answer as JSON instead of a summary." };
        var command = new Command(
            "push",
            "Push feeds to POST /api/feeds/{source}, one at a time. Exit 0 all accepted or duplicate, 1 one invalid (every violation printed "
            + "with its JSON Pointer), 2 unusable input, no answer, or a key or source the hub refused, 3 a hub error (the highest of the feeds').")
        {
            file,
            source,
            hub,
            key,
            timeout,
            json,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(file)!, result.GetValue(source), result.GetValue(hub)!,
                HubClient.ResolveKey(result.GetValue(key), KeyVariable), result.GetValue(timeout), result.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileSystemInfo[] inputs, string? source, string hubText, string? key,
        int timeoutSeconds, bool json, CancellationToken cancellationToken)
    {
        if (await HubClient.ReadTargetAsync(hubText, timeoutSeconds, Console.Error).ConfigureAwait(false) is not { } hub)
        {
            return ExitCodes.Unusable;
        }

        var paths = FeedFiles.Expand(inputs, out var notFound);
        foreach (var missing in notFound)
        {
            await Console.Error.WriteLineAsync($"Cannot read {missing}: not found.").ConfigureAwait(false);
        }

        if (notFound.Count > 0 || paths.Count == 0)
        {
            if (paths.Count == 0 && notFound.Count == 0)
            {
                await Console.Error.WriteLineAsync("No *.json feed in the folder(s) given.").ConfigureAwait(false);
            }

            return ExitCodes.Unusable;
        }

        if (string.IsNullOrEmpty(key))
        {
            await Console.Error.WriteLineAsync($"No key: give --key or set ${KeyVariable}.").ConfigureAwait(false);
        }

        var exit = ExitCodes.Ok;
        using var progress = ProgressLine.OnStandardError("pushing");
        for (var i = 0; i < paths.Count; i++)
        {
            progress.Step(i + 1, paths.Count, Path.GetFileName(paths[i]));
            if (paths.Count > 1)
            {
                progress.Clear();
                Console.Out.WriteLine($"== {paths[i]}");
            }

            var (one, reached) = await PushOneAsync(new FileInfo(paths[i]), source, hub!, key, timeoutSeconds, json,
                progress, cancellationToken).ConfigureAwait(false);
            exit = Math.Max(exit, one);
            if (!reached)
            {
                // The hub did not answer: the next feeds would wait out the same timeout each.
                break;
            }
        }

        return exit;
    }

    // The feed's exit code, and whether the hub answered.
    private static async Task<(int Exit, bool Reached)> PushOneAsync(
        FileInfo file, string? source, Uri hub, string? key, int timeoutSeconds, bool json, ProgressLine progress, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            progress.Clear();
            await Console.Error.WriteLineAsync($"Cannot read {file}: {ex.Message}").ConfigureAwait(false);
            return (ExitCodes.Unusable, true);
        }

        source ??= StatedSource(body);
        if (string.IsNullOrEmpty(source))
        {
            progress.Clear();
            await Console.Error.WriteLineAsync($"{file} states no `source`; give --source to push it anyway (the hub will report what is wrong with "
                + $"it).").ConfigureAwait(false);
            return (ExitCodes.Unusable, true);
        }

        HubAnswer answer;
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            answer = await HubClient.SendAsync(HttpMethod.Post, hub, $"feeds/{Uri.EscapeDataString(source)}", key,
                TimeSpan.FromSeconds(timeoutSeconds), content, cancellationToken).ConfigureAwait(false);
        }
        catch (HubUnreachableException ex)
        {
            progress.Clear();
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return (ExitCodes.Unusable, false);
        }

        progress.Clear();

        var parsed = answer.Json;
        if (json && parsed is { } whole)
        {
            Console.Out.WriteLine(TextLayout.Indented(whole));
        }

        switch (answer.Status)
        {
            case 200 or 202 when parsed is { } accepted:
                if (!json)
                {
                    WriteAccepted(accepted, duplicate: answer.Status == 200);
                }

                return (ExitCodes.Ok, true);
            case 400 when parsed is { } problem && problem.TryGetProperty("errors", out var errors):
                if (!json)
                {
                    WriteInvalid(problem, errors);
                }

                return (ExitCodes.Invalid, true);
            default:
                HubClient.WriteProblem(Console.Error, answer);
                return (answer.Status >= 500 ? ExitCodes.InternalError : ExitCodes.Unusable, true);
        }
    }

    // The feed's own source, or null when the bytes are not a JSON object that states one.
    private static string? StatedSource(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("source", out var source)
                && source.ValueKind == JsonValueKind.String
                ? source.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteAccepted(JsonElement answer, bool duplicate)
    {
        Console.Out.WriteLine($"{(duplicate ? "duplicate" : "accepted")} {TextLayout.Text(answer, "feedId")}");
        Console.Out.WriteLine($"status    {TextLayout.Text(answer, "status")}");
        if (duplicate)
        {
            Console.Out.WriteLine("These exact bytes were received before; nothing new started.");
        }

        if (answer.TryGetProperty("warnings", out var warnings))
        {
            WriteIssues("warning", warnings);
        }
    }

    private static void WriteInvalid(JsonElement problem, JsonElement errors)
    {
        Console.Out.WriteLine($"invalid {TextLayout.Text(problem, "feedId")}: {TextLayout.Text(problem, "detail")}");
        WriteIssues("error", errors);
        if (problem.TryGetProperty("warnings", out var warnings))
        {
            WriteIssues("warning", warnings);
        }

        Console.Out.WriteLine($"status    {TextLayout.Text(problem, "statusUrl")}");
    }

    // One line per issue: what, where (a JSON Pointer; the empty pointer, the whole document, shown as (document)),
    // which rule, why.
    private static void WriteIssues(string kind, JsonElement issues)
    {
        if (issues.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var issue in issues.EnumerateArray())
        {
            var pointer = TextLayout.Text(issue, "instanceLocation");
            Console.Out.WriteLine($"{kind,-8}  {(pointer.Length == 0 ? "(document)" : pointer)}  {TextLayout.Text(issue, "keyword")}  "
                + $"{TextLayout.Text(issue, "message")}");
        }
    }
}
