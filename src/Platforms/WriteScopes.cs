namespace GovernanceDashboard.Platforms;

/// <summary>Whether a token's known permissions allow changing anything, exactly as docs/metrics.md "Write scope" defines it.</summary>
public static class WriteScopes
{
    // Classic scopes that cannot change anything; every other classic scope can.
    private static readonly HashSet<string> ReadOnlyClassicScopes = new(StringComparer.OrdinalIgnoreCase) { "notifications", "user:email" };

    /// <summary>Hugging Face: role write → Write, read → Read; fineGrained → Write if any permission ends in ".write", Read if the permissions are known and none does, Unknown if they are not known (null).</summary>
    public static WriteCapability ForHuggingFace(string? role, IEnumerable<string>? fineGrainedPermissions = null)
    {
        var r = role?.Trim();
        if (string.Equals(r, "write", StringComparison.OrdinalIgnoreCase)) return WriteCapability.Write;
        if (string.Equals(r, "read", StringComparison.OrdinalIgnoreCase)) return WriteCapability.Read;
        if (string.Equals(r, "fineGrained", StringComparison.OrdinalIgnoreCase))
        {
            if (fineGrainedPermissions is null) return WriteCapability.Unknown;
            return fineGrainedPermissions.Any(p => p is not null && p.Trim().EndsWith(".write", StringComparison.OrdinalIgnoreCase))
                ? WriteCapability.Write
                : WriteCapability.Read;
        }
        return WriteCapability.Unknown;
    }

    /// <summary>True for a GitHub classic scope that allows writing: all but "read:*", "notifications" and "user:email".</summary>
    public static bool IsGitHubClassicWriteScope(string scope)
    {
        var s = scope.Trim();
        if (s.Length == 0) return false;
        return !s.StartsWith("read:", StringComparison.OrdinalIgnoreCase) && !ReadOnlyClassicScopes.Contains(s);
    }

    /// <summary>GitHub classic (and OAuth) scopes: Write if any scope writes, else Read; an empty list → Read only when the token was verified; no list (null) → Unknown.</summary>
    public static WriteCapability ForGitHubClassic(IEnumerable<string>? scopes, bool verified)
    {
        if (scopes is null) return WriteCapability.Unknown;
        var known = scopes.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        if (known.Count > 0)
        {
            return known.Any(IsGitHubClassicWriteScope) ? WriteCapability.Write : WriteCapability.Read;
        }
        // The platform accepted the token and granted no scope: it can only read public data.
        return verified ? WriteCapability.Read : WriteCapability.Unknown;
    }

    /// <summary>GitHub fine-grained permissions (name → level): Write if any is at write or admin, Read if known and none is, Unknown if not known (null).</summary>
    public static WriteCapability ForGitHubFineGrained(IEnumerable<KeyValuePair<string, string>>? permissions)
    {
        if (permissions is null) return WriteCapability.Unknown;
        return permissions.Any(p => IsWriteLevel(p.Value)) ? WriteCapability.Write : WriteCapability.Read;
    }

    private static bool IsWriteLevel(string? level) =>
        string.Equals(level?.Trim(), "write", StringComparison.OrdinalIgnoreCase)
        || string.Equals(level?.Trim(), "admin", StringComparison.OrdinalIgnoreCase);
}
