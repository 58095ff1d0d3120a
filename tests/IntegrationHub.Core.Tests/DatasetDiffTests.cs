using IntegrationHub.Core.Datasets;
using IntegrationHub.Core.Tests.Support;
using static IntegrationHub.Core.Tests.Support.DatasetLookup;
using static IntegrationHub.Core.Tests.Support.HandFeeds;

namespace IntegrationHub.Core.Tests;

/// <summary>What changed between two versions of a period's data set, figure by figure (the event's changedIndicators).</summary>
public class DatasetDiffTests
{
    private const double ScRawCoal = 0.7143;                                   // GB/T 2589, tce/t
    private const double Co2RawCoal = 20.908 * 26.37 / 1000 * 0.94 * 44 / 12;  // NDRC defaults: NCV × carbon content / 1000 × oxidation × 44/12

    private static readonly string[] AreasOfS1 = [S1, District, Root];

    [Fact]
    public void Compare_StatisticsRevisionChangesOneFigure_ListsExactlyTheChangedIndicators()
    {
        // revision 1 of 2024-Q4 statistics corrects S1's industrial raw coal from 1 000 t to 1 200 t, nothing else
        var revision = Statistics2024Q4(s1RawCoal: 1200).WithRevision(1).Accept();
        var v1 = Build("2024-Q4", HandFeeds.All, version: 1);
        var v2 = Build("2024-Q4", [.. HandFeeds.All, revision], version: 2);

        var changes = DatasetDiff.Compare(v1, v2);

        // raw coal feeds energy and direct CO2, hence every ratio and total built on them, in S1 and the areas above it;
        // heat, electricity, power, transport, data centres, buildings and air quality do not move, nor do S2, W and WCM
        string[] ids =
        [
            "energy.totalTce", "energy.intensity", "energy.intensityChangeVs2020Pct", "energy.nonFossilSharePct",
            "carbon.directTco2", "carbon.totalTco2", "carbon.netTco2", "carbon.intensity", "carbon.intensityChangeVs2020Pct",
            // 2.0: assessed energy, the shares with total energy (or fuels) as denominator, and the raw coal / industry breakdowns
            "energy.assessedTce", "energy.assessedIntensity", "energy.assessedIntensityChangeVs2020Pct", "energy.electricityShareOfFinalPct",
            "energy.coalSharePct", "energy.fuel.rawCoalTce", "energy.sector.industryTce", "carbon.sector.industryTco2",
        ];
        var expected = AreasOfS1.SelectMany(a => ids.Select(id => (a, id))).Order().ToArray();
        Assert.Equal(expected, changes.Select(c => (c.AreaCode, c.Id)).Order().ToArray());

        foreach (var change in changes)
        {
            Assert.Equal(v1.Value(change.AreaCode, change.Id), change.Old);
            Assert.Equal(v2.Value(change.AreaCode, change.Id), change.New);
        }

        foreach (var area in AreasOfS1)
        {
            var tce = changes.Single(c => c.AreaCode == area && c.Id == "energy.totalTce");
            AssertClose(200 * ScRawCoal, tce.New!.Value - tce.Old!.Value, $"energy.totalTce change of {area}");        // 200 t × 0.7143
            var co2 = changes.Single(c => c.AreaCode == area && c.Id == "carbon.directTco2");
            AssertClose(200 * Co2RawCoal, co2.New!.Value - co2.Old!.Value, $"carbon.directTco2 change of {area}");    // 200 t × 1.900
        }

        // the heat figure now comes from revision 1 but has the same value: provenance changed, the figure did not
        Assert.NotEqual(v1.Indicator(S1, "carbon.heatTco2").Sources, v2.Indicator(S1, "carbon.heatTco2").Sources);
        Assert.DoesNotContain(changes, c => c.Id == "carbon.heatTco2");
    }

    [Fact]
    public void Compare_IndicatorsOnlyInNewerVersion_OldIsNull()
    {
        // version 1 before the environment department sent anything, version 2 after
        var v1 = Build("2024-Q4", HandFeeds.All.Where(f => f.Source != "environment"), version: 1);
        var v2 = Build("2024-Q4", HandFeeds.All, version: 2);

        var changes = DatasetDiff.Compare(v1, v2);

        string[] areas = [S1, S2, W, District, Managed, Root];
        string[] ids =
        [
            "carbon.netTco2", "power.pvPublicBuildingsSharePct", "dc.count", "dc.pueMax", "dc.nonCompliantNew", "dc.nonCompliantExisting",
            "buildings.newGreenCompliancePct", "env.aqiMean", "env.pm25UgM3", "env.goodDayRatioPct", "env.carbonSinkTco2",
        ];
        Assert.Equal(areas.SelectMany(a => ids.Select(id => (a, id))).Order().ToArray(), changes.Select(c => (c.AreaCode, c.Id)).Order().ToArray());
        Assert.All(changes, c =>
        {
            Assert.Null(c.Old);
            Assert.Equal(v2.Value(c.AreaCode, c.Id), c.New);
        });
    }

    [Fact]
    public void Compare_IndicatorsGoneInNewerVersion_NewIsNull()
    {
        var v1 = Build("2024-Q4", HandFeeds.All, version: 1);
        var v2 = Build("2024-Q4", HandFeeds.All.Where(f => f.Source != "transport"), version: 2);

        var changes = DatasetDiff.Compare(v1, v2);

        // the transport indicators of every area with transport data; W has no public-sector fleet, so no share there
        string[] ids = ["transport.nevSharePct", "transport.publicSectorNevSharePct", "transport.chargingCoveragePct", "transport.roadFuelTco2"];
        var expected = new[] { S1, S2, District, Root }.SelectMany(a => ids.Select(id => (a, id)))
            .Concat(new[] { W, Managed }.SelectMany(a => ids.Where(id => id != "transport.publicSectorNevSharePct").Select(id => (a, id))))
            .Order().ToArray();
        Assert.Equal(expected, changes.Select(c => (c.AreaCode, c.Id)).Order().ToArray());
        Assert.All(changes, c =>
        {
            Assert.Null(c.New);
            Assert.Equal(v1.Value(c.AreaCode, c.Id), c.Old);
        });
    }

    [Fact]
    public void Compare_IdenticalInputs_EmptyDiff()
    {
        var v1 = Build("2024-Q4", HandFeeds.All, version: 1);
        var v2 = Build("2024-Q4", HandFeeds.All.Reverse(), version: 2);   // same feeds, another order, another version
        Assert.Empty(DatasetDiff.Compare(v1, v2));
    }

    [Fact]
    public void Compare_NoPreviousVersion_EveryFigureNewWithOldNull()
    {
        var v1 = Build("2024", HandFeeds.All);
        var changes = DatasetDiff.Compare(null, v1);

        Assert.Equal(v1.Areas.Sum(a => a.Indicators.Count), changes.Count);
        Assert.All(changes, c =>
        {
            Assert.Null(c.Old);
            Assert.Equal(v1.Value(c.AreaCode, c.Id), c.New);
        });
    }
}
