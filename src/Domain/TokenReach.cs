namespace GovernanceDashboard.Domain;

/// <summary>What kind of artefact a token can reach: a GitHub repository, or a Hugging Face model, dataset or Space.</summary>
public enum ArtefactKind { Repository, Model, Dataset, Space }

/// <summary>One artefact a token can reach, as an enricher or a platform sync last observed it: the input of the blast-radius score
/// (docs/metrics.md "Blast radius"). Figures only; nothing of the token's value.</summary>
public class TokenReach
{
    public long Id { get; set; }
    public int TokenId { get; set; }
    public Token? Token { get; set; }

    public TokenPlatform Platform { get; set; }
    public ArtefactKind Kind { get; set; }

    /// <summary>"owner/name" (GitHub repository, Hugging Face repo id).</summary>
    public required string FullName { get; set; }

    /// <summary>Whether the token can change it (push/admin on GitHub; a writable namespace on Hugging Face). Only these count.</summary>
    public bool CanWrite { get; set; }

    /// <summary>GitHub stars; Hugging Face likes.</summary>
    public long Stars { get; set; }
    public long Forks { get; set; }

    /// <summary>Hugging Face downloads (the last 30 days, as the Hub reports them); GitHub: 0.</summary>
    public long Downloads { get; set; }

    /// <summary>The artefact publishes releases or packages others install: a poisoned one reaches them directly.</summary>
    public bool Publishes { get; set; }

    /// <summary>Who observed it: "enrich:github", "enrich:huggingface", or a platform sync (e.g. "sync:github-org").</summary>
    public required string Source { get; set; }

    public DateTimeOffset ObservedAt { get; set; }
}
