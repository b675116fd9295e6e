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
        builder.HasIndex(t => new { t.Platform, t.Account });
        builder.HasIndex(t => new { t.Status, t.Platform });
        builder.HasIndex(t => t.OwnerId);
        builder.HasIndex(t => t.FirstSeenAt);
        // The inventory grid sorts by last sighting and filters by kind and write capability.
        builder.HasIndex(t => t.LastSeenAt);
        builder.HasIndex(t => t.Kind);
        builder.HasIndex(t => t.WriteCapability);
        builder.Property(t => t.RevocationNote).HasMaxLength(200);
    }
}
