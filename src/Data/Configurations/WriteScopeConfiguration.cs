using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class WriteScopeRequestConfiguration : IEntityTypeConfiguration<WriteScopeRequest>
{
    public void Configure(EntityTypeBuilder<WriteScopeRequest> builder)
    {
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasOne(r => r.Token).WithMany().HasForeignKey(r => r.TokenId);
        builder.HasOne(r => r.Requester).WithMany().HasForeignKey(r => r.RequesterId);
        builder.HasIndex(r => new { r.Status, r.CreatedAt });
    }
}

internal sealed class WriteScopeGrantConfiguration : IEntityTypeConfiguration<WriteScopeGrant>
{
    public void Configure(EntityTypeBuilder<WriteScopeGrant> builder)
    {
        builder.HasOne(g => g.Token).WithMany().HasForeignKey(g => g.TokenId);
        builder.HasIndex(g => new { g.TokenId, g.ExpiresAt });
    }
}

internal sealed class WriteScopeDecisionConfiguration : IEntityTypeConfiguration<WriteScopeDecision>
{
    public void Configure(EntityTypeBuilder<WriteScopeDecision> builder)
    {
        builder.HasOne(d => d.Request).WithMany(r => r.Decisions).HasForeignKey(d => d.RequestId);
        builder.HasOne(d => d.Decider).WithMany().HasForeignKey(d => d.DeciderId);
        // One decision per approver per request.
        builder.HasIndex(d => new { d.RequestId, d.DeciderId }).IsUnique();
    }
}
