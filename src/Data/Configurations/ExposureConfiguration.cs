using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class ExposureConfiguration : IEntityTypeConfiguration<Exposure>
{
    public void Configure(EntityTypeBuilder<Exposure> builder)
    {
        builder.HasOne(e => e.Token).WithMany(t => t.Exposures).HasForeignKey(e => e.TokenId);
        builder.HasIndex(e => new { e.TokenId, e.State });
        // The exposure list filters by state and sorts by detection; its closed-at sorts and windows read
        // coalesce(RemediatedAt, DismissedAt), which no single-column index serves.
        builder.HasIndex(e => new { e.State, e.DetectedAt });
        builder.HasIndex(e => e.DismissedUntil);
        builder.Ignore(e => e.ClosedAt);
    }
}
