using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Cli.Convert;

internal enum CellKind
{
    Text,
    Number,
    Integer,

    // One of the template's Chinese labels (or the contract's own id), written as the contract's id.
    Code,
}

// Where a column's value goes in the feed.
internal enum ColumnRole
{
    // The record's areaCode: rows with the same code make one record.
    Area,

    // A field of the feed itself (period, the power grid's monthly share, ...): the same in every row that gives it.
    Envelope,

    // A field of the record (a dotted path for an object inside it): the same in every row of the area that gives it.
    Record,

    // The key of the row's array items (行业, 车辆类别, 数据中心编号): one item per key and area.
    ItemKey,

    // A field of an array item: of the row's keyed item, or of an item the column itself names (a sector's
    // consumption).
    Item,
}

// Headers: the template's header first, then other spellings accepted. Path: the field (dotted inside an object).
// Required: every feed, record (in an object: needs the object) or item of its slot needs it.
// Group / GroupOptional: a record field's object, asked for whole once given in part, and the fields it may leave out.
// Array: an item's array (or the arrays an ItemKey keys). Slot: which item of the row the column fills (several columns
// fill one vehicle item; each fuel column its own energy item). Fixed: properties the column implies ({"fuel": ...}).
internal sealed record TemplateColumn(
    string[] Headers,
    ColumnRole Role,
    CellKind Kind,
    string Path,
    bool Required = false,
    string? Group = null,
    bool GroupOptional = false,
    string? Array = null,
    string? Slot = null,
    IReadOnlyDictionary<string, string>? Fixed = null,
    IReadOnlyDictionary<string, string>? Codes = null)
{
    public string Header => Headers[0];
}

// A department's sheet layout: its columns with Chinese headers (units as the contract states them).
// KeyField: the item field the row key fills (sector, category, id); null without a key column.
internal sealed record Template(string Source, string SheetName, string? KeyField, IReadOnlyList<TemplateColumn> Columns);

