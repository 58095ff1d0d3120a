using IntegrationHub.Functions.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Ops;

/// <summary>
/// The shape every ops action shares: admit the ops key (a refusal is the answer), run the action as the admitted
/// actor, answer its outcome. The function classes stay one line per route.
/// </summary>
internal static class OpsCall
{
    public static async Task<IActionResult> RunAsync(AccessGate gate, HttpRequest request, Func<OpsActor, Task<OpsAnswer>> action)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (denied, actor) = gate.AdmitOps(request);
        return denied ?? (await action(actor).ConfigureAwait(false)).ToActionResult();
    }

    /// <summary>The same for actions that record why (<c>reason</c>, in the query or the JSON body); an unreadable body is a 400.</summary>
    public static async Task<IActionResult> RunWithReasonAsync(
        AccessGate gate, HttpRequest request, Func<string?, OpsActor, Task<OpsAnswer>> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (denied, actor) = gate.AdmitOps(request);
        if (denied is not null)
        {
            return denied;
        }

        var (reason, invalid) = await OpsReason.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        return invalid ?? (await action(reason, actor).ConfigureAwait(false)).ToActionResult();
    }
}
