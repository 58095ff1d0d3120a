using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace IntegrationHub.Integration.Tests.Http;

/// <summary>An ops route's query read in order: the first parameter that cannot be read is the 400, naming it.</summary>
public sealed class OpsQueryTests
{
    [Fact]
    public void Read_TimeAndCountBothBad_TheFirstReadIsTheProblem()
    {
        var read = new OpsQuery(Query(("from", "yesterday"), ("pageSize", "0")));

        _ = read.Time("from");
        _ = read.Count("pageSize", 100, 1000, "Invalid page size", "page size");

        var bad = Assert.IsType<OpsAnswer>(read.Bad);
        Assert.Equal(400, bad.Status);
        Assert.Equal("from", bad.ProblemExtensions!["parameter"]);
    }

    [Fact]
    public void Count_OverTheMaximum_SaysTheRange()
    {
        var read = new OpsQuery(Query(("max", "501")));

        _ = read.Count("max", 100, 500, "Invalid maximum", "maximum");

        Assert.Equal("'501' is not a maximum; use 1 to 500.", read.Bad!.ProblemBody!.Detail);
        Assert.Equal("Invalid maximum", read.Bad.ProblemBody.Title);
    }

    [Fact]
    public void Read_AbsentParameters_TheDefaultsAndNoProblem()
    {
        var read = new OpsQuery(Query());

        Assert.Null(read.Time("since"));
        Assert.Equal(100, read.Count("limit", 100, 1000, "Invalid limit", "limit"));
        Assert.Null(read.Bad);
    }

    private static QueryCollection Query(params (string Name, string Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => new StringValues(v.Value)));
}
