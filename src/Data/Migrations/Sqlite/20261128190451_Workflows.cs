using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Workflows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "WriteScopeRequests",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "RequiredApprovals",
                table: "WriteScopeRequests",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "ExpiryRecordedAt",
                table: "WriteScopeGrants",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ExpiryWarnedAt",
                table: "WriteScopeGrants",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RevocationNote",
                table: "Tokens",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RevocationRequestedAt",
                table: "Tokens",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AnsweredById",
                table: "AttestationTasks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EscalatedAt",
                table: "AttestationTasks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RemindedAt",
                table: "AttestationTasks",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MetricSnapshots",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AsOf = table.Column<long>(type: "INTEGER", nullable: false),
                    Team = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActiveTokens = table.Column<int>(type: "INTEGER", nullable: false),
                    Owned = table.Column<int>(type: "INTEGER", nullable: false),
                    Orphaned = table.Column<int>(type: "INTEGER", nullable: false),
                    WriteCapable = table.Column<int>(type: "INTEGER", nullable: false),
                    WriteUnknown = table.Column<int>(type: "INTEGER", nullable: false),
                    Justified = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerCoverage = table.Column<double>(type: "REAL", nullable: true),
                    WriteRatio = table.Column<double>(type: "REAL", nullable: true),
                    JustifiedRatio = table.Column<double>(type: "REAL", nullable: true),
                    OpenExposures = table.Column<int>(type: "INTEGER", nullable: false),
                    Breached = table.Column<int>(type: "INTEGER", nullable: false),
                    Remediated = table.Column<int>(type: "INTEGER", nullable: false),
                    MedianTtrHours = table.Column<double>(type: "REAL", nullable: true),
                    P90TtrHours = table.Column<double>(type: "REAL", nullable: true),
                    WithinSlaRatio = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MetricSnapshots", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Link = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReadAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SendAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notifications_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OwnershipTransfers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    FromPersonId = table.Column<int>(type: "INTEGER", nullable: false),
                    ToPersonId = table.Column<int>(type: "INTEGER", nullable: false),
                    Message = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OwnershipTransfers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OwnershipTransfers_People_ToPersonId",
                        column: x => x.ToPersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_OwnershipTransfers_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WriteScopeDecisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestId = table.Column<int>(type: "INTEGER", nullable: false),
                    DeciderId = table.Column<int>(type: "INTEGER", nullable: false),
                    Approve = table.Column<bool>(type: "INTEGER", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WriteScopeDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WriteScopeDecisions_People_DeciderId",
                        column: x => x.DeciderId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_WriteScopeDecisions_WriteScopeRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "WriteScopeRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_Kind",
                table: "Tokens",
                column: "Kind");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_LastSeenAt",
                table: "Tokens",
                column: "LastSeenAt");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_WriteCapability",
                table: "Tokens",
                column: "WriteCapability");

            migrationBuilder.CreateIndex(
                name: "IX_MetricSnapshots_Team_AsOf",
                table: "MetricSnapshots",
                columns: new[] { "Team", "AsOf" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_PersonId_ReadAt",
                table: "Notifications",
                columns: new[] { "PersonId", "ReadAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_SentAt",
                table: "Notifications",
                column: "SentAt");

            migrationBuilder.CreateIndex(
                name: "IX_OwnershipTransfers_TokenId",
                table: "OwnershipTransfers",
                column: "TokenId");

            migrationBuilder.CreateIndex(
                name: "IX_OwnershipTransfers_ToPersonId_Status",
                table: "OwnershipTransfers",
                columns: new[] { "ToPersonId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_WriteScopeDecisions_DeciderId",
                table: "WriteScopeDecisions",
                column: "DeciderId");

            migrationBuilder.CreateIndex(
                name: "IX_WriteScopeDecisions_RequestId_DeciderId",
                table: "WriteScopeDecisions",
                columns: new[] { "RequestId", "DeciderId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MetricSnapshots");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "OwnershipTransfers");

            migrationBuilder.DropTable(
                name: "WriteScopeDecisions");

            migrationBuilder.DropIndex(
                name: "IX_Tokens_Kind",
                table: "Tokens");

            migrationBuilder.DropIndex(
                name: "IX_Tokens_LastSeenAt",
                table: "Tokens");

            migrationBuilder.DropIndex(
                name: "IX_Tokens_WriteCapability",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "WriteScopeRequests");

            migrationBuilder.DropColumn(
                name: "RequiredApprovals",
                table: "WriteScopeRequests");

            migrationBuilder.DropColumn(
                name: "ExpiryRecordedAt",
                table: "WriteScopeGrants");

            migrationBuilder.DropColumn(
                name: "ExpiryWarnedAt",
                table: "WriteScopeGrants");

            migrationBuilder.DropColumn(
                name: "RevocationNote",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "RevocationRequestedAt",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "AnsweredById",
                table: "AttestationTasks");

            migrationBuilder.DropColumn(
                name: "EscalatedAt",
                table: "AttestationTasks");

            migrationBuilder.DropColumn(
                name: "RemindedAt",
                table: "AttestationTasks");
        }
    }
}
