namespace GovernanceDashboard.Ingestion;

/// <summary>What the store keeps of a finding instead of its secret: its token's identity and mask, the key of the place it
/// was seen, and the escrow copy of the secret (sealed under the import's data key; null without a secret value).</summary>
/// <param name="Identified">the identity is the secret's (not the place's, for a finding without a value).</param>
internal sealed record FindingNames(string Identity, bool Identified, string Mask, string PlaceKey, string? EscrowCopy);

/// <summary>Computes <see cref="FindingNames"/> with one reusable keyed hash and one escrow data key (made on the first
/// secret): one import, one thread at a time.</summary>
/// <remarks>Every secret gets its escrow copy here, although the writer keeps only the copies of exposures it opens:
/// sealing is cheap on the reading thread (<see cref="ReadAhead"/>), and the writer's thread is the import's bottleneck.</remarks>
internal sealed class FindingNamer(SecretProtector secrets) : IDisposable
{
    private readonly KeyedHasher _hasher = secrets.CreateHasher();
    private EscrowBatch? _escrow;

    /// <summary>The names of a finding, or null when it has neither a secret value nor a location.</summary>
    public FindingNames? Name(Finding f)
    {
        string identity, mask;
        string? escrowCopy = null;
        if (!string.IsNullOrEmpty(f.Secret))
        {
            identity = _hasher.IdentityOf(f.Secret);
            mask = TokenMask.For(f.Secret);
            escrowCopy = (_escrow ??= secrets.BeginEscrow()).Protect(f.Secret);
        }
        else if (!string.IsNullOrEmpty(f.LocationKey))
        {
            identity = _hasher.IdentityOfLocation(f.LocationKey);
            mask = TokenMask.NotAvailable;
        }
        else
        {
            return null;
        }
        return new FindingNames(identity, !string.IsNullOrEmpty(f.Secret), mask, PlaceKey(f, identity), escrowCopy);
    }

    /// <summary>One place: the same token, scanner, repository, file, line and commit (or the same GitHub alert). Not the
    /// scanner's own fingerprint, which is a position, and not the alert's state, which may change between imports.
    /// The keyed hash of "identity\nscanner\nrepository\nfile\nline\ncommit" (or "identity\nGitHub alert\nrepository\nnumber").</summary>
    private string PlaceKey(Finding f, string identity)
    {
        _hasher.Append(identity);
        if (f.AlertNumber is { } alert)
        {
            _hasher.Append("\nGitHub alert\n").Append(f.Repository).Append("\n").Append(alert.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            _hasher.Append("\n").Append(f.Scanner).Append("\n").Append(f.Repository).Append("\n").Append(f.File)
                .Append("\n").Append(f.LineNumber?.ToString(CultureInfo.InvariantCulture)).Append("\n").Append(f.Commit);
        }
        return _hasher.HexAndReset();
    }

    public void Dispose()
    {
        _hasher.Dispose();
        _escrow?.Dispose();
    }
}
