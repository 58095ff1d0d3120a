using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationHub.Functions.Publishing;

/// <summary>Drains the local webhook outbox on a timer (a few seconds locally); in Azure Event Grid delivers instead.</summary>
public sealed class WebhookDeliveryFunctions(IServiceProvider services)
{
    /// <summary>The app setting holding the timer's NCRONTAB schedule.</summary>
    public const string ScheduleSetting = "WebhookDeliveryCron";

    /// <summary>Passes over the due deliveries until a pass finds none, so a backlog does not wait for the next tick.</summary>
    [Function(nameof(DeliverWebhooks))]
    public async Task DeliverWebhooks([TimerTrigger("%" + ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        // Registered only when publishing through queues (the local mode).
        if (services.GetService<WebhookOutbox>() is not { } outbox)
        {
            return;
        }

        for (var pass = 0; pass < 50; pass++)
        {
            if (await outbox.DrainAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return;
            }
        }
    }
}
