namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>Why a person closes an exposure without revoking its token (docs/metrics.md "dismissed": closed, excluded from time to remediate).</summary>
public static class DismissalReasons
{
    public const string FalsePositive = "false_positive";
    public const string UsedInTests = "used_in_tests";
    public const string RiskAccepted = "risk_accepted";

    /// <summary>The reasons a person may give; imports also write GitHub's <c>wont_fix</c>.</summary>
    public static readonly IReadOnlyList<string> Triage = [FalsePositive, UsedInTests, RiskAccepted];

    public static string Describe(string? reason) => reason switch
    {
        FalsePositive => "false positive",
        UsedInTests => "used in tests",
        RiskAccepted => "risk accepted",
        "wont_fix" => "won't fix",
        null => "",
        _ => reason,
    };
}

/// <summary>The state rules of triage, without a store: what may be dismissed or reopened, and what each does to the exposure and its token.</summary>
public static class TriageRules
{
    public const int MaxNote = 2000;

    /// <summary>The longest risk acceptance: a risk is looked at again at least once a year.</summary>
    public static readonly TimeSpan MaxRiskAcceptance = TimeSpan.FromDays(366);

    /// <summary>Checks a dismissal's reason and expiry; returns the sentence to show, or null when it is valid.</summary>
    public static string? ValidateDismissal(string? reason, DateTimeOffset? until, DateTimeOffset now)
    {
        if (reason is null || !DismissalReasons.Triage.Contains(reason))
            return "reason must be false_positive, used_in_tests or risk_accepted.";
        if (reason == DismissalReasons.RiskAccepted)
        {
            if (until is not { } end) return "A risk accepted needs an expiry date (until), after which the exposure reopens by itself.";
            if (end <= now) return "The risk acceptance must end in the future.";
            if (end > now + MaxRiskAcceptance) return "A risk is accepted for at most a year; look at it again then.";
        }
        else if (until is not null)
        {
            return "Only a risk accepted has an expiry date (until).";
        }
        return null;
    }

    public static string? ValidateNote(string? note) =>
        note?.Length > MaxNote ? $"A note is limited to {MaxNote} characters." :
        ContainsTokenValue(note) ? "A note must not contain a token's value (it would be kept in clear): name the token by its mask." : null;

    private static readonly char[] WordSeparators = [' ', '\t', '\r', '\n', '"', '\'', '`', ',', ';', '(', ')', '<', '>', '='];

    /// <summary>A pasted secret: a word that starts with a platform's token prefix and runs on like a real token (a mask, "hf_…x9Qz", does not).</summary>
    private static bool ContainsTokenValue(string? text) =>
        text is not null && text.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries)
            .Any(word => Platforms.TokenClassifier.KnownPrefixOf(word) is { } prefix && word.Length >= prefix.Length + 20
                && word.Skip(prefix.Length).Take(20).All(c => char.IsAsciiLetterOrDigit(c) || c == '_'));

    /// <summary>Closes an open exposure as dismissed. The escrowed secret is erased: a closed exposure keeps no copy of it.</summary>
    public static void Dismiss(Exposure exposure, string reason, DateTimeOffset? until, DateTimeOffset now)
    {
        exposure.State = ExposureState.Dismissed;
        // Never before the detection, so a dismissal never dates an exposure as closed before it opened.
        exposure.DismissedAt = now > exposure.DetectedAt ? now : exposure.DetectedAt;
        exposure.DismissalReason = reason;
        exposure.DismissedUntil = reason == DismissalReasons.RiskAccepted ? until : null;
        exposure.Escrow = null;
    }

    /// <summary>Why a dismissed exposure cannot be reopened, or null when it can.</summary>
    public static string? CannotReopen(Exposure exposure, Token token, bool anotherOpen)
    {
        if (exposure.State != ExposureState.Dismissed) return $"Only a dismissed exposure can be reopened; this one is {exposure.State}.";
        if (token.RevokedAt is not null) return "The token was revoked since: there is nothing left to remediate.";
        if (anotherOpen) return "The token has another open exposure; work on that one.";
        return null;
    }

    /// <summary>Opens a dismissed exposure again. Its escrow cannot come back: it was erased when the exposure closed.</summary>
    public static void Reopen(Exposure exposure)
    {
        exposure.State = ExposureState.Open;
        exposure.DismissedAt = null;
        exposure.DismissalReason = null;
        exposure.DismissedUntil = null;
        // A new open period: its SLA breach is announced again.
        exposure.SlaBreachNotifiedAt = null;
    }
}
