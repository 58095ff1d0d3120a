using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Core;

namespace IntegrationHub.Cli.Convert;

// What a conversion came to: the feed's bytes when it validates, and every message for the user.
internal sealed record ConvertOutcome(int Exit, byte[]? Feed, IReadOnlyList<string> Messages);

// hub convert <source> <sheet.csv|sheet.xlsx>: a department's sheet in its template (templates/) to a contract feed, on
// the user's machine. Nothing is written unless every cell maps and the hub's validator accepts the feed.
internal static class ConvertCommand
{
    private static readonly JsonSerializerOptions Written = new()
    {
        WriteIndented = true,

        // Chinese names (data centres) stay readable in the file; the bytes are still valid UTF-8 JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var source = new Argument<string>("source") { Description = "The template the sheet follows: statistics, power-grid, transport or environment." };
        var file = new Argument<FileInfo>("sheet") { Description = "The sheet: a .csv (UTF-8 or GB18030) or an .xlsx file." };
        var sheet = new Option<string?>("--sheet") { Description = "XLSX: the worksheet to read (default: the first)." };
        var revision = new Option<int>("--revision") { Description = "The feed's revision: 0 for the first release of the period, the next number for "
            + "a correction.", DefaultValueFactory = _ => 0 };
        var producer = new Option<string>("--producer") { Description = "The sending system's id written into the feed (1-64 characters).",
            DefaultValueFactory = _ => "hub-convert" };
        var producedAt = new Option<DateTimeOffset?>("--produced-at") { Description = "The feed's producedAt (RFC 3339 with offset); default: now." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the feed to this file instead of standard output." };
        var command = new Command(
            "convert",
            "Convert a department's CSV or XLSX sheet in its template (templates/README.md) into a contract feed (schemaVersion 1.1). "
            + "Every cell that cannot be mapped is reported with its sheet, row and column; the feed is checked with the hub's validator "
            + "before it is written. Exit 0 written, 1 cells not mapped or the feed invalid (nothing written), 2 unusable input.")
        {
            source,
            file,
            sheet,
            revision,
            producer,
            producedAt,
            output,
        };
        command.SetAction(result =>
        {
            var outcome = Convert(
                result.GetValue(source)!, result.GetValue(file)!.FullName, result.GetValue(sheet),
                new FeedEnvelope(result.GetValue(revision), result.GetValue(producedAt) ?? Now(), result.GetValue(producer)!),
                new HubCore());
            foreach (var message in outcome.Messages)
            {
                Console.Error.WriteLine(message);
            }

            if (outcome.Feed is { } feed)
            {
                return Write(feed, result.GetValue(output));
            }

            return outcome.Exit;
        });
        return command;
    }

    public static ConvertOutcome Convert(string source, string path, string? sheetName, FeedEnvelope envelope, HubCore core)
    {
        if (!Templates.BySource.TryGetValue(source, out var template))
        {
            return new ConvertOutcome(ExitCodes.Unusable, null, [$"'{source}' is not a template: give statistics, power-grid, transport or environment."]);
        }

        if (envelope.Revision is < 0 or > 9999 || envelope.Producer.Length is < 1 or > 64)
        {
            return new ConvertOutcome(ExitCodes.Unusable, null, ["--revision is 0 to 9999 and --producer 1 to 64 characters."]);
        }

        Sheet sheet;
        try
        {
            sheet = Sheet.Read(path, sheetName);
        }
        catch (SheetUnusableException ex)
        {
            return new ConvertOutcome(ExitCodes.Unusable, null, [ex.Message]);
        }

        var conversion = new SheetConverter(template).Convert(sheet, envelope);
        if (conversion.Feed is not { } feed)
        {
            return new ConvertOutcome(ExitCodes.Invalid, null,
                [.. conversion.Problems.Select(p => p.ToString()), $"{conversion.Problems.Count} problem(s) in sheet {sheet.Name}; no feed written."]);
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(feed, Written);
        var report = core.Validator.Validate(bytes, source).Report;
        if (!report.Valid)
        {
            // The hub would reject it: each error on the cell its value came from, with the JSON Pointer the hub names.
            return new ConvertOutcome(ExitCodes.Invalid, null,
                [.. report.Errors.Select(e =>
                    $"{(conversion.CellOf(e.InstanceLocation) is { } cell ? cell + ": " : "")}{e.Keyword}: {e.Message} "
                        + $"({(e.InstanceLocation.Length == 0 ? "the feed" : e.InstanceLocation)})"),
                 $"{report.Errors.Count} error(s): the feed would be rejected; no feed written."]);
        }

        var records = feed["records"]!.AsArray().Count;
        return new ConvertOutcome(ExitCodes.Ok, bytes,
            [.. report.Warnings.Select(w => $"warning {(conversion.CellOf(w.InstanceLocation) is { } cell ? cell + ": " : "")}{w.Keyword}: {w.Message}"),
             string.Create(CultureInfo.InvariantCulture, $"{source} {feed["period"]}: {records} record(s) from sheet {sheet.Name}; valid.")]);
    }

    private static int Write(byte[] feed, FileInfo? output)
    {
        try
        {
            if (output is null)
            {
                using var stdout = Console.OpenStandardOutput();
                stdout.Write(feed);
                stdout.Write("\n"u8);
            }
            else
            {
                File.WriteAllBytes(output.FullName, [.. feed, (byte)'\n']);
                Console.Error.WriteLine($"written to {output}");
            }

            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Cannot write {output}: {ex.Message}");
            return ExitCodes.Unusable;
        }
    }

    // Now, to the second, at this machine's offset (a department's clock, as it would stamp the feed).
    private static DateTimeOffset Now()
    {
        var now = DateTimeOffset.Now;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
    }
}
