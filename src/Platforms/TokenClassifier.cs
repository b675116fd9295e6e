namespace GovernanceDashboard.Platforms;

/// <summary>A token's platform and kind as far as they can be told.</summary>
public readonly record struct TokenClass(TokenPlatform Platform, TokenKind Kind)
{
    public static TokenClass Unknown { get; } = new(TokenPlatform.Other, TokenKind.Other);
}

/// <summary>Tells a token's platform and kind from its value's prefix, else from a scanner's detector, rule id or secret type.</summary>
public static class TokenClassifier
{
    // Longest first is not needed (no prefix is a prefix of another) but keep github_pat_ ahead of the gh*_ family for readability.
    private static readonly (string Prefix, TokenClass Type)[] Prefixes =
    [
        ("github_pat_", new(TokenPlatform.GitHub, TokenKind.GitHubFineGrainedPat)),
        ("ghp_", new(TokenPlatform.GitHub, TokenKind.GitHubClassicPat)),
        ("gho_", new(TokenPlatform.GitHub, TokenKind.GitHubOAuth)),
        ("ghu_", new(TokenPlatform.GitHub, TokenKind.GitHubAppUserToken)),
        ("ghs_", new(TokenPlatform.GitHub, TokenKind.GitHubAppInstallationToken)),
        ("ghr_", new(TokenPlatform.GitHub, TokenKind.GitHubRefreshToken)),
        ("api_org_", new(TokenPlatform.HuggingFace, TokenKind.HuggingFaceOrgApiToken)),
        ("hf_", new(TokenPlatform.HuggingFace, TokenKind.HuggingFaceUserToken)),
    ];

    /// <summary>The known platform prefixes, e.g. "hf_", "github_pat_".</summary>
    public static IReadOnlyList<string> KnownPrefixes { get; } = [.. Prefixes.Select(p => p.Prefix)];

    /// <summary>Platform and kind from the secret's prefix first, then from the first hint (detector, rule id, secret type) that names a platform.</summary>
    public static TokenClass Classify(string? secret, params string?[] hints)
    {
        if (FromPrefix(secret) is { } byPrefix) return byPrefix;
        foreach (var hint in hints)
        {
            var byHint = FromHint(hint);
            if (byHint.Platform != TokenPlatform.Other) return byHint;
        }
        return TokenClass.Unknown;
    }

    /// <summary>Platform and kind from a known value prefix, or null when the value has none.</summary>
    public static TokenClass? FromPrefix(string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return null;
        var value = secret.AsSpan().TrimStart();
        foreach (var (prefix, type) in Prefixes)
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal)) return type;
        }
        return null;
    }

    /// <summary>The known prefix the value starts with, or null.</summary>
    public static string? KnownPrefixOf(string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return null;
        foreach (var (prefix, _) in Prefixes)
        {
            if (secret.StartsWith(prefix, StringComparison.Ordinal)) return prefix;
        }
        return null;
    }

    /// <summary>Platform and kind from the words of a detector name, rule id or secret type ("huggingface-access-token", "github_oauth_access_token", "GitHubApp").</summary>
    public static TokenClass FromHint(string? hint)
    {
        if (string.IsNullOrWhiteSpace(hint)) return TokenClass.Unknown;
        var words = Words(hint);
        var text = string.Concat(words);

        if (text.Contains("hugging", StringComparison.Ordinal) || words.Contains("hf"))
        {
            var org = words.Contains("org") || words.Contains("organization") || words.Contains("organisation")
                || text.Contains("apiorg", StringComparison.Ordinal);
            return new(TokenPlatform.HuggingFace, org ? TokenKind.HuggingFaceOrgApiToken : TokenKind.HuggingFaceUserToken);
        }

        if (text.Contains("github", StringComparison.Ordinal))
        {
            return new(TokenPlatform.GitHub, GitHubKind(words, text));
        }

        return TokenClass.Unknown;
    }

    private static TokenKind GitHubKind(List<string> words, string text)
    {
        if (text.Contains("finegrained", StringComparison.Ordinal)) return TokenKind.GitHubFineGrainedPat;
        if (text.Contains("refresh", StringComparison.Ordinal)) return TokenKind.GitHubRefreshToken;
        if (text.Contains("oauth", StringComparison.Ordinal)) return TokenKind.GitHubOAuth;
        if (text.Contains("usertoserver", StringComparison.Ordinal)) return TokenKind.GitHubAppUserToken;
        if (text.Contains("installation", StringComparison.Ordinal)) return TokenKind.GitHubAppInstallationToken;
        // gitleaks' github-app-token matches both ghu_ and ghs_; installation tokens are by far the commoner leak.
        if (words.Contains("app") || text.Contains("githubapp", StringComparison.Ordinal)) return TokenKind.GitHubAppInstallationToken;
        if (words.Contains("pat") || words.Contains("personal")) return TokenKind.GitHubClassicPat;
        return TokenKind.Other;
    }

    // Splits "GitHubOauth2", "github_app_installation_access_token", "@secretlint/secretlint-rule-huggingface"
    // into lower-case words so that "app" and "pat" are matched as words, not as parts of "happy" or "path".
    private static List<string> Words(string hint)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        char previous = '\0';
        foreach (var c in hint)
        {
            if (!char.IsLetterOrDigit(c))
            {
                Flush();
            }
            else
            {
                // A lower-to-upper change starts a word (GitHubApp → git, hub, app); "Git"+"Hub" is rejoined below.
                if (char.IsUpper(c) && char.IsLower(previous)) Flush();
                current.Append(char.ToLowerInvariant(c));
            }
            previous = c;
        }
        Flush();

        // CamelCase splitting breaks the brand names themselves; put them back together.
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if ((words[i] == "git" && words[i + 1] == "hub") || (words[i] == "hugging" && words[i + 1] == "face")
                || (words[i] == "fine" && words[i + 1] == "grained"))
            {
                words[i] += words[i + 1];
                words.RemoveAt(i + 1);
            }
        }
        return words;

        void Flush()
        {
            if (current.Length > 0) words.Add(current.ToString());
            current.Clear();
        }
    }
}
