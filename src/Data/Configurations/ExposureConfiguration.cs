using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class ExposureConfiguration : IEntityTypeConfiguration<Exposure>
{
    public void Configure(EntityTypeBuilder<Exposure> builder)
    {
        builder.HasOne(e => e.Token).WithMany(t => t.Exposures).HasForeignKey(e => e.TokenId);
        builder.HasIndex(e => new { e.TokenId, e.State });
        builder.HasIndex(e => new { e.State, e.DetectedAt });
        builder.HasIndex(e => e.RemediatedAt);
        builder.HasIndex(e => e.DismissedUntil);
        builder.Ignore(e => e.ClosedAt);
    }
}
