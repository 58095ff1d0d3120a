using System.Diagnostics;
using System.Diagnostics.Metrics;
using IntegrationHub.Core.Feeds;

namespace IntegrationHub.Functions.Telemetry;

/// <summary>
/// The hub's own traces and metrics: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>. With nobody listening, starting an activity returns null and a measurement costs next to nothing.
/// Metric tags stay few-valued so every series stays cheap; ids and periods go on the activities only.
/// </summary>
public static class HubTelemetry
{
    /// <summary>The name of the hub's activity source and meter.</summary>
    public const string Name = "IntegrationHub";

    /// <summary>Activity names, one per meaningful step.</summary>
    public static class Activities
    {
        public const string ReceiveFeed = "hub.feed.receive";
        public const string JudgeFeed = "hub.feed.judge";
        public const string BuildDataset = "hub.dataset.build";
        public const string PublishEvent = "hub.event.publish";
        public const string FetchPull = "hub.pull.fetch";
    }

    /// <summary>Instrument names (OpenTelemetry style: dotted, lower case, the unit not in the name).</summary>
    public static class Instruments
    {
        /// <summary>Feeds whose bytes reached the hub (a push's body read, a pull's body fetched), tagged by source and channel.</summary>
        public const string FeedsReceived = "hub.feeds.received";

        /// <summary>Verdicts on landed feeds, tagged by source and verdict (accepted, rejected, duplicate).</summary>
        public const string FeedsJudged = "hub.feeds.judged";

        /// <summary>Seconds the schema and domain-rule validation of one feed took, tagged by source and validity.</summary>
        public const string ValidationDuration = "hub.intake.validation.duration";

        /// <summary>Consolidations that stored a new data-set version, tagged by period kind.</summary>
        public const string DatasetsBuilt = "hub.datasets.built";

        /// <summary>Data-set events announced to subscribers, tagged by period kind.</summary>
        public const string EventsPublished = "hub.events.published";

        /// <summary>Pull fetches from a department, tagged by source and outcome (landed, failed).</summary>
        public const string PullsFetched = "hub.pulls.fetched";

        /// <summary>Seconds one pull fetch took, the department's answer and the landing included, tagged by source and outcome.</summary>
        public const string PullDuration = "hub.pull.duration";

        /// <summary>Requests refused without a valid key (never audited), tagged by route kind and status.</summary>
        public const string AnonymousRefused = "hub.access.anonymous_refused";

        /// <summary>Ops surface calls refused for their network (403), tagged by route kind: ops, console.</summary>
        public const string OpsNetworkRefused = "hub.access.ops_network_refused";
    }

    /// <summary>Tag names, on activities and measurements alike.</summary>
    public static class Tags
    {
        public const string Source = "hub.feed.source";
        public const string Channel = "hub.feed.channel";
        public const string FeedId = "hub.feed.id";
        public const string Verdict = "hub.feed.verdict";
        public const string Valid = "hub.feed.valid";
        public const string Period = "hub.dataset.period";
        public const string PeriodKind = "hub.dataset.period_kind";
        public const string Version = "hub.dataset.version";
        public const string IsNew = "hub.dataset.new";
        public const string EventId = "hub.event.id";
        public const string PullPeriod = "hub.pull.period";
        public const string Outcome = "hub.pull.outcome";
        public const string Route = "hub.access.route";
        public const string Status = "http.response.status_code";
    }

    public const string PushChannel = "push";

    public const string PullChannel = "pull";

    private static readonly string? Version = typeof(HubTelemetry).Assembly.GetName().Version?.ToString();

    public static ActivitySource Source { get; } = new(Name, Version);

    public static Meter Meter { get; } = new(Name, Version);

    private static readonly Counter<long> FeedsReceived = Meter.CreateCounter<long>(Instruments.FeedsReceived, "{feed}", "Feeds whose bytes reached the hub.");
    private static readonly Counter<long> FeedsJudged = Meter.CreateCounter<long>(Instruments.FeedsJudged, "{feed}", "Verdicts on landed feeds.");
    private static readonly Histogram<double> ValidationDuration = Meter.CreateHistogram<double>(Instruments.ValidationDuration, "s",
        "Time the validation of one feed took.");
    private static readonly Counter<long> DatasetsBuilt = Meter.CreateCounter<long>(Instruments.DatasetsBuilt, "{version}", "New data-set versions stored.");
    private static readonly Counter<long> EventsPublished = Meter.CreateCounter<long>(Instruments.EventsPublished, "{event}", "Data-set events announced.");
    private static readonly Counter<long> PullsFetched = Meter.CreateCounter<long>(Instruments.PullsFetched, "{fetch}", "Pull fetches from a department.");
    private static readonly Counter<long> AnonymousRefusals = Meter.CreateCounter<long>(Instruments.AnonymousRefused,
        "{request}", "Requests refused without a valid key.");
    private static readonly Counter<long> OpsNetworkRefusals = Meter.CreateCounter<long>(Instruments.OpsNetworkRefused,
        "{request}", "Calls of the ops surface refused for their network.");
    private static readonly Histogram<double> PullDuration = Meter.CreateHistogram<double>(Instruments.PullDuration, "s", "Time one pull fetch took.");

