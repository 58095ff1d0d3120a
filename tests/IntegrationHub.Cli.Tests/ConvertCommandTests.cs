using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Cli.Convert;
using IntegrationHub.Cli.Tests.Support;
using IntegrationHub.Core.Tests.Support;

namespace IntegrationHub.Cli.Tests;

/// <summary>`hub convert`: the committed templates (templates/) and hand-made bad sheets, to feeds the hub accepts, or
/// to a list of the cells at fault.</summary>
public class ConvertCommandTests
{
    private static readonly FeedEnvelope Envelope =
        new(0, DateTimeOffset.Parse("2025-03-28T15:45:00+08:00", System.Globalization.CultureInfo.InvariantCulture), "hn-test-sheet");

    private static string Template(string name) => Path.Combine(RepoPaths.Templates, name);

    private static (ConvertOutcome Outcome, JsonNode? Feed) Convert(string source, string path, string? sheet = null)
    {
        var outcome = ConvertCommand.Convert(source, path, sheet, Envelope, TestCore.Core);
        return (outcome, outcome.Feed is null ? null : JsonNode.Parse(outcome.Feed));
    }

    private static double Number(JsonNode feed, string pointer) => Node(feed, pointer).GetValue<double>();

    private static JsonNode Node(JsonNode feed, string pointer)
    {
        var node = feed;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node is JsonArray array ? array[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : node[part]!;
        }

        return node;
    }

    [Theory]
    [InlineData("statistics")]
    [InlineData("power-grid")]
    [InlineData("transport")]
    [InlineData("environment")]
    public void Template_CsvAndXlsx_GiveTheSameValidFeed(string source)
    {
        var (csv, csvFeed) = Convert(source, Template($"{source}.csv"));
        var (xlsx, _) = Convert(source, Template($"{source}.xlsx"));

        Assert.True(csv.Exit == 0, string.Join("\n", csv.Messages));
        Assert.True(xlsx.Exit == 0, string.Join("\n", xlsx.Messages));
        Assert.Equal(csv.Feed, xlsx.Feed);
        Assert.True(TestCore.Core.Validator.Validate(csv.Feed!, source).Report.Valid);
        Assert.Equal(("1.1", source, 0, "hn-test-sheet"), (Node(csvFeed!, "schemaVersion").GetValue<string>(), Node(csvFeed!, "source").GetValue<string>(),
            Node(csvFeed!, "revision").GetValue<int>(), Node(csvFeed!, "producer").GetValue<string>()));
    }

