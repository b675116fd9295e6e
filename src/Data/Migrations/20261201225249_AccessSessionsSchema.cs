using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace GovernanceDashboard.src.Data.Migrations
{
    /// <summary>People get a security stamp (sessions are checked against it); existing people get a random one each.</summary>
    public partial class AccessSessionsSchema : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "People");
        }
    }
}
