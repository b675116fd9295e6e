using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class RevocationRequestConfiguration : IEntityTypeConfiguration<RevocationRequest>
{
    public void Configure(EntityTypeBuilder<RevocationRequest> builder)
    {
        builder.HasOne(r => r.Exposure).WithMany().HasForeignKey(r => r.ExposureId);
        builder.HasOne<Token>().WithMany().HasForeignKey(r => r.TokenId);
        builder.Property(r => r.LastError).HasMaxLength(500);
        builder.Property(r => r.RequestedBy).HasMaxLength(200);
        // The sender's query (due work) and the dedupe on a token's open request.
        builder.HasIndex(r => new { r.State, r.NextAttemptAt });
        builder.HasIndex(r => new { r.TokenId, r.State });
        builder.HasIndex(r => r.ExposureId);
    }
}

internal sealed class RevocationCallConfiguration : IEntityTypeConfiguration<RevocationCall>
{
    public void Configure(EntityTypeBuilder<RevocationCall> builder) => builder.HasIndex(c => new { c.Platform, c.At });
}
