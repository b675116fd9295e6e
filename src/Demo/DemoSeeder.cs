namespace GovernanceDashboard.Demo;

/// <summary>A realistic demo organisation with a year of history, so a first run shows a living dashboard.</summary>
/// <remarks>Secrets are random values of the right shape, generated here: as for real imports, only their keyed hash and mask are
/// stored, and an encrypted escrow copy while an exposure is open.</remarks>
public sealed class DemoSeeder(IDbContextFactory<GovernanceDbContext> dbFactory, SecretProtector secrets, TimeProvider clock, Metrics.HistoryService history)
{
    public sealed record Seeded(int People, int Tokens, int Exposures);

    private static readonly string[] Teams = ["ML Platform", "Research", "Data Engineering", "Applied AI", "Developer Experience", "Security"];
    private static readonly string[] FirstNames = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kira", "Liam", "Maya", "Noor", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wen", "Yara", "Zoe"];
    private static readonly string[] LastNames = ["Adams", "Bauer", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen", "Khan", "Lopez", "Meyer", "Nakamura", "Okafor", "Patel", "Rossi", "Singh", "Tanaka", "Weber"];
    private static readonly string[] HfOrgs = ["acme-ai", "acme-research", "acme-datasets"];
    private static readonly string[] GhOrgs = ["acme", "acme-labs", "acme-infra"];
    private static readonly string[] Repos = ["acme/model-serving", "acme/training-pipelines", "acme-labs/notebooks", "acme/eval-harness", "acme-infra/terraform", "acme/chat-frontend", "acme-labs/rag-experiments", "acme/data-loaders"];
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Seeds on the first start of an empty store when <c>Demo:SeedWhenEmpty</c> is true (Development's appsettings).</summary>
    public async Task SeedOnFirstStartAsync(IConfiguration configuration, IHostEnvironment environment, ILogger logger)
    {
        if (!configuration.GetValue("Demo:SeedWhenEmpty", false)) return;
        var seeded = await SeedAsync();
        if (seeded is not null)
            logger.LogInformation("Empty store in {Environment}: seeded the demo organisation ({People} people, {Tokens} tokens). Sign in locally as any of them.",
                environment.EnvironmentName, seeded.People, seeded.Tokens);
    }

    /// <summary>Fills an empty store; returns null (writing nothing) when the store already has people or tokens.</summary>
    public async Task<Seeded?> SeedAsync(int seed = 20261128, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.People.AnyAsync(ct) || await db.Tokens.AnyAsync(ct)) return null;

        var rng = new Random(seed);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        var people = CreatePeople(rng, now);
        db.People.AddRange(people);
        await db.SaveChangesAsync(ct);

        var import = new ScanImport
        {
            Format = "demo", FileName = "demo organisation", Sha256 = new string('0', 64), ImportedBy = "seed-demo",
            ImportedAt = now, ScannedAt = now.AddYears(-1),
        };
        db.Imports.Add(import);
        await db.SaveChangesAsync(ct);

        var owners = people.Where(p => !p.Email.StartsWith("sec", StringComparison.Ordinal)).ToList();
        var tokens = new List<Token>();
        var exposures = 0;
        for (var i = 0; i < 320; i++)
        {
            var token = CreateToken(rng, now, owners, i, out var secret);
            tokens.Add(token);
            exposures += AddHistory(rng, now, token, import.Id, i);
            // As an import does: the open exposure keeps the (fake) value encrypted, so "Revoke now" can be tried on the demo.
            foreach (var open in token.Exposures.Where(e => e.State == ExposureState.Open)) open.Escrow = secrets.Escrow(secret);
        }
        db.Tokens.AddRange(tokens);
        await db.SaveChangesAsync(ct);

        AddGrantsAndRequests(db, rng, now, tokens);
        AddCampaign(db, rng, now, tokens);
        import.Records = tokens.Sum(t => t.Occurrences.Count);
        import.TokensNew = tokens.Count;
        import.OccurrencesNew = import.Records;
        await AuditTrail.AppendAsync(db, "seed-demo", "demo.seeded", null, after: new { people = people.Count, tokens = tokens.Count, exposures }, ct: ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // A year of daily figures, so the first look at the Overview already shows trends.
        await history.BackfillAsync(ct);
        return new Seeded(people.Count, tokens.Count, exposures);
    }

    private static List<Person> CreatePeople(Random rng, DateTimeOffset now)
    {
        var people = new List<Person>
        {
            new() { Email = "sec.lead@acme.example", DisplayName = "Sam Secure", Team = "Security", Roles = Roles.Admin | Roles.Approver, CreatedAt = now },
            new() { Email = "sec.analyst@acme.example", DisplayName = "Alex Analyst", Team = "Security", ManagerEmail = "sec.lead@acme.example", Roles = Roles.Analyst, CreatedAt = now },
            new() { Email = "sec.auditor@acme.example", DisplayName = "Audrey Auditor", Team = "Security", ManagerEmail = "sec.lead@acme.example", Roles = Roles.Auditor, CreatedAt = now },
        };
        foreach (var team in Teams.Where(t => t != "Security"))
        {
            var slug = team.ToLowerInvariant().Replace(' ', '-');
            var lead = new Person { Email = $"lead.{slug}@acme.example", DisplayName = $"{Pick(rng, FirstNames)} {Pick(rng, LastNames)}", Team = team, Roles = Roles.Approver, CreatedAt = now };
            people.Add(lead);
            for (var i = 0; i < 9; i++)
            {
                var first = Pick(rng, FirstNames);
                var last = Pick(rng, LastNames);
                var email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{(i > 4 ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}@acme.example";
                if (people.Any(p => p.Email == email)) continue;
                // About one in twelve has left the company: their tokens are orphaned.
                people.Add(new Person { Email = email, DisplayName = $"{first} {last}", Team = team, ManagerEmail = lead.Email, Active = rng.NextDouble() > 0.08, CreatedAt = now });
            }
        }
        return people;
    }

    private Token CreateToken(Random rng, DateTimeOffset now, List<Person> owners, int index, out string secret)
    {
        (var kind, secret) = RandomSecret(rng);
        var classified = TokenClassifier.Classify(secret);
        var owner = owners[rng.Next(owners.Count)];
        var firstSeen = now.AddDays(-rng.Next(1, 365)).AddMinutes(-rng.Next(0, 1440));
        var (role, scopes, orgs, write) = Permissions(rng, kind);
        var ownership = rng.NextDouble();
        var token = new Token
        {
            Identity = secrets.IdentityOf(secret),
            Identified = true,
            Mask = TokenMask.For(secret),
            Platform = classified.Platform,
            Kind = kind,
            Detector = classified.Platform == TokenPlatform.HuggingFace ? "HuggingFace" : "Github",
            Account = owner.Email.Split('@')[0].Replace('.', '-'),
            Organizations = orgs,
            Scopes = scopes,
            Role = role,
            WriteCapability = write,
            OwnerId = ownership < 0.82 ? owner.Id : null,
            OwnerConfirmedAt = ownership < 0.82 ? firstSeen.AddDays(1) : null,
            OwnerSource = ownership < 0.82 ? OwnerSource.Manual : OwnerSource.None,
            SuggestedOwnerId = ownership is >= 0.82 and < 0.9 ? owner.Id : null,
            FirstSeenAt = firstSeen,
            LastSeenAt = firstSeen.AddDays(rng.Next(0, 60)) is var last && last < now ? last : now,
            ExpiresAt = kind == TokenKind.GitHubFineGrainedPat ? firstSeen.AddDays(rng.Next(30, 400)) : null,
            Status = TokenStatus.Active,
        };
        if (index % 37 == 5) token.RevokedAt = firstSeen.AddDays(rng.Next(1, 30)) is var r && r < now ? r : now;
        token.Status = token.StatusAt(now, hasOpenExposure: false);
        return token;
    }

    /// <summary>Occurrences and, for about a third of tokens, an exposure with its remediation or dismissal.</summary>
    private static int AddHistory(Random rng, DateTimeOffset now, Token token, int importId, int index)
    {
        var repo = Pick(rng, Repos);
        token.Occurrences.Add(Occurrence(rng, token, importId, repo, token.FirstSeenAt, index, 0));
        if (rng.NextDouble() > 0.35 || token.RevokedAt is not null) return 0;

        var detected = token.FirstSeenAt;
        var severity = (Severity)rng.Next(0, 4);
        if (token.WriteCapability == WriteCapability.Write && rng.NextDouble() < 0.5) severity = Severity.Critical;
        var exposure = new Exposure
        {
            DetectedAt = detected, Severity = severity,
            VerificationAtDetection = severity == Severity.Low ? Verification.Inactive : severity == Severity.Medium ? Verification.Unknown : Verification.Verified,
            State = ExposureState.Open,
        };
        if (rng.NextDouble() < 0.5) token.Occurrences.Add(Occurrence(rng, token, importId, Pick(rng, Repos), detected.AddHours(rng.Next(1, 200)), index, 1));

        // Remediation times improve over the year: older incidents took days, recent ones hours.
        var ageDays = (now - detected).TotalDays;
        var typicalHours = 6 + ageDays / 365 * 200;
        var hours = Math.Max(0.5, typicalHours * Math.Exp(NextGaussian(rng) * 0.9));
        var outcome = rng.NextDouble();
        if (outcome < 0.1)
        {
            exposure.State = ExposureState.Dismissed;
            exposure.DismissedAt = detected.AddHours(Math.Min(hours, 48));
            exposure.DismissalReason = rng.NextDouble() < 0.6 ? "false_positive" : "used_in_tests";
        }
        else if (detected.AddHours(hours) < now && outcome < 0.93)
        {
            exposure.State = ExposureState.Remediated;
            exposure.RemediatedAt = detected.AddHours(hours);
            exposure.RemediatedBy = rng.NextDouble() < 0.4 ? "revocation API" : "owner";
            token.RevokedAt = exposure.RemediatedAt;
        }
        token.Exposures.Add(exposure);
        token.Status = token.StatusAt(now, exposure.State == ExposureState.Open);
        return 1;
    }

    private static Occurrence Occurrence(Random rng, Token token, int importId, string repo, DateTimeOffset detected, int index, int n)
    {
        var file = Pick(rng, ["config.py", "train.py", ".env", "notebooks/eval.ipynb", "deploy/push.sh", "app.py", "scripts/upload_model.py"]);
        var line = rng.Next(1, 300);
        var commit = Convert.ToHexStringLower(BitConverter.GetBytes(rng.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(rng.NextInt64())) + "c0ffee01";
        var scanner = Pick(rng, ["TruffleHog", "Gitleaks", "GitHub"]);
        return new Occurrence
        {
            Key = $"demo-{index}-{n}",
            ImportId = importId,
            Scanner = scanner,
            Detector = token.Detector,
            Repository = "https://github.com/" + repo,
            File = file,
            Line = line,
            Commit = commit,
            Link = $"https://github.com/{repo}/blob/{commit}/{file}#L{line}",
            Visibility = rng.NextDouble() < 0.25 ? RepoVisibility.Public : RepoVisibility.Private,
            DetectedAt = detected,
            CommitTime = detected.AddHours(-rng.Next(1, 72)),
            // Gitleaks never verifies.
            Verification = scanner == "Gitleaks" ? Verification.Unverified : Verification.Verified,
        };
    }

    private static void AddGrantsAndRequests(GovernanceDbContext db, Random rng, DateTimeOffset now, List<Token> tokens)
    {
        foreach (var token in tokens.Where(t => t.WriteCapability == WriteCapability.Write && t.OwnerId is not null))
        {
            var roll = rng.NextDouble();
            if (roll < 0.55)
            {
                var approved = token.FirstSeenAt.AddDays(rng.Next(0, 10));
                var request = new WriteScopeRequest
                {
                    TokenId = token.Id, RequesterId = token.OwnerId!.Value, Justification = "Pushes model checkpoints from the training pipeline.",
                    Targets = token.Organizations, Days = 180, Status = RequestStatus.Approved, CreatedAt = approved.AddHours(-20),
                    DecidedAt = approved, DecisionComment = "Scoped to the pipeline's repositories.",
                };
                db.WriteScopeRequests.Add(request);
                db.SaveChanges();
                db.WriteScopeGrants.Add(new WriteScopeGrant { TokenId = token.Id, RequestId = request.Id, ApprovedAt = approved, ExpiresAt = approved.AddDays(rng.Next(60, 400)) });
            }
            else if (roll < 0.7)
            {
                db.WriteScopeRequests.Add(new WriteScopeRequest
                {
                    TokenId = token.Id, RequesterId = token.OwnerId!.Value, Justification = "Needs to update the dataset card on release.",
                    Targets = token.Organizations, Days = 90, Status = RequestStatus.Pending, CreatedAt = now.AddDays(-rng.Next(0, 6)),
                });
            }
        }
    }

    private static void AddCampaign(GovernanceDbContext db, Random rng, DateTimeOffset now, List<Token> tokens)
    {
        var campaign = new AttestationCampaign
        {
            Name = $"Quarterly review {now:yyyy}-Q{(now.Month - 1) / 3 + 1}", Scope = CampaignScope.AllActive,
            OpenedAt = now.AddDays(-10), Deadline = now.AddDays(11), OpenedBy = "sec.analyst@acme.example",
        };
        foreach (var token in tokens.Where(t => t.Status is TokenStatus.Active or TokenStatus.Exposed))
        {
            var answered = rng.NextDouble() < 0.6 && token.OwnerId is not null;
            campaign.Tasks.Add(new AttestationTask
            {
                TokenId = token.Id, OwnerId = token.OwnerId,
                Answer = answered ? (rng.NextDouble() < 0.85 ? AttestationAnswer.Keep : AttestationAnswer.ReduceScope) : AttestationAnswer.None,
                AnsweredAt = answered ? now.AddDays(-rng.Next(0, 9)) : null,
            });
        }
        db.AttestationCampaigns.Add(campaign);
    }

    private static (TokenKind Kind, string Secret) RandomSecret(Random rng)
    {
        var roll = rng.NextDouble();
        return roll switch
        {
            < 0.40 => (TokenKind.HuggingFaceUserToken, "hf_" + RandomChars(rng, 34)),
            < 0.47 => (TokenKind.HuggingFaceOrgApiToken, "api_org_" + RandomChars(rng, 34)),
            < 0.70 => (TokenKind.GitHubClassicPat, "ghp_" + RandomChars(rng, 36)),
            < 0.85 => (TokenKind.GitHubFineGrainedPat, "github_pat_" + RandomChars(rng, 22) + "_" + RandomChars(rng, 59)),
            < 0.91 => (TokenKind.GitHubOAuth, "gho_" + RandomChars(rng, 36)),
            < 0.96 => (TokenKind.GitHubAppInstallationToken, "ghs_" + RandomChars(rng, 36)),
            _ => (TokenKind.GitHubRefreshToken, "ghr_" + RandomChars(rng, 76)),
        };
    }

    private static (string? Role, string? Scopes, string? Orgs, WriteCapability Write) Permissions(Random rng, TokenKind kind)
    {
        var roll = rng.NextDouble();
        switch (kind)
        {
            case TokenKind.HuggingFaceUserToken or TokenKind.HuggingFaceOrgApiToken:
                var org = Pick(rng, HfOrgs);
                return roll switch
                {
                    < 0.12 => ("write", null, $"{org}:write", WriteCapability.Write),
                    < 0.85 => ("read", null, $"{org}:read", WriteCapability.Read),
                    < 0.93 => ("fineGrained", "repo.content.read, inference.serverless.write", org + ":contributor", WriteCapability.Write),
                    _ => ("fineGrained", null, org, WriteCapability.Unknown),
                };
            case TokenKind.GitHubClassicPat:
                return roll < 0.14 ? (null, "repo, workflow", Pick(rng, GhOrgs), WriteCapability.Write)
                    : roll < 0.9 ? (null, "read:org, read:packages", Pick(rng, GhOrgs), WriteCapability.Read)
                    : (null, null, null, WriteCapability.Unknown);
            case TokenKind.GitHubFineGrainedPat:
                return roll < 0.1 ? (null, "contents:write, metadata:read", Pick(rng, GhOrgs), WriteCapability.Write)
                    : (null, "contents:read, metadata:read", Pick(rng, GhOrgs), WriteCapability.Read);
            default:
                return (null, null, Pick(rng, GhOrgs), roll < 0.5 ? WriteCapability.Unknown : WriteCapability.Read);
        }
    }

    private static string RandomChars(Random rng, int n) => string.Create(n, rng, (span, r) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = Alphabet[r.Next(Alphabet.Length)];
    });

    private static string Pick(Random rng, string[] items) => items[rng.Next(items.Length)];

    private static double NextGaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
