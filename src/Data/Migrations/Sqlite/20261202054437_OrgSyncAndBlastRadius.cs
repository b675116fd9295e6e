using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrgSyncAndBlastRadius : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "BlastRadius",
                table: "Tokens",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<long>(
                name: "ReachEnrichedAt",
                table: "Tokens",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GitHubLogin",
                table: "People",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "GitHubCredentialAuthorizations",
                columns: table => new
                {
                    Organization = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CredentialId = table.Column<long>(type: "INTEGER", nullable: false),
                    Login = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CredentialType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Scopes = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    AuthorizedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AccessedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastSyncedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    GoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: true),
                    LinkedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GitHubCredentialAuthorizations", x => new { x.Organization, x.CredentialId });
                    table.ForeignKey(
                        name: "FK_GitHubCredentialAuthorizations_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "GitHubOrgSyncStates",
                columns: table => new
                {
                    Organization = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LastSyncAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Tokens = table.Column<int>(type: "INTEGER", nullable: false),
                    PendingRequests = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    LastErrorAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GitHubOrgSyncStates", x => x.Organization);
                });

            migrationBuilder.CreateTable(
                name: "GitHubOrgTokens",
                columns: table => new
                {
                    Organization = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GitHubTokenId = table.Column<long>(type: "INTEGER", nullable: false),
                    PatId = table.Column<long>(type: "INTEGER", nullable: false),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerLogin = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TokenName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Permissions = table.Column<string>(type: "TEXT", nullable: false),
                    RepositorySelection = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Repositories = table.Column<string>(type: "TEXT", nullable: true),
                    AccessGrantedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FirstSyncedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSyncedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    GoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokeRequestedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokeRequestedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    RevokeSentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokeAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    RevokeNextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokeError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GitHubOrgTokens", x => new { x.Organization, x.GitHubTokenId });
                    table.ForeignKey(
                        name: "FK_GitHubOrgTokens_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "GitHubPatRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    Organization = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GitHubTokenId = table.Column<long>(type: "INTEGER", nullable: false),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerLogin = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Permissions = table.Column<string>(type: "TEXT", nullable: false),
                    AsksWrite = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    WriteScopeRequestId = table.Column<int>(type: "INTEGER", nullable: true),
                    State = table.Column<int>(type: "INTEGER", maxLength: 32, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GitHubPatRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GitHubPatRequests_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_GitHubPatRequests_WriteScopeRequests_WriteScopeRequestId",
                        column: x => x.WriteScopeRequestId,
                        principalTable: "WriteScopeRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "TokenReach",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    Platform = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FullName = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    CanWrite = table.Column<bool>(type: "INTEGER", nullable: false),
                    Stars = table.Column<long>(type: "INTEGER", nullable: false),
                    Forks = table.Column<long>(type: "INTEGER", nullable: false),
                    Downloads = table.Column<long>(type: "INTEGER", nullable: false),
                    Publishes = table.Column<bool>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ObservedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TokenReach", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TokenReach_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_People_GitHubLogin",
                table: "People",
                column: "GitHubLogin");

            migrationBuilder.CreateIndex(
                name: "IX_GitHubCredentialAuthorizations_TokenId",
                table: "GitHubCredentialAuthorizations",
                column: "TokenId");

            migrationBuilder.CreateIndex(
                name: "IX_GitHubOrgTokens_TokenId",
                table: "GitHubOrgTokens",
                column: "TokenId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GitHubPatRequests_State_NextAttemptAt",
                table: "GitHubPatRequests",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_GitHubPatRequests_TokenId",
                table: "GitHubPatRequests",
                column: "TokenId");

            migrationBuilder.CreateIndex(
                name: "IX_GitHubPatRequests_WriteScopeRequestId",
                table: "GitHubPatRequests",
                column: "WriteScopeRequestId");

            migrationBuilder.CreateIndex(
                name: "IX_TokenReach_TokenId_Source_Kind_FullName",
                table: "TokenReach",
                columns: new[] { "TokenId", "Source", "Kind", "FullName" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GitHubCredentialAuthorizations");

            migrationBuilder.DropTable(
                name: "GitHubOrgSyncStates");

            migrationBuilder.DropTable(
                name: "GitHubOrgTokens");

            migrationBuilder.DropTable(
                name: "GitHubPatRequests");

            migrationBuilder.DropTable(
                name: "TokenReach");

            migrationBuilder.DropIndex(
                name: "IX_People_GitHubLogin",
                table: "People");

            migrationBuilder.DropColumn(
                name: "BlastRadius",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "ReachEnrichedAt",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "GitHubLogin",
                table: "People");
        }
    }
}
