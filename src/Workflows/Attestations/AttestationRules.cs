namespace GovernanceDashboard.Workflows.Attestations;

/// <summary>The state rules of attestation campaigns, free of storage so they are tested on their own.</summary>
public static class AttestationRules
{
    /// <summary>A token is attested in a campaign when it is active now (not revoked, not expired) and within the campaign's scope.</summary>
    public static bool InScope(DateTimeOffset firstSeenAt, DateTimeOffset? revokedAt, DateTimeOffset? expiresAt, WriteCapability write,
        CampaignScope scope, DateTimeOffset now) =>
        firstSeenAt <= now && TokenStatusRule.IsActive(TokenStatusRule.At(revokedAt ?? DateTimeOffset.MaxValue, expiresAt ?? DateTimeOffset.MaxValue, now, exposed: false))
        && (scope == CampaignScope.AllActive || write == WriteCapability.Write);

    /// <summary>The task's owner: the token's confirmed owner while that person is active; nobody (the triage queue) otherwise.</summary>
    public static int? TaskOwner(int? ownerId, bool ownerActive) => ownerId is not null && ownerActive ? ownerId : null;

    /// <summary>What an answer needs: an answer, and for "reduce scope" a comment saying how.</summary>
    public static string? ValidateAnswer(AttestationAnswer answer, string? comment) => answer switch
    {
        AttestationAnswer.None => "Choose keep, reduce scope or revoke.",
        _ when !Enum.IsDefined(answer) => "Choose keep, reduce scope or revoke.",
        AttestationAnswer.ReduceScope when string.IsNullOrWhiteSpace(comment) => "Say in a comment which scope the token keeps.",
        _ => null,
    };

    /// <summary>An attested task (docs/metrics.md "Attestation"): answered, and before the campaign's deadline.</summary>
    public static bool Attested(AttestationAnswer answer, DateTimeOffset? answeredAt, DateTimeOffset deadline) =>
        answer != AttestationAnswer.None && answeredAt is { } at && at <= deadline;

    /// <summary>Remind once, in the days before the deadline, an owner who has not answered.</summary>
    public static bool ReminderDue(AttestationTask task, DateTimeOffset deadline, DateTimeOffset now, int daysBefore) =>
        task.Answer == AttestationAnswer.None && task.OwnerId is not null && task.RemindedAt is null && task.EscalatedAt is null
        && daysBefore > 0 && now < deadline && deadline - now <= TimeSpan.FromDays(daysBefore);

    /// <summary>Escalate once, the set number of days after the deadline, a task still unanswered.</summary>
    public static bool EscalationDue(AttestationTask task, DateTimeOffset deadline, DateTimeOffset now, int daysAfter) =>
        task.Answer == AttestationAnswer.None && task.EscalatedAt is null && now >= deadline.AddDays(Math.Max(0, daysAfter));
}
