using System.Text.Json;
using IntegrationHub.LocalHost.Tests.Support;

namespace IntegrationHub.LocalHost.Tests.EndToEnd;

/// <summary>
/// What revision 1 of the statistics 2024-Q4 feed changes in the 2024-Q4 data set, worked out by hand.
/// </summary>
/// <remarks>
/// <para>
/// Comparing statistics-2024-Q4-r0.json with -r1.json record by record: every one of the 29 records (24 leaves and
/// 5 parks) changes at least one fossil-fuel quantity (natural gas, LPG, diesel, gasoline, raw coal or fuel oil); the
/// purchased heat quantity changes in 430104009, 430104015, 430104017, 430112008, PARK_YH and PARK_XJKXC; some
/// areas also change their GDP; no electricity item changes.
/// </para>
/// <para>
/// With the power-grid months of the quarter present and no transport, environment or 2020 feed, contract 2.0's
/// formulas make a fossil or heat quantity move energy.totalTce (FH + E × c) and with it energy.intensity,
/// energy.nonFossilSharePct (non-fossil tce, from the grid alone, over the total), energy.assessedTce and
/// energy.assessedIntensity (total − non-fossil − feedstock; no feedstock changes), energy.electricityShareOfFinalPct
/// (E × 0.1229 over FH + E × 0.1229) and, where the area burns raw coal, energy.coalSharePct; carbon.directTco2 and so
/// carbon.totalTco2 and carbon.intensity. The breakdowns move where their own items move: energy.sector.&lt;s&gt;Tce and
/// carbon.sector.&lt;s&gt;Tco2 for each sector with a changed non-electricity item, energy.fuel.&lt;f&gt;Tce for each fuel whose
/// total changed; heat also moves carbon.heatTco2. Parents are sums of their children: 430104 of the 430104… areas, WCM
/// of the 430112… areas, XJNA of both; parks are overlays and count for nobody. Nothing else moves:
/// carbon.electricityTco2, energy.nonFossilTce, the grid share and power.* come from the grid alone, carbon.netTco2
/// needs the environment's carbon sink, the …ChangeVs2020Pct figures need 2020.
/// </para>
/// </remarks>
public static class RevisionQ4
{
    public static readonly string[] HeatChangedIn = ["430104009", "430104015", "430104017", "430112008", "PARK_YH", "PARK_XJKXC"];

    private static readonly string[] FossilFuels = ["raw-coal", "natural-gas", "gasoline", "diesel", "fuel-oil", "lpg"];

    // Heat changes in areas of both 430104 and WCM, so every parent moves with it too.
    private static readonly string[] Parents = ["430104", "WCM", "XJNA"];

    private static readonly string[] MovedByFossil =
    [
        "energy.totalTce", "energy.intensity", "energy.nonFossilSharePct", "energy.assessedTce", "energy.assessedIntensity",
        "energy.electricityShareOfFinalPct", "carbon.directTco2", "carbon.totalTco2", "carbon.intensity",
    ];

    public static HashSet<(string Area, string Id)> ChangedIndicators()
    {
        var (r0, r1) = (Records("statistics-2024-Q4-r0.json"), Records("statistics-2024-Q4-r1.json"));
        AssertTheFilesSayWhatTheReasoningAssumes(r0, r1);

        var areas = r0.Keys.ToDictionary(a => a, a => (Old: Energy(r0[a]), New: Energy(r1[a])), StringComparer.Ordinal);
        foreach (var (parent, prefixes) in new[] { ("430104", new[] { "430104" }), ("WCM", ["430112"]), ("XJNA", ["430104", "430112"]) })
        {
            var children = r0.Keys.Where(a => prefixes.Any(p => a.StartsWith(p, StringComparison.Ordinal))).ToList();
            areas[parent] = (Sum(children.Select(c => areas[c].Old)), Sum(children.Select(c => areas[c].New)));
        }

        var expected = new HashSet<(string, string)>();
        foreach (var (area, (old, @new)) in areas)
        {
            expected.UnionWith(MovedByFossil.Select(id => (area, id)));
            if (old.Any(kv => kv.Key.Fuel == "raw-coal" && kv.Value > 0))
            {
                expected.Add((area, "energy.coalSharePct"));
            }

            var changed = old.Where(kv => kv.Key.Fuel != "electricity" && kv.Value != @new[kv.Key]).Select(kv => kv.Key).ToList();
            foreach (var sector in changed.Select(k => k.Sector).Distinct())
            {
                expected.Add((area, $"energy.sector.{sector}Tce"));
                expected.Add((area, $"carbon.sector.{sector}Tco2"));
            }

            foreach (var fuel in changed.Select(k => k.Fuel).Distinct())
            {
                if (old.Where(kv => kv.Key.Fuel == fuel).Sum(kv => kv.Value) != @new.Where(kv => kv.Key.Fuel == fuel).Sum(kv => kv.Value))
                {
                    expected.Add((area, $"energy.fuel.{Camel(fuel)}Tce"));
                }
            }
        }

        expected.UnionWith(HeatChangedIn.Concat(Parents).Select(area => (area, "carbon.heatTco2")));
        return expected;
    }

    private static Dictionary<(string Sector, string Fuel), double> Sum(IEnumerable<Dictionary<(string Sector, string Fuel), double>> children) =>
        children.SelectMany(c => c).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));

    /// <summary>The contract's fuel ids in the indicator ids: raw-coal → rawCoal.</summary>
    private static string Camel(string fuel) =>
        string.Concat(fuel.Split('-').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>Guards the hand reasoning against regenerated sample files.</summary>
    private static void AssertTheFilesSayWhatTheReasoningAssumes(Dictionary<string, JsonElement> r0, Dictionary<string, JsonElement> r1)
    {
        Assert.Equal(29, r0.Count);
        Assert.Equal(r0.Keys.Order(), r1.Keys.Order());
        var heatChanged = new List<string>();
        foreach (var (area, before) in r0)
        {
            var (old, @new) = (Energy(before), Energy(r1[area]));
            Assert.Equal(old.Keys.Order(), @new.Keys.Order());
            Assert.True(old.Any(kv => FossilFuels.Contains(kv.Key.Fuel) && kv.Value != @new[kv.Key]), $"{area}: no fossil quantity changes in r1.");
            Assert.DoesNotContain(old, kv => kv.Key.Fuel == "electricity" && kv.Value != @new[kv.Key]);
            if (old.Any(kv => kv.Key.Fuel == "heat" && kv.Value != @new[kv.Key]))
            {
                heatChanged.Add(area);
            }
        }

        Assert.Equal(HeatChangedIn.Order(), heatChanged.Order());
    }

    private static Dictionary<string, JsonElement> Records(string name) =>
        SampleFeed.Load(name).Json.GetProperty("records").EnumerateArray().ToDictionary(r => r.GetProperty("areaCode").GetString()!);

    private static Dictionary<(string Sector, string Fuel), double> Energy(JsonElement record) =>
        record.GetProperty("energy").EnumerateArray().ToDictionary(
            e => (e.GetProperty("sector").GetString()!, e.GetProperty("fuel").GetString()!), e => e.GetProperty("quantity").GetDouble());
}
