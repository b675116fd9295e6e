using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal static class ScanImportLimits
{
    public const int FormatLength = 32;
    public const int FileNameLength = 260;
    public const int RejectionReasonLength = 1000;
}

internal sealed class ScanImportConfiguration : IEntityTypeConfiguration<ScanImport>
{
    public void Configure(EntityTypeBuilder<ScanImport> builder)
    {
        builder.ToTable("Imports");
        builder.Property(i => i.Format).HasMaxLength(ScanImportLimits.FormatLength);
        builder.Property(i => i.FileName).HasMaxLength(ScanImportLimits.FileNameLength);
        builder.Property(i => i.Sha256).HasMaxLength(64);
        builder.HasIndex(i => i.Sha256);
        builder.Property(i => i.ImportedBy).HasMaxLength(320);
        builder.Property(i => i.RejectionReason).HasMaxLength(ScanImportLimits.RejectionReasonLength);
    }
}
