using IntegrationHub.Functions.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Functions.Http;

/// <summary>What an ops service answers: a status with a body, or a problem; tests read it without HTTP.</summary>
public sealed record OpsAnswer(int Status, object? Body, string? Location = null, HubProblem? ProblemBody = null)
{
    public bool IsProblem => ProblemBody is not null;

    /// <summary>The problem's members beyond RFC 7807's, by wire name.</summary>
    public IReadOnlyDictionary<string, object?>? ProblemExtensions => ProblemBody?.Extensions();

    public static OpsAnswer Ok(object body) => new(StatusCodes.Status200OK, body);

    public static OpsAnswer Accepted(object body, string location) => new(StatusCodes.Status202Accepted, body, location);

    public static OpsAnswer Problem(HubProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(problem.Status, null, null, problem);
    }

    public static OpsAnswer Problem(int status, string title, string detail) => Problem(new HubProblem(status, title) { Detail = detail });

    public static OpsAnswer BadParameter(string parameter, string title, string detail) =>
        Problem(new HubProblem(StatusCodes.Status400BadRequest, title) { Detail = detail, Parameter = parameter });

    /// <summary>The audit log's word for this answer.</summary>
    public string Outcome => Status switch
    {
        StatusCodes.Status200OK => "done",
        StatusCodes.Status202Accepted => "accepted",
        StatusCodes.Status404NotFound => "not-found",
        StatusCodes.Status409Conflict => "refused",
        StatusCodes.Status410Gone => "gone",
        StatusCodes.Status501NotImplemented => "not-supported",
        StatusCodes.Status400BadRequest or StatusCodes.Status422UnprocessableEntity => "invalid",
        _ => "error",
    };

    /// <summary>What the audit line says of this answer: the problem's detail, or what was accepted.</summary>
    public string? AuditDetail => ProblemBody is { } problem ? problem.Detail : (Body as IAuditedBody)?.AuditDetail;

    public IActionResult ToActionResult() =>
        ProblemBody is { } problem ? Problems.Create(problem)
        : Status == StatusCodes.Status202Accepted && Location is not null ? new AcceptedResult(Location, Body)
        : new ObjectResult(Body) { StatusCode = Status };
}

/// <summary>An answer body that says in a line what was accepted, for the audit log; not part of the answer.</summary>
public interface IAuditedBody
{
    string AuditDetail { get; }
}

public static class OpsAudit
{
    /// <summary>
    /// The one audit path of an action with an effect: a refusal (404, 409) is one line; else a line before the effect
    /// (none happens unrecorded: 503) and one with its outcome.
    /// </summary>
    public static async Task<OpsAnswer> AuditedAsync(
        this AuditLog audit, OpsActor actor, string action, string target, string? reason, OpsAnswer? refusal, Func<Task<OpsAnswer>> effect,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(effect);
        if (refusal is null)
        {
            await audit.RecordBeforeAsync(actor, action, target, reason, cancellationToken).ConfigureAwait(false);
        }

        var answer = refusal ?? await effect().ConfigureAwait(false);
        await audit.RecordAsync(actor, action, target, answer.Outcome, answer.Status, answer.AuditDetail, cancellationToken).ConfigureAwait(false);
        return answer;
    }
}