internal static class Templates
{
    public static readonly IReadOnlyDictionary<string, string> Sectors = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["工业"] = "industry",
        ["建筑业"] = "construction",
        ["交通运输、仓储和邮政业"] = "transport",
        ["批发零售、住宿餐饮及其他服务业"] = "commercial",
        ["城乡居民生活"] = "residential",
        ["农林牧渔业"] = "agriculture",
    };

    public static readonly IReadOnlyDictionary<string, string> Categories = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["公交车"] = "bus",
        ["出租车"] = "taxi",
        ["公共领域公务车辆"] = "public-sector",
        ["物流车"] = "logistics",
        ["环卫车"] = "sanitation",
        ["私人及其他社会车辆"] = "private",
    };

    public static readonly IReadOnlyDictionary<string, string> DataCentreStatus = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["新建"] = "new",
        ["既有"] = "existing",
    };

    private static readonly TemplateColumn AreaColumn = new(["区域代码", "地区代码"], ColumnRole.Area, CellKind.Text, "areaCode", Required: true);
    private static readonly TemplateColumn PeriodColumn = new(["报告期", "期间"], ColumnRole.Envelope, CellKind.Text, "period", Required: true);

    public static readonly Template Statistics = new(FeedSource.Statistics, "统计", "sector",
    [
        AreaColumn,
        PeriodColumn,
        Record("地区生产总值(现价)(万元)", "gdp10kCny", required: true),
        Record("地区生产总值(2020年可比价)(万元)", "gdpConstant2020_10kCny", required: true),
        Record("常住人口(万人)", "population10k"),
        Record("原料用能(tce)", "feedstockTce"),
        new(["长沙市碳排放强度较2020年变化(%)"], ColumnRole.Envelope, CellKind.Number, "benchmarks.changshaCarbonIntensityChangeVs2020Pct"),
        new(["行业"], ColumnRole.ItemKey, CellKind.Code, "sector", Array: "energy", Codes: Sectors),
        Fuel("原煤(t)", "raw-coal"),
        Fuel("天然气(万m³)", "natural-gas"),
        Fuel("汽油(t)", "gasoline"),
        Fuel("柴油(t)", "diesel"),
        Fuel("燃料油(t)", "fuel-oil"),
        Fuel("液化石油气(t)", "lpg"),
        Fuel("外购热力(GJ)", "heat"),
        Fuel("电力(MWh)", "electricity"),
    ]);

    public static readonly Template PowerGrid = new(FeedSource.PowerGrid, "电网", null,
    [
        AreaColumn,
        PeriodColumn,
        Consumption("工业用电量(MWh)", "industry"),
        Consumption("建筑业用电量(MWh)", "construction"),
        Consumption("交通运输、仓储和邮政业用电量(MWh)", "transport"),
        Consumption("批发零售、住宿餐饮及其他服务业用电量(MWh)", "commercial"),
        Consumption("城乡居民生活用电量(MWh)", "residential"),
        Consumption("农林牧渔业用电量(MWh)", "agriculture"),
        Record("分布式光伏装机容量(kW)", "pvInstalledKw", required: true),
        Record("公共建筑分布式光伏装机容量(kW)", "pvPublicBuildingsInstalledKw", required: true),
        Record("分布式光伏发电量(MWh)", "pvGenerationMwh", required: true),
        Record("最高负荷(MW)", "peakLoadMw", required: true),
        Record("需求响应次数(次)", "demandResponse.events", CellKind.Integer),
        Record("需求响应削减电量(MWh)", "demandResponse.curtailedMwh"),
        Record("绿电交易量(MWh)", "greenPowerTradedMwh"),
        new(["电网非化石电量占比(%)"], ColumnRole.Envelope, CellKind.Number, "gridNonFossilSharePct"),
    ]);

    public static readonly Template Transport = new(FeedSource.Transport, "交通", "category",
    [
        AreaColumn,
        PeriodColumn,
        new(["车辆类别"], ColumnRole.ItemKey, CellKind.Code, "category", Array: "vehicles,newRegistrations", Codes: Categories),
        Item("保有量(辆)", "vehicles", "total"),
        Item("其中新能源汽车(辆)", "vehicles", "nev"),
        Item("新注册总数(辆)", "newRegistrations", "total"),
        Item("新注册纯电动(辆)", "newRegistrations", "bev"),
        Item("新注册燃料电池(辆)", "newRegistrations", "fcev"),
        Item("新注册插电混动(辆)", "newRegistrations", "phev"),
        Record("公共停车位(个)", "publicParkingSpaces", CellKind.Integer, required: true),
        Record("配建充电设施的公共停车位(个)", "publicParkingSpacesWithChargers", CellKind.Integer, required: true),
        Record("公共充电桩(个)", "publicChargers", CellKind.Integer, required: true),
        Record("公共充电量(MWh)", "chargingMwh", required: true),
        Record("汽油销售量(t)", "fuelSales.gasolineT", required: true),
        Record("柴油销售量(t)", "fuelSales.dieselT", required: true),
        Record("公共交通客运量(万人次)", "transitBoardings10k"),
    ]);

    public static readonly Template Environment = new(FeedSource.Environment, "生态环境", "id",
    [
        AreaColumn,
        PeriodColumn,
        Record("平均空气质量指数(AQI)", "airQuality.aqiMean", required: true),
        Record("PM2.5平均浓度(μg/m³)", "airQuality.pm25UgM3", required: true),
        Record("优良天数(天)", "airQuality.goodDays", CellKind.Integer, required: true),
        Record("有效监测天数(天)", "airQuality.days", CellKind.Integer, required: true),
        Record("碳汇量(tCO2)", "carbonSinkTco2", required: true),
        Record("新建民用建筑(栋)", "buildings.newCivilBuildings", CellKind.Integer),
        Record("新建绿色建筑达标数(栋)", "buildings.newGreenCompliant", CellKind.Integer),
        Record("已安装光伏的公共建筑(栋)", "buildings.publicBuildingsWithPv", CellKind.Integer),
        Record("具备光伏安装条件的公共建筑(栋)", "buildings.publicBuildingsEligibleForPv", CellKind.Integer),
        Record("新建民用建筑面积(万m²)", "buildings.newCivilFloorArea10kM2", groupOptional: true),
        Record("新建绿色建筑面积(万m²)", "buildings.newGreenFloorArea10kM2", groupOptional: true),
        new(["数据中心编号"], ColumnRole.ItemKey, CellKind.Text, "id", Array: "dataCentres"),
        Item("数据中心名称", "dataCentres", "name", CellKind.Text),
        new(["数据中心类别"], ColumnRole.Item, CellKind.Code, "status", Required: true, Array: "dataCentres", Slot: "dataCentres", Codes: DataCentreStatus),
        Item("IT设备能耗(MWh)", "dataCentres", "itMwh", CellKind.Number),
        Item("数据中心总能耗(MWh)", "dataCentres", "totalMwh", CellKind.Number),
    ]);

    public static readonly IReadOnlyDictionary<string, Template> BySource = new Dictionary<string, Template>(StringComparer.Ordinal)
    {
        [FeedSource.Statistics] = Statistics,
        [FeedSource.PowerGrid] = PowerGrid,
        [FeedSource.Transport] = Transport,
        [FeedSource.Environment] = Environment,
    };

    // A record field; in a dotted path, a field of an object that is given whole or not at all. groupOptional: Inside
    // its object, a field that may be left out when the others are given.
    private static TemplateColumn Record(string header, string path, CellKind kind = CellKind.Number, bool required = false, bool groupOptional = false)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        return new([header], ColumnRole.Record, kind, path, Required: required, Group: dot > 0 ? path[..dot] : null, GroupOptional: groupOptional);
    }

    private static TemplateColumn Fuel(string header, string fuel) =>
        new([header], ColumnRole.Item, CellKind.Number, "quantity", Required: true, Array: "energy", Slot: "energy:" + fuel,
            Fixed: new Dictionary<string, string>(StringComparer.Ordinal) { ["fuel"] = fuel });

    private static TemplateColumn Consumption(string header, string sector) =>
        new([header], ColumnRole.Item, CellKind.Number, "mwh", Required: true, Array: "consumption", Slot: "consumption:" + sector,
            Fixed: new Dictionary<string, string>(StringComparer.Ordinal) { ["sector"] = sector });

    private static TemplateColumn Item(string header, string array, string field, CellKind kind = CellKind.Integer) =>
        new([header], ColumnRole.Item, kind, field, Required: true, Array: array, Slot: array);
}
