namespace GovernanceDashboard.Workflows;

/// <summary>Why a workflow step did not happen; each maps to one HTTP status (400, 403, 404, 409).</summary>
public enum Outcome { Ok, Invalid, Forbidden, NotFound, Conflict }

/// <summary>A refused workflow step and the sentence to show the person.</summary>
public readonly record struct Refusal(Outcome Outcome, string Message)
{
    public static Refusal Invalid(string message) => new(Outcome.Invalid, message);
    public static Refusal Forbidden(string message) => new(Outcome.Forbidden, message);
    public static Refusal NotFound(string message) => new(Outcome.NotFound, message);
    public static Refusal Conflict(string message) => new(Outcome.Conflict, message);
}

/// <summary>The result of a workflow step: its value, or a refusal that the page shows and the API maps to a status code.</summary>
public sealed record WorkflowResult<T>(Outcome Outcome, T? Value, string? Message)
{
    public bool Succeeded => Outcome == Outcome.Ok;

    public static WorkflowResult<T> Ok(T value) => new(Outcome.Ok, value, null);

    public static WorkflowResult<T> FromRefusal(Refusal refusal) => new(refusal.Outcome, default, refusal.Message);

    public static implicit operator WorkflowResult<T>(Refusal refusal) => FromRefusal(refusal);
}
