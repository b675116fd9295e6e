using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class OccurrenceConfiguration : IEntityTypeConfiguration<Occurrence>
{
    public void Configure(EntityTypeBuilder<Occurrence> builder)
    {
        builder.Property(o => o.Key).HasMaxLength(64);
        builder.HasIndex(o => o.Key).IsUnique();
        builder.HasIndex(o => o.TokenId);
        // No index on the repository: repository filters and ownership by repository read the in-memory facts.
        builder.HasIndex(o => o.ImportId);
        builder.HasOne(o => o.Token).WithMany(t => t.Occurrences).HasForeignKey(o => o.TokenId);
        builder.HasOne(o => o.Import).WithMany().HasForeignKey(o => o.ImportId);
    }
}
