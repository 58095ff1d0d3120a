using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace IntegrationHub.Cli;

// hub supply: the supply calendar of a running hub (GET /api/supply), one row per source and period.
internal static class SupplyCommand
{
    private static readonly Option<string> Hub = HubClient.HubOption();
    private static readonly Option<int> Timeout = HubClient.TimeoutOption();
    private static readonly Option<bool> Json = new("--json") { Description = "Print the hub's answer as JSON." };
    private static readonly Option<string?> Source = new("--source")
    {
        Description = "Only this source: statistics, power-grid, transport or environment.",
    };

    private static readonly Option<string?> From = new("--from")
    {
        Description = "Periods ending from the first month of this period on (2025, 2025-Q1 or 2025-03).",
    };

    private static readonly Option<string?> To = new("--to") { Description = "Periods ending by the last month of this period." };

    public static Command Create()
    {
        var command = new Command(
            "supply",
            "The supply calendar: per source and period, when its feed is due and whether it is pending, received, revised, late or "
            + "missing, with every feed received.")
        {
            Hub, Timeout, Json, Source, From, To,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var timeout = result.GetValue(Timeout);
        if (await HubClient.ReadTargetAsync(result.GetValue(Hub)!, timeout, Console.Error).ConfigureAwait(false) is not { } hub)
        {
            return ExitCodes.Unusable;
        }

        var query = new StringBuilder("supply");
        foreach (var (name, value) in new[] { ("source", result.GetValue(Source)), ("from", result.GetValue(From)), ("to", result.GetValue(To)) })
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Append(query.Length == "supply".Length ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }
        }

        HubAnswer answer;
        try
        {
            answer = await HubClient.SendAsync(
                HttpMethod.Get, hub!, query.ToString(), null, TimeSpan.FromSeconds(timeout), null, cancellationToken).ConfigureAwait(false);
        }
        catch (HubUnreachableException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return ExitCodes.Unusable;
        }

        if (!answer.IsSuccess || answer.Json is not { } json)
        {
            HubClient.WriteProblem(Console.Error, answer);
            return HubClient.ExitCodeOf(answer);
        }

        if (result.GetValue(Json))
        {
            Console.Out.WriteLine(TextLayout.Indented(json));
        }
        else
        {
            Write(Console.Out, json);
        }

        return ExitCodes.Ok;
    }

    // The table, then the count per state. Times in China time, as the due dates are.
    internal static void Write(TextWriter output, JsonElement supply)
    {
        var cells = supply.GetProperty("cells").EnumerateArray().ToList();
        TextLayout.Table(output, ["SOURCE", "PERIOD", "DUE BY", "STATE", "FIRST RECEIVED (+08:00)", "FEEDS"], cells.Select(c => (IReadOnlyList<string>)
        [
            TextLayout.Text(c, "source"),
            TextLayout.Text(c, "period"),
            TextLayout.Text(c, "dueBy"),
            TextLayout.Text(c, "state"),
            China(c.GetProperty("receivedAt")),
            string.Join(", ", c.GetProperty("feeds").EnumerateArray().Select(f =>
                string.Create(CultureInfo.InvariantCulture, $"r{f.GetProperty("revision").GetInt32()} {China(f.GetProperty("receivedAt"))}"))),
        ]));
        var counts = supply.GetProperty("counts").EnumerateObject().Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Value.GetInt32()}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cells.Count} period(s): {string.Join(", ", counts)}"));
    }

    private static string China(JsonElement time) =>
        time.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : "-";
}
