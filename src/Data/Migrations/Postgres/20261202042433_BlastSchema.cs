using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace GovernanceDashboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BlastSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "BlastRadius",
                table: "Tokens",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<long>(
                name: "ReachEnrichedAt",
                table: "Tokens",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "TokenReach",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TokenId = table.Column<int>(type: "integer", nullable: false),
                    Platform = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    FullName = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    CanWrite = table.Column<bool>(type: "boolean", nullable: false),
                    Stars = table.Column<long>(type: "bigint", nullable: false),
                    Forks = table.Column<long>(type: "bigint", nullable: false),
                    Downloads = table.Column<long>(type: "bigint", nullable: false),
                    Publishes = table.Column<bool>(type: "boolean", nullable: false),
                    Source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ObservedAt = table.Column<long>(type: "bigint", nullable: false)
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
                name: "IX_TokenReach_TokenId_Source_Kind_FullName",
                table: "TokenReach",
                columns: new[] { "TokenId", "Source", "Kind", "FullName" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TokenReach");

            migrationBuilder.DropColumn(
                name: "BlastRadius",
                table: "Tokens");

            migrationBuilder.DropColumn(
                name: "ReachEnrichedAt",
                table: "Tokens");
        }
    }
}
