using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AttestationCampaigns",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Scope = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Deadline = table.Column<long>(type: "INTEGER", nullable: false),
                    OpenedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AttestationCampaigns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Before = table.Column<string>(type: "TEXT", nullable: true),
                    After = table.Column<string>(type: "TEXT", nullable: true),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Imports",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Format = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ImportedBy = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ScannedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Records = table.Column<int>(type: "INTEGER", nullable: false),
                    TokensNew = table.Column<int>(type: "INTEGER", nullable: false),
                    TokensSeen = table.Column<int>(type: "INTEGER", nullable: false),
                    OccurrencesNew = table.Column<int>(type: "INTEGER", nullable: false),
                    Duplicates = table.Column<int>(type: "INTEGER", nullable: false),
                    RejectedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    RejectedJson = table.Column<string>(type: "TEXT", nullable: true),
                    ExposuresOpened = table.Column<int>(type: "INTEGER", nullable: false),
                    ExposuresClosed = table.Column<int>(type: "INTEGER", nullable: false),
                    OccurrencesOnClosedTokens = table.Column<int>(type: "INTEGER", nullable: false),
                    SameFileAsEarlier = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Imports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OwnershipRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Platform = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Account = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    OwnerEmail = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OwnershipRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "People",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Team = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ManagerEmail = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    Roles = table.Column<int>(type: "INTEGER", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_People", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Settings",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Settings", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "ApiKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PersonId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ApiKeys_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Tokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Identity = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Identified = table.Column<bool>(type: "INTEGER", nullable: false),
                    Mask = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Platform = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Detector = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Account = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Organizations = table.Column<string>(type: "TEXT", nullable: true),
                    Scopes = table.Column<string>(type: "TEXT", nullable: true),
                    Role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    WriteCapability = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OwnerId = table.Column<int>(type: "INTEGER", nullable: true),
                    OwnerConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SuggestedOwnerId = table.Column<int>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Tokens", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Tokens_People_OwnerId",
                        column: x => x.OwnerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Tokens_People_SuggestedOwnerId",
                        column: x => x.SuggestedOwnerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "AttestationTasks",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CampaignId = table.Column<int>(type: "INTEGER", nullable: false),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    OwnerId = table.Column<int>(type: "INTEGER", nullable: true),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Comment = table.Column<string>(type: "TEXT", nullable: true),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AttestationTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AttestationTasks_AttestationCampaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "AttestationCampaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AttestationTasks_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Exposures",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    DetectedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Severity = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    VerificationAtDetection = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RemediatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RemediatedBy = table.Column<string>(type: "TEXT", nullable: true),
                    DismissedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DismissalReason = table.Column<string>(type: "TEXT", nullable: true),
                    Escrow = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Exposures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Exposures_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Occurrences",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    ImportId = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Scanner = table.Column<string>(type: "TEXT", nullable: false),
                    Detector = table.Column<string>(type: "TEXT", nullable: true),
                    Repository = table.Column<string>(type: "TEXT", nullable: true),
                    File = table.Column<string>(type: "TEXT", nullable: true),
                    Line = table.Column<int>(type: "INTEGER", nullable: true),
                    Commit = table.Column<string>(type: "TEXT", nullable: true),
                    Link = table.Column<string>(type: "TEXT", nullable: true),
                    Visibility = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    AuthorEmail = table.Column<string>(type: "TEXT", nullable: true),
                    CommitTime = table.Column<long>(type: "INTEGER", nullable: true),
                    Verification = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DetectedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AlertNumber = table.Column<long>(type: "INTEGER", nullable: true),
                    AlertState = table.Column<string>(type: "TEXT", nullable: true),
                    AlertResolution = table.Column<string>(type: "TEXT", nullable: true),
                    AlertResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PubliclyLeaked = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Occurrences", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Occurrences_Imports_ImportId",
                        column: x => x.ImportId,
                        principalTable: "Imports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Occurrences_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WriteScopeGrants",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    RequestId = table.Column<int>(type: "INTEGER", nullable: false),
                    ApprovedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    WithdrawnAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WriteScopeGrants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WriteScopeGrants_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "WriteScopeRequests",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TokenId = table.Column<int>(type: "INTEGER", nullable: false),
                    RequesterId = table.Column<int>(type: "INTEGER", nullable: false),
                    Justification = table.Column<string>(type: "TEXT", nullable: false),
                    Targets = table.Column<string>(type: "TEXT", nullable: true),
                    Days = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeciderId = table.Column<int>(type: "INTEGER", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecisionComment = table.Column<string>(type: "TEXT", nullable: true),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WriteScopeRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WriteScopeRequests_People_RequesterId",
                        column: x => x.RequesterId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_WriteScopeRequests_Tokens_TokenId",
                        column: x => x.TokenId,
                        principalTable: "Tokens",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Hash",
                table: "ApiKeys",
                column: "Hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_PersonId",
                table: "ApiKeys",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_AttestationTasks_CampaignId_TokenId",
                table: "AttestationTasks",
                columns: new[] { "CampaignId", "TokenId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AttestationTasks_OwnerId",
                table: "AttestationTasks",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_AttestationTasks_TokenId",
                table: "AttestationTasks",
                column: "TokenId");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_At",
                table: "AuditEvents",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEvents_Subject",
                table: "AuditEvents",
                column: "Subject");

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_RemediatedAt",
                table: "Exposures",
                column: "RemediatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_State_DetectedAt",
                table: "Exposures",
                columns: new[] { "State", "DetectedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Exposures_TokenId_State",
                table: "Exposures",
                columns: new[] { "TokenId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Imports_Sha256",
                table: "Imports",
                column: "Sha256");

            migrationBuilder.CreateIndex(
                name: "IX_Occurrences_ImportId",
                table: "Occurrences",
                column: "ImportId");

            migrationBuilder.CreateIndex(
                name: "IX_Occurrences_Key",
                table: "Occurrences",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Occurrences_Repository",
                table: "Occurrences",
                column: "Repository");

            migrationBuilder.CreateIndex(
                name: "IX_Occurrences_TokenId",
                table: "Occurrences",
                column: "TokenId");

            migrationBuilder.CreateIndex(
                name: "IX_OwnershipRules_Platform_Account",
                table: "OwnershipRules",
                columns: new[] { "Platform", "Account" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_People_Email",
                table: "People",
                column: "Email",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_People_Team",
                table: "People",
                column: "Team");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_FirstSeenAt",
                table: "Tokens",
                column: "FirstSeenAt");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_Identity",
                table: "Tokens",
                column: "Identity",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_OwnerId",
                table: "Tokens",
                column: "OwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_Platform_Account",
                table: "Tokens",
                columns: new[] { "Platform", "Account" });

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_Status_Platform",
                table: "Tokens",
                columns: new[] { "Status", "Platform" });

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_SuggestedOwnerId",
                table: "Tokens",
                column: "SuggestedOwnerId");

            migrationBuilder.CreateIndex(
                name: "IX_WriteScopeGrants_TokenId_ExpiresAt",
                table: "WriteScopeGrants",
                columns: new[] { "TokenId", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WriteScopeRequests_RequesterId",
                table: "WriteScopeRequests",
                column: "RequesterId");

            migrationBuilder.CreateIndex(
                name: "IX_WriteScopeRequests_Status_CreatedAt",
                table: "WriteScopeRequests",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WriteScopeRequests_TokenId",
                table: "WriteScopeRequests",
                column: "TokenId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiKeys");

            migrationBuilder.DropTable(
                name: "AttestationTasks");

            migrationBuilder.DropTable(
                name: "AuditEvents");

            migrationBuilder.DropTable(
                name: "Exposures");

            migrationBuilder.DropTable(
                name: "Occurrences");

            migrationBuilder.DropTable(
                name: "OwnershipRules");

            migrationBuilder.DropTable(
                name: "Settings");

            migrationBuilder.DropTable(
                name: "WriteScopeGrants");

            migrationBuilder.DropTable(
                name: "WriteScopeRequests");

            migrationBuilder.DropTable(
                name: "AttestationCampaigns");

            migrationBuilder.DropTable(
                name: "Imports");

            migrationBuilder.DropTable(
                name: "Tokens");

            migrationBuilder.DropTable(
                name: "People");
        }
    }
}
