namespace GovernanceDashboard.Importers;

/// <summary>Tells a secret scanner's SARIF results from those of tools that look for other things (CodeQL, linters): only
/// results of secret-scanning rules are findings. See docs/imports.md, "SARIF from other tools".</summary>
internal static class SecretRules
{
    // Driver names (lower case, as parts of the name) of tools whose every result is a secret.
    private static readonly string[] SecretScanners =
    [
        "gitleaks", "trufflehog", "secretlint", "detect-secrets", "detect_secrets", "ggshield", "gitguardian", "noseyparker",
        "nosey parker", "secret scanning", "secret-scanning", "git-secrets", "ripsecrets", "talisman", "kingfisher", "betterleaks",
    ];

    // Words that, in a rule's id, name, description or tags, say it looks for a secret.
    private static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "secret", "secrets", "credential", "credentials", "password", "passwords", "passwd", "token", "tokens", "apikey", "apikeys",
        "privatekey", "cwe-798", "cwe-259", "cwe-321",
    };

    // "key" alone is too common (duplicate dictionary key, host key validation, weak crypto key): only these kinds of key.
    private static readonly HashSet<string> KeyQualifiers = new(StringComparer.Ordinal) { "api", "access", "private", "secret", "ssh", "auth", "signing" };

    // Code-analysis rules that mention a secret without reporting one: "missing CSRF token validation", "password hash
    // with insufficient effort", "clear-text logging of a password".
    private static readonly HashSet<string> NotALeak = new(StringComparer.Ordinal)
    {
        "validation", "verification", "csrf", "hash", "hashing", "logging", "storage", "transmission", "cleartext", "clear", "weak",
        "insufficient", "randomness", "comparison", "timing", "injection", "expiry", "expiration",
    };

    /// <summary>True for a tool that only reports secrets (its driver name is one of the secret scanners').</summary>
    public static bool IsSecretScanner(string? driverName)
    {
        if (string.IsNullOrWhiteSpace(driverName)) return false;
        var name = driverName.ToLowerInvariant();
        return SecretScanners.Any(s => name.Contains(s, StringComparison.Ordinal));
    }

    /// <summary>Whether the scanner's snippet is the secret itself. gitleaks writes the finding's Secret as the snippet, so
    /// it is the value whatever its shape (a multi-line private key, a value with spaces); other tools' snippets are
    /// trusted only when they look like one value.</summary>
    public static bool SnippetIsTheSecret(string? driverName) =>
        driverName is not null && driverName.Contains("gitleaks", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when any of the rule's texts (id, name, description, tags) says it looks for a secret.</summary>
    public static bool IsSecretRule(IEnumerable<string?> texts)
    {
        var words = new List<string>();
        foreach (var text in texts)
        {
            if (!string.IsNullOrWhiteSpace(text)) words.AddRange(Words(text));
        }
        if (words.Count == 0 || words.Any(NotALeak.Contains)) return false;
        for (var i = 0; i < words.Count; i++)
        {
            if (SecretWords.Contains(words[i])) return true;
            if (words[i] is "key" or "keys" && i > 0 && KeyQualifiers.Contains(words[i - 1])) return true;
        }
        return false;
    }

    /// <summary>True when a rule or value names a token kind this dashboard knows (github-pat, huggingface-access-token, a
    /// ghp_ value): such a result is a secret whatever the tool.</summary>
    public static bool NamesAKnownToken(string? rule, string? value)
    {
        if (TokenClassifier.KnownPrefixOf(value?.Trim()) is not null) return true;
        var type = TokenClassifier.FromHint(rule);
        return type.Platform == TokenPlatform.HuggingFace || (type.Platform == TokenPlatform.GitHub && type.Kind != TokenKind.Other);
    }

    // Lower-case words split on anything but letters, digits and '-' inside "cwe-798"; camelCase splits too.
    private static IEnumerable<string> Words(string text)
    {
        var lower = text.ToLowerInvariant();
        foreach (var cwe in System.Text.RegularExpressions.Regex.Matches(lower, @"cwe-\d+").Select(m => m.Value)) yield return cwe;
        var current = new System.Text.StringBuilder();
        char previous = '\0';
        foreach (var c in text)
        {
            if (!char.IsLetterOrDigit(c))
            {
                if (current.Length > 0) yield return current.ToString();
                current.Clear();
            }
            else
            {
                if (char.IsUpper(c) && char.IsLower(previous) && current.Length > 0)
                {
                    yield return current.ToString();
                    current.Clear();
                }
                current.Append(char.ToLowerInvariant(c));
            }
            previous = c;
        }
        if (current.Length > 0) yield return current.ToString();
    }
}
