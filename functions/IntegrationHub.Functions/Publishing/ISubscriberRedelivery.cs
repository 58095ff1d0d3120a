using CloudNative.CloudEvents;
using IntegrationHub.Core.Reference;

namespace IntegrationHub.Functions.Publishing;

/// <summary>Sends an already published event again to one subscriber only (ops redelivery).</summary>
public interface ISubscriberRedelivery
{
    /// <summary>How <paramref name="subscriber"/> receives events, as the delivery log names it (<c>queue:…</c>, …).</summary>
    string ChannelOf(Subscriber subscriber);

    /// <summary>
    /// Delivers <paramref name="dataSetEvent"/>, unchanged (same id), to <paramref name="subscriber"/> and nobody else,
    /// recreating what the subscriber receives through when it is gone (a deleted queue).
    /// </summary>
    Task RedeliverAsync(CloudEvent dataSetEvent, Subscriber subscriber, CancellationToken cancellationToken);
}
