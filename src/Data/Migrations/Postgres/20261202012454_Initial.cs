using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GovernanceDashboard.Data.Migrations.Postgres
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Scope = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OpenedAt = table.Column<long>(type: "bigint", nullable: false),
                    Deadline = table.Column<long>(type: "bigint", nullable: false),
                    OpenedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    ClosedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AttestationCampaigns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Actor = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Before = table.Column<string>(type: "text", nullable: true),
                    After = table.Column<string>(type: "text", nullable: true),
                    PreviousHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEvents", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Imports",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Format = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ImportedBy = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    ImportedAt = table.Column<long>(type: "bigint", nullable: false),
                    ScannedAt = table.Column<long>(type: "bigint", nullable: false),
                    Records = table.Column<int>(type: "integer", nullable: false),
                    TokensNew = table.Column<int>(type: "integer", nullable: false),
                    TokensSeen = table.Column<int>(type: "integer", nullable: false),
                    OccurrencesNew = table.Column<int>(type: "integer", nullable: false),
                    Duplicates = table.Column<int>(type: "integer", nullable: false),
                    RejectedCount = table.Column<int>(type: "integer", nullable: false),
                    RejectedJson = table.Column<string>(type: "text", nullable: true),
                    ExposuresOpened = table.Column<int>(type: "integer", nullable: false),
                    ExposuresClosed = table.Column<int>(type: "integer", nullable: false),
                    OccurrencesOnClosedTokens = table.Column<int>(type: "integer", nullable: false),
                    SameFileAsImportId = table.Column<int>(type: "integer", nullable: true),
                    PeopleAdded = table.Column<int>(type: "integer", nullable: false),
                    PeopleUpdated = table.Column<int>(type: "integer", nullable: false),
                    RulesSaved = table.Column<int>(type: "integer", nullable: false),
                    TokensAssignedByRule = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Imports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MetricSnapshots",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AsOf = table.Column<long>(type: "bigint", nullable: false),
                    Team = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ActiveTokens = table.Column<int>(type: "integer", nullable: false),
                    Owned = table.Column<int>(type: "integer", nullable: false),
                    Orphaned = table.Column<int>(type: "integer", nullable: false),
                    WriteCapable = table.Column<int>(type: "integer", nullable: false),
                    WriteUnknown = table.Column<int>(type: "integer", nullable: false),
                    Justified = table.Column<int>(type: "integer", nullable: false),
                    OwnerCoverage = table.Column<double>(type: "double precision", nullable: true),
                    WriteRatio = table.Column<double>(type: "double precision", nullable: true),
                    JustifiedRatio = table.Column<double>(type: "double precision", nullable: true),
                    OpenExposures = table.Column<int>(type: "integer", nullable: false),
                    Breached = table.Column<int>(type: "integer", nullable: false),
                    Remediated = table.Column<int>(type: "integer", nullable: false),
                    MedianTtrHours = table.Column<double>(type: "double precision", nullable: true),
                    P90TtrHours = table.Column<double>(type: "double precision", nullable: true),
                    WithinSlaRatio = table.Column<double>(type: "double precision", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MetricSnapshots", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OwnershipRules",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Account = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    OwnerEmail = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OwnershipRules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "People",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    DisplayName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Team = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ManagerEmail = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Active = table.Column<bool>(type: "boolean", nullable: false),
                    Roles = table.Column<int>(type: "integer", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    SecurityStamp = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_People", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RevocationCalls",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Credentials = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RevocationCalls", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Settings",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    Value = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Settings", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "ApiKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonId = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Prefix = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true),
                    LastUsedAt = table.Column<long>(type: "bigint", nullable: true)
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
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PersonId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Link = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ReadAt = table.Column<long>(type: "bigint", nullable: true),
                    SentAt = table.Column<long>(type: "bigint", nullable: true),
                    SendAttempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
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
                name: "Tokens",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Identity = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    Identified = table.Column<bool>(type: "boolean", nullable: false),
                    Mask = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Detector = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Account = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Organizations = table.Column<string>(type: "text", nullable: true),
                    Scopes = table.Column<string>(type: "text", nullable: true),
                    Role = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    WriteCapability = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OwnerId = table.Column<int>(type: "integer", nullable: true),
                    OwnerConfirmedAt = table.Column<long>(type: "bigint", nullable: true),
                    OwnerSource = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    SuggestedOwnerId = table.Column<int>(type: "integer", nullable: true),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FirstSeenAt = table.Column<long>(type: "bigint", nullable: false),
                    LastSeenAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: true),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true),
                    RevocationNote = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    RevocationRequestedAt = table.Column<long>(type: "bigint", nullable: true),
                    CreatedImportId = table.Column<int>(type: "integer", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CampaignId = table.Column<int>(type: "integer", nullable: false),
                    TokenId = table.Column<int>(type: "integer", nullable: false),
                    OwnerId = table.Column<int>(type: "integer", nullable: true),
                    Answer = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Comment = table.Column<string>(type: "text", nullable: true),
                    AnsweredAt = table.Column<long>(type: "bigint", nullable: true),
                    AnsweredById = table.Column<int>(type: "integer", nullable: true),
                    RemindedAt = table.Column<long>(type: "bigint", nullable: true),
                    EscalatedAt = table.Column<long>(type: "bigint", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TokenId = table.Column<int>(type: "integer", nullable: false),
                    DetectedAt = table.Column<long>(type: "bigint", nullable: false),
                    Severity = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    VerificationAtDetection = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RemediatedAt = table.Column<long>(type: "bigint", nullable: true),
                    RemediatedBy = table.Column<string>(type: "text", nullable: true),
                    DismissedAt = table.Column<long>(type: "bigint", nullable: true),
                    DismissalReason = table.Column<string>(type: "text", nullable: true),
                    DismissedUntil = table.Column<long>(type: "bigint", nullable: true),
                    SlaBreachNotifiedAt = table.Column<long>(type: "bigint", nullable: true),
                    Escrow = table.Column<string>(type: "text", nullable: true)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TokenId = table.Column<int>(type: "integer", nullable: false),
                    ImportId = table.Column<int>(type: "integer", nullable: false),
                    Key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Scanner = table.Column<string>(type: "text", nullable: false),
                    Detector = table.Column<string>(type: "text", nullable: true),
                    Repository = table.Column<string>(type: "text", nullable: true),
                    File = table.Column<string>(type: "text", nullable: true),
                    Line = table.Column<int>(type: "integer", nullable: true),
                    Column = table.Column<int>(type: "integer", nullable: true),
                    Commit = table.Column<string>(type: "text", nullable: true),
                    Link = table.Column<string>(type: "text", nullable: true),
                    Visibility = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    AuthorEmail = table.Column<string>(type: "text", nullable: true),
                    CommitTime = table.Column<long>(type: "bigint", nullable: true),
                    Verification = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DetectedAt = table.Column<long>(type: "bigint", nullable: false),
                    AlertNumber = table.Column<long>(type: "bigint", nullable: true),
                    AlertState = table.Column<string>(type: "text", nullable: true),
                    AlertResolution = table.Column<string>(type: "text", nullable: true),
                    AlertResolvedAt = table.Column<long>(type: "bigint", nullable: true),
                    PubliclyLeaked = table.Column<bool>(type: "boolean", nullable: false)
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
                name: "OwnershipTransfers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TokenId = table.Column<int>(type: "integer", nullable: false),
                    FromPersonId = table.Column<int>(type: "integer", nullable: false),
                    ToPersonId = table.Column<int>(type: "integer", nullable: false),
                    Message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RequestedAt = table.Column<long>(type: "bigint", nullable: false),
                    DecidedAt = table.Column<long>(type: "bigint", nullable: true)
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
                name: "WriteScopeGrants",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TokenId = table.Column<int>(type: "integer", nullable: false),
                    RequestId = table.Column<int>(type: "integer", nullable: false),
                    ApprovedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false),
                    WithdrawnAt = table.Column<long>(type: "bigint", nullable: true),
                    ExpiryRecordedAt = table.Column<long>(type: "bigint", nullable: true),
                    ExpiryWarnedAt = table.Column<long>(type: "bigint", nullable: true)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TokenId = table.Column<int>(type: "integer", nullable: false),
                    RequesterId = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Justification = table.Column<string>(type: "text", nullable: false),
                    Targets = table.Column<string>(type: "text", nullable: true),
                    Days = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    DeciderId = table.Column<int>(type: "integer", nullable: true),
                    DecidedAt = table.Column<long>(type: "bigint", nullable: true),
                    DecisionComment = table.Column<string>(type: "text", nullable: true),
                    EscalatedAt = table.Column<long>(type: "bigint", nullable: true),
                    RequiredApprovals = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "RevocationRequests",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ExposureId = table.Column<int>(type: "integer", nullable: false),
                    TokenId = table.Column<int>(type: "integer", nullable: false),
                    Platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    State = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "bigint", nullable: false),
                    LastError = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    RequestedBy = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    LastAttemptAt = table.Column<long>(type: "bigint", nullable: true),
                    SentAt = table.Column<long>(type: "bigint", nullable: true)
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

            migrationBuilder.CreateTable(
                name: "WriteScopeDecisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RequestId = table.Column<int>(type: "integer", nullable: false),
                    DeciderId = table.Column<int>(type: "integer", nullable: false),
                    Approve = table.Column<bool>(type: "boolean", nullable: false),
                    Comment = table.Column<string>(type: "text", nullable: true),
                    At = table.Column<long>(type: "bigint", nullable: false)
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
                name: "IX_Exposures_DismissedUntil",
                table: "Exposures",
                column: "DismissedUntil");

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
                name: "IX_OwnershipTransfers_TokenId",
                table: "OwnershipTransfers",
                column: "TokenId");

            migrationBuilder.CreateIndex(
                name: "IX_OwnershipTransfers_ToPersonId_Status",
                table: "OwnershipTransfers",
                columns: new[] { "ToPersonId", "Status" });

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
                name: "IX_Tokens_Kind",
                table: "Tokens",
                column: "Kind");

            migrationBuilder.CreateIndex(
                name: "IX_Tokens_LastSeenAt",
                table: "Tokens",
                column: "LastSeenAt");

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
                name: "IX_Tokens_WriteCapability",
                table: "Tokens",
                column: "WriteCapability");

            migrationBuilder.CreateIndex(
                name: "IX_WriteScopeDecisions_DeciderId",
                table: "WriteScopeDecisions",
                column: "DeciderId");

            migrationBuilder.CreateIndex(
                name: "IX_WriteScopeDecisions_RequestId_DeciderId",
                table: "WriteScopeDecisions",
                columns: new[] { "RequestId", "DeciderId" },
                unique: true);

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
                name: "MetricSnapshots");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "Occurrences");

            migrationBuilder.DropTable(
                name: "OwnershipRules");

            migrationBuilder.DropTable(
                name: "OwnershipTransfers");

            migrationBuilder.DropTable(
                name: "RevocationCalls");

            migrationBuilder.DropTable(
                name: "RevocationRequests");

            migrationBuilder.DropTable(
                name: "Settings");

            migrationBuilder.DropTable(
                name: "WriteScopeDecisions");

            migrationBuilder.DropTable(
                name: "WriteScopeGrants");

            migrationBuilder.DropTable(
                name: "AttestationCampaigns");

            migrationBuilder.DropTable(
                name: "Imports");

            migrationBuilder.DropTable(
                name: "Exposures");

            migrationBuilder.DropTable(
                name: "WriteScopeRequests");

            migrationBuilder.DropTable(
                name: "Tokens");

            migrationBuilder.DropTable(
                name: "People");
        }
    }
}
