using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.Property(d => d.DeliveryId).HasMaxLength(100);
        builder.Property(d => d.Event).HasMaxLength(64);
        builder.Property(d => d.Action).HasMaxLength(64);
        builder.Property(d => d.Repository).HasMaxLength(200);
        builder.Property(d => d.LastError).HasMaxLength(500);
        // A replayed delivery is refused by the store itself, whichever process received it.
        builder.HasIndex(d => d.DeliveryId).IsUnique();
        builder.HasIndex(d => new { d.State, d.NextAttemptAt });
    }
}

internal sealed class GitHubSyncStateConfiguration : IEntityTypeConfiguration<GitHubSyncState>
{
    public void Configure(EntityTypeBuilder<GitHubSyncState> builder)
    {
        builder.HasKey(s => s.Organization);
        builder.Property(s => s.Organization).HasMaxLength(100);
        builder.Property(s => s.LastError).HasMaxLength(500);
    }
}
