using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GovernanceDashboard.Data.Configurations;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.Property(p => p.Email).HasMaxLength(320);
        builder.HasIndex(p => p.Email).IsUnique();
        builder.Property(p => p.DisplayName).HasMaxLength(200);
        builder.Property(p => p.Team).HasMaxLength(200);
        builder.HasIndex(p => p.Team);
        builder.Property(p => p.ManagerEmail).HasMaxLength(320);
        builder.Property(p => p.Roles).HasConversion<int>();
        builder.Property(p => p.SecurityStamp).HasMaxLength(64);
        builder.Property(p => p.GitHubLogin).HasMaxLength(100);
        builder.HasIndex(p => p.GitHubLogin);
        builder.Ignore(p => p.IsActiveAdmin);
    }
}