    /// <summary>A push's body was read (<see cref="PushChannel"/>), or a pull's body fetched
    /// (<see cref="PullChannel"/>): the feed is in the hub's hands.</summary>
    public static void FeedReceived(string source, string channel) =>
        FeedsReceived.Add(1, new(Tags.Source, source), new(Tags.Channel, channel));

    public static Activity? StartReceiving(string source, string channel) =>
        Source.StartActivity(Activities.ReceiveFeed)?.SetTag(Tags.Source, source).SetTag(Tags.Channel, channel);

    public static Activity? StartJudging(string source) => Source.StartActivity(Activities.JudgeFeed)?.SetTag(Tags.Source, source);

    public static void ValidationTook(string source, bool valid, TimeSpan elapsed) =>
        ValidationDuration.Record(elapsed.TotalSeconds, new(Tags.Source, source), new(Tags.Valid, valid));

    /// <param name="verdict">One of <see cref="Verdicts"/>.</param>
    public static void FeedJudged(Activity? activity, string feedId, string verdict) =>
        activity?.SetTag(Tags.FeedId, feedId).SetTag(Tags.Verdict, verdict);

    /// <summary>Counts a verdict a caller got: a push's answer, or the first recording of a pulled feed's.</summary>
    /// <param name="verdict">One of <see cref="Verdicts"/>.</param>
    public static void CountVerdict(string source, string verdict) =>
        FeedsJudged.Add(1, new(Tags.Source, source), new(Tags.Verdict, verdict));

    public static Activity? StartBuilding(string period) =>
        Source.StartActivity(Activities.BuildDataset)?.SetTag(Tags.Period, period);

    /// <summary>The consolidation's answer: a new version stored, or the current one standing.</summary>
    public static void DatasetBuilt(Activity? activity, Period period, int version, bool isNew)
    {
        if (isNew)
        {
            DatasetsBuilt.Add(1, new KeyValuePair<string, object?>(Tags.PeriodKind, KindName(period)));
        }

        activity?.SetTag(Tags.Version, version).SetTag(Tags.IsNew, isNew);
    }

    public static Activity? StartPublishing(string period, int version) =>
        Source.StartActivity(Activities.PublishEvent, ActivityKind.Producer)?.SetTag(Tags.Period, period).SetTag(Tags.Version, version);

    public static void EventPublished(Activity? activity, Period period, string eventId)
    {
        EventsPublished.Add(1, new KeyValuePair<string, object?>(Tags.PeriodKind, KindName(period)));
        activity?.SetTag(Tags.EventId, eventId);
    }

    public static Activity? StartFetching(string source, string period) =>
        Source.StartActivity(Activities.FetchPull)?.SetTag(Tags.Source, source).SetTag(Tags.PullPeriod, period);

    /// <summary>A pull fetch ended: its body landed, or it failed (the orchestration's retry policy decides what next).</summary>
    public static void PullFetched(Activity? activity, string source, TimeSpan elapsed, Exception? failure)
    {
        var outcome = failure is null ? "landed" : "failed";
        PullsFetched.Add(1, new(Tags.Source, source), new(Tags.Outcome, outcome));
        PullDuration.Record(elapsed.TotalSeconds, new(Tags.Source, source), new(Tags.Outcome, outcome));
        activity?.SetTag(Tags.Outcome, outcome);
        if (failure is not null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, failure.GetType().Name).AddException(failure);
        }
    }

    /// <summary>A request without a valid key was refused: counted here, and not written to the audit log.</summary>
    /// <param name="route">A few-valued route kind (push, validate, ops, keyed), never the caller's path.</param>
    public static void AnonymousRefused(string route, int status) =>
        AnonymousRefusals.Add(1, new(Tags.Route, route), new(Tags.Status, status));

    public static void OpsNetworkRefused(string route) =>
        OpsNetworkRefusals.Add(1, new KeyValuePair<string, object?>(Tags.Route, route));

    private static string KindName(Period period) => period.Kind switch
    {
        PeriodKind.Year => "year",
        PeriodKind.Quarter => "quarter",
        _ => "month",
    };

    /// <summary>The values of the verdict tag.</summary>
    public static class Verdicts
    {
        public const string Accepted = "accepted";
        public const string Duplicate = "duplicate";
        public const string Rejected = "rejected";
    }
}
