using GovernanceDashboard.Facts;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.Data.Migrations.Postgres
{
    /// <summary>The change log, its readers' heartbeats and its PL/pgSQL triggers, generated from the one list in
    /// src/Facts/ChangeLog.cs. Hand-written (no model change): keep it when the migrations before or after are regenerated.</summary>
    [DbContext(typeof(GovernanceDbContext))]
    [Migration("20261202012455_ChangeLog")]
    public partial class ChangeLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => ChangeLogSchema.Install(migrationBuilder);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => ChangeLogSchema.Uninstall(migrationBuilder);
    }
}
