namespace GovernanceDashboard.Workflows.Approvals;

/// <summary>Why someone may not decide a write-scope request.</summary>
public enum DecisionDenial { None, NotAnApprover, OwnRequest, OwnToken, AlreadyDecided, AlreadyVoted }

/// <summary>The state rules of write-scope requests, free of storage so they are tested on their own.</summary>
public static class ApprovalRules
{
    /// <summary>Separation of duties first (403), then the request's state (409).</summary>
    public static DecisionDenial WhyNotDecide(Actor decider, int requesterId, int? tokenOwnerId, RequestStatus status, IEnumerable<int> earlierDeciderIds)
    {
        if (!decider.CanApprove) return DecisionDenial.NotAnApprover;
        if (decider.PersonId == requesterId) return DecisionDenial.OwnRequest;
        if (tokenOwnerId is { } owner && owner == decider.PersonId) return DecisionDenial.OwnToken;
        if (status != RequestStatus.Pending) return DecisionDenial.AlreadyDecided;
        if (earlierDeciderIds.Contains(decider.PersonId)) return DecisionDenial.AlreadyVoted;
        return DecisionDenial.None;
    }

    public static Refusal? RefusalFor(DecisionDenial denial, RequestStatus status) => denial switch
    {
        DecisionDenial.None => null,
        DecisionDenial.NotAnApprover => Refusal.Forbidden("Only an Approver or an Admin decides write-scope requests."),
        DecisionDenial.OwnRequest => Refusal.Forbidden("Nobody decides their own request: another approver must."),
        DecisionDenial.OwnToken => Refusal.Forbidden("Nobody decides a request for a token they own: another approver must."),
        DecisionDenial.AlreadyDecided => Refusal.Conflict($"This request was already decided ({status})."),
        _ => Refusal.Conflict("You already approved this request; it needs another approver."),
    };

    /// <summary>The organisations a token reaches, without Hugging Face's ":role" suffixes, lower-cased.</summary>
    public static IReadOnlySet<string> OrganizationsOf(string? organizations) =>
        (organizations ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(o => o.Split(':')[0].Trim().ToLowerInvariant())
            .Where(o => o.Length > 0)
            .ToHashSet();

    /// <summary>Two approvals when the setting asks for it and the token reaches a critical organisation; one otherwise.</summary>
    public static int RequiredApprovals(string? tokenOrganizations, string? criticalOrganizations, bool twoForCritical)
    {
        if (!twoForCritical) return 1;
        var critical = OrganizationsOf(criticalOrganizations);
        return OrganizationsOf(tokenOrganizations).Overlaps(critical) ? 2 : 1;
    }

    /// <summary>Any rejection rejects; enough approvals approve; otherwise the request waits for more.</summary>
    public static RequestStatus OutcomeOf(IEnumerable<bool> decisions, int requiredApprovals)
    {
        var approvals = 0;
        foreach (var approve in decisions)
        {
            if (!approve) return RequestStatus.Rejected;
            approvals++;
        }
        return approvals >= Math.Max(1, requiredApprovals) ? RequestStatus.Approved : RequestStatus.Pending;
    }

    /// <summary>The grant's duration: the default when none is asked, never more than the longest the settings allow.</summary>
    public static bool TryGrantDays(int? requested, int defaultDays, int maxDays, out int days, out string? error)
    {
        days = requested is null or 0 ? Math.Min(defaultDays, maxDays) : requested.Value;
        error = days < 1 ? "days must be at least 1."
            : days > maxDays ? $"days must be at most {maxDays} (the longest write grant the settings allow)."
            : null;
        return error is null;
    }

    /// <summary>A pending request not yet escalated escalates once it has waited the set number of days.</summary>
    public static bool ShouldEscalate(RequestStatus status, DateTimeOffset createdAt, DateTimeOffset? escalatedAt, DateTimeOffset now, int afterDays) =>
        status == RequestStatus.Pending && escalatedAt is null && afterDays > 0 && now - createdAt >= TimeSpan.FromDays(afterDays);

    /// <summary>A grant whose end has come and whose expiry is not yet recorded.</summary>
    public static bool ExpiryDue(WriteScopeGrant grant, DateTimeOffset now) =>
        grant.ExpiryRecordedAt is null && grant.WithdrawnAt is null && grant.ExpiresAt <= now;

    /// <summary>A live grant within the warning window whose owner was not warned yet.</summary>
    public static bool ExpiryWarningDue(WriteScopeGrant grant, DateTimeOffset now, int warnDays) =>
        grant.ExpiryWarnedAt is null && grant.ExpiryRecordedAt is null && grant.WithdrawnAt is null && warnDays > 0
        && grant.ExpiresAt > now && grant.ExpiresAt - now <= TimeSpan.FromDays(warnDays);

    /// <summary>Expiries long past (a store that was offline, an old import) are recorded but not announced.</summary>
    public static bool ExpiryWorthTelling(WriteScopeGrant grant, DateTimeOffset now) => now - grant.ExpiresAt <= TimeSpan.FromDays(7);

    /// <summary>The kind a request takes when the owner does not say: a token that can already write is declared.</summary>
    public static RequestKind DefaultKind(WriteCapability capability) =>
        capability == WriteCapability.Write ? RequestKind.Declare : RequestKind.Request;
}
