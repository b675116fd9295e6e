namespace GovernanceDashboard.Workflows.Remediation;

/// <summary>Which new exposures are revoked automatically: severities per platform, from the Admin's setting or else from
/// configuration (<c>Remediation:AutoRevoke:HuggingFace</c>, <c>Remediation:AutoRevoke:GitHub</c>); default none.</summary>
public sealed record AutoRevokePolicy(IReadOnlySet<Severity> HuggingFace, IReadOnlySet<Severity> GitHub)
{
    public static AutoRevokePolicy None { get; } = new(new HashSet<Severity>(), new HashSet<Severity>());

    public bool IsOff => HuggingFace.Count == 0 && GitHub.Count == 0;

    public IReadOnlySet<Severity> For(TokenPlatform platform) => platform switch
    {
        TokenPlatform.HuggingFace => HuggingFace,
        TokenPlatform.GitHub => GitHub,
        _ => new HashSet<Severity>(),
    };

    public static AutoRevokePolicy From(GovernanceSettings settings, IConfiguration configuration) => new(
        Parse(settings.AutoRevokeHuggingFace ?? configuration["Remediation:AutoRevoke:HuggingFace"]),
        Parse(settings.AutoRevokeGitHub ?? configuration["Remediation:AutoRevoke:GitHub"]));

    /// <summary>"Critical, High" → {Critical, High}; empty or "None" → none.</summary>
    /// <exception cref="FormatException">a word that is not a severity: a typo must not silently switch the policy off.</exception>
    public static HashSet<Severity> Parse(string? text)
    {
        var set = new HashSet<Severity>();
        foreach (var word in (text ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (word.Equals("None", StringComparison.OrdinalIgnoreCase)) continue;
            if (!Enum.TryParse<Severity>(word, ignoreCase: true, out var severity) || !Enum.IsDefined(severity) || int.TryParse(word, out _))
                throw new FormatException($"\"{word}\" is not a severity (Critical, High, Medium, Low or None).");
            set.Add(severity);
        }
        return set;
    }

    /// <summary>The stored form of a set of severities: "Critical,High", or "None".</summary>
    public static string Format(IEnumerable<Severity> severities)
    {
        var list = severities.Distinct().OrderByDescending(s => s).Select(s => s.ToString()).ToList();
        return list.Count == 0 ? "None" : string.Join(',', list);
    }
}
