namespace GovernanceDashboard.Settings;

/// <summary>Admin-editable settings with their defaults; stored as key/value rows, changes audited.</summary>
public sealed record GovernanceSettings
{
    public double SlaCriticalHours { get; init; } = 24;
    public double SlaHighHours { get; init; } = 72;
    public double SlaMediumHours { get; init; } = 7 * 24;
    public double SlaLowHours { get; init; } = 30 * 24;

    public double TargetOwnerCoverage { get; init; } = 1.0;
    public double TargetWriteRatioMax { get; init; } = 0.10;
    public double TargetJustifiedWrite { get; init; } = 1.0;
    public double TargetMedianTtrHours { get; init; } = 24;

    public int MaxGrantDays { get; init; } = 365;
    public int EscalateRequestsAfterDays { get; init; } = 3;

    /// <summary>Grant duration when a write-scope request names none.</summary>
    public int DefaultGrantDays { get; init; } = 90;

    /// <summary>When true, requests for tokens of a critical organisation need two approvers.</summary>
    public bool RequireTwoApprovalsForCritical { get; init; }

    /// <summary>Comma-separated organisations whose tokens are critical (e.g. "acme-ai, acme").</summary>
    public string CriticalOrganizations { get; init; } = "";

    /// <summary>The owner is warned this many days before a write-scope grant expires.</summary>
    public int WarnGrantExpiryDays { get; init; } = 14;

    /// <summary>Owners with unanswered attestation tasks are reminded this many days before the deadline.</summary>
    public int AttestationReminderDays { get; init; } = 3;

    /// <summary>Unanswered attestation tasks escalate to the owner's manager this many days after the deadline.</summary>
    public int AttestationEscalationDays { get; init; } = 1;

    /// <summary>Severities whose new Hugging Face exposures are revoked automatically ("Critical,High", "None"); null: the
    /// configuration's <c>Remediation:AutoRevoke:HuggingFace</c> applies.</summary>
    public string? AutoRevokeHuggingFace { get; init; }

    /// <summary>As <see cref="AutoRevokeHuggingFace"/> for GitHub (<c>Remediation:AutoRevoke:GitHub</c>).</summary>
    public string? AutoRevokeGitHub { get; init; }

    /// <summary>How often the management report is mailed: "Monthly" (the calendar month before), "Weekly" (the Monday-to-Sunday
    /// week before) or "Off". Nothing is mailed while <see cref="ReportRecipients"/> is empty.</summary>
    public string ReportFrequency { get; init; } = "Monthly";

    /// <summary>Comma-separated e-mail addresses of the people who receive the scheduled report (active, with a reading role).</summary>
    public string ReportRecipients { get; init; } = "";

    public double SlaHoursFor(Severity severity) => severity switch
    {
        Severity.Critical => SlaCriticalHours,
        Severity.High => SlaHighHours,
        Severity.Medium => SlaMediumHours,
        _ => SlaLowHours,
    };

    private static readonly System.Reflection.PropertyInfo[] Properties = typeof(GovernanceSettings).GetProperties();

    public static async Task<GovernanceSettings> LoadAsync(GovernanceDbContext db, CancellationToken ct = default)
    {
        var rows = await db.Settings.AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, ct);
        object settings = new GovernanceSettings();
        foreach (var p in Properties)
            if (rows.TryGetValue(p.Name, out var raw)) p.SetValue(settings, Convert.ChangeType(raw, p.PropertyType, CultureInfo.InvariantCulture));
        return (GovernanceSettings)settings;
    }

    /// <summary><paramref name="current"/> with every property that differs between <paramref name="original"/> and
    /// <paramref name="edited"/> taken from <paramref name="edited"/>.</summary>
    public static GovernanceSettings Merge(GovernanceSettings current, GovernanceSettings original, GovernanceSettings edited)
    {
        object merged = current with { };
        foreach (var p in Properties)
            if (!Equals(p.GetValue(original), p.GetValue(edited))) p.SetValue(merged, p.GetValue(edited));
        return (GovernanceSettings)merged;
    }

    /// <summary>Saves what differs from the stored settings, one audit event per change.</summary>
    public static async Task SaveAsync(GovernanceDbContext db, GovernanceSettings updated, string actor, CancellationToken ct = default)
    {
        var current = await LoadAsync(db, ct);
        foreach (var p in Properties)
        {
            var before = Convert.ToString(p.GetValue(current), CultureInfo.InvariantCulture)!;
            var after = Convert.ToString(p.GetValue(updated), CultureInfo.InvariantCulture)!;
            if (before == after) continue;
            var row = await db.Settings.FindAsync([p.Name], ct);
            if (row is null) db.Settings.Add(new Setting { Key = p.Name, Value = after });
            else row.Value = after;
            await AuditTrail.AppendAsync(db, actor, "setting.changed", "setting:" + p.Name, before, after, ct: ct);
        }
        await db.SaveChangesAsync(ct);
    }
}
