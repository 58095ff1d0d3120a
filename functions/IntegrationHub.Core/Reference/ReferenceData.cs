using System.Collections.Frozen;
using System.Text.Json;
using IntegrationHub.Core.Validation;

namespace IntegrationHub.Core.Reference;

/// <summary>
/// Areas, coefficients, targets, subscribers and the supply calendar, each validated by its own schema when loaded.
/// Every number the indicators use comes from here, with its source, never from a literal in code.
/// </summary>
public sealed class ReferenceData
{
    private readonly FrozenDictionary<string, Area> areasByCode;
    private readonly FrozenDictionary<string, Coefficient> coefficientsById;
    private readonly FrozenDictionary<string, IReadOnlyList<Area>> childrenByCode;
    private readonly FrozenDictionary<string, IReadOnlyList<Coefficient>> seriesByName;

    public ReferenceData(AreasFile areas, CoefficientsFile coefficients, TargetsFile targets, SubscribersFile subscribers, SupplyFile supply)
    {
        ArgumentNullException.ThrowIfNull(supply);
        Supply = CheckSupply(supply);
        Areas = areas;
        Coefficients = coefficients;
        Targets = targets;
        Subscribers = subscribers;
        areasByCode = areas.Areas.ToFrozenDictionary(a => a.Code, StringComparer.Ordinal);
        coefficientsById = coefficients.Coefficients.ToFrozenDictionary(c => c.Id, StringComparer.Ordinal);
        childrenByCode = areas.Areas
            .Where(a => a.Parent is not null)
            .GroupBy(a => a.Parent!, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<Area>)g.ToArray(), StringComparer.Ordinal);
        Root = areas.Areas.Single(a => a.Parent is null && !a.Overlay);
        foreach (var c in coefficients.Coefficients.Where(c => c.Year is not null
            && !c.Id.EndsWith("." + c.Year.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"Coefficient '{c.Id}' says year {c.Year}; a per-year id ends in its year.");
        }

        seriesByName = coefficients.Coefficients
            .Where(c => c.Year is not null)
            .GroupBy(c => c.Id[..c.Id.LastIndexOf('.')], StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<Coefficient>)g.OrderBy(c => c.Year).ToArray(), StringComparer.Ordinal);
    }

    public AreasFile Areas { get; }

    public CoefficientsFile Coefficients { get; }

    public TargetsFile Targets { get; }

    public SubscribersFile Subscribers { get; }

    /// <summary>When each source's feeds are due (the hub's agreement with the departments).</summary>
    public SupplyFile Supply { get; }

    /// <summary>The whole New Area (<c>XJNA</c>).</summary>
    public Area Root { get; }

    public bool IsKnownArea(string code) => areasByCode.ContainsKey(code);

    public Area? FindArea(string code) => areasByCode.GetValueOrDefault(code);

    public IReadOnlyList<Area> ChildrenOf(string code) => childrenByCode.GetValueOrDefault(code) ?? [];

    public Coefficient Coefficient(string id) =>
        coefficientsById.GetValueOrDefault(id) ?? throw new KeyNotFoundException($"Coefficient '{id}' is not in the coefficients reference file.");

    public double Value(string id) => Coefficient(id).Value;

    /// <summary>
    /// The value of a per-year series (ids <c>{series}.{year}</c>) for a calendar year: the year's own, else the
    /// nearest earlier year's, else the earliest later year's (contract 2.0, "Reference values"). The caller warns
    /// <c>coefficient-carried-forward</c> when <see cref="YearValue.FromYear"/> differs from the year asked for.
    /// </summary>
    public YearValue ForYear(string series, int year)
    {
        var values = seriesByName.GetValueOrDefault(series)
            ?? throw new KeyNotFoundException($"No per-year series '{series}' in the coefficients reference file.");
        var chosen = values.LastOrDefault(c => c.Year <= year) ?? values[0];
        return new YearValue(series, year, chosen);
    }

    // What the schema cannot say: one rule per source and period kind, of a kind the source sends, first period of that kind.
    private static SupplyFile CheckSupply(SupplyFile supply)
    {
        foreach (var rule in supply.Rules)
        {
            if (!Feeds.FeedSource.IsKnown(rule.Source) || !Feeds.Period.TryParse(rule.FirstPeriod, out var first)
                || !string.Equals(first.Kind.ToString(), rule.PeriodKind, StringComparison.OrdinalIgnoreCase)
                || !Feeds.FeedSource.AcceptsPeriodKind(rule.Source, first.Kind))
            {
                throw new InvalidDataException($"Supply rule {rule.Source} {rule.PeriodKind}: firstPeriod '{rule.FirstPeriod}' is not a "
                    + $"{rule.PeriodKind} that {rule.Source} sends.");
            }
        }

        var twice = supply.Rules.GroupBy(r => (r.Source, r.PeriodKind)).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? supply
            : throw new InvalidDataException($"Supply rules: {twice.Key.Source} {twice.Key.PeriodKind} has {twice.Count()} rules; one is expected.");
    }

    /// <summary>Loads the reference files compiled into the core library and validates each against its schema.</summary>
    public static ReferenceData LoadEmbedded(SchemaCatalog schemas)
    {
        return new ReferenceData(
            Load<AreasFile>(schemas, "areas"),
            Load<CoefficientsFile>(schemas, "coefficients"),
            Load<TargetsFile>(schemas, "targets"),
            Load<SubscribersFile>(schemas, "subscribers"),
            Load<SupplyFile>(schemas, "supply"));
    }

    private static T Load<T>(SchemaCatalog schemas, string name)
    {
        var bytes = EmbeddedFiles.Read($"reference-data/{name}.json");
        using var document = JsonDocument.Parse(bytes);
        var errors = schemas.Evaluate(schemas.Reference(name), document.RootElement);
        if (errors.Count > 0)
        {
            throw new InvalidDataException($"Reference file {name}.json does not match its schema: " +
                string.Join("; ", errors.Select(e => $"{e.InstanceLocation} {e.Keyword}: {e.Message}")));
        }

        return document.RootElement.Deserialize<T>()
            ?? throw new InvalidDataException($"Reference file {name}.json is empty.");
    }
}

/// <summary>A per-year coefficient as used for <see cref="Year"/>; <see cref="FromYear"/> is the year whose value it is.</summary>
public sealed record YearValue(string Series, int Year, Coefficient Coefficient)
{
    public double Value => Coefficient.Value;

    public int FromYear => Coefficient.Year!.Value;

    public bool CarriedForward => FromYear != Year;
}
