using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class AttestationCampaignConfiguration : IEntityTypeConfiguration<AttestationCampaign>
{
    public void Configure(EntityTypeBuilder<AttestationCampaign> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.OpenedBy).HasMaxLength(320);
    }
}

internal sealed class AttestationTaskConfiguration : IEntityTypeConfiguration<AttestationTask>
{
    public void Configure(EntityTypeBuilder<AttestationTask> builder)
    {
        builder.HasOne(t => t.Campaign).WithMany(c => c.Tasks).HasForeignKey(t => t.CampaignId);
        builder.HasOne(t => t.Token).WithMany().HasForeignKey(t => t.TokenId);
        builder.HasIndex(t => new { t.CampaignId, t.TokenId }).IsUnique();
        builder.HasIndex(t => t.OwnerId);
    }
}
