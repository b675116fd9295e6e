using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.src.Data.Migrations
{
    /// <inheritdoc />
    public partial class TriageSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DismissedUntil",
                table: "Exposures",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SlaBreachNotifiedAt",
                table: "Exposures",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_DismissedUntil",
                table: "Exposures",
                column: "DismissedUntil");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Exposures_DismissedUntil",
                table: "Exposures");

            migrationBuilder.DropColumn(
                name: "DismissedUntil",
                table: "Exposures");

            migrationBuilder.DropColumn(
                name: "SlaBreachNotifiedAt",
                table: "Exposures");
        }
    }
}
