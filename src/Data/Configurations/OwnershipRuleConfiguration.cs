using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class OwnershipRuleConfiguration : IEntityTypeConfiguration<OwnershipRule>
{
    public void Configure(EntityTypeBuilder<OwnershipRule> builder)
    {
        builder.Property(r => r.Account).HasMaxLength(200);
        builder.Property(r => r.OwnerEmail).HasMaxLength(320);
        builder.HasIndex(r => new { r.Platform, r.Account }).IsUnique();
    }
}