    [Theory]
    [InlineData("statistics", "statistics-2024-r0.json")]
    [InlineData("power-grid", "power-grid-2024-06-r0.json")]
    [InlineData("transport", "transport-2024-06-r0.json")]
    [InlineData("environment", "environment-2024-06-r0.json")]
    public void Template_HoldsThreeAreasOfASampleFeed_AndConvertsBackToTheirRecords(string source, string sample)
    {
        // The templates were typed from the sample feeds' figures: each record must come back exactly as the department sent it.
        var (outcome, feed) = Convert(source, Template($"{source}.xlsx"));
        Assert.True(outcome.Exit == 0, string.Join("\n", outcome.Messages));
        var original = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.SampleFeeds, "2024", sample)))!;
        var records = feed!["records"]!.AsArray();
        Assert.Equal(3, records.Count);
        foreach (var record in records)
        {
            var code = record!["areaCode"]!.GetValue<string>();
            var sent = original["records"]!.AsArray().Single(r => r!["areaCode"]!.GetValue<string>() == code);
            Assert.True(JsonNode.DeepEquals(sent, record), $"{code}: {record.ToJsonString()} != {sent!.ToJsonString()}");
        }

        Assert.Equal(original["period"]!.GetValue<string>(), feed["period"]!.GetValue<string>());
    }

    [Fact]
    public void Statistics_FiguresAreTheCells()
    {
        var (_, feed) = Convert("statistics", Template("statistics.csv"));

        // Row 2: 430104001's GDP and population, and Changsha's benchmark for the feed; row 4 its transport fuels.
        Assert.Equal("2024", Node(feed!, "period").GetValue<string>());
        Assert.Equal(-16.8, Number(feed!, "benchmarks/changshaCarbonIntensityChangeVs2020Pct"));
        Assert.Equal(
            (672290.71, 648239.67, 5.61),
            (Number(feed!, "records/0/gdp10kCny"), Number(feed!, "records/0/gdpConstant2020_10kCny"), Number(feed!, "records/0/population10k")));
        var energy = feed!["records"]![0]!["energy"]!.AsArray();
        Assert.Equal(9, energy.Count);   // rows 2-6: 1 + 1 + 3 + 2 + 2 fuel cells
        Assert.Equal(["transport", "gasoline", "9264.74"], new[] { "sector", "fuel", "quantity" }.Select(f => energy[3]![f]!.ToString()));
        // Row 12: the high-tech zone's feedstock, and its industry's raw coal (1st of 5 fuel cells) and purchased heat (5th).
        Assert.Equal("PARK_CSHTZ", Node(feed!, "records/2/areaCode").GetValue<string>());
        Assert.Equal(
            (12176.65, 1174899.63, 15692592.21),
            (Number(feed!, "records/2/feedstockTce"), Number(feed!, "records/2/energy/0/quantity"), Number(feed!, "records/2/energy/4/quantity")));
        Assert.Equal(
            ("raw-coal", "heat"), (Node(feed!, "records/2/energy/0/fuel").GetValue<string>(), Node(feed!, "records/2/energy/4/fuel").GetValue<string>()));
    }

    [Fact]
    public void PowerGrid_FiguresAreTheCells()
    {
        var (_, feed) = Convert("power-grid", Template("power-grid.xlsx"));

        // Row 3 (430104011): industry C3, agriculture H3, green power O3; the grid's share P2-P4.
        Assert.Equal(53.6, Number(feed!, "gridNonFossilSharePct"));
        Assert.Equal(("industry", 194382.98), (Node(feed!, "records/1/consumption/0/sector").GetValue<string>(), Number(feed!, "records/1/consumption/0/mwh")));
        Assert.Equal(
            ("agriculture", 3679.869), (Node(feed!, "records/1/consumption/5/sector").GetValue<string>(), Number(feed!, "records/1/consumption/5/mwh")));
        Assert.Equal((28778.7, 10227.578), (Number(feed!, "records/1/pvInstalledKw"), Number(feed!, "records/1/greenPowerTradedMwh")));
        // Row 2: no agriculture cell, no green power: neither is in the record.
        Assert.Equal(5, feed!["records"]![0]!["consumption"]!.AsArray().Count);
        Assert.Null(feed["records"]![0]!["greenPowerTradedMwh"]);
    }

    [Fact]
    public void Transport_FiguresAreTheCells()
    {
        var (_, feed) = Convert("transport", Template("transport.csv"));

        // Row 7: 430104001's private cars, fleet and registrations; row 2 its area-wide figures.
        var privateCars = Node(feed!, "records/0/vehicles/5");
        Assert.Equal(
            ("private", 19314, 2399),
            (privateCars["category"]!.GetValue<string>(), privateCars["total"]!.GetValue<int>(), privateCars["nev"]!.GetValue<int>()));
        var registered = Node(feed!, "records/0/newRegistrations/5");
        Assert.Equal(
            (100, 27, 0, 17),
            (registered["total"]!.GetValue<int>(), registered["bev"]!.GetValue<int>(), registered["fcev"]!.GetValue<int>(),
            registered["phev"]!.GetValue<int>()));
        Assert.Equal(
            (3084, 824, 555),
            (Node(feed!, "records/0/publicParkingSpaces").GetValue<int>(), Node(feed!, "records/0/publicParkingSpacesWithChargers").GetValue<int>(),
            Node(feed!, "records/0/publicChargers").GetValue<int>()));
        Assert.Equal(
            (740.92, 328.74, 59.96),
            (Number(feed!, "records/0/fuelSales/gasolineT"), Number(feed!, "records/0/fuelSales/dieselT"), Number(feed!, "records/0/transitBoardings10k")));
    }

    [Fact]
    public void Environment_FiguresAreTheCells()
    {
        var (_, feed) = Convert("environment", Template("environment.csv"));

        Assert.Equal((52.8, 22.7, 28, 30), (Number(feed!, "records/0/airQuality/aqiMean"), Number(feed!, "records/0/airQuality/pm25UgM3"),
            Node(feed!, "records/0/airQuality/goodDays").GetValue<int>(), Node(feed!, "records/0/airQuality/days").GetValue<int>()));
        // Rows 3 and 4: 430104011's two data centres, 既有 and 新建.
        var centres = feed!["records"]![1]!["dataCentres"]!.AsArray();
        Assert.Equal(2, centres.Count);
        Assert.Equal(("dc-lugu-cloud-1", "麓谷云计算中心", "existing", 3097.254, 4484.843),
            (centres[0]!["id"]!.GetValue<string>(), centres[0]!["name"]!.GetValue<string>(), centres[0]!["status"]!.GetValue<string>(),
                centres[0]!["itMwh"]!.GetValue<double>(), centres[0]!["totalMwh"]!.GetValue<double>()));
        Assert.Equal("new", centres[1]!["status"]!.GetValue<string>());
        Assert.Equal((10.02, 10.02), (Number(feed, "records/2/buildings/newCivilFloorArea10kM2"), Number(feed, "records/2/buildings/newGreenFloorArea10kM2")));
        Assert.Null(feed["records"]![0]!["dataCentres"]);
    }

    private static readonly string[] PowerGridHeader =
    [
        "区域代码", "报告期", "工业用电量(MWh)", "建筑业用电量(MWh)", "分布式光伏装机容量(kW)", "公共建筑分布式光伏装机容量(kW)",
        "分布式光伏发电量(MWh)", "最高负荷(MW)", "需求响应次数(次)", "需求响应削减电量(MWh)",
    ];

    private static IEnumerable<string[]> BadPowerGridRows() =>
    [
        PowerGridHeader,
        ["430104001", "2024-06", "797.653", "455.549", "2266.9", "1511.8", "259.11", "34.064", "2", "15.5"],
        ["430104002", "2024-06", "1453.478", "839.359", "3000", "1200", "300", "12,5", "", ""],
        ["430104003", "2024-07", "100", "50", "10", "5", "1", "3", "2.5", "1"],
        ["", "2024-06", "100", "50", "10", "5", "1", "3", "", ""],
        ["430104001", "2024-06", "", "", "2300", "", "", "", "", ""],
        ["430104004", "2024-06", "100", "abc", "10", "5", "1", "3", "1", ""],
    ];

    // Hand-written from the rows above: every cell at fault, row by row, then what areas lack (a cell already reported
    // as unreadable is not reported again as missing).
    private static readonly string[] BadPowerGridProblems =
    [
        "row 3, column H (最高负荷(MW)): \"12,5\" is not a number.",
        "row 4, column I (需求响应次数(次)): \"2.5\" is not a whole number.",
        "row 4, column B (报告期): \"2024-07\" differs from \"2024-06\" in row 2: one value for the feed.",
        "row 5, column A (区域代码): is empty: every row needs its area code.",
        "row 6, column E (分布式光伏装机容量(kW)): \"2300\" differs from \"2266.9\" in row 2: one value for area 430104001.",
        "row 7, column D (建筑业用电量(MWh)): \"abc\" is not a number.",
        "row 7, column J (需求响应削减电量(MWh)): is empty in every row of area 430104004: the record needs it (with the other columns of its group).",
    ];

    [Fact]
    public void BadCells_Xlsx_EachReportedWithSheetRowAndColumn()
    {
        using var folder = new TempFolder();
        var sheet = Sheets.WriteXlsx(folder.File("电网-2024-06.xlsx"), "电网", BadPowerGridRows());

        var (outcome, _) = Convert("power-grid", sheet);

        Assert.Equal(1, outcome.Exit);
        Assert.Null(outcome.Feed);
        Assert.Equal([.. BadPowerGridProblems.Select(p => "sheet 电网, " + p), "7 problem(s) in sheet 电网; no feed written."], outcome.Messages);
    }

    [Fact]
    public void BadCells_Csv_TheSameCellsNamedByTheFile()
    {
        using var folder = new TempFolder();
        var sheet = Sheets.WriteCsv(folder.File("grid-june.csv"), BadPowerGridRows());

        var (outcome, _) = Convert("power-grid", sheet);

        Assert.Equal(1, outcome.Exit);
        Assert.Equal(
            [.. BadPowerGridProblems.Select(p => "sheet grid-june.csv, " + p), "7 problem(s) in sheet grid-june.csv; no feed written."], outcome.Messages);
    }

    [Fact]
    public void UnknownLabelsAndHeaders_AreReportedAtTheirCells()
    {
        using var folder = new TempFolder();
        var sheet = Sheets.WriteCsv(folder.File("transport.csv"),
        [
            ["区域代码", "报告期", "车辆类别", "保有量(辆)", "其中新能源汽车(辆)", "备注"],
            ["430104001", "2024-06", "公交车", "48", "44", ""],
        ]);
        var (headerOutcome, _) = Convert("transport", sheet);

        // No 公共停车位 and the other required columns, and a column the template does not have.
        Assert.Equal(1, headerOutcome.Exit);
        Assert.Contains(
            "sheet transport.csv, row 1, column F (备注): is not a column of the transport template (templates/README.md lists them).", headerOutcome.Messages);
        Assert.Contains("sheet transport.csv, row 1: no column 公共停车位(个): the transport template needs it here.", headerOutcome.Messages);

        var labels = Sheets.WriteCsv(folder.File("statistics.csv"),
        [
            ["区域代码", "报告期", "地区生产总值(现价)(万元)", "地区生产总值(2020年可比价)(万元)", "行业", "原煤(t)"],
            ["430104001", "2024", "100", "90", "重工业", "5"],
        ]);
        var (labelOutcome, _) = Convert("statistics", labels);
        Assert.Equal(
            "sheet statistics.csv, row 2, column E (行业): \"重工业\" is not one of: 工业、建筑业、交通运输、仓储和邮政业、批发零售、住宿餐饮及其他服务业、城乡居民生活、农林牧渔业.", labelOutcome.Messages[0]);
    }

    [Fact]
    public void PeriodThatExcelMadeADate_IsReportedAsSuch()
    {
        using var folder = new TempFolder();
        // 45444 is the serial number Excel stores for 2024-06-01 when 2024-06 is typed into a date-formatted cell.
        var rows = BadPowerGridRows().Take(2).Select(r => r.ToArray()).ToList();
        rows[1][1] = "45444";
        var sheet = Sheets.WriteXlsx(folder.File("电网.xlsx"), "电网", rows);

        var (outcome, _) = Convert("power-grid", sheet);

        Assert.Equal(
            "sheet 电网, row 2, column B (报告期): \"45444\" is a number, not a period: Excel made a date of it; type the period as text (YYYY-MM, " +
            "YYYY-Qn or YYYY).", outcome.Messages[0]);
    }

    [Fact]
    public void FeedTheHubWouldReject_ErrorsTracedToTheirCells()
    {
        using var folder = new TempFolder();
        var sheet = Sheets.WriteCsv(folder.File("transport-bad.csv"),
        [
            ["区域代码", "报告期", "车辆类别", "保有量(辆)", "其中新能源汽车(辆)", "公共停车位(个)", "配建充电设施的公共停车位(个)", "公共充电桩(个)", "公共充电量(MWh)", "汽油销售量(t)", "柴油销售量(t)"],
            ["430104001", "2024-06", "公交车", "48", "44", "3084", "824", "555", "1606.239", "740.92", "328.74"],
            ["430104001", "2024-06", "出租车", "100", "101", "", "", "", "", "", ""],
            ["999999999", "2024-06", "公交车", "10", "1", "10", "1", "1", "1", "1", "1"],
        ]);

        var (outcome, _) = Convert("transport", sheet);

        // nev 101 over the total 100 (row 3), and an area code the reference data does not know (row 4).
        Assert.Equal(1, outcome.Exit);
        Assert.Null(outcome.Feed);
        Assert.Contains(
            outcome.Messages, m => m.StartsWith("sheet transport-bad.csv, row 3, column E (其中新能源汽车(辆)): rule:nev-le-total: ", StringComparison.Ordinal)
            && m.EndsWith("(/records/0/vehicles/1/nev)", StringComparison.Ordinal));
        Assert.Contains(outcome.Messages, m => m.StartsWith("sheet transport-bad.csv, row 4, column A (区域代码): rule:known-area: ", StringComparison.Ordinal));
        Assert.Equal("2 error(s): the feed would be rejected; no feed written.", outcome.Messages[^1]);
    }

    [Fact]
    public void Csv_SavedAsGb18030WithFullWidthBrackets_ReadsAsTheTemplate()
    {
        // Excel's plain "CSV" on a Chinese Windows writes GB18030 (GBK); hand-typed headers often carry （）.
        using var folder = new TempFolder();
        var utf8 = File.ReadAllText(Template("power-grid.csv"));
        var typed = utf8.Replace("(MWh)", "（MWh）", StringComparison.Ordinal).Replace("(kW)", " (kW)", StringComparison.Ordinal);
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var gbk = folder.File("电网.csv");
        File.WriteAllBytes(gbk, System.Text.Encoding.GetEncoding("GB18030").GetBytes(typed.TrimStart('\uFEFF')));

        var (fromGbk, _) = Convert("power-grid", gbk);
        var (fromTemplate, _) = Convert("power-grid", Template("power-grid.csv"));

        Assert.True(fromGbk.Exit == 0, string.Join("\n", fromGbk.Messages));
        Assert.Equal(fromTemplate.Feed, fromGbk.Feed);
    }

    [Fact]
    public void Hub_ConvertWithBadCells_Exits1AndWritesNothing()
    {
        using var folder = new TempFolder();
        var sheet = Sheets.WriteXlsx(folder.File("电网.xlsx"), "电网", BadPowerGridRows());
        var output = folder.File("feed.json");

        var (exit, stdout, stderr) = Processes.Hub("convert", "power-grid", sheet, "-o", output);

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.False(File.Exists(output));
        Assert.Contains("sheet 电网, row 7, column D (建筑业用电量(MWh)): \"abc\" is not a number.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Hub_ConvertTemplate_WritesAFeedThatHubValidateAccepts()
    {
        using var folder = new TempFolder();
        var output = folder.File("environment-2024-06-r1.json");

        var convert = Processes.Hub("convert", "environment", Template("environment.xlsx"), "--revision", "1", "--producer", "xjna-eco-env-sheet",
            "--produced-at", "2024-07-10T09:00:00+08:00", "-o", output);
        Assert.True(convert.ExitCode == 0, convert.Stderr);

        var validate = Processes.Hub("validate", "--source", "environment", output);
        Assert.True(validate.ExitCode == 0, validate.Stdout);
        using var feed = JsonDocument.Parse(File.ReadAllBytes(output));
        Assert.Equal((1, "xjna-eco-env-sheet", "2024-07-10T09:00:00+08:00"),
            (feed.RootElement.GetProperty("revision").GetInt32(), feed.RootElement.GetProperty("producer").GetString(),
                feed.RootElement.GetProperty("producedAt").GetString()));
    }

    [Fact]
    public void Hub_ConvertUnknownTemplateOrFile_Exits2()
    {
        Assert.Equal(2, Processes.Hub("convert", "weather", Template("power-grid.csv")).ExitCode);
        var (exit, _, stderr) = Processes.Hub("convert", "power-grid", Template("README.md"));
        Assert.Equal(2, exit);
        Assert.Contains(".csv or .xlsx", stderr, StringComparison.Ordinal);
    }
}
