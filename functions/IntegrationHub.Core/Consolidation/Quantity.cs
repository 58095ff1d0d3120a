namespace IntegrationHub.Core.Consolidation;

// A number that remembers where it came from: arithmetic on quantities unions their feed ids and keeps the worst
// quality, so every indicator carries its provenance without bookkeeping at each formula.
internal sealed class Quantity
{
    private Quantity(double value, IReadOnlySet<string> feedIds, Quality quality)
    {
        Value = value;
        FeedIds = feedIds;
        Quality = quality;
    }

    public double Value { get; }

    public IReadOnlySet<string> FeedIds { get; }

    public Quality Quality { get; }

    public static Quantity Of(Fact fact) => new(fact.Value, fact.FeedIds, fact.Quality);

    public static Quantity? OfOrNull(Fact? fact) => fact is null ? null : Of(fact);

    public static Quantity From(double value, IEnumerable<string> feedIds, Quality quality) =>
        new(value, feedIds.ToHashSet(StringComparer.Ordinal), quality);

    public static Quantity Sum(IEnumerable<Quantity> parts, Quantity zero) => parts.Aggregate(zero, (a, b) => a + b);

    // Null when there is nothing to add: no input is not the same as an input of zero.
    public static Quantity? SumOrNull(IEnumerable<Quantity> parts) => parts.Aggregate((Quantity?)null, (acc, q) => acc is null ? q : acc + q);

    public static Quantity operator +(Quantity a, Quantity b) => Combine(a, b, a.Value + b.Value);

    public static Quantity operator -(Quantity a, Quantity b) => Combine(a, b, a.Value - b.Value);

    public static Quantity operator *(Quantity a, Quantity b) => Combine(a, b, a.Value * b.Value);

    public static Quantity operator *(Quantity a, double k) => new(a.Value * k, a.FeedIds, a.Quality);

    // Null when the divisor is zero: an undefined ratio is omitted, never infinity.
    public static Quantity? Ratio(Quantity numerator, Quantity denominator, double scale = 1) =>
        denominator.Value == 0 ? null : Combine(numerator, denominator, numerator.Value / denominator.Value * scale);

    // The smaller of two, with the provenance of both (either could have been the smaller).
    public static Quantity Min(Quantity a, Quantity b) => Combine(a, b, Math.Min(a.Value, b.Value));

    // The same number marked as an estimate, unless it is already worse than one.
    public Quantity AsEstimated() => new(Value, FeedIds, PeriodAggregator.Worst(Quality, Quality.Estimated));

    private static Quantity Combine(Quantity a, Quantity b, double value)
    {
        var ids = new HashSet<string>(a.FeedIds, StringComparer.Ordinal);
        ids.UnionWith(b.FeedIds);
        return new Quantity(value, ids, PeriodAggregator.Worst(a.Quality, b.Quality));
    }
}
