using System.ComponentModel.DataAnnotations;
using IntegrationHub.Core.Reference;
using Microsoft.Extensions.Configuration;

namespace IntegrationHub.Functions.Publishing;

/// <summary>Where data-set announcements go.</summary>
public enum PublishingMode
{
    /// <summary>
    /// One Storage queue per subscriber of the reference subscribers file, filtered in code with the same meaning as the
    /// Service Bus rules. The local default: it runs on Azurite alone.
    /// </summary>
    Queues,

    /// <summary>The Service Bus topic that infra/ creates, with one filtered subscription per subscriber. Used in Azure.</summary>
    ServiceBus,
}

/// <summary>How data-set versions are announced (settings section <c>Publishing</c>).</summary>
public sealed class PublishingOptions
{
    public const string SectionName = "Publishing";

    /// <summary>
    /// Service Bus client section: <c>ServiceBus__fullyQualifiedNamespace</c> with the managed identity in Azure, or
    /// <c>ServiceBus__connectionString</c> (or a connection string as the section's value) elsewhere.
    /// </summary>
    public const string ServiceBusSection = "ServiceBus";

    /// <summary>The Event Grid topic of webhook subscribers in Azure: <c>EventGrid__topicEndpoint</c> (managed identity).</summary>
    public const string EventGridSection = "EventGrid";

    /// <summary>
    /// Queue service of the hub's storage account, for <see cref="PublishingMode.Queues"/>: the connection string of the
    /// <c>HubStorage</c> section locally, <c>HubStorage__queueServiceUri</c> with the managed identity in Azure.
    /// </summary>
    public const string QueueServiceUriKey = "queueServiceUri";

    /// <summary>
    /// Optional queue service of the subscribers' queues, apart from the hub's storage: <c>Publishing__QueueConnection</c>
    /// (a connection string) or <c>Publishing__QueueConnection__queueServiceUri</c> (managed identity). Unset, the
    /// <c>HubStorage</c> queue service serves. It lets the announcement's endpoint fail on its own (the fault tests point it
    /// at a storage they stop) while the data sets stay on the hub's storage.
    /// </summary>
    public const string QueueConnectionKey = "QueueConnection";

    public const int DefaultRetryMaxAttempts = 8;

    public const int DefaultRetryFirstIntervalSeconds = 5;

    /// <summary>The client settings, in the identity-based form used in Azure, that the app reads besides this class.</summary>
    public static readonly IReadOnlyList<string> ClientAppSettingNames =
        [$"{ServiceBusSection}__fullyQualifiedNamespace", $"{HubSettings.HubStorageSection}__{QueueServiceUriKey}"];

    /// <summary><see cref="PublishingMode.Queues"/> (default, Azurite) or <see cref="PublishingMode.ServiceBus"/> (Azure).</summary>
    public PublishingMode Mode { get; set; } = PublishingMode.Queues;

    /// <summary>The Service Bus topic; the <c>topic</c> of the reference subscribers file, which infra/ creates.</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(260)]
    public string TopicName { get; set; } = "dataset-published";

    /// <summary>
    /// Attempts to announce one data-set version, the first included, under the consolidation's Durable retry policy. When
    /// they are exhausted the version stays stored and current, and the consolidation fails for ops to replay.
    /// </summary>
    [Range(1, 20)]
    public int RetryMaxAttempts { get; set; } = DefaultRetryMaxAttempts;

    /// <summary>Wait before the first retry of an announcement; each next wait doubles (capped at five minutes).</summary>
    [Range(1, 3600)]
    public int RetryFirstIntervalSeconds { get; set; } = DefaultRetryFirstIntervalSeconds;

    /// <summary>
    /// Webhook URLs by subscriber name (<c>Publishing__Webhooks__{name}</c>), set or replacing the subscribers file's
    /// <c>webhook</c> for this deployment: locally, to point a subscriber at a receiver on this machine.
    /// </summary>
    /// <remarks>Get-only, as <see cref="WebhookRetry"/>: bound in place, and not among the settings infra/ must set (local only).</remarks>
    public Dictionary<string, string> Webhooks { get; } = new(StringComparer.Ordinal);

    /// <summary>Retries of the local webhook delivery (<c>Publishing__WebhookRetry__…</c>).</summary>
    public WebhookRetryOptions WebhookRetry { get; } = new();

    // The subscribers with the Webhooks settings applied.
    internal IReadOnlyList<Subscriber> Effective(IReadOnlyList<Subscriber> subscribers) =>
        [.. subscribers.Select(s => Webhooks.TryGetValue(s.Name, out var url) && !string.IsNullOrWhiteSpace(url)
            ? s with { Webhook = new SubscriberWebhook(new Uri(url)) }
            : s)];

    // Why the webhook settings cannot work, or null.
    internal string? WebhookProblem(IReadOnlyList<Subscriber> subscribers)
    {
        foreach (var (name, url) in Webhooks)
        {
            if (subscribers.All(s => s.Name != name))
            {
                return $"Publishing:Webhooks:{name}: no subscriber of the subscribers file is named '{name}'.";
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !WebhookOutbox.IsAllowed(uri))
            {
                return $"Publishing:Webhooks:{name}: '{url}' is not an https URL (plain http only to a loopback address).";
            }
        }

        return subscribers.FirstOrDefault(s => s.Webhook is { } hook && !WebhookOutbox.IsAllowed(hook.Url)) is { } refused
            ? $"Subscriber {refused.Name}: webhook '{refused.Webhook!.Url}' is not https (plain http only to a loopback address)."
            : null;
    }

    // The section of the subscribers' queue service: QueueConnectionKey when set, else the hub's storage.
    internal static IConfigurationSection QueueSection(IConfiguration configuration)
    {
        var own = configuration.GetSection($"{SectionName}:{QueueConnectionKey}");
        return own.Exists() ? own : configuration.GetSection(HubSettings.HubStorageSection);
    }

    // A connection string when the section's value or its connectionString holds one; otherwise null.
    internal static string? ConnectionStringOf(IConfigurationSection section) =>
        !string.IsNullOrWhiteSpace(section.Value) ? section.Value
        : !string.IsNullOrWhiteSpace(section["connectionString"]) ? section["connectionString"]
        : null;

    // Why the settings cannot work in this mode, or null when they can.
    internal string? ProblemWith(IConfiguration configuration) => Mode switch
    {
        PublishingMode.ServiceBus when ConnectionStringOf(configuration.GetSection(ServiceBusSection)) is null
            && string.IsNullOrWhiteSpace(configuration[$"{ServiceBusSection}:fullyQualifiedNamespace"]) =>
            $"Publishing:Mode is ServiceBus but no Service Bus namespace is configured: set {ServiceBusSection}__fullyQualifiedNamespace "
            + $"(managed identity) or {ServiceBusSection}__connectionString.",
        PublishingMode.Queues when ConnectionStringOf(QueueSection(configuration)) is null
            && string.IsNullOrWhiteSpace(QueueSection(configuration)[QueueServiceUriKey]) =>
            $"Publishing:Mode is Queues but no queue service is configured: set {HubSettings.HubStorageSection} to a storage connection string "
            + $"(locally, e.g. UseDevelopmentStorage=true) or {HubSettings.HubStorageSection}__{QueueServiceUriKey} (managed identity), "
            + $"or {SectionName}__{QueueConnectionKey} for subscriber queues on another storage account.",
        _ => null,
    };
}
