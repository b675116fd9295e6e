using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DropUnreadIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tokens_Kind",
                table: "Tokens");

            migrationBuilder.DropIndex(
                name: "IX_Tokens_LastSeenAt",
                table: "Tokens");

            migrationBuilder.DropIndex(
                name: "IX_Tokens_Status_Platform",
                table: "Tokens");

            migrationBuilder.DropIndex(
                name: "IX_Tokens_WriteCapability",
                table: "Tokens");

            migrationBuilder.DropIndex(
                name: "IX_Occurrences_Repository",
                table: "Occurrences");

            migrationBuilder.DropIndex(
                name: "IX_Exposures_RemediatedAt",
                table: "Exposures");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Tokens_Kind",
                table: "Tokens",
                column: "Kind");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_LastSeenAt",
                table: "Tokens",
                column: "LastSeenAt");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_Status_Platform",
                table: "Tokens",
                columns: new[] { "Status", "Platform" });

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_WriteCapability",
                table: "Tokens",
                column: "WriteCapability");

            migrationBuilder.CreateIndex(
                name: "IX_Occurrences_Repository",
                table: "Occurrences",
                column: "Repository");

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_RemediatedAt",
                table: "Exposures",
                column: "RemediatedAt");
        }
    }
}
