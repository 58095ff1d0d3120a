using IntegrationHub.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using IntegrationHub.Functions.Access;

namespace IntegrationHub.Functions.Ops;

/// <summary>
/// The shape every ops action shares, once the request pipeline has admitted the ops key: run the action as the
/// admitted actor, answer its outcome. The function classes stay one line per route.
/// </summary>
internal static class OpsCall
{
    public static async Task<IActionResult> RunAsync(HttpRequest request, Func<OpsActor, Task<OpsAnswer>> action)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(action);
        return (await action(OpsActor.Of(request.Admitted().Caller)).ConfigureAwait(false)).ToActionResult();
    }

    /// <summary>The same for actions that record why (<c>reason</c>, in the query or the JSON body); an unreadable body is a 400.</summary>
    public static async Task<IActionResult> RunWithReasonAsync(HttpRequest request, Func<string?, OpsActor, Task<OpsAnswer>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(action);
        var actor = OpsActor.Of(request.Admitted().Caller);
        var (reason, invalid) = await OpsReason.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return invalid ?? (await action(reason, actor).ConfigureAwait(false)).ToActionResult();
    }
}
