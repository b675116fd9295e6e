using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RemediationAndAccessControl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "People",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");
            // A distinct random stamp per existing person (sessions signed in before this carry none and sign in again).
            migrationBuilder.Sql("UPDATE \"People\" SET \"SecurityStamp\" = lower(hex(randomblob(16)));");

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

            migrationBuilder.CreateTable(
                name: "RevocationCalls",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Platform = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Credentials = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RevocationCalls", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RevocationRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ExposureId = table.Column<int>(type: "INTEGER", nullable: false),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    Platform = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RevocationRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RevocationRequests_Exposures_ExposureId",
                        column: x => x.ExposureId,
                        principalTable: "Exposures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_RevocationRequests_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_DismissedUntil",
                table: "Exposures",
                column: "DismissedUntil");

            migrationBuilder.CreateIndex(
                name: "IX_RevocationCalls_Platform_At",
                table: "RevocationCalls",
                columns: new[] { "Platform", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_RevocationRequests_ExposureId",
                table: "RevocationRequests",
                column: "ExposureId");

            migrationBuilder.CreateIndex(
                name: "IX_RevocationRequests_State_NextAttemptAt",
                table: "RevocationRequests",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RevocationRequests_TokenId_State",
                table: "RevocationRequests",
                columns: new[] { "TokenId", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RevocationCalls");

            migrationBuilder.DropTable(
                name: "RevocationRequests");

            migrationBuilder.DropIndex(
                name: "IX_Exposures_DismissedUntil",
                table: "Exposures");

            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "People");

            migrationBuilder.DropColumn(
                name: "DismissedUntil",
                table: "Exposures");

            migrationBuilder.DropColumn(
                name: "SlaBreachNotifiedAt",
                table: "Exposures");
        }
    }
}
