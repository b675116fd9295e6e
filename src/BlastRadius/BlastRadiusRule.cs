namespace GovernanceDashboard.BlastRadius;

/// <summary>One artefact a token reaches, as a reader or a platform sync observed it (the figures of a <see cref="TokenReach"/> row).</summary>
public sealed record ReachedArtefact(ArtefactKind Kind, string FullName, bool CanWrite, long Stars = 0, long Forks = 0, long Downloads = 0,
    bool Publishes = false);

/// <summary>The blast-radius score, defined once (docs/metrics.md "Blast radius"): over the artefacts a token can write,
/// Σ log10(1 + downloads + 10·stars + 5·forks), doubled for an artefact that publishes releases or packages. Log-scaled so that one
/// artefact used by millions weighs like a handful used by thousands each, not like a million small ones.</summary>
public static class BlastRadiusRule
{
    public const double StarWeight = 10, ForkWeight = 5, PublishesFactor = 2;

    /// <summary>One artefact's share: 0 when the token cannot write it.</summary>
    public static double Of(ReachedArtefact a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (!a.CanWrite) return 0;
        var users = 1.0 + Math.Max(0, a.Downloads) + StarWeight * Math.Max(0, a.Stars) + ForkWeight * Math.Max(0, a.Forks);
        return Math.Log10(users) * (a.Publishes ? PublishesFactor : 1);
    }

    /// <summary>The token's score over everything it reaches.</summary>
    public static double Score(IEnumerable<ReachedArtefact> artefacts) => artefacts.Sum(Of);

    /// <summary>The score that counts now: a token that cannot write (read-only or unknown) changes nothing, and a revoked or expired
    /// token no longer authenticates, so both score 0 whatever their artefacts; the stored score is kept for the record.</summary>
    public static double Effective(double stored, WriteCapability write, TokenStatus status) =>
        write == WriteCapability.Write && TokenStatusRule.IsActive(status) ? stored : 0;

    /// <summary>The score as the grid sorts it: thousandths, as an integer key.</summary>
    public static long SortKey(double effective) => (long)Math.Round(effective * 1000);
}
