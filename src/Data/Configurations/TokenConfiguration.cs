using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class TokenConfiguration : IEntityTypeConfiguration<Token>
{
    public void Configure(EntityTypeBuilder<Token> builder)
    {
        builder.Property(t => t.Identity).HasMaxLength(80);
        builder.HasIndex(t => t.Identity).IsUnique();
        builder.Property(t => t.Mask).HasMaxLength(64);
        builder.Property(t => t.Detector).HasMaxLength(200);
        builder.Property(t => t.Account).HasMaxLength(200);
        builder.Property(t => t.Role).HasMaxLength(32);
        builder.HasOne(t => t.Owner).WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(t => t.SuggestedOwner).WithMany().HasForeignKey(t => t.SuggestedOwnerId).OnDelete(DeleteBehavior.SetNull);
        // Only indexes a query of the store reads: the inventory's lists, filters and sorts (status, kind, write
        // capability, last sighting) run on the in-memory facts, and every index is one more write per token an import
        // makes. Ownership rules match and count by (platform, account); an owner's tokens by owner; history starts at
        // the first sighting.
        builder.HasIndex(t => new { t.Platform, t.Account });
        builder.HasIndex(t => t.OwnerId);
        builder.HasIndex(t => t.FirstSeenAt);
        builder.Property(t => t.RevocationNote).HasMaxLength(200);
    }
}
