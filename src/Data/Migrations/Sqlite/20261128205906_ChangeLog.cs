using GovernanceDashboard.Facts;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.Data.Migrations.Sqlite
{
    /// <summary>The change log and its triggers, generated from the one list in src/Facts/ChangeLog.cs.</summary>
    public partial class ChangeLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => ChangeLogSchema.Install(migrationBuilder);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => ChangeLogSchema.Uninstall(migrationBuilder);
    }
}
