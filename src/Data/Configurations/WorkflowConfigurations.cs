using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class OwnershipTransferConfiguration : IEntityTypeConfiguration<OwnershipTransfer>
{
    public void Configure(EntityTypeBuilder<OwnershipTransfer> builder)
    {
        builder.HasOne(t => t.Token).WithMany().HasForeignKey(t => t.TokenId);
        builder.HasOne(t => t.ToPerson).WithMany().HasForeignKey(t => t.ToPersonId);
        builder.Property(t => t.Message).HasMaxLength(1000);
        builder.HasIndex(t => new { t.ToPersonId, t.Status });
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.HasOne(n => n.Person).WithMany().HasForeignKey(n => n.PersonId);
        builder.Property(n => n.Kind).HasMaxLength(64);
        builder.Property(n => n.Subject).HasMaxLength(300);
        builder.Property(n => n.Body).HasMaxLength(4000);
        builder.Property(n => n.Link).HasMaxLength(300);
        builder.Property(n => n.LastError).HasMaxLength(1000);
        builder.HasIndex(n => new { n.PersonId, n.ReadAt });
        builder.HasIndex(n => n.SentAt);
        builder.HasMany(n => n.Attachments).WithOne(a => a.Notification).HasForeignKey(a => a.NotificationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationAttachmentConfiguration : IEntityTypeConfiguration<NotificationAttachment>
{
    public void Configure(EntityTypeBuilder<NotificationAttachment> builder)
    {
        builder.Property(a => a.FileName).HasMaxLength(200);
        builder.Property(a => a.ContentType).HasMaxLength(100);
    }
}

internal sealed class MetricSnapshotConfiguration : IEntityTypeConfiguration<MetricSnapshot>
{
    public void Configure(EntityTypeBuilder<MetricSnapshot> builder)
    {
        builder.Property(s => s.Team).HasMaxLength(200);
        builder.HasIndex(s => new { s.Team, s.AsOf }).IsUnique();
    }
}
