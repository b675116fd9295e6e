using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class TokenReachConfiguration : IEntityTypeConfiguration<TokenReach>
{
    public void Configure(EntityTypeBuilder<TokenReach> builder)
    {
        builder.Property(r => r.FullName).HasMaxLength(300);
        builder.Property(r => r.Source).HasMaxLength(40);
        builder.HasOne(r => r.Token).WithMany().HasForeignKey(r => r.TokenId).OnDelete(DeleteBehavior.Cascade);
        // One row per artefact a source saw for a token: a later observation updates it.
        builder.HasIndex(r => new { r.TokenId, r.Source, r.Kind, r.FullName }).IsUnique();
    }
}
