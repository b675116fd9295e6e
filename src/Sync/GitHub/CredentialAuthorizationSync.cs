namespace GovernanceDashboard.Sync.GitHub;

/// <summary>What the credential-authorisation part of an organisation's sync did (null counts: not a SAML SSO organisation).</summary>
public sealed record CredentialAuthorizationSyncResult(bool SamlSso, int Listed, int Linked);

/// <summary>Reads a SAML SSO organisation's credential authorisations (<c>GET /orgs/{org}/credential-authorizations</c>) and links each
/// personal access token's authorisation to the leaked classic token it is of: same owner (the token's account or its owner's
/// <c>github_login</c>) and same last eight characters, compared in memory with the escrowed value of the token's exposure. Nothing
/// of the value beyond what the mask shows is stored: <c>token_last_eight</c> is dropped once compared.
/// Linking gives the leaked token the authorisation's scopes (and write capability by the classic-scope rule) and records the link on
/// the authorisation; the exposure is the leaked token's own, so the organisation's view of the credential shows it.</summary>
public sealed class CredentialAuthorizationSync(OrgTokenReader reader, IDbContextFactory<GovernanceDbContext> dbFactory, SecretProtector secrets, TimeProvider clock)
{
    public async Task<CredentialAuthorizationSyncResult> SyncAsync(string org, CancellationToken ct)
    {
        // 404: the organisation does not use SAML SSO; there is nothing to read.
        if (await reader.ReadAllAsync(org, $"orgs/{OrgTokenReader.Org(org)}/credential-authorizations", OrgTokenRecords.CredentialAuthorizations,
            "credential authorizations", ct, notFoundIsEmpty: true) is not { } read)
            return new CredentialAuthorizationSyncResult(false, 0, 0);
        var linked = await AuditTrail.WithLockAsync(() => WriteAsync(org, read.Items, ct), ct);
        return new CredentialAuthorizationSyncResult(true, read.Items.Count, linked);
    }

    private async Task<int> WriteAsync(string org, List<CredentialAuthorizationRecord> items, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.GitHubCredentialAuthorizations.Where(a => a.Organization == org).ToDictionaryAsync(a => a.CredentialId, ct);
        var linked = 0;
        foreach (var item in items.DistinctBy(i => i.CredentialId))
        {
            if (!rows.TryGetValue(item.CredentialId, out var row))
            {
                row = new GitHubCredentialAuthorization { Organization = org, CredentialId = item.CredentialId, Login = item.Login };
                db.GitHubCredentialAuthorizations.Add(row);
                rows[item.CredentialId] = row;
            }
            row.Login = item.Login;
            row.CredentialType = item.CredentialType;
            var scopes = string.Join(',', item.Scopes);
            row.Scopes = scopes.Length > 1000 ? scopes[..1000] : scopes;
            row.AuthorizedAt = item.AuthorizedAt;
            row.AccessedAt = item.AccessedAt;
            row.LastSyncedAt = now;
            row.GoneAt = null;
            if (row.TokenId is not null || item.LastEight is not { Length: 8 } lastEight
                || !string.Equals(item.CredentialType, "personal access token", StringComparison.OrdinalIgnoreCase)) continue;
            if (await LeakedTokenOfAsync(db, item.Login, lastEight, ct) is not { } token) continue;
            row.TokenId = token.Id;
            row.LinkedAt = now;
            var before = new { token.Scopes, writeCapability = token.WriteCapability.ToString() };
            token.Scopes = row.Scopes;
            token.WriteCapability = WriteScopes.ForGitHubClassic(item.Scopes, verified: true);
            if (!ApprovalRules.OrganizationsOf(token.Organizations).Contains(org.ToLowerInvariant()))
                token.Organizations = string.IsNullOrEmpty(token.Organizations) ? org : token.Organizations + "," + org;
            await AuditTrail.AppendAsync(db, OrgTokenNames.Actor, "token.github-org.credential-linked", WriteScopeService.TokenSubject(token.Id), before,
                new { org, credentialId = item.CredentialId, login = item.Login, token.Scopes, writeCapability = token.WriteCapability.ToString(), item.AuthorizedAt },
                now, ct);
            linked++;
        }
        var listed = items.Select(i => i.CredentialId).ToHashSet();
        foreach (var row in rows.Values.Where(r => r.GoneAt is null && !listed.Contains(r.CredentialId))) row.GoneAt = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return linked;
    }

    /// <summary>The leaked classic token of <paramref name="login"/> whose escrowed value ends in <paramref name="lastEight"/>.</summary>
    private async Task<Token?> LeakedTokenOfAsync(GovernanceDbContext db, string login, string lastEight, CancellationToken ct)
    {
        var lower = login.ToLowerInvariant();
        // GitHub's logins compare without case; the account a validation recorded keeps GitHub's spelling, so it is compared here.
        var classic = db.Tokens.Where(t => t.Platform == TokenPlatform.GitHub && t.Kind == TokenKind.GitHubClassicPat);
        var byAccount = (await classic.Where(t => t.Account != null).Select(t => new { t.Id, t.Account }).ToListAsync(ct))
            .Where(t => string.Equals(t.Account, login, StringComparison.OrdinalIgnoreCase)).Select(t => t.Id);
        var byOwner = await classic.Where(t => t.Owner != null && t.Owner.GitHubLogin == lower).Select(t => t.Id).ToListAsync(ct);
        var ids = byAccount.Concat(byOwner).Distinct().ToList();
        var candidates = await db.Tokens.Where(t => ids.Contains(t.Id))
            .Select(t => new { Token = t, Escrows = t.Exposures.Where(e => e.Escrow != null).OrderByDescending(e => e.DetectedAt).Select(e => e.Escrow!).Take(1).ToList() })
            .ToListAsync(ct);
        var wanted = Encoding.UTF8.GetBytes(lastEight);
        foreach (var c in candidates)
        {
            if (c.Escrows is not [var escrow]) continue;
            string value;
            try
            {
                value = secrets.Unescrow(escrow);
            }
            catch (CryptographicException)
            {
                continue;
            }
            if (value.Length >= 8 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(value[^8..]), wanted)) return c.Token;
        }
        return null;
    }
}
