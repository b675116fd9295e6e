using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GovernanceDashboard.Data;

/// <summary>The governance store.</summary>
/// <remarks>
/// Each provider has its own migration set (src/Data/Migrations/Sqlite and .../Postgres, picked by
/// <see cref="ProviderMigrationsAssembly"/>): after changing the model add a migration to BOTH, with the commands in
/// docs/database.md, then rebuild. <c>dotnet ef migrations has-pending-model-changes</c> must stay clean for both (.ci/run).
/// </remarks>
public class GovernanceDbContext(DbContextOptions<GovernanceDbContext> options) : DbContext(options)
{
    public DbSet<Person> People => Set<Person>();
    public DbSet<Token> Tokens => Set<Token>();
    public DbSet<Occurrence> Occurrences => Set<Occurrence>();
    public DbSet<Exposure> Exposures => Set<Exposure>();
    public DbSet<ScanImport> Imports => Set<ScanImport>();
    public DbSet<OwnershipRule> OwnershipRules => Set<OwnershipRule>();
    public DbSet<WriteScopeRequest> WriteScopeRequests => Set<WriteScopeRequest>();
    public DbSet<WriteScopeGrant> WriteScopeGrants => Set<WriteScopeGrant>();
    public DbSet<WriteScopeDecision> WriteScopeDecisions => Set<WriteScopeDecision>();
    public DbSet<OwnershipTransfer> OwnershipTransfers => Set<OwnershipTransfer>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationAttachment> NotificationAttachments => Set<NotificationAttachment>();
    public DbSet<MetricSnapshot> MetricSnapshots => Set<MetricSnapshot>();
    public DbSet<AttestationCampaign> AttestationCampaigns => Set<AttestationCampaign>();
    public DbSet<AttestationTask> AttestationTasks => Set<AttestationTask>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Setting> Settings => Set<Setting>();
    public DbSet<RevocationRequest> RevocationRequests => Set<RevocationRequest>();
    public DbSet<RevocationCall> RevocationCalls => Set<RevocationCall>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<GitHubSyncState> GitHubSyncStates => Set<GitHubSyncState>();
    public DbSet<GitHubOrgToken> GitHubOrgTokens => Set<GitHubOrgToken>();
    public DbSet<GitHubPatRequest> GitHubPatRequests => Set<GitHubPatRequest>();
    public DbSet<GitHubCredentialAuthorization> GitHubCredentialAuthorizations => Set<GitHubCredentialAuthorization>();
    public DbSet<GitHubOrgSyncState> GitHubOrgSyncStates => Set<GitHubOrgSyncState>();
    public DbSet<TokenReach> TokenReach => Set<TokenReach>();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        RenewSecurityStamps();
        // The audit chain's cross-instance lock is taken by the asynchronous save only; its appenders all save asynchronously.
        if (Database.IsNpgsql() && ChangeTracker.Entries<AuditEvent>().Any(e => e.State == EntityState.Added))
            throw new InvalidOperationException("Save audit events with SaveChangesAsync on PostgreSQL (it takes the chain's lock).");
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        RenewSecurityStamps();
        // On PostgreSQL several instances append to the audit chain: chain the new events under a database lock held to commit.
        if (!Database.IsNpgsql() || !ChangeTracker.Entries<AuditEvent>().Any(e => e.State == EntityState.Added))
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        if (Database.CurrentTransaction is not null)
        {
            await Audit.AuditTrail.ChainUnderDatabaseLockAsync(this, cancellationToken);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        await using var tx = await Database.BeginTransactionAsync(cancellationToken);
        await Audit.AuditTrail.ChainUnderDatabaseLockAsync(this, cancellationToken);
        var saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>A change of roles, activity or team gives the person a new security stamp, whichever writer made it (an
    /// import, an admin's edit, a future page), so their open sessions are re-checked and ended.</summary>
    private void RenewSecurityStamps()
    {
        // Entries() detects changes first when automatic detection is on; writers that turn it off (imports) detect before saving.
        foreach (var entry in ChangeTracker.Entries<Person>())
        {
            if (entry.State != EntityState.Modified || entry.Property(p => p.SecurityStamp).IsModified) continue;
            if (entry.Property(p => p.Roles).IsModified || entry.Property(p => p.Active).IsModified || entry.Property(p => p.Team).IsModified)
                entry.Property(p => p.SecurityStamp).CurrentValue = Person.NewSecurityStamp();
        }
    }

    // Whichever way the options were built, migrations are looked up in the provider's own set.
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ReplaceService<Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly, ProviderMigrationsAssembly>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GovernanceDbContext).Assembly);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are stored as UTC milliseconds: comparable and sortable in SQL on every provider
        // (SQLite cannot order or compare DateTimeOffset text).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcMillisecondsConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcMillisecondsConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(32);
    }

    private sealed class UtcMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(),
        v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}
