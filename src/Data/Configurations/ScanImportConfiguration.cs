using GovernanceDashboard.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class ScanImportConfiguration : IEntityTypeConfiguration<ScanImport>
{
    public void Configure(EntityTypeBuilder<ScanImport> builder)
    {
        builder.ToTable("Imports");
        builder.Property(i => i.Format).HasMaxLength(32);
        builder.Property(i => i.FileName).HasMaxLength(260);
        builder.Property(i => i.Sha256).HasMaxLength(64);
        builder.HasIndex(i => i.Sha256);
        builder.Property(i => i.ImportedBy).HasMaxLength(320);
    }
}
