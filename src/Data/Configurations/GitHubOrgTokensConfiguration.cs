using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class GitHubOrgTokenConfiguration : IEntityTypeConfiguration<GitHubOrgToken>
{
    public void Configure(EntityTypeBuilder<GitHubOrgToken> builder)
    {
        builder.HasKey(t => new { t.Organization, t.GitHubTokenId });
        builder.Property(t => t.Organization).HasMaxLength(100);
        builder.Property(t => t.OwnerLogin).HasMaxLength(100);
        builder.Property(t => t.TokenName).HasMaxLength(200);
        builder.Property(t => t.RepositorySelection).HasMaxLength(16);
        builder.Property(t => t.RevokeRequestedBy).HasMaxLength(320);
        builder.Property(t => t.RevokeError).HasMaxLength(500);
        builder.HasIndex(t => t.TokenId).IsUnique();
        builder.HasOne(t => t.Token).WithMany().HasForeignKey(t => t.TokenId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GitHubPatRequestConfiguration : IEntityTypeConfiguration<GitHubPatRequest>
{
    public void Configure(EntityTypeBuilder<GitHubPatRequest> builder)
    {
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Organization).HasMaxLength(100);
        builder.Property(r => r.OwnerLogin).HasMaxLength(100);
        builder.Property(r => r.State).HasConversion<int>();
        builder.Property(r => r.Action).HasMaxLength(16);
        builder.Property(r => r.Reason).HasMaxLength(1024);
        builder.Property(r => r.LastError).HasMaxLength(500);
        builder.HasIndex(r => new { r.State, r.NextAttemptAt });
        builder.HasIndex(r => r.WriteScopeRequestId);
        builder.HasOne(r => r.WriteScopeRequest).WithMany().HasForeignKey(r => r.WriteScopeRequestId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Token>().WithMany().HasForeignKey(r => r.TokenId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GitHubCredentialAuthorizationConfiguration : IEntityTypeConfiguration<GitHubCredentialAuthorization>
{
    public void Configure(EntityTypeBuilder<GitHubCredentialAuthorization> builder)
    {
        builder.HasKey(a => new { a.Organization, a.CredentialId });
        builder.Property(a => a.Organization).HasMaxLength(100);
        builder.Property(a => a.Login).HasMaxLength(100);
        builder.Property(a => a.CredentialType).HasMaxLength(64);
        builder.Property(a => a.Scopes).HasMaxLength(1000);
        builder.HasIndex(a => a.TokenId);
        builder.HasOne<Token>().WithMany().HasForeignKey(a => a.TokenId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class GitHubOrgSyncStateConfiguration : IEntityTypeConfiguration<GitHubOrgSyncState>
{
    public void Configure(EntityTypeBuilder<GitHubOrgSyncState> builder)
    {
        builder.HasKey(s => s.Organization);
        builder.Property(s => s.Organization).HasMaxLength(100);
        builder.Property(s => s.LastError).HasMaxLength(500);
    }
}
